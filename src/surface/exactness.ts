/**
 * How exactly stored components score allocations (issue 4, acceptance 1): the interpolated outcome per
 * draw against a direct evaluation of the same draws by the response source, over quasi-random
 * allocations spread across budgets and mixes. The error is relative to the paid-media outcome
 * (sum_c g_c + sum_p s_p), which is stricter than relative to the total: the baseline is exact by construction.
 */
import type { ResponseCurves } from './response-curves.ts';
import type { ChannelResponseSource } from './response-source.ts';
import { haltonPoints } from './halton.ts';
import { spendForBudget } from './scenario-design.ts';

export interface ExactnessReport {
  allocations: number;
  draws: number;
  /** max over allocations and draws of |interpolated - direct| / |direct|, paid-media outcome. */
  maxRelativeError: number;
  /** The same for the total outcome (baseline + paid media). */
  maxRelativeErrorTotal: number;
  /** Spend per channel of the allocation with the largest paid-media error. */
  worstAllocation: Float64Array;
}

/**
 * `count` allocations: Halton points in channels + 1 dimensions, the first giving the budget uniformly in
 * (0, maxBudgetLevel] x the historical total, the rest a uniform mix on the simplex (normalised exponentials),
 * capped to the stored range.
 */
export function quasiRandomAllocations(curves: ResponseCurves, count: number, maxBudgetLevel = 2): Float64Array[] {
  const maxSpend = Float64Array.from(curves.channels, (_, c) => curves.maxSpend(c));
  return haltonPoints(count, curves.channels.length + 1, 0).map((u) => {
    const e = u.subarray(1).map((v) => -Math.log(v));
    const sum = e.reduce((a, b) => a + b, 0);
    const budget = u[0] * maxBudgetLevel * curves.totalHistoricalSpend;
    return spendForBudget(
      e.map((v) => v / sum),
      budget,
      maxSpend,
      curves.historicalSpend,
    );
  });
}

export function interpolationExactness(
  curves: ResponseCurves,
  source: ChannelResponseSource,
  allocations: Float64Array[],
): ExactnessReport {
  const n = curves.nDraws;
  const interpolated = new Float64Array(n);
  const direct = new Float64Array(n);
  const channel = new Float64Array(n);
  const report: ExactnessReport = {
    allocations: allocations.length,
    draws: n,
    maxRelativeError: 0,
    maxRelativeErrorTotal: 0,
    worstAllocation: new Float64Array(0),
  };
  for (const spend of allocations) {
    interpolated.fill(0);
    direct.fill(0);
    curves.channels.forEach((_, c) => {
      curves.addChannel(c, spend[c], interpolated);
      source.channelContribution(c, spend[c] / curves.historicalSpend[c], channel);
      for (let d = 0; d < n; d++) direct[d] += channel[d];
    });
    curves.pairGrids?.pairs.forEach(([c, e], p) => {
      curves.addPair(p, spend[c], spend[e], interpolated);
      source.pairContribution!(p, spend[c] / curves.historicalSpend[c], spend[e] / curves.historicalSpend[e], channel);
      for (let d = 0; d < n; d++) direct[d] += channel[d];
    });
    for (let d = 0; d < n; d++) {
      const error = Math.abs(interpolated[d] - direct[d]);
      const relative = direct[d] === 0 ? (error === 0 ? 0 : Infinity) : error / Math.abs(direct[d]);
      if (relative > report.maxRelativeError) {
        report.maxRelativeError = relative;
        report.worstAllocation = spend;
      }
      report.maxRelativeErrorTotal = Math.max(report.maxRelativeErrorTotal, error / Math.abs(direct[d] + curves.baseline[d]));
    }
  }
  return report;
}
