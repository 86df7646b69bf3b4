/**
 * bi/looker/: parsed with the subset parser, checked against the BI view contract, and every dimension
 * and measure turned into the SQL Looker would generate through the explore (joins on run_id, the
 * current-run filter) and run against a migrated DuckDB warehouse holding two runs of one model.
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BI_VIEW_NAMES, biViewColumns } from '../../src/warehouse/bi-views.ts';
import type { RunResults } from '../../src/warehouse/run-results.ts';
import { REPO_ROOT } from '../support/reference-data.ts';
import { duckdbHarness, type WarehouseHarness } from '../warehouse/support/harness.ts';
import { makePlanRows } from '../warehouse/support/plan-rows.ts';
import { makeRunResults } from '../warehouse/support/run-results.ts';
import { LookmlProject } from './support/lookml-sql.ts';

const LOOKER_DIR = join(REPO_ROOT, 'bi/looker');
const EXPLORE = 'mmm_runs';
const SPEND = [1000, 2000, 3000];
const INCREMENTAL = [4000, 2000, 9000];
const MROI = [2, 1, 0.5];

/** The current run: channels with different ROIs (4, 1, 3), so a ratio of sums differs from a mean of ratios. */
function currentRun(): RunResults {
  const results = makeRunResults('run-new', 'brand');
  results.mmm_channel_summary = results.mmm_channel_summary.map((row, c) => ({
    ...row,
    spend: SPEND[c],
    incremental_outcome_mean: INCREMENTAL[c],
    roi_mean: INCREMENTAL[c] / SPEND[c],
    mroi_mean: MROI[c],
  }));
  // The analysis adds geo 'all', the sum over geos, to a multi-geo model's contributions.
  const all = new Map<string, RunResults['mmm_contributions'][number]>();
  for (const row of results.mmm_contributions) {
    const key = `${row.period_start}|${row.component}`;
    const sum = all.get(key);
    all.set(
      key,
      sum === undefined ? { ...row, geo: 'all' } : { ...sum, mean: sum.mean + row.mean, p05: sum.p05 + row.p05, p95: sum.p95 + row.p95 },
    );
  }
  results.mmm_contributions.push(...all.values());
  return results;
}

