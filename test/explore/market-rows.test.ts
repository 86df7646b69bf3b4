/**
 * The rows by market (src/explore/market-rows.ts) on known curves by market: each pair's incremental outcome,
 * ROI and mROI at its historical spend against the known curves evaluated directly (not through the stored
 * components), pairs without spend left out, and the plan's rows with the optimiser's method and gap.
 */
import { describe, expect, it } from 'vitest';
import { summarizeDraws } from '../../src/analysis/interval.ts';
import { geoChannelSummaryRows, geoRecommendationRows, NotByMarketError } from '../../src/explore/market-rows.ts';
import { optimizeMarkets } from '../../src/explore/market-optimizer.ts';
import { calibratedRun, FIVE_CHANNELS, knownMarketRun, randomCurveSource } from '../support/known-curve-source.ts';

const GEOS = ['US', 'CA', 'MX'];
// MX spends nothing on tv: the pair has no curve to scale and no row.
const { source, run } = knownMarketRun({
  geos: GEOS,
  perGeo: (g) =>
    FIVE_CHANNELS.map((c) => ({ ...c, spend: g === 2 && c.name === 'tv' ? 0 : c.spend * (1 + 0.5 * g), beta: c.beta * (1 + g) })),
  nDraws: 200,
  seed: 11,
});
const k = run.calibration.factor;

/** The known curve of pair p at factor f per draw, calibrated. */
const truth = (p: number, factor: number) => Float64Array.from({ length: source.nDraws }, (_, d) => k * source.contribution(p, factor, d));

describe('geoChannelSummaryRows', () => {
  const rows = geoChannelSummaryRows('run-1', run);

  it('has one row per pair with spend, named by geo and channel', () => {
    expect(rows).toHaveLength(GEOS.length * FIVE_CHANNELS.length - 1);
    expect(rows.some((r) => r.geo === 'MX' && r.channel === 'tv')).toBe(false);
    expect(rows.map((r) => `${r.geo}/${r.channel}`)).toEqual([...run.curves.channels]);
  });

  it('gives the incremental outcome and ROI of the known curves at historical spend (to 1e-6), and their mROI (within 3%)', () => {
    let worst = 0;
    rows.forEach((row, p) => {
      const spend = run.curves.historicalSpend[p];
      expect(row.spend).toBe(spend);
      const incremental = summarizeDraws(truth(p, 1));
      expect(row.incremental_outcome_mean / incremental.mean, row.geo + row.channel).toBeCloseTo(1, 6);
      expect(row.incremental_outcome_p05 / incremental.p05).toBeCloseTo(1, 6);
      expect(row.incremental_outcome_p95 / incremental.p95).toBeCloseTo(1, 6);
      expect(row.roi_mean * spend).toBeCloseTo(row.incremental_outcome_mean, 6);
      expect(row.roi_p05).toBeLessThanOrEqual(row.roi_mean);
      expect(row.roi_p95).toBeGreaterThanOrEqual(row.roi_mean);
      // mROI against a central difference of the known curve: d/ds g(f) = g'(f) / spend.
      const h = 1e-4;
      const up = truth(p, 1 + h);
      const down = truth(p, 1 - h);
      const slope = summarizeDraws(up.map((v, d) => (v - down[d]) / (2 * h * spend)));
      worst = Math.max(worst, Math.abs(row.mroi_mean - slope.mean) / Math.abs(slope.mean));
    });
    console.log(`worst relative error of the posterior-mean mROI against the known curves' derivative: ${(100 * worst).toFixed(2)}%`);
    // The mROI is the stored curves' slope (marginal.ts): the monotone cubic's derivative at a node of the markets'
    // factor grid, not the exact derivative; 2.68% printed on these S-shaped curves, bounded at 3%.
    expect(worst).toBeLessThan(0.03);
  });

  it('refuses national curves, which have no market index', () => {
    const national = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 20, seed: 1 }));
    expect(() => geoChannelSummaryRows('run-1', national)).toThrow(NotByMarketError);
  });
});

describe('geoRecommendationRows', () => {
  it('writes the plan per pair with its change against history, the method and the gap', () => {
    const result = optimizeMarkets(run, { budget: run.curves.totalHistoricalSpend });
    const rows = geoRecommendationRows(
      { requestId: 'req-1', runId: 'run-1', requestedAt: '2026-01-01T00:00:00.000Z', constraints: { by: 'geo' } },
      run,
      result,
    );
    expect(rows).toHaveLength(run.curves.channels.length);
    rows.forEach((row, p) => {
      expect(`${row.geo}/${row.channel}`).toBe(run.curves.channels[p]);
      expect(row.spend).toBe(result.plan.spend[p]);
      expect(row.delta_vs_current).toBeCloseTo(result.plan.spend[p] - run.curves.historicalSpend[p], 9);
      expect([row.rank, row.method, row.gap, row.outcome_mean]).toEqual([1, result.method, result.gap, result.plan.score.outcome.mean]);
    });
    expect(rows.reduce((s, r) => s + r.delta_vs_current, 0)).toBeCloseTo(0, 3);
  });
});
