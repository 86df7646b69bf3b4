/**
 * The posterior outcome of one allocation, as the enumerated surface stores it and score() reports it.
 * Calibrated values are k x raw; since k > 0, quantiles of calibrated draws are k x raw quantiles.
 */
import { summarizeDraws, type IntervalWithMedian } from '../analysis/interval.ts';
import type { CalibratedCurves } from './calibration.ts';

export interface ScenarioOutcome {
  totalSpend: number;
  outcomeRaw: IntervalWithMedian;
  outcome: IntervalWithMedian;
  /** Posterior-mean outcome from paid media, calibrated. */
  incrementalMean: number;
  /** incrementalMean / totalSpend; null at zero spend. */
  roi: number | null;
  /** sum_c share_c d outcome / d spend_c (synergy terms included), calibrated: the return on the next unit spent in this mix (current mix at zero spend). */
  mroi: number;
  /** Posterior-mean incremental outcome per channel, calibrated, with half of each synergy term the channel is part of. */
  contributionMeans: Float64Array;
}

export const scaleInterval = (s: IntervalWithMedian, k: number): IntervalWithMedian => ({
  mean: k * s.mean,
  p05: k * s.p05,
  p50: k * s.p50,
  p95: k * s.p95,
});

/** Fills `rawDraws` with the raw outcome per draw and summarises the scenario. */
export function evaluateScenario({ curves, calibration }: CalibratedCurves, spend: Float64Array, rawDraws: Float64Array): ScenarioOutcome {
  const k = calibration.factor;
  curves.outcomeDraws(spend, rawDraws);
  const outcomeRaw = summarizeDraws(rawDraws);
  const totalSpend = spend.reduce((sum, s) => sum + s, 0);
  const shares = totalSpend > 0 ? spend.map((s) => s / totalSpend) : curves.historicalSpend.map((s) => s / curves.totalHistoricalSpend);
  const contributionMeans = spend.map((s, c) => k * curves.mean.value(c, s));
  // A synergy term goes half to each channel of its pair (the Shapley split of a bilinear term, as the fit reports it).
  curves.pairGrids?.pairs.forEach(([c, e], p) => {
    const half = 0.5 * k * curves.mean.pairValue(p, spend[c], spend[e]);
    contributionMeans[c] += half;
    contributionMeans[e] += half;
  });
  const incrementalMean = contributionMeans.reduce((sum, v) => sum + v, 0);
  const mroi = k * shares.reduce((sum, share, c) => sum + share * curves.mean.marginalAt(c, spend), 0);
  return {
    totalSpend,
    outcomeRaw,
    outcome: scaleInterval(outcomeRaw, k),
    incrementalMean,
    roi: totalSpend > 0 ? incrementalMean / totalSpend : null,
    mroi,
    contributionMeans,
  };
}
