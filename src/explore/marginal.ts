/**
 * Marginal returns per channel at an allocation: d outcome / d spend of the channel per posterior draw
 * (the limit of Meridian's mROI as the spend increment goes to 0), calibrated; with synergy pairs the slope of
 * each term the channel is part of, at the partner's spend in the allocation, is included.
 */
import { summarizeDraws, type IntervalWithMedian } from '../analysis/interval.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';

export interface MarginalReturn {
  channel: string;
  spend: number;
  mroi: IntervalWithMedian;
}

export function marginalReturns({ curves, calibration }: CalibratedCurves, spend: Float64Array): MarginalReturn[] {
  const draws = new Float64Array(curves.nDraws);
  return curves.channels.map((channel, c) => {
    draws.fill(0);
    curves.addMarginal(c, spend, draws);
    return { channel, spend: spend[c], mroi: summarizeDraws(draws.map((v) => v * calibration.factor)) };
  });
}
