/**
 * The repository tests of the warehouse, written once and run against DuckDB and against BigQuery
 * (a local bqemulator): migration and table contract, extract, publish, idempotent re-publish,
 * promotion, and a publish that fails half-way.
 */
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { DataValidationError } from '../../src/data/errors.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { panelFromMarts, readMarts, type ExtractSpec } from '../../src/warehouse/extract.ts';
import { withMartExperiments } from '../../src/warehouse/extract-experiments.ts';
import { RowsRefusedError } from '../../src/warehouse/run-results.ts';
import { columnsOf, CURRENT_VIEWS, OUTPUT_TABLES, PLAN_TABLE_NAMES, RUN_TABLE_NAMES, type RunTable } from '../../src/warehouse/tables.ts';
import { PromotionError, PublishError } from '../../src/warehouse/warehouse.ts';
import { ENGINE_HARNESSES, suiteHarness } from './support/harness.ts';
import { cleanMarts, MART_CHANNELS, MART_GEOS, MART_WEEKS, martRevenue, martSpend, writeMarts } from './support/marts.ts';
import { makePlanRows } from './support/plan-rows.ts';
import { makeRunResults } from './support/run-results.ts';

const SPEC: ExtractSpec = {
  channels: [
    { name: 'search', media: false },
    { name: 'tv', media: true },
  ],
  kpi: 'revenue',
  kpiType: 'revenue',
  controls: ['promo'],
  geoLevel: 'geo',
  maxLag: 4,
};

/** The geo model SPEC extracts for. */
const MART_CONFIG = parseConfig(
  {
    data: {
      date: 'week_start',
      geo: 'geo',
      population: 'population',
      kpi: 'revenue',
      channels: [
        { name: 'search', spend: 'search' },
        { name: 'tv', spend: 'tv', media: 'tv_grps' },
      ],
      controls: ['promo'],
    },
    model: { maxLag: 4 },
  },
  'warehouse-test-config',
);

const expectedCounts = (runId: string): Record<RunTable, number> => {
  const results = makeRunResults(runId, 'm');
  return Object.fromEntries(RUN_TABLE_NAMES.map((t) => [t, results[t].length])) as Record<RunTable, number>;
};

