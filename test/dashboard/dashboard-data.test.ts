/**
 * Reading the dashboard's data from the BI views of a DuckDB warehouse: which model is shown, the
 * errors when there is none or several, and the rows it keeps.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DashboardDataError, loadDashboardData, resolveModel } from '../../src/dashboard/dashboard-data.ts';
import { renderDashboardPage } from '../../src/dashboard/page.ts';
import { duckdbHarness, type WarehouseHarness } from '../warehouse/support/harness.ts';
import { makeRunResults } from '../warehouse/support/run-results.ts';

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
});
