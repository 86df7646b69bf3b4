/**
 * Real `dbt build` (from .venv) on generated raw exports into a temporary DuckDB file. The raw data
 * has re-exported days, a duplicated export file, CAD-only days and renamed campaigns; the marts must
 * still equal the totals the generator recorded as truth, to the cent; the media plan mart holds the final plan
 * (a draft export precedes it) and reads as custom flighting over the horizon after the data.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { parseCsv } from '../../src/data/csv.ts';
import { addDays } from '../../src/data/dates.ts';
import { generateDemoData } from '../../src/demo-data/generate.ts';
import { toCents } from '../../src/demo-data/money.ts';
import { demoTruthSchema, type DemoTruth } from '../../src/demo-data/truth.ts';
import { DbtRunError, type DbtRunResult, runDbt } from '../../src/warehouse/dbt-runner.ts';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.ts';
import { extractSpecFromConfig, panelFromMarts, readMarts } from '../../src/warehouse/extract.ts';
import { withMartExperiments } from '../../src/warehouse/extract-experiments.ts';
import { REPO_ROOT } from '../support/reference-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-dbt-'));
let truth: DemoTruth;
let rawDir: string;
let build: DbtRunResult;
let warehouse: DuckDbWarehouse;

const csvRows = (file: string) => {
  const table = parseCsv(readFileSync(file, 'utf8'), file);
  return table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r.cells[i]])));
};

beforeAll(async () => {
  const data = generateDemoData({ outDir: join(dir, 'demo') });
  rawDir = data.rawDir;
  truth = demoTruthSchema.parse(JSON.parse(readFileSync(data.truthPath, 'utf8')));
  build = await runDbt({
    args: ['build'],
    warehouse: { engine: 'duckdb', path: join(dir, 'warehouse.duckdb'), schema: 'main' },
    rawDir,
    workDir: join(dir, 'dbt'),
  });
  warehouse = await DuckDbWarehouse.open({ engine: 'duckdb', path: join(dir, 'warehouse.duckdb'), schema: 'main' });
}, 240_000);

afterAll(async () => {
  await warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dbt build on the demo raw exports', { timeout: 240_000 }, () => {
  test('passes every model, seed and data test', () => {
    console.log(`dbt build: ${JSON.stringify(build.counts)}`);
    expect(build.counts.error ?? 0).toBe(0);
    expect(build.counts.fail ?? 0).toBe(0);
    expect(build.counts.warn ?? 0).toBe(0);
    expect(build.counts.pass).toBeGreaterThanOrEqual(100);
    expect(build.counts.success).toBeGreaterThanOrEqual(25);
  });

  test('the raw data holds a duplicated export, CAD-only days and a renamed campaign', () => {
    const [duplicate] = truth.rawDataEvents.duplicatedFiles;
    const original = duplicate.replace('_retry.csv', '.csv');
    expect(readFileSync(join(rawDir, duplicate), 'utf8')).toBe(readFileSync(join(rawDir, original), 'utf8'));
    expect(csvRows(join(rawDir, duplicate)).length).toBeGreaterThan(0);

    const day = truth.rawDataEvents.cadOnlyDays[0];
    const metaRows = readdirSync(join(rawDir, 'meta_ads'))
      .flatMap((f) => csvRows(join(rawDir, 'meta_ads', f)))
      .filter((r) => r.date_start === day);
    expect(metaRows.length).toBeGreaterThan(0);
    expect(new Set(metaRows.map((r) => r.account_currency))).toEqual(new Set(['CAD']));

    const rename = truth.rawDataEvents.renamedCampaigns.find((r) => r.source === 'google_ads');
    const googleRows = readdirSync(join(rawDir, 'google_ads'))
      .flatMap((f) => csvRows(join(rawDir, 'google_ads', f)))
      .filter((r) => r.campaign_id === rename?.campaignId);
    expect(new Set(googleRows.map((r) => r.campaign_name))).toEqual(new Set([rename?.from, rename?.to]));
    // The same day arrives under the old name in one export and the new name in the next.
    const namesByDay = new Map<string, Set<string>>();
    for (const r of googleRows) namesByDay.set(r.segments_date, (namesByDay.get(r.segments_date) ?? new Set()).add(r.campaign_name));
    expect([...namesByDay.values()].some((names) => names.size === 2)).toBe(true);
  });

  test('mart spend equals the truth to the cent in every geo, week and channel', async () => {
    const rows = await warehouse.db.selectFrom('mmm_input_media').select(['geo', 'week_start', 'channel', 'spend']).execute();
    const mart = new Map(rows.map((r) => [`${r.geo}|${r.week_start}|${r.channel}`, toCents(r.spend ?? Number.NaN)]));
    expect(mart.size).toBe(truth.weekly.length * truth.channels.length);
    const mismatches = truth.weekly.flatMap((w) =>
      Object.entries(w.spend)
        .filter(([channel, usd]) => mart.get(`${w.geo}|${w.weekStart}|${channel}`) !== toCents(usd))
        .map(([channel]) => `${w.geo} ${w.weekStart} ${channel}`),
    );
    expect(mismatches).toEqual([]);
    const totals = Object.fromEntries(
      truth.channels.map((c) => [
        c.channel,
        {
          truth: toCents(c.totalSpend) / 100,
          mart: rows.filter((r) => r.channel === c.channel).reduce((sum, r) => sum + toCents(r.spend ?? 0), 0) / 100,
        },
      ]),
    );
    console.log(`spend totals (USD): ${JSON.stringify(totals)}`);
    for (const { truth: expected, mart: actual } of Object.values(totals)) expect(actual).toBe(expected);
  });

  test('mart revenue equals the truth to the cent in every geo and week; controls and media units match', async () => {
    const kpi = await warehouse.db.selectFrom('mmm_input_kpi').selectAll().where('kpi', '=', 'revenue').execute();
    const revenue = new Map(kpi.map((r) => [`${r.geo}|${r.week_start}`, toCents(r.value ?? Number.NaN)]));
    expect(truth.weekly.filter((w) => revenue.get(`${w.geo}|${w.weekStart}`) !== toCents(w.revenue))).toEqual([]);
    expect(kpi.every((r) => r.is_complete === true && r.days_reported === 7)).toBe(true);
    const totalTruth = truth.weekly.reduce((sum, w) => sum + toCents(w.revenue), 0);
    const totalMart = kpi.reduce((sum, r) => sum + toCents(r.value ?? 0), 0);
    console.log(`revenue total (USD): truth ${totalTruth / 100}, mart ${totalMart / 100}`);
    expect(totalMart).toBe(totalTruth);

    const controls = await warehouse.db.selectFrom('mmm_input_controls').selectAll().execute();
    const control = new Map(controls.map((r) => [`${r.geo}|${r.week_start}|${r.control}`, r.value ?? Number.NaN]));
    for (const w of truth.weekly) {
      for (const [name, value] of Object.entries(w.controls)) expect(control.get(`${w.geo}|${w.weekStart}|${name}`)).toBeCloseTo(value, 9);
    }
    const media = await warehouse.db.selectFrom('mmm_input_media').select(['geo', 'week_start', 'channel', 'media_units']).execute();
    const units = new Map(media.map((r) => [`${r.geo}|${r.week_start}|${r.channel}`, r.media_units ?? Number.NaN]));
    for (const w of truth.weekly) {
      for (const [channel, value] of Object.entries(w.mediaUnits))
        expect(units.get(`${w.geo}|${w.weekStart}|${channel}`)).toBeCloseTo(value, 6);
    }
  });

  test('mmm_input_plan_spend is built and tested, equals the final media plan (not the draft) to the cent, and reads as custom flighting', async () => {
    const planNodes = build.results.filter((r) => r.uniqueId.includes('mmm_input_plan_spend'));
    console.log(
      `mmm_input_plan_spend nodes: ${planNodes.map((r) => `${r.uniqueId.split('.').slice(2).join('.')} ${r.status}`).join(', ')}`,
    );
    expect(planNodes.find((r) => r.uniqueId === 'model.mmm.mmm_input_plan_spend')?.status).toBe('success');
    const tests = planNodes.filter((r) => r.uniqueId.startsWith('test.'));
    expect(tests.map((r) => r.uniqueId.split('.')[2].split('_mmm_input_plan_spend')[0]).sort()).toEqual([
      'accepted_values',
      'complete_panel',
      'non_negative',
      'non_negative',
      'not_null',
      'not_null',
      'not_null',
      'not_null',
      'not_null',
      'unique_combination_of_columns',
    ]);
    expect(tests.every((r) => r.status === 'pass')).toBe(true);

    const rows = await warehouse.db.selectFrom('mmm_input_plan_spend').selectAll().execute();
    const mart = new Map(rows.map((r) => [`${r.geo}|${r.week_start}|${r.channel}`, r]));
    expect(mart.size).toBe(truth.plan.length * truth.channels.length);
    const mismatches = truth.plan.flatMap((w) =>
      Object.entries(w.spend)
        .filter(([channel, usd]) => {
          const row = mart.get(`${w.geo}|${w.weekStart}|${channel}`);
          return (
            toCents(row?.spend ?? Number.NaN) !== toCents(usd) || Math.abs((row?.media_units ?? Number.NaN) - w.mediaUnits[channel]) > 1e-6
          );
        })
        .map(([channel]) => `${w.geo} ${w.weekStart} ${channel}`),
    );
    expect(mismatches).toEqual([]);

    const config = loadConfig(join(REPO_ROOT, 'examples', 'demo.json'));
    const weeks = [...new Set(truth.plan.map((w) => w.weekStart))].sort();
    expect(weeks[0]).toBe(
      addDays(
        truth.weekly
          .map((w) => w.weekStart)
          .sort()
          .at(-1) ?? '',
        7,
      ),
    );
    const plan = await warehouse.readPlanSpend(config, weeks, ['tv', 'search']);
    for (const channel of ['tv', 'search']) {
      const national = weeks.map((week) =>
        truth.plan.filter((w) => w.weekStart === week).reduce((sum, w) => sum + toCents(w.spend[channel]), 0),
      );
      expect([...(plan.spend.get(channel) ?? [])].map(toCents)).toEqual(national);
    }
  });

  test('extract turns the dbt marts into the panel of the truth', async () => {
    const channels = truth.channels.map((c) => c.channel);
    const panel = await warehouse.extract({
      channels: channels.map((name) => ({ name, media: false })),
      kpi: 'revenue',
      kpiType: 'revenue',
      controls: ['promo', 'holiday', 'macro'],
      geoLevel: 'geo',
      maxLag: 8,
    });
    expect(panel.geos).toEqual(['CA', 'US']);
    expect(panel.dates).toHaveLength(truth.weeks);
    const T = panel.dates.length;
    const C = channels.length;
    for (const w of truth.weekly) {
      const g = panel.geos.indexOf(w.geo);
      const t = panel.dates.indexOf(w.weekStart);
      channels.forEach((channel, c) => expect(toCents(panel.spend[(g * T + t) * C + c])).toBe(toCents(w.spend[channel])));
      expect(toCents(panel.kpi[g * T + t])).toBe(toCents(w.revenue));
    }
    expect(Array.from(panel.population)).toEqual([40_100_000, 334_900_000]);
  });

  test("the experiments mart holds the demo's lift tests, which pass the checks against the national panel", async () => {
    const rows = await readMarts(warehouse.db);
    expect(rows.experiments.map((r) => r.experiment_id).sort()).toEqual(truth.liftTests.map((t) => t.experimentId).sort());
    for (const test of truth.liftTests) {
      expect(rows.experiments.find((r) => r.experiment_id === test.experimentId)).toEqual({
        experiment_id: test.experimentId,
        channel: test.channel,
        geo: null,
        start_date: test.startDate,
        end_date: test.endDate,
        incremental_outcome: test.incrementalOutcome,
        standard_error: test.standardError,
        spend: test.spend,
        counterfactual_spend: 0,
        outcome_type: 'revenue',
      });
    }
    const config = loadConfig(join(REPO_ROOT, 'examples', 'demo.json'));
    const panel = panelFromMarts(rows, extractSpecFromConfig(config));
    const calibrated = withMartExperiments(config, panel, rows.experiments);
    expect(calibrated.experiments.map((e) => e.channel).sort()).toEqual(['social', 'tv']);
  });
});

describe('dbt build on broken raw exports', { timeout: 240_000 }, () => {
  test('an unknown campaign type fails the build naming the test; a missing sales day is flagged as a KPI gap', async () => {
    const broken = join(dir, 'broken');
    cpSync(rawDir, broken, { recursive: true });
    const googleFile = join(broken, 'google_ads', readdirSync(join(broken, 'google_ads')).sort()[3]);
    appendFileSync(googleFile, '2022-01-20,123-456-7890,USD,1999,US | Discovery | Test,DISCOVERY,2840,1230000,100,2\n');
    const salesFile = join(broken, 'commerce', readdirSync(join(broken, 'commerce')).sort()[0]);
    const gapDay = '2022-01-12';
    writeFileSync(
      salesFile,
      readFileSync(salesFile, 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith(`${gapDay},us-store`))
        .join('\n'),
    );

    const path = join(dir, 'broken.duckdb');
    const error = await runDbt({
      args: ['build'],
      warehouse: { engine: 'duckdb', path, schema: 'main' },
      rawDir: broken,
      workDir: join(dir, 'dbt-broken'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbtRunError);
    expect((error as Error).message).toMatch(/test\.mmm\.not_null_int_ad_spend_usd_channel[\w.]*: fail/);
    expect((error as DbtRunError).failed.map((r) => r.uniqueId).every((id) => id.includes('int_ad_spend_usd') || id.includes('stg_'))).toBe(
      true,
    );

    const brokenWarehouse = await DuckDbWarehouse.open({ engine: 'duckdb', path, schema: 'main' });
    try {
      const gap = await brokenWarehouse.db
        .selectFrom('mmm_input_kpi')
        .selectAll()
        .where('geo', '=', 'US')
        .where('week_start', '=', '2022-01-10')
        .where('kpi', '=', 'revenue')
        .executeTakeFirstOrThrow();
      expect(gap.days_reported).toBe(6);
      expect(gap.is_complete).toBe(false);
    } finally {
      await brokenWarehouse.close();
    }
  });
});
