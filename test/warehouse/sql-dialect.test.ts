/**
 * SQL written once with dialect tokens (sql/shared/): rendered per engine, checksummed as written, and
 * applied by each engine's migration runner next to its frozen history.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { loadMigrations, SHARED_SQL, SQL_DIR } from '../../src/warehouse/migrate.ts';
import { DIALECTS, type Engine, renderDialect } from '../../src/warehouse/sql-dialect.ts';
import type { SqlWarehouse } from '../../src/warehouse/sql-warehouse.ts';
import { ENGINE_HARNESSES, suiteHarness } from './support/harness.ts';

/** A future migration, written once: a table of every token type and a view that reads JSON text. */
const PROBE = `-- A probe of every dialect token.
create table if not exists {{schema}}.mmm_template_probe (
    id {{int}} not null,
    label {{string}} not null,
    share {{float}},
    flag {{bool}},
    day {{date}},
    written_at {{timestamp}} not null,
    doc {{json}}
);
insert into {{schema}}.mmm_template_probe (id, label, share, flag, day, written_at)
values (1, 'first', 0.25, true, date '2024-01-01', {{now}});
create or replace view {{schema}}.v_template_probe as
select id, {{json_text}}('{"k": "v"}', '$.k') as k from {{schema}}.mmm_template_probe;
`;

const dir = mkdtempSync(join(tmpdir(), 'mmm-dialect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const engine of [...Object.keys(DIALECTS), SHARED_SQL]) cpSync(join(SQL_DIR, engine), join(dir, engine), { recursive: true });
/** The repository's migrations, then the probe as the next version. */
const HISTORY = loadMigrations('duckdb');
const label = (m: { version: number; name: string }) => `V${String(m.version).padStart(3, '0')}__${m.name}`;
const PROBE_MIGRATION = { version: HISTORY.length + 1, name: 'template_probe' };
const PROBE_FILE = `${label(PROBE_MIGRATION)}.sql`;
writeFileSync(join(dir, SHARED_SQL, PROBE_FILE), PROBE);

describe('renderDialect', () => {
  test('spells every token in the engine dialect and keeps {{schema}} for the runner', () => {
    expect(renderDialect('cast(x as {{float}}), {{ timestamp }}, {{schema}}.t', DIALECTS.duckdb, 'f.sql')).toBe(
      'cast(x as double), timestamptz, {{schema}}.t',
    );
    expect(renderDialect('cast(x as {{float}}), {{ timestamp }}, {{schema}}.t', DIALECTS.bigquery, 'f.sql')).toBe(
      'cast(x as float64), timestamp, {{schema}}.t',
    );
  });

  test('refuses an unknown token, naming the file and the tokens there are', () => {
    expect(() => renderDialect('select {{decimal}}', DIALECTS.duckdb, 'sql/shared/V009__x.sql')).toThrow(
      /^sql\/shared\/V009__x\.sql: unknown token \{\{decimal\}\}; the tokens are \{\{schema\}\}, \{\{string\}\}/,
    );
  });
});

describe('loadMigrations with sql/shared/', () => {
  test('the frozen engine files first, then the shared ones rendered per engine, one checksum for both', () => {
    const [duckdb, bigquery] = (['duckdb', 'bigquery'] as const).map((engine) => loadMigrations(engine, dir));
    expect(duckdb.map((m) => `${m.version} ${m.name}`)).toEqual([
      '1 output_tables',
      '2 current_views',
      '3 bi_views',
      ...HISTORY.slice(3).map((m) => `${m.version} ${m.name}`),
      `${PROBE_MIGRATION.version} template_probe`,
    ]);
    expect(bigquery.map((m) => m.file)).toEqual([
      ...loadMigrations('bigquery').map((m) => m.file.replace(SQL_DIR, dir)),
      join(dir, SHARED_SQL, PROBE_FILE),
    ]);
    const [duckdbProbe, bigqueryProbe] = [duckdb.at(-1), bigquery.at(-1)];
    expect(duckdbProbe?.checksum).toBe(bigqueryProbe?.checksum);
    expect(duckdbProbe?.statements[0]).toContain('written_at timestamptz not null');
    expect(bigqueryProbe?.statements[0]).toContain('written_at timestamp not null');
    expect(bigqueryProbe?.statements[0]).toContain('doc json');
    expect(bigqueryProbe?.statements[1]).toContain('current_timestamp()');
    expect(bigqueryProbe?.statements[2]).toContain('json_value(\'{"k": "v"}\', \'$.k\')');
    // The repository's files render as they do from sql/: the frozen ones to themselves (nothing but {{schema}} in them).
    expect(
      loadMigrations('duckdb', dir)
        .slice(0, -1)
        .map((m) => m.checksum),
    ).toEqual(HISTORY.map((m) => m.checksum));
  });

  test('refuses a version that is both an engine file and a shared one', () => {
    const clash = mkdtempSync(join(tmpdir(), 'mmm-dialect-clash-'));
    try {
      cpSync(join(SQL_DIR, 'duckdb'), join(clash, 'duckdb'), { recursive: true });
      mkdirSync(join(clash, SHARED_SQL));
      writeFileSync(join(clash, SHARED_SQL, 'V003__again.sql'), 'select 1;');
      expect(() => loadMigrations('duckdb', clash)).toThrow(
        /V003 is both .*V003__again\.sql and .*V003__bi_views\.sql|V003 is both .*V003__bi_views\.sql and .*V003__again\.sql/,
      );
    } finally {
      rmSync(clash, { recursive: true, force: true });
    }
  });
});

/**
 * The column types each engine reports for the probe table: the dialect's spelling of each token. The
 * BigQuery emulator accepts a JSON column and keeps it as STRING (its INFORMATION_SCHEMA says so), where
 * BigQuery itself reports JSON; the rendered DDL (`doc json`) is checked above.
 */
const PROBE_TYPES: Record<Engine, Record<string, string>> = {
  duckdb: {
    id: 'BIGINT',
    label: 'VARCHAR',
    share: 'DOUBLE',
    flag: 'BOOLEAN',
    day: 'DATE',
    written_at: 'TIMESTAMP WITH TIME ZONE',
    doc: 'JSON',
  },
  bigquery: { id: 'INT64', label: 'STRING', share: 'FLOAT64', flag: 'BOOL', day: 'DATE', written_at: 'TIMESTAMP', doc: 'STRING' },
};

describe.each(ENGINE_HARNESSES)('a shared migration on $engine', { timeout: 300_000 }, ({ engine, start }) => {
  const h = suiteHarness(start);

  test('is applied after the frozen history, once, with the engine types, and its view reads JSON text', async () => {
    const warehouse = h.warehouse as SqlWarehouse;
    expect(await warehouse.migrate(loadMigrations(engine, dir))).toEqual({
      applied: [label(PROBE_MIGRATION)],
      upToDate: HISTORY.map(label),
    });
    expect((await warehouse.migrate(loadMigrations(engine, dir))).applied).toEqual([]);
    const probe = (await warehouse.db.introspection.getTables()).find((t) => t.name === 'mmm_template_probe');
    expect(Object.fromEntries(probe?.columns.map((c) => [c.name, c.dataType.toUpperCase()]) ?? [])).toEqual(PROBE_TYPES[engine]);
    const rows = await sql<{ id: number; k: string }>`select id, k from ${sql.table(`${h.schema}.v_template_probe`)}`.execute(warehouse.db);
    expect(rows.rows.map((r) => ({ id: Number(r.id), k: r.k }))).toEqual([{ id: 1, k: 'v' }]);
  });
});