describe.each(ENGINE_HARNESSES)('warehouse on $engine', { timeout: 60_000 }, ({ start }) => {
  const h = suiteHarness(start);

  test('migrate creates every contract table and view with the contract columns, and is a no-op the second time', async () => {
    const tables = new Map((await h.warehouse.db.introspection.getTables()).map((t) => [t.name, t]));
    for (const table of Object.keys(OUTPUT_TABLES) as (keyof typeof OUTPUT_TABLES)[]) {
      expect(
        tables.get(table)?.columns.map((c) => c.name),
        table,
      ).toEqual(columnsOf(table));
    }
    for (const [view, table] of Object.entries(CURRENT_VIEWS)) {
      const expected = table === 'mmm_runs' ? columnsOf(table) : ['model_id', ...columnsOf(table)];
      expect(
        tables.get(view)?.columns.map((c) => c.name),
        view,
      ).toEqual(expected);
      expect(tables.get(view)?.isView, view).toBe(true);
    }
    const again = await h.warehouse.migrate();
    expect(again.applied).toEqual([]);
    expect(again.upToDate).toEqual([
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
  });

  test('checkWritable passes on the migrated warehouse and fails where the output tables are missing', async () => {
    await h.warehouse.checkWritable();
    await h.parkTable('mmm_runs');
    try {
      await expect(h.warehouse.checkWritable()).rejects.toThrow(/mmm_runs/);
    } finally {
      await h.restoreTable('mmm_runs');
    }
  });

  describe('extract', () => {
    test('pivots the long-form marts into the panel, cell by cell', async () => {
      await writeMarts(h.warehouse, h.schema, cleanMarts());
      const panel = await h.warehouse.extract(SPEC);
      expect(panel.geos).toEqual(['CA', 'US']);
      expect(panel.dates).toHaveLength(MART_WEEKS);
      expect(panel.dates[0]).toBe('2023-01-02');
      expect(panel.channels).toEqual(['search', 'tv']);
      const g = 1; // US, the second geo in key order
      const us = MART_GEOS.indexOf('US');
      const T = MART_WEEKS;
      const C = MART_CHANNELS.length;
      expect(panel.spend[(g * T + 5) * C + 1]).toBeCloseTo(martSpend(us, 5, 1), 9);
      expect(panel.media[(g * T + 5) * C + 0]).toBeCloseTo(martSpend(us, 5, 0), 9);
      expect(panel.media[(g * T + 5) * C + 1]).toBe(50 + 5 + us);
      expect(panel.kpi[g * T + 7]).toBeCloseTo(martRevenue(us, 7), 9);
      expect(Array.from(panel.population)).toEqual([40, 300]);
      expect(panel.controls[g * T + 5]).toBe((5 + us) % 5 === 0 ? 1 : 0);
    });

    test('reads the experiments mart; its tests are checked against the panel, a bad one refused with its row named', async () => {
      const marts = cleanMarts();
      const us = MART_GEOS.indexOf('US');
      const spend = [5, 6, 7, 8].reduce((sum, t) => sum + martSpend(us, t, 1), 0);
      const test = {
        experiment_id: 'tv-us',
        channel: 'tv',
        geo: 'US',
        start_date: '2023-02-06',
        end_date: '2023-02-27',
        incremental_outcome: 5000,
        standard_error: 800,
        spend,
        counterfactual_spend: 0,
        outcome_type: 'revenue',
      };
      marts.experiments = [test, { ...test, experiment_id: 'tv-xmars', geo: 'Mars' }];
      await writeMarts(h.warehouse, h.schema, marts);
      const rows = await readMarts(h.warehouse.db);
      expect(rows.experiments.map((r) => ({ ...r, spend: Number(r.spend) }))).toEqual(marts.experiments);
      const panel = panelFromMarts(rows, SPEC);
      expect(() => withMartExperiments(MART_CONFIG, panel, rows.experiments)).toThrow(
        /mmm_input_experiments: 1 problem:\n {2}- column 'geo', row 2: experiment 'tv-xmars': unknown geo 'Mars'/,
      );
      const config = withMartExperiments(MART_CONFIG, panel, rows.experiments.slice(0, 1));
      expect(config.experiments).toEqual([
        {
          id: 'tv-us',
          channel: 'tv',
          geo: 'US',
          start: '2023-02-06',
          end: '2023-02-27',
          incrementalOutcome: 5000,
          standardError: 800,
          spend,
          counterfactualSpend: 0,
          outcomeType: 'revenue',
        },
      ]);
    });

    test('national level sums geos and weights controls by population', async () => {
      await writeMarts(h.warehouse, h.schema, cleanMarts());
      const panel = await h.warehouse.extract({ ...SPEC, geoLevel: 'national' });
      expect(panel.geos).toEqual(['national']);
      expect(panel.spend[3 * 2]).toBeCloseTo(martSpend(0, 3, 0) + martSpend(1, 3, 0), 9);
      expect(panel.kpi[3]).toBeCloseTo(martRevenue(0, 3) + martRevenue(1, 3), 9);
      // Week 0: US (pop 300) promo 1, CA (pop 40) promo 0.
      expect(panel.controls[0]).toBeCloseTo(300 / 340, 12);
    });

    const badCases: { name: string; mutate: (m: ReturnType<typeof cleanMarts>) => void; expected: RegExp[] }[] = [
      {
        name: 'negative spend',
        mutate: (m) => {
          m.media[10] = { ...m.media[10], spend: -5 };
        },
        expected: [/mmm_input_media\.spend/, /negative spend -5/, /geo='US', week_start=2023-02-06, channel='search'/],
      },
      {
        name: 'unknown channel',
        mutate: (m) => {
          m.media.push({ ...m.media[0], channel: 'radio' });
        },
        expected: [/mmm_input_media\.channel/, /unknown channel 'radio'/, /geo='US', week_start=2023-01-02, channel='radio'/],
      },
      {
        name: 'duplicate key',
        mutate: (m) => {
          m.kpi.push({ ...m.kpi[4] });
        },
        expected: [/mmm_input_kpi/, /duplicate key \(geo='US', week_start=2023-01-16, kpi='revenue'\)/],
      },
      {
        name: 'a missing row',
        mutate: (m) => {
          m.media.splice(3, 1);
        },
        expected: [/mmm_input_media\.key/, /missing row for key \(geo='US', week_start=2023-01-09, channel='tv'\)/],
      },
      {
        name: 'NaN',
        mutate: (m) => {
          m.controls[3] = { ...m.controls[3], value: Number.NaN };
        },
        expected: [/mmm_input_controls\.value/, /value is NaN at key \(geo='US', week_start=2023-01-23, control='promo'\)/],
      },
    ];
    test.each(badCases)('rejects $name naming table, key and value', async ({ mutate, expected }) => {
      const marts = cleanMarts();
      mutate(marts);
      await writeMarts(h.warehouse, h.schema, marts);
      const error = await h.warehouse.extract(SPEC).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataValidationError);
      for (const pattern of expected) expect((error as Error).message).toMatch(pattern);
    });

    test('rejects an incomplete KPI week flagged by dbt', async () => {
      const marts = cleanMarts();
      const index = marts.kpi.findIndex((r) => r.geo === 'CA' && r.kpi === 'revenue' && r.week_start === '2023-03-06');
      marts.kpi[index] = { ...marts.kpi[index], days_reported: 6, is_complete: false };
      await writeMarts(h.warehouse, h.schema, marts);
      await expect(h.warehouse.extract(SPEC)).rejects.toThrow(
        /incomplete KPI week at key \(geo='CA', week_start=2023-03-06, kpi='revenue'\): only 6 of 7 days/,
      );
    });
  });

  describe('publish', () => {
    test('publishes and promotes a run: every table written, the run current, views showing it', async () => {
      const report = await h.warehouse.publish(makeRunResults('run-a', 'brand'), { promote: true });
      expect(report.promoted).toBe(true);
      expect(await h.warehouse.countRunRows('run-a')).toEqual(expectedCounts('run-a'));
      expect(await h.warehouse.currentRun('brand')).toBe('run-a');
      const summary = await h.warehouse.db
        .selectFrom('v_current_channel_summary')
        .selectAll()
        .where('model_id', '=', 'brand')
        .orderBy('channel')
        .execute();
      expect(summary.map((r) => [r.run_id, r.channel, r.spend, r.roi_mean])).toEqual([
        ['run-a', 'search', 1000, 2],
        ['run-a', 'social', 2000, 2],
        ['run-a', 'tv', 3000, 2],
      ]);
      const run = await h.warehouse.db.selectFrom('v_current_runs').selectAll().where('model_id', '=', 'brand').executeTakeFirstOrThrow();
      expect(run.run_id).toBe('run-a');
      expect(JSON.parse(run.diagnostics)).toEqual({ maxRhat: 1.004, divergences: 0, verdict: 'pass' });
      expect(run.data_end).toBe('2024-12-23');
      expect(run.created_at).toBe('2024-03-01T10:00:00.000Z');
      expect(run.published_at).not.toBeNull();
      const contribution = await h.warehouse.db
        .selectFrom('mmm_contributions')
        .select(['period_start', 'mean'])
        .where('run_id', '=', 'run-a')
        .where('geo', '=', 'CA')
        .where('component', '=', 'search')
        .where('period_start', '=', '2024-01-15')
        .executeTakeFirstOrThrow();
      expect(contribution).toEqual({ period_start: '2024-01-15', mean: 301 });
    });

    test('re-publishing the same run twice leaves exactly one copy of every row', async () => {
      await h.warehouse.publish(makeRunResults('run-a', 'brand'), { promote: true });
      await h.warehouse.publish(makeRunResults('run-a', 'brand'), { promote: true });
      expect(await h.warehouse.countRunRows('run-a')).toEqual(expectedCounts('run-a'));
      const runs = await h.warehouse.db
        .selectFrom('mmm_runs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', 'run-a')
        .executeTakeFirstOrThrow();
      expect(Number(runs.n)).toBe(1);
      const current = await h.warehouse.db
        .selectFrom('mmm_current')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('model_id', '=', 'brand')
        .executeTakeFirstOrThrow();
      expect(Number(current.n)).toBe(1);
    });

    test("a re-publish replaces the run's rows with the new values", async () => {
      await h.warehouse.publish(makeRunResults('run-r', 'other', { scale: 1 }), { promote: false });
      await h.warehouse.publish(makeRunResults('run-r', 'other', { scale: 3 }), { promote: false });
      const rows = await h.warehouse.db.selectFrom('mmm_channel_summary').select('roi_mean').where('run_id', '=', 'run-r').execute();
      expect(rows.map((r) => r.roi_mean)).toEqual([6, 6, 6]);
    });

    test('promotion: an unpromoted run stays out of the views; promote switches; rejected and unknown runs are refused', async () => {
      await h.warehouse.publish(makeRunResults('run-b', 'brand', { scale: 2 }), { promote: false });
      expect(await h.warehouse.currentRun('brand')).toBe('run-a');
      await h.warehouse.promote('brand', 'run-b');
      expect(await h.warehouse.currentRun('brand')).toBe('run-b');
      const roi = await h.warehouse.db
        .selectFrom('v_current_channel_summary')
        .select(['run_id', 'roi_mean'])
        .where('model_id', '=', 'brand')
        .execute();
      expect(roi.map((r) => [r.run_id, r.roi_mean])).toEqual([
        ['run-b', 4],
        ['run-b', 4],
        ['run-b', 4],
      ]);

      await h.warehouse.publish(makeRunResults('run-rejected', 'brand', { status: 'rejected' }), { promote: false });
      await expect(h.warehouse.promote('brand', 'run-rejected')).rejects.toThrow(PromotionError);
      await expect(h.warehouse.promote('brand', 'run-rejected')).rejects.toThrow(/status is 'rejected'/);
      await expect(h.warehouse.promote('brand', 'no-such-run')).rejects.toThrow(/no such run/);
      await expect(h.warehouse.promote('other-model', 'run-b')).rejects.toThrow(/belongs to model 'brand'/);
      expect(await h.warehouse.currentRun('brand')).toBe('run-b');
    });

    test('a publish failing half-way leaves the current run current and nothing of it visible; a retry writes one copy', async () => {
      const viewCounts = async () =>
        Object.fromEntries(
          await Promise.all(
            Object.keys(CURRENT_VIEWS)
              .filter((v) => v !== 'v_current_recommendations')
              .map(async (view) => {
                const row = await sql<{
                  n: number;
                }>`select count(*) as n from ${sql.table(`${h.schema}.${view}`)} where model_id = ${'brand'}`.execute(h.warehouse.db);
                return [view, Number(row.rows[0].n)];
              }),
          ),
        );
      const before = await viewCounts();
      await h.parkTable('mmm_frontier');
      const error = await h.warehouse.publish(makeRunResults('run-c', 'brand', { scale: 5 }), { promote: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PublishError);
      expect((error as Error).message).toMatch(/run 'run-c' failed while writing mmm_frontier/);
      expect(await h.warehouse.currentRun('brand')).toBe('run-b');
      await h.restoreTable('mmm_frontier');
      expect(await viewCounts()).toEqual(before);
      const roi = await h.warehouse.db.selectFrom('v_current_channel_summary').select('roi_mean').where('model_id', '=', 'brand').execute();
      expect(roi.map((r) => r.roi_mean)).toEqual([4, 4, 4]);
      await expect(h.warehouse.promote('brand', 'run-c')).rejects.toThrow(/published_at is empty|no such run/);

      await h.warehouse.publish(makeRunResults('run-c', 'brand', { scale: 5 }), { promote: true });
      expect(await h.warehouse.countRunRows('run-c')).toEqual(expectedCounts('run-c'));
      expect(await h.warehouse.currentRun('brand')).toBe('run-c');
    });

    test('results that break the contract are refused before anything is written', async () => {
      const results = makeRunResults('run-bad', 'brand');
      results.mmm_frontier.push({ ...results.mmm_frontier[0] });
      results.mmm_channel_summary[1] = { ...results.mmm_channel_summary[1], run_id: 'someone-else' };
      const error = await h.warehouse.publish(results, { promote: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RowsRefusedError);
      expect((error as Error).message).toMatch(/mmm_frontier\.24: duplicate key \(total_spend=5000, rank=1, channel=search\)/);
      expect((error as Error).message).toMatch(/mmm_channel_summary\.1\.run_id: run_id 'someone-else' differs/);
      const runs = await h.warehouse.db.selectFrom('mmm_runs').select('run_id').where('run_id', '=', 'run-bad').execute();
      expect(runs).toEqual([]);
    });

    test('recommendations of a request are replaced, not duplicated, on a retry', async () => {
      const rows = ['search', 'tv'].map((channel, i) => ({
        request_id: 'req-1',
        run_id: 'run-c',
        requested_at: '2024-03-02T08:00:00.000Z',
        constraints: '{"total":5000}',
        rank: 1,
        channel,
        spend: 2500 + i,
        delta_vs_current: 100 - i,
        outcome_mean: 9000,
        outcome_p05: 8000,
        outcome_p95: 10_000,
        p_beats_current: 0.7,
      }));
      await h.warehouse.writeRecommendations(rows);
      await h.warehouse.writeRecommendations(rows);
      const written = await h.warehouse.db
        .selectFrom('v_current_recommendations')
        .select(['channel', 'spend'])
        .where('request_id', '=', 'req-1')
        .orderBy('channel')
        .execute();
      expect(written).toEqual([
        { channel: 'search', spend: 2500 },
        { channel: 'tv', spend: 2501 },
      ]);
    });

    test("a request's evidence rows are written with its recommendations and replaced with them on a retry", async () => {
      const rows = ['search', 'tv'].map((channel, i) => ({
        request_id: 'req-evidence',
        run_id: 'run-c',
        requested_at: '2024-03-02T08:00:00.000Z',
        constraints: '{"total":5000}',
        rank: 1,
        channel,
        spend: 2500 + i,
        delta_vs_current: i === 0 ? 100 : 0,
        outcome_mean: 9000,
        outcome_p05: 8000,
        outcome_p95: 10_000,
        p_beats_current: 0.7,
      }));
      const evidence = (pSearch: number) => [
        {
          request_id: 'req-evidence',
          run_id: 'run-c',
          rank: 1,
          channel: 'search',
          moved: true,
          informed: false,
          evidence_label: 'not informed by the data',
          p_move_helps: pSearch,
        },
        {
          request_id: 'req-evidence',
          run_id: 'run-c',
          rank: 1,
          channel: 'tv',
          moved: false,
          informed: true,
          evidence_label: 'informed by the data',
          p_move_helps: null,
        },
      ];
      await h.warehouse.writeRecommendations(rows, evidence(0.4));
      await h.warehouse.writeRecommendations(rows, evidence(0.65));
      const written = await h.warehouse.db
        .selectFrom('mmm_recommendation_evidence')
        .select(['channel', 'moved', 'informed', 'evidence_label', 'p_move_helps'])
        .where('request_id', '=', 'req-evidence')
        .orderBy('channel')
        .execute();
      expect(written).toEqual([
        { channel: 'search', moved: true, informed: false, evidence_label: 'not informed by the data', p_move_helps: 0.65 },
        { channel: 'tv', moved: false, informed: true, evidence_label: 'informed by the data', p_move_helps: null },
      ]);
      // A retry without evidence leaves none of the earlier attempt's.
      await h.warehouse.writeRecommendations(rows);
      const left = await h.warehouse.db
        .selectFrom('mmm_recommendation_evidence')
        .select('channel')
        .where('request_id', '=', 'req-evidence')
        .execute();
      expect(left).toEqual([]);
      // Evidence that does not match the recommendation rows is refused before anything is written.
      const stray = [...evidence(0.5).slice(0, 1), { ...evidence(0.5)[1], channel: 'radio' }];
      const error = await h.warehouse.writeRecommendations(rows, stray).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RowsRefusedError);
      expect((error as Error).message).toMatch(
        /mmm_recommendation_evidence rows.*\(rank=1, channel=radio\) is not a row of the request's mmm_recommendations/s,
      );
      const kept = await h.warehouse.db
        .selectFrom('mmm_recommendation_evidence')
        .select('channel')
        .where('request_id', '=', 'req-evidence')
        .execute();
      expect(kept).toEqual([]);
    });

    test("a plan's rows are replaced, not duplicated, on a retry; another plan's stay", async () => {
      await h.warehouse.writePlan(makePlanRows('plan-other', 'run-c'));
      await h.warehouse.writePlan(makePlanRows('plan-1', 'run-c'));
      const retry = makePlanRows('plan-1', 'run-c', { scale: 2 });
      await h.warehouse.writePlan(retry);
      for (const table of PLAN_TABLE_NAMES) {
        const rows = await h.warehouse.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('plan_id', '=', 'plan-1')
          .executeTakeFirstOrThrow();
        expect(Number(rows.n), table).toBe(retry[table].length);
      }
      const plan = await h.warehouse.db
        .selectFrom('mmm_plan_scenarios')
        .select(['outcome_mean', 'p_beats_reference', 'count_carryover', 'horizon_start'])
        .where('plan_id', '=', 'plan-1')
        .where('scenario', '=', 'plan')
        .execute();
      expect(plan).toEqual([{ outcome_mean: 40_000, p_beats_reference: 0.7, count_carryover: false, horizon_start: '2025-01-06' }]);
      const other = await h.warehouse.db.selectFrom('mmm_plan_weekly').select('plan_id').where('plan_id', '=', 'plan-other').execute();
      expect(other).toHaveLength(makePlanRows('plan-other', 'run-c').mmm_plan_weekly.length);
    });

    test('plan rows of two plans, or with a key twice, are refused before anything is written', async () => {
      const rows = makePlanRows('plan-bad', 'run-c');
      rows.mmm_plan_weekly.push({ ...rows.mmm_plan_weekly[0] });
      rows.mmm_plan_allocations[1] = { ...rows.mmm_plan_allocations[1], plan_id: 'plan-else' };
      const error = await h.warehouse.writePlan(rows).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RowsRefusedError);
      expect((error as Error).message).toMatch(/mmm_plan_weekly\.8: duplicate key \(plan_id=plan-bad, week=2025-01-06, channel=search\)/);
      expect((error as Error).message).toMatch(/mmm_plan_allocations\.1\.plan_id: plan_id 'plan-else' differs from the plan's 'plan-bad'/);
      const written = await h.warehouse.db.selectFrom('mmm_plan_scenarios').select('plan_id').where('plan_id', '=', 'plan-bad').execute();
      expect(written).toEqual([]);
    });
  });
});
