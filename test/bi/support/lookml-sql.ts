/**
 * The SQL that Looker would generate for the fields of bi/looker/, rebuilt from the parsed LookML so
 * that it can run against DuckDB: `${TABLE}`, `${field}`, `${view.field}` and `@{constant}` are
 * substituted; dimension groups expand to `<group>_<timeframe>` fields; measures aggregate (sum,
 * count, min, max, average, count_distinct, number over other measures) with their `filters`; an
 * explore query joins only the views its fields need and applies the explore's always_filter.
 * Symmetric aggregates (several one-to-many joins in one query) are out of scope: a query touching
 * more than one one_to_many view is refused rather than answered wrongly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockOf, entriesOf, listOf, type LookmlEntry, type LookmlListItem, parseLookml, textOf } from './lookml.ts';

export interface LookmlField {
  view: string;
  name: string;
  kind: 'dimension' | 'measure';
  type: string;
  /** The field's own SQL (a dimension group's timeframe SQL is built from the group's). */
  sql: string | null;
  filters: LookmlListItem[];
  primaryKey: boolean;
  /** The column a dimension or dimension group reads as `${TABLE}.column`, if that is all its SQL is. */
  column: string | null;
  timeframe: string | null;
}

export interface LookmlView {
  name: string;
  table: string;
  fields: Map<string, LookmlField>;
}

export interface LookmlJoin {
  view: string;
  sqlOn: string;
  relationship: string;
}

export interface LookmlExplore {
  name: string;
  baseView: string;
  alwaysFilter: LookmlListItem[];
  joins: LookmlJoin[];
}

export class LookmlModelError extends Error {
  override readonly name = 'LookmlModelError';
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\}/g;
const COLUMN_ONLY = /^\$\{TABLE\}\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Timeframe SQL in DuckDB for a dimension group's expression. */
const TIMEFRAMES: Record<string, (sql: string) => string> = {
  raw: (sql) => sql,
  time: (sql) => `CAST(${sql} AS TIMESTAMP)`,
  date: (sql) => `CAST(${sql} AS DATE)`,
  week: (sql) => `CAST(DATE_TRUNC('week', ${sql}) AS DATE)`,
  month: (sql) => `CAST(DATE_TRUNC('month', ${sql}) AS DATE)`,
  quarter: (sql) => `CAST(DATE_TRUNC('quarter', ${sql}) AS DATE)`,
  year: (sql) => `CAST(DATE_TRUNC('year', ${sql}) AS DATE)`,
};

const AGGREGATES: Record<string, (sql: string) => string> = {
  sum: (sql) => `COALESCE(SUM(${sql}), 0)`,
  average: (sql) => `AVG(${sql})`,
  min: (sql) => `MIN(${sql})`,
  max: (sql) => `MAX(${sql})`,
  count_distinct: (sql) => `COUNT(DISTINCT ${sql})`,
};

function readView(entry: LookmlEntry, constants: Map<string, string>): LookmlView {
  const { name, entries } = blockOf(entry);
  if (name === null) throw new LookmlModelError(`a view at line ${entry.line} has no name`);
  const table = textOf(entries, 'sql_table_name');
  if (table === undefined) throw new LookmlModelError(`view ${name} has no sql_table_name`);
  const fields = new Map<string, LookmlField>();
  const add = (field: LookmlField) => {
    if (fields.has(field.name)) throw new LookmlModelError(`view ${name} defines field ${field.name} twice`);
    fields.set(field.name, field);
  };
  for (const item of entries) {
    if (!['dimension', 'measure', 'dimension_group'].includes(item.key)) continue;
    const field = blockOf(item);
    if (field.name === null) throw new LookmlModelError(`view ${name}: a ${item.key} at line ${item.line} has no name`);
    const sql = textOf(field.entries, 'sql') ?? null;
    const type = textOf(field.entries, 'type') ?? (item.key === 'measure' ? 'count' : 'string');
    const column = sql === null ? null : (COLUMN_ONLY.exec(sql)?.[1] ?? null);
    if (item.key === 'dimension_group') {
      if (type !== 'time' || sql === null)
        throw new LookmlModelError(`view ${name}: dimension_group ${field.name} must be type: time with sql`);
      for (const timeframe of listOf(field.entries, 'timeframes').map((t) => t.value)) {
        if (TIMEFRAMES[timeframe] === undefined)
          throw new LookmlModelError(`view ${name}: timeframe '${timeframe}' of ${field.name} is not supported`);
        add({
          view: name,
          name: `${field.name}_${timeframe}`,
          kind: 'dimension',
          type: 'time',
          sql,
          filters: [],
          primaryKey: false,
          column,
          timeframe,
        });
      }
      continue;
    }
    add({
      view: name,
      name: field.name,
      kind: item.key === 'measure' ? 'measure' : 'dimension',
      type,
      sql,
      filters: listOf(field.entries, 'filters'),
      primaryKey: textOf(field.entries, 'primary_key') === 'yes',
      column,
      timeframe: null,
    });
  }
  return { name, table: substituteConstants(table, constants), fields };
}

