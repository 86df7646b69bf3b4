/**
 * Reading the dashboard's data from the BI views of a DuckDB warehouse: which model is shown, the
 * errors when there is none or several, and the rows it keeps.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DashboardDataError, loadDashboardData, resolveModel } from '../../src/dashboard/dashboard-data.ts';
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
    await expect(resolveModel(h.warehouse, undefined)).rejects.toThrow(/several models have a current run \(brand, other\); choose one with --model/);
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
    expect(data.channels.map((c) => [c.run_id, c.roi_rank])).toEqual([['run-b', 1], ['run-b', 2], ['run-b', 3]]);
    // This history lists its two geos separately and has no all-geos rows.
    expect(data.contributions).toEqual([]);
    expect(data.responseCurves.every((r) => r.run_id === 'run-b')).toBe(true);
    expect(data.optimalAllocations.every((a) => a.plan_type === 'optimal')).toBe(true);
    expect(data.optimalAllocations).toHaveLength(4 * 3);
    expect(data.recommendations).toEqual([]);
  });
});
