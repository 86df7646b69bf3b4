/**
 * `mmm optimize --by geo` on a geo model with a synergy pair (issue 16, scope 3, by market): a real short fit of
 * 4 of Meridian's geos with the pair Channel0 x Channel3 (its default prior, sign free) committed as a run, its surface built by
 * `mmm surface`, then plans per (geo, channel) pair through the real binary: one synergy term per geo in the
 * answer, exact with a budget alone, the Lagrangian with its gap under market and channel totals, and each pair's
 * mROI holding its synergy term's slope (as the national mROI does).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMarketQueryRun } from '../../src/cli/optimize-by-market.ts';
import { DEFAULT_CAP } from '../../src/explore/constraints.ts';
import { writeShortGeoFit } from '../support/meridian-geos.ts';
import { runMmm } from '../support/run-mmm.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-by-geo-synergy-'));
  const summary = await writeShortGeoFit(dir, 4, [['Channel0', 'Channel3']]);
  expect(summary.diagnostics.verdict, summary.diagnostics.reasons.join('; ')).not.toBe('fail');
  const surface = await runMmm(['surface', '--run', dir, '--max-draws', '100']);
  expect(surface.stderr).toBe('');
  expect(surface.status).toBe(0);
}, 900_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Interval {
  mean: number;
}
interface GeoPlan {
  method: string;
  gap: number;
  budget: number;
  paidMedia: number;
  pairs: { pair: string; geo: string; channel: string; recommended: number; mroi: Interval }[];
  synergies: { geo: string; channels: [string, string]; recommended: number; current: number }[];
}

async function plan(...flags: string[]): Promise<GeoPlan> {
  const result = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--json', '-', ...flags]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as GeoPlan;
}

describe('mmm optimize --by geo on a model with a synergy pair', () => {
  it('answers exactly with a budget alone, one synergy term per geo in the plan', async () => {
    const result = await plan();
    expect(result.method).toBe('dp');
    expect(result.gap).toBeLessThan(1e-12);
    expect(result.pairs.reduce((sum, p) => sum + p.recommended, 0)).toBeCloseTo(result.budget, 3);
    expect(result.synergies.map((s) => [s.geo, ...s.channels])).toEqual(
      ['Geo0', 'Geo1', 'Geo2', 'Geo3'].map((geo) => [geo, 'Channel0', 'Channel3']),
    );
    expect(result.synergies.every((s) => s.current !== 0)).toBe(true);
    const terms = result.synergies.reduce((sum, s) => sum + s.recommended, 0);
    console.log(
      `mmm optimize --by geo (pair Channel0 x Channel3), budget ${result.budget.toFixed(0)}: ${result.method}, gap ${result.gap}, ` +
        `paid media ${result.paidMedia.toFixed(0)}, synergy terms ${terms.toFixed(0)} ` +
        `(${result.synergies.map((s) => `${s.geo} ${s.recommended.toFixed(0)}, current ${s.current.toFixed(0)}`).join('; ')})`,
    );
    const text = await runMmm(['optimize', '--run', dir, '--by', 'geo']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("each geo's synergy pairs by the tree DP");
    expect(text.stdout).toMatch(/synergy terms\s+4 by geo \(model\.interactions\)/);
  });

  it('relaxes market and channel totals together, reporting its gap', async () => {
    const result = await plan('--geo-min', 'Geo1=95%', '--geo-max', 'Geo0=105%', '--min', 'Channel0=90%', '--max', 'Channel3=110%');
    console.log(
      `mmm optimize --by geo with geo and channel totals (pair Channel0 x Channel3): ${result.method}, gap ${(100 * result.gap).toFixed(4)}%`,
    );
    expect(result.method).toBe('lagrangian');
    expect(result.gap).toBeLessThanOrEqual(0.005);
  });

  it("gives each pair's mROI with its synergy term's slope: not its own curve's for the paired channels, equal for the others", async () => {
    const result = await plan();
    const run = await loadMarketQueryRun(dir, DEFAULT_CAP);
    const { curves, calibration } = run;
    const spend = Float64Array.from(result.pairs, (p) => p.recommended);
    result.pairs.forEach((row, p) => {
      const own = calibration.factor * curves.mean.marginal(p, spend[p]);
      const withTerms = calibration.factor * curves.mean.marginalAt(p, spend);
      expect(Math.abs(row.mroi.mean - withTerms)).toBeLessThanOrEqual(1e-9 * Math.abs(withTerms) + 1e-12);
      // The term's slope along one channel is zero where its partner spends nothing (the term is then 0 along it).
      const partner = result.pairs.findIndex(
        (q) => q.geo === row.geo && q.channel === { Channel0: 'Channel3', Channel3: 'Channel0' }[row.channel],
      );
      if (partner >= 0 && spend[partner] > 0) expect(withTerms).not.toBe(own);
      else expect(withTerms).toBe(own);
    });
    const geo0 = result.pairs.findIndex((p) => p.pair === 'Geo0/Channel0');
    console.log(
      `Geo0/Channel0 mROI at the plan ${result.pairs[geo0].mroi.mean.toFixed(4)} (its own curve's slope ${(calibration.factor * curves.mean.marginal(geo0, spend[geo0])).toFixed(4)})`,
    );
  });
});
