/**
 * An RFC 4180 CSV reader: comma-separated fields, double-quoted fields that may hold commas,
 * doubled quotes and line breaks, CRLF or LF line ends, an optional UTF-8 byte-order mark.
 * The first record is the header. Each record keeps the 1-based line it starts on so that
 * data errors can point at the line a user sees in an editor.
 */

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRecord[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly source: string, readonly line: number, readonly detail: string) {
    super(`${source}: line ${line}: ${detail}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = '"';
const COMMA = ',';
const CR = '\r';
const LF = '\n';

/**
 * Parses CSV text. Fields are returned verbatim (no trimming, no type conversion). Lines that are
 * entirely empty are skipped, so a trailing line break or blank separator lines do not create
 * records; records are not required to have as many fields as the header (the caller decides).
 */
export function parseCsv(text: string, source: string): CsvTable {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // True once the current record has any content (a field, a comma or a quote), so that an empty line is not a record.
  let recordStarted = false;

  const endRecord = () => {
    if (recordStarted) {
      cells.push(field);
      records.push({ line: recordLine, cells });
    }
    cells = [];
    field = '';
    recordStarted = false;
  };

  while (i < body.length) {
    const ch = body[i];
    if (ch === QUOTE) {
      if (field.length > 0) {
        throw new CsvSyntaxError(source, line,
          `quote inside an unquoted field (after '${field}'); quote the whole field and double the inner quote`);
      }
      recordStarted = true;
      const openedOn = line;
      i += 1;
      for (;;) {
        if (i >= body.length) throw new CsvSyntaxError(source, openedOn, 'quoted field is never closed');
        const q = body[i];
        if (q === QUOTE) {
          if (body[i + 1] === QUOTE) {
            field += QUOTE;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (q === LF || (q === CR && body[i + 1] !== LF)) line += 1;
        field += q;
        i += 1;
      }
      const next = body[i];
      if (next !== undefined && next !== COMMA && next !== CR && next !== LF) {
        throw new CsvSyntaxError(source, line, `unexpected '${next}' after a closing quote; expected a comma or a line end`);
      }
      continue;
    }
    if (ch === COMMA) {
      recordStarted = true;
      cells.push(field);
      field = '';
      i += 1;
      continue;
    }
    if (ch === CR || ch === LF) {
      endRecord();
      i += ch === CR && body[i + 1] === LF ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    recordStarted = true;
    field += ch;
    i += 1;
  }
  endRecord();

  const [header, ...rows] = records;
  if (header === undefined) throw new CsvSyntaxError(source, 1, 'the file is empty; expected a header row');
  return { header: header.cells, rows };
}
