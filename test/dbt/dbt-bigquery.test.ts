/**
 * The same dbt project on its BigQuery target, against a local bqemulator: the raw exports are loaded
 * as BigQuery tables, `dbt build` runs with dbt-bigquery, and the marts read through the BigQuery
 * warehouse (the media plan's included) equal the generator's truth to the cent, as on DuckDB.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateDemoData } from '../../src/demo-data/generate.ts';
import { toCents } from '../../src/demo-data/money.ts';
import { demoTruthSchema, type DemoTruth } from '../../src/demo-data/truth.ts';
import { loadRawExports, RAW_TABLES } from '../../src/warehouse/bigquery/load-raw-exports.ts';
import { type DbtRunResult, runDbt } from '../../src/warehouse/dbt-runner.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { EMULATOR_START_BOUND_MS, emulatorWarehouse, type RunningEmulator, startBqEmulator } from '../warehouse/support/bqemulator.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-dbt-bq-'));
let emulator: RunningEmulator;
let warehouse: Warehouse;
let truth: DemoTruth;
let build: DbtRunResult;
let loaded: { table: string; rows: number }[];

beforeAll(async () => {
  emulator = await startBqEmulator();
  const config = emulatorWarehouse(emulator, 'mmm');
  const data = generateDemoData({ outDir: join(dir, 'demo'), weeks: 30 });
  truth = demoTruthSchema.parse(JSON.parse(readFileSync(data.truthPath, 'utf8')));
  const client = new BigQuery({ projectId: emulator.projectId, apiEndpoint: emulator.endpoint, authClient: new PassThroughClient() });
  loaded = await loadRawExports(client, data.rawDir, 'mmm_raw', 'US');
  build = await runDbt({ args: ['build'], warehouse: config, rawDir: data.rawDir, rawDataset: 'mmm_raw', workDir: join(dir, 'dbt') });
  warehouse = await openWarehouse(config);
}, EMULATOR_START_BOUND_MS + 240_000);

afterAll(async () => {
  await warehouse?.close();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('dbt build on the bigquery target (bqemulator)', { timeout: 120_000 }, () => {
  test('loads every raw table and passes every model, seed and data test', () => {
    expect(loaded.map((l) => l.table)).toEqual(RAW_TABLES.map((t) => t.table));
    expect(loaded.every((l) => l.rows > 0)).toBe(true);
    console.log(`dbt build (bigquery): ${JSON.stringify(build.counts)}`);
    expect(build.counts.error ?? 0).toBe(0);
    expect(build.counts.fail ?? 0).toBe(0);
    expect(build.counts.pass).toBeGreaterThanOrEqual(100);
  });

  test('mart spend and revenue equal the truth to the cent', async () => {
    const media = await warehouse.db.selectFrom('mmm_input_media').select(['geo', 'week_start', 'channel', 'spend']).execute();
    const spend = new Map(media.map((r) => [`${r.geo}|${r.week_start}|${r.channel}`, toCents(r.spend ?? Number.NaN)]));
    expect(spend.size).toBe(truth.weekly.length * truth.channels.length);
    expect(
      truth.weekly.flatMap((w) => Object.entries(w.spend).filter(([c, usd]) => spend.get(`${w.geo}|${w.weekStart}|${c}`) !== toCents(usd))),
    ).toEqual([]);
    const kpi = await warehouse.db
      .selectFrom('mmm_input_kpi')
      .select(['geo', 'week_start', 'value'])
      .where('kpi', '=', 'revenue')
      .execute();
    const revenue = new Map(kpi.map((r) => [`${r.geo}|${r.week_start}`, toCents(r.value ?? Number.NaN)]));
    expect(truth.weekly.filter((w) => revenue.get(`${w.geo}|${w.weekStart}`) !== toCents(w.revenue))).toEqual([]);
  });

  test('the media plan mart holds the final plan to the cent', async () => {
    const plan = await warehouse.db.selectFrom('mmm_input_plan_spend').select(['geo', 'week_start', 'channel', 'spend']).execute();
    const spend = new Map(plan.map((r) => [`${r.geo}|${r.week_start}|${r.channel}`, toCents(r.spend ?? Number.NaN)]));
    expect(spend.size).toBe(truth.plan.length * truth.channels.length);
    expect(
      truth.plan.flatMap((w) => Object.entries(w.spend).filter(([c, usd]) => spend.get(`${w.geo}|${w.weekStart}|${c}`) !== toCents(usd))),
    ).toEqual([]);
  });
});
