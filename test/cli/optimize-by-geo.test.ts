/**
 * `mmm optimize --by geo` end to end (issue 15, scope 4): a real short fit of 4 of Meridian's geos committed
 * as a run, its surface built by `mmm surface`, then plans per (geo, channel) pair through the real binary:
 * the separable case, totals per geo and per channel at once (with the gap), markets grouped by region, each
 * pair's evidence and P(its move helps) checked draw by draw against the run's market source, and unknown or
 * infeasible geo constraints refused naming them, nothing written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterfactualWithout } from '../../src/explore/move-evidence.ts';
import { loadMarketSource } from '../../src/run/market-response-source.ts';
import { readFitSummary } from '../../src/run/run-directory.ts';
import { writeShortGeoFit } from '../support/meridian-geos.ts';
import { REPO_ROOT } from '../support/reference-data.ts';
import { runMmm } from '../support/run-mmm.ts';

let dir: string;
const GROUPS = join(REPO_ROOT, 'test/fixtures/data/meridian-geo-groups.csv');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-by-geo-'));
  const summary = await writeShortGeoFit(dir);
  expect(summary.diagnostics.verdict, summary.diagnostics.reasons.join('; ')).not.toBe('fail');
  const surface = await runMmm(['surface', '--run', dir, '--max-draws', '100']);
  expect(surface.stderr).toBe('');
  expect(surface.status).toBe(0);
}, 1_500_000); // a real fit: minutes on a loaded 2-core machine
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface GeoPlan {
  method: string;
  gap: number;
  budget: number;
  markets: { market: string; current: number; recommended: number; limit: string | null }[];
  channels: { channel: string; current: number; recommended: number }[];
  pairs: {
    pair: string;
    geo: string;
    channel: string;
    current: number;
    recommended: number;
    moved: boolean;
    informed: boolean | null;
    evidenceLabel: string | null;
    pMoveHelps: number | null;
  }[];
  window: { start: string; end: string };
  rows: { geo: string; channel: string }[];
  evidenceRows: { request_id: string; rank: number; geo: string; channel: string; moved: boolean; p_move_helps: number | null }[];
}

async function plan(...flags: string[]): Promise<GeoPlan> {
  const result = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--json', '-', ...flags]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as GeoPlan;
}

describe('mmm explore --by geo', () => {
  it('scores an allocation per (geo, channel) pair, pairs not named keeping current spend', async () => {
    const result = await runMmm(['explore', '--run', dir, '--by', 'geo', '--allocation', '{"Geo1/Channel0": 0}', '--json', '-']);
    expect(result.stderr).toBe('');
    const scored = JSON.parse(result.stdout) as {
      channels: { channel: string; spend: number; contribution: { mean: number } }[];
      change: { extraSpend: number };
    };
    const pair = scored.channels.find((c) => c.channel === 'Geo1/Channel0');
    expect(pair?.spend).toBe(0);
    expect(pair?.contribution.mean).toBe(0);
    expect(scored.channels.some((c) => c.channel === 'Geo3/Channel4')).toBe(true);
    expect(scored.change.extraSpend).toBeLessThan(0);
  });
});

describe('mmm optimize --by geo', () => {
  it('plans spend per (geo, channel) pair exactly with a budget alone, and caches the components by market', async () => {
    const result = await plan('--budget', '1e6');
    expect(result.method).toBe('dp');
    expect(result.gap).toBe(0);
    expect(result.markets.map((m) => m.market)).toEqual(['Geo0', 'Geo1', 'Geo2', 'Geo3']);
    expect(result.pairs.reduce((sum, p) => sum + p.recommended, 0)).toBeCloseTo(1e6, 3);
    expect(existsSync(join(dir, 'surface', 'markets', 'base.json'))).toBe(true);
  });

  it('meets a geo minimum and channel totals at once, reporting a gap within 0.5%', async () => {
    const result = await plan('--geo-min', 'Geo1=95%', '--geo-max', 'Geo0=105%', '--min', 'Channel0=90%', '--max', 'Channel3=110%');
    expect(result.method).toBe('lagrangian');
    expect(result.gap).toBeLessThanOrEqual(0.005);
    const geo1 = result.markets.find((m) => m.market === 'Geo1');
    expect(geo1!.recommended).toBeGreaterThanOrEqual(0.95 * geo1!.current - 1e-6);
    const channel0 = result.channels.find((c) => c.channel === 'Channel0');
    expect(channel0!.recommended).toBeGreaterThanOrEqual(0.9 * channel0!.current - 1e-6);
    const text = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--geo-min', 'Geo1=95%', '--min', 'Channel0=90%']);
    expect(text.stdout).toMatch(/optimality gap\s+\d+\.\d% of the paid-media outcome/);
    expect(text.stdout).toContain('Lagrangian relaxation of the channel totals');
  });

  it("gives each pair moved its channel's evidence and P(the move helps), as the market source gives it draw by draw", async () => {
    // Every geo within 80-120% of its current spend: the plan moves budget between markets and channels.
    const result = await plan(
      ...['Geo0', 'Geo1', 'Geo2', 'Geo3'].flatMap((geo) => ['--geo-min', `${geo}=80%`, '--geo-max', `${geo}=120%`]),
    );
    const labels = new Map(readFitSummary(dir).channels.map((c) => [c.name, c.evidence?.label]));
    for (const pair of result.pairs) {
      expect(pair.evidenceLabel, pair.pair).toBe(labels.get(pair.channel));
      expect(pair.pMoveHelps === null, pair.pair).toBe(!pair.moved);
    }
    const moved = result.pairs.filter((pair) => pair.moved);
    expect(moved.length).toBeGreaterThan(0);
    // The warehouse rows optimizeWorkflow writes for the request: one evidence row per (geo, channel) row, as the table says.
    expect(result.evidenceRows.map((row) => `${row.geo}/${row.channel}`)).toEqual(result.rows.map((row) => `${row.geo}/${row.channel}`));
    expect(result.evidenceRows.map((row) => row.p_move_helps)).toEqual(result.pairs.map((pair) => pair.pMoveHelps));

    // Independent check: the market source (the model's response per pair, not the stored components) scores the
    // plan and each moved pair's counterfactual on every draw of the surface; with no pair bounds given, a pair may
    // take 0 to 3 x its current spend (the default cap).
    const source = await loadMarketSource(dir, { window: result.window, maxDraws: 100 });
    const series = result.pairs.map((pair) => source.channels.indexOf(pair.pair));
    expect(series.every((p) => p >= 0)).toBe(true);
    const current = Float64Array.from(result.pairs, (pair) => pair.current);
    const recommended = Float64Array.from(result.pairs, (pair) => pair.recommended);
    const bounds = { lower: current.map(() => 0), upper: current.map((s) => 3 * s), lowerReason: [], upperReason: [] };
    const paidMedia = (spend: Float64Array): Float64Array => {
      const total = new Float64Array(source.nDraws);
      const out = new Float64Array(source.nDraws);
      spend.forEach((s, i) => {
        source.channelContribution(series[i], s / current[i], out);
        for (let d = 0; d < source.nDraws; d++) total[d] += out[d];
      });
      return total;
    };
    const planDraws = paidMedia(recommended);
    let worst = 0;
    for (const pair of moved) {
      const without = paidMedia(counterfactualWithout(recommended, current, bounds, result.pairs.indexOf(pair)));
      const direct = planDraws.filter((y, d) => y > without[d]).length / source.nDraws;
      worst = Math.max(worst, Math.abs(direct - pair.pMoveHelps!));
    }
    console.log(
      `${moved.length} of ${result.pairs.length} pairs moved; P(move helps) ${moved.map((p) => `${p.pair} ${p.pMoveHelps!.toFixed(2)}`).join(', ')}; worst difference from the market source per draw ${worst.toFixed(3)} (${source.nDraws} draws)`,
    );
    // The components interpolate the source (relative error ~1e-3 per geo): a near-tie draw may fall either way.
    expect(worst).toBeLessThanOrEqual(0.03);

    const text = await runMmm([
      'optimize',
      '--run',
      dir,
      '--by',
      'geo',
      ...['Geo0', 'Geo1', 'Geo2', 'Geo3'].flatMap((geo) => ['--geo-min', `${geo}=80%`, '--geo-max', `${geo}=120%`]),
    ]);
    expect(text.stdout).toMatch(/geo\s+channel\s+current\s+recommended\s+change\s+mROI\s+P\(move helps\)\s+evidence/);
    expect(text.stdout).toContain('P(move helps): the share of posterior draws in which the plan beats the same plan with that pair back');
    console.log(text.stdout);
  });

  it('groups geos into regions from the geo groups file', async () => {
    const result = await plan('--group', 'region', '--geo-groups', GROUPS, '--geo-max', 'North-East=100%');
    expect(result.markets.map((m) => m.market)).toEqual(['North-East', 'North-West', 'North-Central', 'North-Coast']);
  });

  it('refuses unknown geos and groups and infeasible geo totals, naming them', async () => {
    const unknown = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--geo-min', 'Texas=90%']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown geo 'Texas' in --geo-min/--geo-max; the run's geos are 'Geo0', 'Geo1', 'Geo2', 'Geo3'");
    const group = await runMmm([
      'optimize',
      '--run',
      dir,
      '--by',
      'geo',
      '--group',
      'country',
      '--geo-groups',
      GROUPS,
      '--geo-max',
      'South=90%',
    ]);
    expect(group.status).toBe(1);
    expect(group.stderr).toContain("unknown country 'South'");
    const infeasible = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--geo-min', 'Geo2=500%']);
    expect(infeasible.status).toBe(1);
    expect(infeasible.stderr).toContain("geo 'Geo2' cannot spend");
    expect(infeasible.stderr).toContain('Geo2: min 500% of current');
    const noBy = await runMmm(['optimize', '--run', dir, '--geo-min', 'Geo2=90%']);
    expect(noBy.status).toBe(2);
    expect(noBy.stderr).toContain('--geo-min plans by market: add --by geo');
  });
});
