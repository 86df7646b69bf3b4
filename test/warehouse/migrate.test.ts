import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadMigrations, type MigrationTarget, runMigrations, SQL_DIR, splitStatements } from '../../src/warehouse/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An in-memory target that records what it was asked to run. */
function recordingTarget(applied: { version: number; checksum: string }[] = []) {
  const ran: string[] = [];
  const target: MigrationTarget = {
    schemaRef: '"s"',
    ensureHistoryTable: async () => {},
    appliedMigrations: async () => applied,
    apply: async (migration, statements) => {
      ran.push(...statements);
      applied.push({ version: migration.version, checksum: migration.checksum });
    },
  };
  return { target, ran };
}

describe('splitStatements', () => {
  test('splits at semicolons outside quotes and drops comments', () => {
    const script = '-- a; comment\ncreate table t (x varchar); insert into t values (\'a;b\');\n\nselect "c;d" from `e;f`; -- tail';
    expect(splitStatements(script)).toEqual(['create table t (x varchar)', "insert into t values ('a;b')", 'select "c;d" from `e;f`']);
  });

  test('refuses an unterminated quote', () => {
    expect(() => splitStatements("select 'oops")).toThrow(/unterminated ' quote/);
  });
});

describe('runMigrations', () => {
  test('applies each file once, with {{schema}} rendered', async () => {
    const { target, ran } = recordingTarget();
    const migrations = loadMigrations('duckdb');
    expect((await runMigrations(target, migrations)).applied).toEqual([
      'V001__output_tables',
      'V002__current_views',
      'V003__bi_views',
      'V004__plan_tables',
      'V005__interactions',
      'V006__plan_surface_tables',
      'V007__channel_evidence',
      'V008__geo_tables',
      'V009__recommendation_evidence',
      'V010__geo_and_plan_evidence',
    ]);
    expect(ran.some((s) => s.startsWith('create table if not exists "s".mmm_runs ('))).toBe(true);
    expect(ran.some((s) => s.includes('{{schema}}'))).toBe(false);
    const second = await runMigrations(target, migrations);
    expect(second).toEqual({
      applied: [],
      upToDate: [
        'V001__output_tables',
        'V002__current_views',
        'V003__bi_views',
        'V004__plan_tables',
        'V005__interactions',
        'V006__plan_surface_tables',
        'V007__channel_evidence',
        'V008__geo_tables',
        'V009__recommendation_evidence',
        'V010__geo_and_plan_evidence',
      ],
    });
  });

  test('refuses a migration edited after it was applied', async () => {
    const [first] = loadMigrations('bigquery');
    const { target } = recordingTarget([{ version: 1, checksum: 'f'.repeat(64) }]);
    await expect(runMigrations(target, [first])).rejects.toThrow(/V001__output_tables\.sql was changed after it was applied/);
  });

  test('refuses misnamed files and gaps in the version sequence', () => {
    cpSync(join(SQL_DIR, 'duckdb'), join(dir, 'duckdb'), { recursive: true });
    writeFileSync(join(dir, 'duckdb', 'V005__later.sql'), 'select 1;');
    expect(() => loadMigrations('duckdb', dir)).toThrow(/without gaps; found V005 at position 4/);
    writeFileSync(join(dir, 'duckdb', 'v3-bad.sql'), 'select 1;');
    expect(() => loadMigrations('duckdb', dir)).toThrow(/v3-bad\.sql: migration files are named V###__lower_snake_name\.sql/);
  });

  test('both engines have the same migrations', () => {
    const names = (engine: 'duckdb' | 'bigquery') => loadMigrations(engine).map((m) => `${m.version} ${m.name} ${m.statements.length}`);
    expect(names('bigquery')).toEqual(names('duckdb'));
  });
});