describe('LookML (bi/looker)', () => {
  const project = new LookmlProject(LOOKER_DIR, { dataset: 'main' });
  let h: WarehouseHarness;
  const run = async (fields: string[]) =>
    (await sql.raw<Record<string, unknown>>(project.query(EXPLORE, fields)).execute(h.warehouse.db)).rows;
  const single = async (field: string) => Number((await run([field]))[0][field]);

  beforeAll(async () => {
    h = await duckdbHarness();
    await h.warehouse.publish(makeRunResults('run-old', 'brand', { scale: 3 }), { promote: true });
    await h.warehouse.publish(currentRun(), { promote: true });
    await h.warehouse.writeRecommendations(
      ['search', 'social', 'tv'].map((channel, c) => ({
        request_id: 'req-1',
        run_id: 'run-new',
        requested_at: '2024-03-02T08:00:00.000Z',
        constraints: '{}',
        rank: 1,
        channel,
        spend: SPEND[c] + [500, -200, -300][c],
        delta_vs_current: [500, -200, -300][c],
        outcome_mean: 9000,
        outcome_p05: 8000,
        outcome_p95: 10_000,
        p_beats_current: 0.7,
      })),
    );
    await h.warehouse.writePlan(makePlanRows('plan-1', 'run-new'));
    await h.warehouse.writePlan(makePlanRows('plan-old', 'run-old'));
    await h.warehouse.writeGeoRecommendations(
      [
        ['US', 'tv', 1500, 300],
        ['CA', 'tv', 2700, -300],
      ].map(([geo, channel, spend, delta]) => ({
        request_id: 'geo-req-1',
        run_id: 'run-new',
        requested_at: '2024-03-02T09:00:00.000Z',
        constraints: '{"by":"geo"}',
        rank: 1,
        geo: String(geo),
        channel: String(channel),
        spend: Number(spend),
        delta_vs_current: Number(delta),
        outcome_mean: 9000,
        outcome_p05: 8000,
        outcome_p95: 10_000,
        p_beats_current: 0.6,
        method: 'lagrangian' as const,
        gap: 0.003,
      })),
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('one view per BI view, reading it, with a dimension for every column and a primary key', () => {
    expect([...project.views.keys()].sort()).toEqual([...BI_VIEW_NAMES].sort());
    for (const name of BI_VIEW_NAMES) {
      const view = project.views.get(name);
      expect(view?.table, name).toBe(`main.${name}`);
      const fields = [...(view?.fields.values() ?? [])];
      const read = new Set(fields.filter((f) => f.kind === 'dimension' && f.column !== null).map((f) => f.column));
      expect([...read].sort(), name).toEqual([...biViewColumns(name)].sort());
      expect(
        fields.filter((f) => f.primaryKey),
        name,
      ).toHaveLength(1);
    }
  });

  test('one explore over v_bi_runs, every other view joined on run_id, the current run by default', () => {
    expect([...project.explores.keys()]).toEqual([EXPLORE]);
    const explore = project.explores.get(EXPLORE);
    expect(explore?.baseView).toBe('v_bi_runs');
    expect(explore?.alwaysFilter).toEqual([{ key: 'v_bi_runs.is_current', value: 'yes' }]);
    expect(explore?.joins.map((j) => j.view).sort()).toEqual(BI_VIEW_NAMES.filter((v) => v !== 'v_bi_runs').sort());
    for (const j of explore?.joins ?? []) expect(j.sqlOn.replace(/\s+/g, ' ')).toBe(`\${${j.view}.run_id} = \${v_bi_runs.run_id}`);
  });

  test('the SQL of every dimension and measure runs on DuckDB and returns the current run only', async () => {
    let queried = 0;
    for (const view of project.views.values()) {
      for (const field of view.fields.values()) {
        const name = `${view.name}.${field.name}`;
        const rows = await run([name]).catch((error: unknown) => {
          throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}\n${project.query(EXPLORE, [name])}`);
        });
        expect(rows.length, name).toBeGreaterThan(0);
        queried++;
      }
    }
    expect(queried).toBeGreaterThan(150);
    expect((await run(['v_bi_channel_summary.run_id'])).map((r) => r['v_bi_channel_summary.run_id'])).toEqual(['run-new']);
    expect(await single('v_bi_runs.count')).toBe(1);
  });

  test('ROI and mROI are ratios of sums, at any grouping', async () => {
    expect(await single('v_bi_channel_summary.total_spend')).toBe(6000);
    // 15000 / 6000, not the mean of the channel ROIs (4 + 1 + 3) / 3.
    expect(await single('v_bi_channel_summary.roi')).toBeCloseTo(2.5, 12);
    expect(await single('v_bi_channel_summary.mroi')).toBeCloseTo((2 * 1000 + 1 * 2000 + 0.5 * 3000) / 6000, 12);
    const byChannel = await run(['v_bi_channel_summary.channel', 'v_bi_channel_summary.roi']);
    expect(byChannel.map((r) => [r['v_bi_channel_summary.channel'], Number(r['v_bi_channel_summary.roi'])])).toEqual([
      ['search', 4],
      ['social', 1],
      ['tv', 3],
    ]);
    expect(await single('v_bi_current_run.media_roi')).toBeCloseTo(2.5, 12);
    expect(await single('v_bi_recommendations.change_share')).toBeCloseTo(0, 12);
    // makeRunResults' geo pairs: US spends 500, 1000, 1500 and CA 1000, 2000, 3000, each at ROI 2 and mROI 1.1 (US), 0.9 (CA).
    expect(await single('v_bi_geo_channel_summary.roi')).toBeCloseTo(2, 12);
    expect(await single('v_bi_geo_channel_summary.mroi')).toBeCloseTo((1.1 * 3000 + 0.9 * 6000) / 9000, 12);
    const byGeo = await run(['v_bi_geo_channel_summary.geo', 'v_bi_geo_channel_summary.total_spend']);
    expect(byGeo.map((r) => [r['v_bi_geo_channel_summary.geo'], Number(r['v_bi_geo_channel_summary.total_spend'])])).toEqual([
      ['CA', 6000],
      ['US', 3000],
    ]);
    expect(await single('v_bi_geo_recommendations.change_share')).toBeCloseTo(0, 12);
    expect(await single('v_bi_geo_recommendations.gap_max')).toBeCloseTo(0.003, 12);
  });

  test('contribution measures count the all-geos rows only', async () => {
    const rows = currentRun().mmm_contributions.filter((r) => r.geo === 'all');
    const total = rows.reduce((s, r) => s + r.mean, 0);
    const media = rows.filter((r) => r.component !== 'baseline').reduce((s, r) => s + r.mean, 0);
    expect(await single('v_bi_contributions.total_outcome')).toBeCloseTo(total, 9);
    expect(await single('v_bi_contributions.media_share')).toBeCloseTo(media / total, 12);
    const monthly = await run(['v_bi_contributions.period_start_month', 'v_bi_contributions.baseline_outcome']);
    expect(monthly.map((r) => String(r['v_bi_contributions.period_start_month']))).toEqual(['2024-01-01']);
  });

  test('a query over two one-to-many views is refused instead of fanning out', () => {
    expect(() => project.query(EXPLORE, ['v_bi_channel_summary.total_spend', 'v_bi_response_curves.total_outcome'])).toThrow(
      /symmetric aggregates/,
    );
  });
});