function substituteConstants(text: string, constants: Map<string, string>): string {
  return text.replace(/@\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = constants.get(name);
    if (value === undefined) throw new LookmlModelError(`constant @{${name}} is not defined in manifest.lkml`);
    return value;
  });
}

export class LookmlProject {
  readonly views = new Map<string, LookmlView>();
  readonly explores = new Map<string, LookmlExplore>();
  /** Every file parsed, by name. */
  readonly files = new Map<string, LookmlEntry[]>();

  /** Parses manifest.lkml, *.view.lkml and *.model.lkml of a directory; `constants` override the manifest's. */
  constructor(dir: string, constants: Record<string, string> = {}) {
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.lkml'))
      .sort()) {
      this.files.set(file, parseLookml(readFileSync(join(dir, file), 'utf8'), join(dir, file)));
    }
    const values = new Map<string, string>();
    for (const entry of entriesOf(this.files.get('manifest.lkml') ?? [], 'constant')) {
      const { name, entries } = blockOf(entry);
      const value = textOf(entries, 'value');
      if (name !== null && value !== undefined) values.set(name, value);
    }
    for (const [name, value] of Object.entries(constants)) values.set(name, value);
    for (const [file, entries] of this.files) {
      for (const entry of entriesOf(entries, 'view')) {
        const view = readView(entry, values);
        if (this.views.has(view.name)) throw new LookmlModelError(`view ${view.name} is defined twice (again in ${file})`);
        this.views.set(view.name, view);
      }
      for (const entry of entriesOf(entries, 'explore')) {
        const { name, entries: body } = blockOf(entry);
        if (name === null) throw new LookmlModelError(`${file}: an explore has no name`);
        const alwaysFilter = entriesOf(body, 'always_filter').flatMap((e) => listOf(blockOf(e).entries, 'filters'));
        const joins = entriesOf(body, 'join').map((e) => {
          const join = blockOf(e);
          const sqlOn = textOf(join.entries, 'sql_on');
          if (join.name === null || sqlOn === undefined)
            throw new LookmlModelError(`${file}: explore ${name} has a join without a name or sql_on`);
          return {
            view: textOf(join.entries, 'from') ?? join.name,
            sqlOn,
            relationship: textOf(join.entries, 'relationship') ?? 'many_to_one',
          };
        });
        this.explores.set(name, { name, baseView: textOf(body, 'view_name') ?? textOf(body, 'from') ?? name, alwaysFilter, joins });
      }
    }
  }

  field(view: string, name: string): LookmlField {
    const field = this.views.get(view)?.fields.get(name);
    if (field === undefined) throw new LookmlModelError(`${view}.${name} is not a field of the project`);
    return field;
  }

  /** `${...}` references in SQL written in `view`, replaced by the referenced fields' SQL. */
  private substitute(view: string, sql: string, seen: readonly string[]): string {
    return sql.replace(REFERENCE, (_, first: string, second: string | undefined) => {
      if (second === undefined && first === 'TABLE') return view;
      const target = second === undefined ? this.field(view, first) : this.field(first, second);
      const key = `${target.view}.${target.name}`;
      if (seen.includes(key)) throw new LookmlModelError(`circular reference: ${[...seen, key].join(' -> ')}`);
      return `(${target.kind === 'dimension' ? this.dimensionSql(target, [...seen, key]) : this.measureSql(target, [...seen, key])})`;
    });
  }

  dimensionSql(field: LookmlField, seen: readonly string[] = []): string {
    if (field.sql === null) throw new LookmlModelError(`dimension ${field.view}.${field.name} has no sql`);
    const sql = this.substitute(field.view, field.sql, seen);
    return field.timeframe === null ? sql : TIMEFRAMES[field.timeframe](sql);
  }

  /** The condition a filter value puts on a dimension: yes/no for yesno, equality otherwise. */
  private condition(view: string, item: LookmlListItem): string {
    if (item.key === null) throw new LookmlModelError(`filter '${item.value}' names no field`);
    const [fieldView, fieldName] = item.key.includes('.') ? item.key.split('.') : [view, item.key];
    const field = this.field(fieldView, fieldName);
    const sql = this.dimensionSql(field);
    if (field.type === 'yesno') {
      if (item.value !== 'yes' && item.value !== 'no')
        throw new LookmlModelError(`yesno filter on ${item.key} must be "yes" or "no", got '${item.value}'`);
      return item.value === 'yes' ? `(${sql})` : `NOT (${sql})`;
    }
    if (/[%,^-]|^NULL$|^EMPTY$/.test(item.value))
      throw new LookmlModelError(`filter expression '${item.value}' on ${item.key} is beyond the supported subset (exact values)`);
    return `${sql} = '${item.value.replaceAll("'", "''")}'`;
  }

  measureSql(field: LookmlField, seen: readonly string[] = []): string {
    if (field.type === 'number') {
      if (field.sql === null) throw new LookmlModelError(`measure ${field.view}.${field.name} of type number has no sql`);
      return this.substitute(field.view, field.sql, seen);
    }
    let inner: string;
    if (field.type === 'count') {
      const pk = [...(this.views.get(field.view)?.fields.values() ?? [])].find((f) => f.primaryKey);
      inner = pk === undefined ? '1' : this.dimensionSql(pk);
    } else {
      if (field.sql === null) throw new LookmlModelError(`measure ${field.view}.${field.name} of type ${field.type} has no sql`);
      inner = this.substitute(field.view, field.sql, seen);
    }
    if (field.filters.length > 0)
      inner = `CASE WHEN ${field.filters.map((f) => this.condition(field.view, f)).join(' AND ')} THEN ${inner} END`;
    if (field.type === 'count') return `COUNT(DISTINCT ${inner})`;
    const aggregate = AGGREGATES[field.type];
    if (aggregate === undefined) throw new LookmlModelError(`measure type '${field.type}' of ${field.view}.${field.name} is not supported`);
    return aggregate(inner);
  }

  /** Views a piece of SQL written in `view` reads, through its references. */
  private viewsOf(view: string, sql: string | null, into: Set<string>): void {
    if (sql === null) return;
    for (const [, first, second] of sql.matchAll(REFERENCE)) {
      if (second === undefined && first === 'TABLE') {
        into.add(view);
        continue;
      }
      const target = second === undefined ? this.field(view, first) : this.field(first, second);
      into.add(target.view);
      this.viewsOf(target.view, target.sql, into);
    }
  }

  /** The explore query of `fields` ('view.field'): dimensions grouped and ordered, measures aggregated. */
  query(exploreName: string, fields: readonly string[]): string {
    const explore = this.explores.get(exploreName);
    if (explore === undefined) throw new LookmlModelError(`no explore ${exploreName}`);
    const selected = fields.map((f) => {
      const [view, name] = f.split('.');
      return this.field(view, name);
    });
    const needed = new Set<string>([explore.baseView]);
    for (const f of selected) {
      needed.add(f.view);
      this.viewsOf(f.view, f.sql, needed);
    }
    for (const filter of explore.alwaysFilter) needed.add((filter.key ?? '').split('.')[0]);
    const joins = explore.joins.filter((j) => needed.has(j.view));
    for (const view of needed) {
      if (view !== explore.baseView && !joins.some((j) => j.view === view))
        throw new LookmlModelError(`explore ${exploreName} does not join ${view}`);
    }
    if (joins.filter((j) => j.relationship === 'one_to_many').length > 1) {
      throw new LookmlModelError(
        `query ${fields.join(', ')} fans out over several one_to_many joins; Looker would need symmetric aggregates`,
      );
    }
    const base = this.views.get(explore.baseView);
    if (base === undefined) throw new LookmlModelError(`explore ${exploreName} is based on the unknown view ${explore.baseView}`);
    const dimensions = selected.filter((f) => f.kind === 'dimension');
    const columns = selected.map((f) => {
      const sql =
        f.kind === 'measure'
          ? this.measureSql(f)
          : f.type === 'yesno'
            ? `CASE WHEN (${this.dimensionSql(f)}) THEN 'Yes' ELSE 'No' END`
            : this.dimensionSql(f);
      return `${sql} AS "${f.view}.${f.name}"`;
    });
    const from = [
      `FROM ${base.table} AS ${base.name}`,
      ...joins.map((j) => {
        const view = this.views.get(j.view);
        if (view === undefined) throw new LookmlModelError(`explore ${exploreName} joins the unknown view ${j.view}`);
        return `LEFT JOIN ${view.table} AS ${view.name} ON ${this.substitute(explore.baseView, j.sqlOn, [])}`;
      }),
    ];
    const where = explore.alwaysFilter.map((f) => this.condition(explore.baseView, f));
    // As Looker does, every selected dimension is grouped by (and ordered by here, for stable results).
    const positions = dimensions.map((d) => selected.indexOf(d) + 1).join(', ');
    return [
      `SELECT ${columns.join(', ')}`,
      ...from,
      where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
      positions !== '' ? `GROUP BY ${positions}\nORDER BY ${positions}` : '',
    ]
      .filter((part) => part !== '')
      .join('\n');
  }
}
