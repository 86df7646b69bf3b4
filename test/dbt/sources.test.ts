/** The BigQuery raw loader and the dbt sources name the same tables and files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { RAW_TABLES } from '../../src/warehouse/bigquery/load-raw-exports.ts';
import { DBT_PROJECT_DIR } from '../../src/warehouse/dbt-runner.ts';

test('every raw source of dbt is loaded from the files DuckDB reads', () => {
  const yml = readFileSync(join(DBT_PROJECT_DIR, 'models', 'staging', '_sources.yml'), 'utf8');
  const sources: string[][] = [];
  let table = '';
  for (const line of yml.split('\n')) {
    table = /^ {6}- name: (\w+)/.exec(line)?.[1] ?? table;
    const files = /config: \{ meta: \{ files: "([^"]+)" \} \}/.exec(line)?.[1];
    if (files !== undefined) sources.push([table, files]);
  }
  expect(sources).toHaveLength(12);
  expect(sources).toEqual(RAW_TABLES.map((t) => [t.table, `${t.folder}/${t.file ?? '*.csv'}`]));
});
