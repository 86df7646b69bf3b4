/**
 * Reading the dashboard's data from the BI views of a DuckDB warehouse: which model is shown, the
 * errors when there is none or several, and the rows it keeps (the next-quarter plans and the market view included).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DashboardDataError, loadDashboardData, resolveModel } from '../../src/dashboard/dashboard-data.ts';
import { renderDashboardPage } from '../../src/dashboard/page.ts';
import { duckdbHarness, type WarehouseHarness } from '../warehouse/support/harness.ts';
import { makePlanRows, PLAN_CHANNELS, PLAN_WEEKS } from '../warehouse/support/plan-rows.ts';
import { makeGeoRecommendation, makeRunResults } from '../warehouse/support/run-results.ts';
import type { PlanTableRows } from '../../src/warehouse/plans.ts';

describe('dashboard data', () => {
  let h: WarehouseHarness;

  beforeAll(async () => {
    h = await duckdbHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('models: none current yet, the only one, several, an unknown one', async () => {
    await expect(resolveModel(h.warehouse, undefined)).rejects.toThrow(/v_bi_current_run is empty: no model has a promoted run yet/);
    await h.warehouse.publish(makeRunResults('run-a', 'brand'), { promote: true });
    expect(await resolveModel(h.warehouse, undefined)).toBe('brand');
    await h.warehouse.publish(makeRunResults('run-x', 'other'), { promote: true });
    await expect(resolveModel(h.warehouse, undefined)).rejects.toThrow(
      /several models have a current run \(brand, other\); choose one with --model/,
    );
    expect(await resolveModel(h.warehouse, 'other')).toBe('other');
    const unknown = await resolveModel(h.warehouse, 'nope').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(DashboardDataError);
    expect((unknown as Error).message).toBe("model 'nope' has no current run in v_bi_current_run (models with one: brand, other)");
  });

  test('the current run of the model only, channels by ROI rank, contributions of all geos only', async () => {
    await h.warehouse.publish(makeRunResults('run-b', 'brand', { scale: 2 }), { promote: true });
    const data = await loadDashboardData(h.warehouse, 'brand');
    expect(data.run.run_id).toBe('run-b');
    expect(data.health.run_id).toBe('run-b');
    expect(data.channels.map((c) => [c.run_id, c.roi_rank])).toEqual([
      ['run-b', 1],
      ['run-b', 2],
      ['run-b', 3],
    ]);
    // This history lists its two geos separately and has no all-geos rows.
    expect(data.contributions).toEqual([]);
    expect(data.responseCurves.every((r) => r.run_id === 'run-b')).toBe(true);
    expect(data.optimalAllocations.every((a) => a.plan_type === 'optimal')).toBe(true);
    expect(data.optimalAllocations).toHaveLength(4 * 3);
    expect(data.recommendations).toEqual([]);
    // A run without misspecification checks (fitted before they existed) shows none.
    expect(data.checks).toEqual({ reasons: [], misspecification: null });
  });

  test("evidence: each channel's contraction and label, the not-informed one marked; the run's lift tests; none for older runs", async () => {
    await h.warehouse.publish(makeRunResults('run-e', 'evidence'), { promote: true });
    const data = await loadDashboardData(h.warehouse, 'evidence');
    expect(data.channels.map((c) => [c.channel, c.evidence_contraction, c.evidence_label])).toEqual([
      ['search', 0.6, 'informed by the data'],
      ['social', 0.6, 'informed by the data'],
      ['tv', 0.04, 'not informed by the data'],
    ]);
    expect(data.experiments.map((e) => [e.experiment_id, e.channel, e.estimate, e.standard_error])).toEqual([
      ['search-geo-lift', 'search', 1800, 400],
    ]);
    const page = renderDashboardPage(data, []);
    const evidence = page.slice(page.indexOf('id="evidence"'), page.indexOf('</figure>', page.indexOf('id="evidence"')));
    expect(evidence).toContain('<tr data-evidence-row="tv" class="not-informed"><td>tv</td>');
    expect(evidence).toContain('<td>0.04</td><td class="evidence-label">not informed by the data</td>');
    expect(evidence).toContain(
      '<tr data-experiment-row="search-geo-lift"><td>search-geo-lift</td><td>search</td><td>1.8K ± 400</td><td>1.9K (1.4K–2.4K)</td></tr>',
    );

    // A run published before evidence and experiments were recorded.
    const older = makeRunResults('run-o', 'older');
    older.mmm_channel_evidence = [];
    older.mmm_experiments = [];
    await h.warehouse.publish(older, { promote: true });
    const olderPage = renderDashboardPage(await loadDashboardData(h.warehouse, 'older'), []);
    expect(olderPage).toContain('<td>—</td><td class="evidence-label">not recorded for this run</td>');
    expect(olderPage).toContain('<p>No lift test calibrated this run.</p>');
  });

  test("model health: the verdict's reasons one by one and the misspecification checks, from the run's diagnostics", async () => {
    const results = makeRunResults('run-m', 'health');
    const reasons = [
      'residuals are autocorrelated (Ljung-Box Q 212.0 over 10 lags, p < 1e-12; lag-1 correlation 0.71): add knots',
      'R-hat 1.02 for sigma exceeds 1.01',
    ];
    const misspecification = {
      ljungBox: { q: 212, lags: 10, dof: 10, pValue: 1e-30, lag1: 0.71 },
      predictiveCoverage90: 0.74,
      verdict: 'fail',
      reasons: [reasons[0]],
    };
    results.run.diagnostics = { maxRhat: 1.02, divergences: 0, verdict: 'warn', reasons, misspecification };
    await h.warehouse.publish(results, { promote: true });
    const data = await loadDashboardData(h.warehouse, 'health');
    expect(data.checks.reasons).toEqual(reasons);
    expect(data.checks.misspecification?.ljungBox.q).toBe(212);
    const page = renderDashboardPage(data, []);
    const health = page.slice(page.indexOf('id="model-health"'), page.indexOf('</figure>', page.indexOf('id="model-health"')));
    expect(health).toContain('<th scope="row">Misspecification checks</th><td>fail</td>');
    // A run fitted before the slow-drift and outlier checks shows a dash for them.
    expect(health).toContain('<th scope="row">Slow drift</th><td>—</td>');
    expect(health).toContain(
      '<th scope="row">Residual autocorrelation</th><td>Ljung-Box Q 212.0 over 10 lags, p &lt; 1e-12 (lag-1 correlation 0.71)</td>',
    );
    expect(health).toContain(
      '<th scope="row">Predictive coverage</th><td>74% of observed weeks inside their 90% predictive intervals</td>',
    );
    // Reasons containing '; ' stay whole.
    expect(health).toContain(`<li>${reasons[0].replace('<', '&lt;')}</li>`);
  });

  test("next quarter: the plans of the latest plan's horizon, the latest answer at each budget, by budget", async () => {
    await h.warehouse.publish(makeRunResults('run-p', 'planner'), { promote: true });
    const at = (day: number) => `2025-01-0${day}T09:00:00.000Z`;
    /** An answered plan whose `plan` scenario has another budget, or whose horizon starts elsewhere. */
    const variant = (rows: PlanTableRows, change: { budget?: number; horizonStart?: string }): PlanTableRows => ({
      ...rows,
      mmm_plan_scenarios: rows.mmm_plan_scenarios.map((s) => ({
        ...s,
        total_spend: s.scenario === 'plan' ? (change.budget ?? s.total_spend) : s.total_spend,
        horizon_start: change.horizonStart ?? s.horizon_start,
      })),
    });
    await h.warehouse.writePlan(
      variant(makePlanRows('plan-other-horizon', 'run-p', { requestedAt: at(1) }), { horizonStart: '2024-12-30', budget: 3000 }),
    );
    await h.warehouse.writePlan(makePlanRows('plan-superseded', 'run-p', { requestedAt: at(2) }));
    const timed = variant(makePlanRows('plan-more', 'run-p', { requestedAt: at(3) }), { budget: 5000 });
    await h.warehouse.writePlan({
      ...timed,
      mmm_plan_scenarios: timed.mmm_plan_scenarios.map((s) => ({ ...s, request: '{"budget":5000,"timing":["tv"]}' })),
    });
    await h.warehouse.writePlan(makePlanRows('plan-again', 'run-p', { requestedAt: at(4), scale: 2 }));
    const { nextQuarter } = await loadDashboardData(h.warehouse, 'planner');
    expect(nextQuarter.plans.map((p) => [p.plan_id, p.total_spend])).toEqual([
      ['plan-again', 4000],
      ['plan-more', 5000],
    ]);
    expect(nextQuarter.allocations.map((a) => [a.plan_id, a.scenario, a.channel])).toEqual(
      ['plan-again', 'plan-more'].flatMap((plan) => PLAN_CHANNELS.map((channel) => [plan, 'plan', channel])),
    );
    // Each plan's weeks: its channels and the total, not the baseline.
    expect(nextQuarter.weekly).toHaveLength(2 * PLAN_WEEKS.length * (PLAN_CHANNELS.length + 1));
    expect(nextQuarter.weekly.some((w) => w.series_type === 'baseline')).toBe(false);
    const page = renderDashboardPage(await loadDashboardData(h.warehouse, 'planner'));
    // Opens on the plan at the reference budget (4000); the 5000 plan's table is there, hidden.
    expect(page).toContain('id="plan-range" min="0" max="1" step="1" value="0"');
    expect(page).toMatch(/<div class="plan" data-plan-index="0">/);
    expect(page).toMatch(/<div class="plan" data-plan-index="1" hidden>/);
    // The plan requested with a timing states it; the others do not.
    expect(page.match(/Timing suggestion: the weekly spend of tv is the timing solver's/g)).toHaveLength(1);
    // A run without an answered plan says how to answer one.
    expect(renderDashboardPage(await loadDashboardData(h.warehouse, 'brand'))).toContain('No plan has been answered for this run');
  });

  test("markets: a geo run's pairs, the plan of its latest request by market, its geos' groups; ungrouped geos refused; national runs empty", async () => {
    await h.warehouse.publish(makeRunResults('run-g', 'regional'), { promote: true });
    const shift = (...row: [string, string, string, string, number, number]) => makeGeoRecommendation('run-g', ...row);
    await h.warehouse.writeGeoRecommendations([shift('geo-early', '2024-03-02T08:00:00.000Z', 'US', 'tv', 1000, 0)]);
    await h.warehouse.writeGeoRecommendations([
      shift('geo-late', '2024-03-03T08:00:00.000Z', 'US', 'tv', 1200, -300),
      shift('geo-late', '2024-03-03T08:00:00.000Z', 'CA', 'tv', 3300, 300),
    ]);
    const groups = [
      { geo: 'US', country: 'US', region: 'North America' },
      { geo: 'CA', country: 'CA', region: 'North America' },
      { geo: 'MX', country: 'MX', region: 'Latin America' },
    ];
    const data = await loadDashboardData(h.warehouse, 'regional', groups);
    expect(data.markets.pairs.map((p) => `${p.geo}/${p.channel}`)).toEqual([
      'CA/search',
      'CA/social',
      'CA/tv',
      'US/search',
      'US/social',
      'US/tv',
    ]);
    expect(data.markets.plan.map((r) => [r.request_id, r.geo, r.current_spend, r.recommended_spend])).toEqual([
      ['geo-late', 'CA', 3000, 3300],
      ['geo-late', 'US', 1500, 1200],
    ]);
    // Only the run's geos' groups are kept.
    expect(data.markets.groups.map((g) => g.geo)).toEqual(['CA', 'US']);
    const page = renderDashboardPage(data, []);
    expect(page).toContain('<option value="country:US">US (1 geo)</option>');
    expect(page).toContain('<option value="region:North America">North America (2 geos)</option>');
    expect(page).toContain('<tr data-shift-row="CA" data-geo="CA"><td>CA</td><td>3,000</td><td>3,300</td><td>+300</td><td>+10%</td></tr>');
    expect(page).toContain('Lagrangian relaxation, optimality gap 0.2%');
    // Without geo groups the selector offers all geos and each geo, and says how to group them.
    const ungrouped = renderDashboardPage(await loadDashboardData(h.warehouse, 'regional'), []);
    expect(ungrouped).not.toContain('value="country:');
    expect(ungrouped).toContain('<option value="geo:US">US</option>');
    expect(ungrouped).toContain('mmm dashboard --geo-groups FILE');

    await expect(loadDashboardData(h.warehouse, 'regional', [groups[0]])).rejects.toThrow(
      "geo 'CA' has no row in the geo groups, so it has no country (run 'run-g'); give geo groups with a row for every geo of the run",
    );

    const national = makeRunResults('run-n', 'national');
    national.mmm_geo_channel_summary = [];
    await h.warehouse.publish(national, { promote: true });
    const nationalData = await loadDashboardData(h.warehouse, 'national', groups);
    expect(nationalData.markets).toEqual({ pairs: [], plan: [], groups: [] });
    const nationalPage = renderDashboardPage(nationalData, []);
    expect(nationalPage).toContain("This run's model is national");
    expect(nationalPage).not.toContain('id="geo-group-select"');
  });
});
