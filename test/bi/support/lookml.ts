/**
 * A parser for the subset of LookML that bi/looker/ uses: `key: value` pairs whose value is a quoted
 * string, a bare word, a list `[a, "b", field: "value"]`, a block `{ ... }` (named, as in
 * `view: name { ... }`, or not), or SQL running to `;;` for keys that start with `sql`. `#` starts a
 * comment outside strings and SQL. Anything else is a syntax error naming file and line.
 */
export type LookmlListItem = { key: string | null; value: string };

export type LookmlValue =
  | { kind: 'scalar'; text: string }
  | { kind: 'sql'; text: string }
  | { kind: 'list'; items: LookmlListItem[] }
  | { kind: 'block'; name: string | null; entries: LookmlEntry[] };

export interface LookmlEntry {
  key: string;
  value: LookmlValue;
  line: number;
}

export class LookmlSyntaxError extends Error {
  override readonly name = 'LookmlSyntaxError';
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const BARE_WORD = /[^\s{}[\],"#:]+/y;

export function parseLookml(text: string, file: string): LookmlEntry[] {
  let i = 0;
  const line = () => text.slice(0, i).split('\n').length;
  const fail = (message: string): never => {
    throw new LookmlSyntaxError(file, line(), message);
  };
  const skipBlank = () => {
    while (i < text.length) {
      if (/\s/.test(text[i])) i++;
      else if (text[i] === '#') {
        const end = text.indexOf('\n', i);
        i = end < 0 ? text.length : end;
      } else break;
    }
  };
  const match = (pattern: RegExp): string | null => {
    pattern.lastIndex = i;
    const found = pattern.exec(text);
    if (found === null) return null;
    i += found[0].length;
    return found[0];
  };
  const expect = (ch: string) => {
    skipBlank();
    if (text[i] !== ch) fail(`expected '${ch}', found '${text.slice(i, i + 20)}'`);
    i++;
  };
  const quoted = (): string => {
    let out = '';
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      out += text[i++];
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return out;
  };
  const word = (): string => {
    skipBlank();
    if (text[i] === '"') return quoted();
    return match(BARE_WORD) ?? fail(`expected a value, found '${text.slice(i, i + 20)}'`);
  };
  const list = (): LookmlListItem[] => {
    const items: LookmlListItem[] = [];
    i++;
    skipBlank();
    while (text[i] !== ']') {
      if (i >= text.length) fail('unterminated list');
      const first = word();
      skipBlank();
      if (text[i] === ':') {
        i++;
        items.push({ key: first, value: word() });
      } else {
        items.push({ key: null, value: first });
      }
      skipBlank();
      if (text[i] === ',') i++;
      else if (text[i] !== ']') fail(`expected ',' or ']' in a list, found '${text.slice(i, i + 20)}'`);
      skipBlank();
    }
    i++;
    return items;
  };
  const entries = (closing: string | null): LookmlEntry[] => {
    const out: LookmlEntry[] = [];
    for (;;) {
      skipBlank();
      if (closing === null ? i >= text.length : text[i] === closing) break;
      if (i >= text.length) fail(`missing '${closing}'`);
      const at = line();
      const key = match(IDENTIFIER) ?? fail(`expected a key, found '${text.slice(i, i + 20)}'`);
      expect(':');
      out.push({ key, value: value(key), line: at });
    }
    if (closing !== null) i++;
    return out;
  };
  const value = (key: string): LookmlValue => {
    skipBlank();
    if (key.startsWith('sql')) {
      const end = text.indexOf(';;', i);
      if (end < 0) fail(`SQL of '${key}' does not end with ';;'`);
      const sql = text.slice(i, end).trim();
      i = end + 2;
      return { kind: 'sql', text: sql };
    }
    if (text[i] === '{') {
      i++;
      return { kind: 'block', name: null, entries: entries('}') };
    }
    if (text[i] === '[') return { kind: 'list', items: list() };
    const scalar = word();
    skipBlank();
    if (text[i] === '{') {
      i++;
      return { kind: 'block', name: scalar, entries: entries('}') };
    }
    return { kind: 'scalar', text: scalar };
  };
  return entries(null);
}

/** Entries of a block with the given key. */
export const entriesOf = (entries: readonly LookmlEntry[], key: string): LookmlEntry[] => entries.filter((e) => e.key === key);

/** The single scalar or SQL value of `key` in a block, or undefined. */
export function textOf(entries: readonly LookmlEntry[], key: string): string | undefined {
  const found = entriesOf(entries, key);
  if (found.length > 1) throw new Error(`'${key}' is given ${found.length} times`);
  const value = found[0]?.value;
  if (value === undefined) return undefined;
  if (value.kind !== 'scalar' && value.kind !== 'sql') throw new Error(`'${key}' is a ${value.kind}, not a value`);
  return value.text;
}

export function blockOf(entry: LookmlEntry): { name: string | null; entries: LookmlEntry[] } {
  if (entry.value.kind !== 'block') throw new Error(`'${entry.key}' at line ${entry.line} is not a block`);
  return entry.value;
}

export function listOf(entries: readonly LookmlEntry[], key: string): LookmlListItem[] {
  const value = entriesOf(entries, key)[0]?.value;
  if (value === undefined) return [];
  if (value.kind !== 'list') throw new Error(`'${key}' is not a list`);
  return value.items;
}
