/**
 * The BI views (sql/<engine>/V003__bi_views.sql): their columns against the contract and docs/bi.md on
 * both engines, their logic on a small hand-made history of runs (DuckDB and BigQuery alike), and every
 * view over a warehouse filled by a real `mmm demo` run, checked against its summary.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RESPONSE_MULTIPLIERS } from '../../src/analysis/analyze-fit.ts';
import { BI_VIEW_NAMES, BI_VIEWS, biViewColumns, type BiView, type BiViewRows } from '../../src/warehouse/bi-views.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import type { RecommendationRow } from '../../src/warehouse/tables.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { DEMO_TIMEOUT_MS, type DemoWarehouse, populateDemoWarehouse } from '../support/demo-warehouse.ts';
import { REPO_ROOT } from '../support/reference-data.ts';
import { ENGINE_HARNESSES, suiteHarness } from './support/harness.ts';
import { makePlanRows, PLAN_CHANNELS, PLAN_SPEND, PLAN_WEEKS, REFERENCE_SPEND } from './support/plan-rows.ts';
import { makeGeoRecommendation, makeRunResults } from './support/run-results.ts';

/** Every row of a view, validated against the view's row schema. */
async function viewRows<V extends BiView>(warehouse: Warehouse, schema: string, view: V): Promise<BiViewRows[V][]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(`${schema}.${view}`)}`.execute(warehouse.db);
  return rows.map((row) => BI_VIEWS[view].parse(row) as BiViewRows[V]);
}

/** docs/bi.md: '### v_bi_name' headings, each followed by a table whose first column is the column name. */
function documentedColumns(): Map<string, string[]> {
  const documented = new Map<string, string[]>();
  let view: string | null = null;
  for (const line of readFileSync(join(REPO_ROOT, 'docs/bi.md'), 'utf8').split('\n')) {
    const heading = /^### `?(v_bi_\w+)`?/.exec(line);
    if (heading !== null) {
      view = heading[1];
      documented.set(view, []);
      continue;
    }
    const cell = /^\| `(\w+)` \|/.exec(line);
    if (view !== null && cell !== null) documented.get(view)?.push(cell[1]);
  }
  return documented;
}

test('docs/bi.md documents every BI view and column, in view order', () => {
  const documented = documentedColumns();
  expect([...documented.keys()]).toEqual(BI_VIEW_NAMES);
  for (const view of BI_VIEW_NAMES) expect(documented.get(view), view).toEqual(biViewColumns(view));
});

const recommendation = (
  requestId: string,
  runId: string,
  requestedAt: string,
  channel: string,
  spend: number,
  delta: number,
): RecommendationRow => ({
  request_id: requestId,
  run_id: runId,
  requested_at: requestedAt,
  constraints: '{"budget":6000}',
  rank: 1,
  channel,
  spend,
  delta_vs_current: delta,
  outcome_mean: 13_000,
  outcome_p05: 12_000,
  outcome_p95: 14_000,
  p_beats_current: 0.8,
});

const evidenceKey = (channel: string) => ({ request_id: 'req-late', run_id: 'run-new', rank: 1, channel });

const geoRecommendation = (...row: [string, string, string, string, number, number]) => makeGeoRecommendation('run-new', ...row);

describe.each(ENGINE_HARNESSES)('BI views on $engine', { timeout: 60_000 }, ({ start }) => {
  const h = suiteHarness(start, 120_000);

  beforeAll(async () => {
    // Model 'brand': run-old, then run-new promoted over it; an unpublished attempt must stay invisible.
    await h.warehouse.publish(makeRunResults('run-old', 'brand'), { promote: true });
    await h.warehouse.publish(makeRunResults('run-new', 'brand', { scale: 2 }), { promote: true });
    await h.warehouse.writeRecommendations(
      ['search', 'tv'].map((c, i) => recommendation('req-early', 'run-new', '2024-03-02T08:00:00.000Z', c, 1000, i)),
    );
    await h.warehouse.writeRecommendations(
      [
        recommendation('req-late', 'run-new', '2024-03-03T08:00:00.000Z', 'search', 1500, 500),
        recommendation('req-late', 'run-new', '2024-03-03T08:00:00.000Z', 'tv', 2500, -500),
      ],
      [
        { ...evidenceKey('search'), moved: true, informed: true, evidence_label: 'informed by the data', p_move_helps: 0.9 },
        { ...evidenceKey('tv'), moved: true, informed: false, evidence_label: 'not informed by the data', p_move_helps: 0.3 },
      ],
    );
    await h.warehouse.writePlan(makePlanRows('plan-early', 'run-new', { requestedAt: '2025-01-02T09:00:00.000Z' }));
    await h.warehouse.writePlan(makePlanRows('plan-late', 'run-new', { requestedAt: '2025-01-03T09:00:00.000Z', scale: 2 }));
    await h.warehouse.writePlan(makePlanRows('plan-old-run', 'run-old'));
    await h.warehouse.writeGeoRecommendations([geoRecommendation('geo-early', '2024-03-02T08:00:00.000Z', 'US', 'tv', 1000, 0)]);
    await h.warehouse.writeGeoRecommendations([
      geoRecommendation('geo-late', '2024-03-03T08:00:00.000Z', 'US', 'tv', 1200, -300),
      geoRecommendation('geo-late', '2024-03-03T08:00:00.000Z', 'CA', 'tv', 3300, 300),
    ]);
  }, 120_000);

  test('every view has the contract columns', async () => {
    const tables = new Map((await h.warehouse.db.introspection.getTables()).map((t) => [t.name, t]));
    for (const view of BI_VIEW_NAMES) {
      expect(
        tables.get(view)?.columns.map((c) => c.name),
        view,
      ).toEqual(biViewColumns(view));
      expect(tables.get(view)?.isView, view).toBe(true);
    }
  });

  test('runs: every published run, the promoted one current, with its data window in weeks', async () => {
    const runs = (await viewRows(h.warehouse, h.schema, 'v_bi_runs')).sort((a, b) => a.run_id.localeCompare(b.run_id));
    expect(runs.map((r) => [r.run_id, r.is_current, r.promoted_at === null])).toEqual([
      ['run-new', true, false],
      ['run-old', false, true],
    ]);
    // 2022-01-03 .. 2024-12-23 are week starts 155 weeks apart.
    expect(runs[0].data_weeks).toBe(156);
  });

  test('current run: one row per model with ratio-of-sums totals', async () => {
    const [run] = await viewRows(h.warehouse, h.schema, 'v_bi_current_run');
    expect(run.run_id).toBe('run-new');
    expect(run.channels).toBe(3);
    expect(run.total_spend).toBe(6000);
    // scale 2: incremental outcome 4000, 8000, 12000 on spend 1000, 2000, 3000.
    expect(run.media_incremental_outcome_mean).toBe(24_000);
    expect(run.media_roi_mean).toBeCloseTo(4, 12);
    expect(run.media_contribution_share_mean).toBeCloseTo(0.6, 12);
  });

  test('channel summary: spend share and ROI rank per run', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_channel_summary')).filter((r) => r.is_current);
    const byChannel = new Map(rows.map((r) => [r.channel, r]));
    expect(byChannel.get('tv')?.spend_share).toBeCloseTo(0.5, 12);
    // Equal ROI everywhere: ties are ranked by channel name.
    expect(rows.sort((a, b) => a.roi_rank - b.roi_rank).map((r) => r.channel)).toEqual(['search', 'social', 'tv']);
  });

  test('contributions: component types, and no all-geos row for a model whose geos are listed separately', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_contributions')).filter((r) => r.is_current);
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((r) => `${r.component}:${r.component_type}`))).toEqual(
      new Set(['baseline:baseline', 'search:media', 'social:media']),
    );
    expect(rows.every((r) => !r.is_all_geos)).toBe(true);
  });

  test('response curves: average ROI and the current-spend point', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_response_curves')).filter((r) => r.is_current && r.channel === 'tv');
    const atCurrent = rows.filter((r) => r.is_current_spend);
    expect(atCurrent.map((r) => r.spend_multiplier)).toEqual([1]);
    expect(atCurrent[0].roi_mean).toBeCloseTo(6000 / 3000, 12);
    expect(rows.find((r) => r.spend_multiplier === 0)?.roi_mean).toBeNull();
  });

  test('frontier: optimal plans, alternatives, the current mix and the latest recommendation', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_frontier')).filter((r) => r.is_current);
    const count = (type: string) => rows.filter((r) => r.plan_type === type).length;
    expect([count('optimal'), count('alternative'), count('current_mix'), count('recommended')]).toEqual([4, 4, 1, 1]);
    const recommended = rows.find((r) => r.plan_type === 'recommended');
    expect(recommended?.total_spend).toBe(4000);
    expect(recommended?.p_beats_current).toBe(0.8);
    // This surface has no current mix at budget level 1, so no plan is marked current and levels are unknown.
    expect(rows.some((r) => r.is_current_plan === true)).toBe(false);
    expect(rows.every((r) => r.budget_level === null)).toBe(true);
    const optimal = rows.filter((r) => r.plan_type === 'optimal').sort((a, b) => a.total_spend - b.total_spend);
    expect(optimal.map((r) => [r.total_spend, r.outcome_mean])).toEqual([
      [5000, 17_000],
      [6000, 20_400],
      [7000, 23_800],
      [8000, 27_200],
    ]);
  });

  test('plan scenarios: every plan of a published run, the latest flagged, ROI of paid media', async () => {
    const rows = await viewRows(h.warehouse, h.schema, 'v_bi_plan_scenarios');
    const key = (r: { run_id: string; plan_id: string; scenario: string }) => `${r.run_id}/${r.plan_id}/${r.scenario}`;
    expect(rows.map(key).sort()).toEqual([
      'run-new/plan-early/plan',
      'run-new/plan-early/reference',
      'run-new/plan-late/plan',
      'run-new/plan-late/reference',
      'run-old/plan-old-run/plan',
      'run-old/plan-old-run/reference',
    ]);
    const latest = rows.filter((r) => r.is_latest_plan);
    expect(new Set(latest.map((r) => r.plan_id))).toEqual(new Set(['plan-late', 'plan-old-run']));
    const plan = rows.find((r) => r.plan_id === 'plan-late' && r.scenario === 'plan');
    expect(plan?.is_current).toBe(true);
    expect(plan?.model_id).toBe('brand');
    expect(plan?.roi).toBeCloseTo(16_000 / 4000, 12);
    expect(rows.find((r) => r.plan_id === 'plan-late' && r.scenario === 'reference')?.p_beats_reference).toBeNull();
  });

  test('plan allocations: spend against the reference plan per channel and scenario', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_plan_allocations')).filter((r) => r.plan_id === 'plan-late');
    expect(rows).toHaveLength(2 * PLAN_CHANNELS.length);
    const plan = rows.filter((r) => r.scenario === 'plan').sort((a, b) => a.channel.localeCompare(b.channel));
    expect(plan.map((r) => [r.channel, r.spend, r.delta_vs_reference])).toEqual(
      PLAN_CHANNELS.map((channel, c) => [channel, PLAN_SPEND[c], PLAN_SPEND[c] - REFERENCE_SPEND[c]]),
    );
    // scale 2: each channel's contribution is 4 x its spend.
    for (const r of rows) expect(r.roi).toBeCloseTo(4, 12);
  });

  test('plan weekly: channels, baseline and total per week, the predictive band on the total only', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_plan_weekly')).filter((r) => r.plan_id === 'plan-late');
    expect(rows).toHaveLength(PLAN_WEEKS.length * (PLAN_CHANNELS.length + 2));
    for (const week of PLAN_WEEKS) {
      const inWeek = rows.filter((r) => r.week === week);
      const total = inWeek.find((r) => r.series_type === 'total');
      const parts = inWeek.filter((r) => r.series_type !== 'total').reduce((s, r) => s + r.outcome_mean, 0);
      expect(total?.outcome_mean).toBeCloseTo(parts, 9);
      expect(total?.predictive_p05).not.toBeNull();
      expect(inWeek.filter((r) => r.series_type !== 'total').every((r) => r.predictive_p05 === null)).toBe(true);
      expect(inWeek.every((r) => !r.is_carryover_week)).toBe(true);
    }
    expect(new Set(rows.map((r) => `${r.channel}:${r.series_type}`))).toEqual(
      new Set(['search:channel', 'tv:channel', 'baseline:baseline', 'total:total']),
    );
  });

  test('frontier allocations: one row per plan and channel, shares of the plan total', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_frontier_allocations')).filter((r) => r.is_current);
    expect(rows).toHaveLength((4 + 4 + 1) * 3);
    const plan = rows.filter((r) => r.plan_type === 'optimal' && r.total_spend === 6000);
    expect(plan.reduce((sum, r) => sum + (r.share ?? 0), 0)).toBeCloseTo(1, 12);
  });

  test('recommendations: only the latest request of each run, with current spend and relative change', async () => {
    const rows = (await viewRows(h.warehouse, h.schema, 'v_bi_recommendations')).sort((a, b) => a.channel.localeCompare(b.channel));
    expect(rows.map((r) => [r.request_id, r.channel, r.current_spend, r.recommended_spend, r.delta_share])).toEqual([
      ['req-late', 'search', 1000, 1500, 0.5],
      ['req-late', 'tv', 3000, 2500, -500 / 3000],
    ]);
    expect(rows.map((r) => [r.channel, r.moved, r.evidence_label, r.p_move_helps])).toEqual([
      ['search', true, 'informed by the data', 0.9],
      ['tv', true, 'not informed by the data', 0.3],
    ]);
  });

  test('geo channel summary: every pair of each published run, its share of the geo spend and its mROI rank', async () => {
    const rows = await viewRows(h.warehouse, h.schema, 'v_bi_geo_channel_summary');
    expect(rows).toHaveLength(2 * 2 * 3);
    const current = rows.filter((r) => r.is_current);
    // US spends 500, 1000, 1500 on search, social, tv.
    expect(current.find((r) => r.geo === 'US' && r.channel === 'tv')?.geo_spend_share).toBeCloseTo(0.5, 12);
    expect(current.find((r) => r.geo === 'CA' && r.channel === 'search')?.incremental_outcome_mean).toBe(4000);
    // mROI 1.1 in every US pair, 0.9 in every CA pair: ties share a rank.
    expect(current.map((r) => `${r.geo}:${r.mroi_rank}`).sort()).toEqual(['CA:4', 'CA:4', 'CA:4', 'US:1', 'US:1', 'US:1']);
  });

  test('geo recommendations: every request by market, the latest flagged, with current spend, method and gap', async () => {
    const rows = await viewRows(h.warehouse, h.schema, 'v_bi_geo_recommendations');
    expect(rows.map((r) => [r.request_id, r.is_latest_request, r.geo, r.current_spend, r.recommended_spend, r.delta_share]).sort()).toEqual(
      [
        ['geo-early', false, 'US', 1000, 1000, 0],
        ['geo-late', true, 'CA', 3000, 3300, 0.1],
        ['geo-late', true, 'US', 1500, 1200, -0.2],
      ],
    );
    expect(rows.every((r) => r.is_current && r.model_id === 'brand' && r.method === 'lagrangian' && r.gap === 0.002)).toBe(true);
  });

  test('model health: diagnostics and fit metrics out of their JSON documents', async () => {
    const rows = await viewRows(h.warehouse, h.schema, 'v_bi_model_health');
    const current = rows.filter((r) => r.is_current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({
      run_id: 'run-new',
      verdict: 'pass',
      max_rhat: 1.004,
      divergences: 0,
      r2: 0.93,
      mape: 0.051,
      min_ess_bulk: null,
      wmape: null,
      holdout_r2: null,
      calibration_factor: 1.02,
    });
  });
});

describe('BI views over a real pipeline run (mmm demo, DuckDB)', () => {
  let demo: DemoWarehouse;
  let warehouse: Warehouse;
  const rows = async <V extends BiView>(view: V) => viewRows(warehouse, 'main', view);

  beforeAll(async () => {
    demo = await populateDemoWarehouse();
    warehouse = await openWarehouse({ engine: 'duckdb', path: demo.warehousePath, schema: 'main' });
  }, DEMO_TIMEOUT_MS);
  afterAll(async () => {
    await warehouse?.close();
    demo?.remove();
  });

  test('the current run, its window and totals match summary.json', async () => {
    const { summary } = demo;
    const runs = await rows('v_bi_runs');
    expect(runs.map((r) => [r.run_id, r.is_current, r.status])).toEqual([[demo.runId, true, 'succeeded']]);
    const [run] = await rows('v_bi_current_run');
    expect(run).toMatchObject({
      model_id: 'demo',
      run_id: demo.runId,
      data_start: summary.outcome.start,
      data_end: summary.outcome.end,
      data_weeks: summary.outcome.periods,
    });
    const spend = summary.channels.reduce((s, c) => s + c.spend, 0);
    const incremental = summary.channels.reduce((s, c) => s + c.contribution.mean, 0);
    expect(run.total_spend).toBeCloseTo(spend, 6);
    expect(run.media_incremental_outcome_mean).toBeCloseTo(incremental, 4);
    expect(run.media_roi_mean).toBeCloseTo(incremental / spend, 12);
  });

  test('channel summary: one row per channel with the intervals of summary.json, ranked by ROI', async () => {
    const channels = await rows('v_bi_channel_summary');
    expect(channels).toHaveLength(demo.summary.channels.length);
    for (const expected of demo.summary.channels) {
      const row = channels.find((r) => r.channel === expected.name);
      expect(row, expected.name).toMatchObject({
        spend: expected.spend,
        incremental_outcome_mean: expected.contribution.mean,
        incremental_outcome_p05: expected.contribution.p05,
        incremental_outcome_p95: expected.contribution.p95,
        roi_mean: expected.roi.mean,
        roi_p05: expected.roi.p05,
        roi_p95: expected.roi.p95,
        mroi_mean: expected.mroi.mean,
        mroi_p05: expected.mroi.p05,
        mroi_p95: expected.mroi.p95,
        contribution_share_mean: expected.contributionShare.mean,
      });
    }
    const byRank = [...channels].sort((a, b) => a.roi_rank - b.roi_rank).map((r) => r.channel);
    expect(byRank).toEqual([...demo.summary.channels].sort((a, b) => b.roi.mean - a.roi.mean).map((c) => c.name));
  });

  test('contributions: baseline and every channel in every week; weekly media sums to the curve at current spend', async () => {
    const contributions = await rows('v_bi_contributions');
    const C = demo.summary.channels.length;
    expect(contributions).toHaveLength(demo.summary.outcome.periods * (C + 1));
    expect(contributions.every((r) => r.is_all_geos)).toBe(true);
    expect(contributions.filter((r) => r.component_type === 'baseline')).toHaveLength(demo.summary.outcome.periods);
    // Both come from the same thinned draws, so the weekly means add up to the curve's total.
    const curves = await rows('v_bi_response_curves');
    for (const { name } of demo.summary.channels) {
      const weekly = contributions.filter((r) => r.component === name).reduce((s, r) => s + r.mean, 0);
      const atCurrent = curves.find((r) => r.channel === name && r.is_current_spend);
      expect(weekly / (atCurrent?.outcome_mean ?? NaN), name).toBeCloseTo(1, 9);
    }
  });

  test('response curves: every multiplier per channel, current spend at multiplier 1', async () => {
    const curves = await rows('v_bi_response_curves');
    expect(curves).toHaveLength(demo.summary.channels.length * RESPONSE_MULTIPLIERS.length);
    for (const { name, spend } of demo.summary.channels) {
      const atCurrent = curves.filter((r) => r.channel === name && r.is_current_spend);
      expect(atCurrent).toHaveLength(1);
      expect(atCurrent[0].spend).toBeCloseTo(spend, 6);
    }
  });

  test('frontier: 41 optimal budgets, the current plan at the historical budget, the recommendation beside it', async () => {
    const frontier = await rows('v_bi_frontier');
    const spend = demo.summary.channels.reduce((s, c) => s + c.spend, 0);
    const optimal = frontier.filter((r) => r.plan_type === 'optimal');
    expect(optimal).toHaveLength(41);
    expect(Math.max(...optimal.map((r) => r.budget_level ?? NaN))).toBeCloseTo(2, 9);
    const currentPlan = frontier.filter((r) => r.is_current_plan === true);
    expect(currentPlan).toHaveLength(1);
    expect(currentPlan[0].total_spend).toBeCloseTo(spend, 4);
    // The recommended plan (rank 1) and the request's alternatives, all for the current budget.
    const recommended = frontier.filter((r) => r.plan_type === 'recommended');
    const requested = await rows('v_bi_recommendations');
    expect(recommended.map((r) => r.rank).sort()).toEqual([...new Set(requested.map((r) => r.rank))].sort());
    expect(recommended.filter((r) => r.rank === 1)).toHaveLength(1);
    for (const plan of recommended) expect(plan.budget_level, `rank ${plan.rank}`).toBeCloseTo(1, 9);
    // At the same budget the optimum is no worse than the current mix or the recommendation (same grid).
    const atCurrentBudget = optimal.find((r) => Math.abs((r.budget_level ?? NaN) - 1) < 1e-9);
    expect(atCurrentBudget?.outcome_mean).toBeGreaterThanOrEqual(currentPlan[0].outcome_mean);
    expect(frontier.filter((r) => r.plan_type === 'alternative').every((r) => Math.abs((r.budget_level ?? NaN) - 1) < 1e-9)).toBe(true);
  });

  test('frontier allocations: each plan spends its total across the channels', async () => {
    const allocations = await rows('v_bi_frontier_allocations');
    const frontier = await rows('v_bi_frontier');
    const plans = frontier.filter((r) => r.plan_type !== 'recommended');
    expect(allocations).toHaveLength(plans.length * demo.summary.channels.length);
    for (const plan of plans) {
      const spent = allocations
        .filter((a) => a.plan_type === plan.plan_type && a.rank === plan.rank && a.total_spend === plan.total_spend)
        .reduce((s, a) => s + a.spend, 0);
      expect(Math.abs(spent - plan.total_spend), `${plan.plan_type} ${plan.total_spend}`).toBeLessThanOrEqual(
        1e-9 * Math.max(plan.total_spend, 1),
      );
    }
    const current = allocations.filter((a) => a.plan_type === 'current_mix' && Math.abs((a.budget_level ?? NaN) - 1) < 1e-9);
    for (const { name, spend } of demo.summary.channels) {
      const row = current.find((a) => a.channel === name);
      expect(row?.spend).toBeCloseTo(spend, 4);
      expect(row?.delta_vs_current).toBeCloseTo(0, 6);
    }
  });

  test('recommendations: the demo request, every ranked plan reallocating the same budget', async () => {
    const recommendations = await rows('v_bi_recommendations');
    const requests = new Set(recommendations.map((r) => r.request_id));
    expect(requests.size).toBe(1);
    const ranks = [...new Set(recommendations.map((r) => r.rank))].sort();
    expect(ranks[0]).toBe(1);
    expect(recommendations).toHaveLength(ranks.length * demo.summary.channels.length);
    for (const rank of ranks) {
      const plan = recommendations.filter((r) => r.rank === rank);
      const budget = plan.reduce((s, r) => s + r.current_spend, 0);
      expect(Math.abs(plan.reduce((s, r) => s + r.delta_vs_current, 0)), `rank ${rank}`).toBeLessThanOrEqual(1e-9 * budget);
      for (const { name, spend } of demo.summary.channels)
        expect(plan.find((r) => r.channel === name)?.current_spend).toBeCloseTo(spend, 4);
      // Every channel with the run's evidence label; P(the move helps) exactly where it moved.
      for (const row of plan) {
        expect(row.evidence_label, `rank ${rank} ${row.channel}`).toMatch(/^(informed by the data|not informed by the data)$/);
        expect(row.p_move_helps === null, `rank ${rank} ${row.channel}`).toBe(row.moved === false);
      }
    }
  });

  test('model health: the diagnostics and fit of summary.json', async () => {
    const [health] = await rows('v_bi_model_health');
    const { diagnostics, fit } = demo.summary;
    expect(health).toMatchObject({
      run_id: demo.runId,
      is_current: true,
      verdict: diagnostics.verdict,
      max_rhat: diagnostics.maxRhat,
      min_ess_bulk: diagnostics.minEssBulk,
      min_ess_tail: diagnostics.minEssTail,
      divergences: diagnostics.divergences,
      r2: fit.r2,
      mape: fit.mape,
      wmape: fit.wmape,
      reasons: diagnostics.reasons.length > 0 ? diagnostics.reasons.join('; ') : '',
    });
    expect(health.calibration_factor).toBeGreaterThan(0);
  });
});
