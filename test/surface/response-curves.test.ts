import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { calibratedRun, FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';

const { curves } = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 200, seed: 4 }));

/** g_{c,d}(spend) for every draw, through the per-draw interpolation. */
function perDraw(channel: number, spend: number): Float64Array {
  const out = new Float64Array(curves.nDraws);
  curves.addChannel(channel, spend, out);
  return out;
}

describe('draw-weighted curves', () => {
  const rng = createRng(8, 1);
  // A quantile's tail weights: most draws at zero.
  const sparse = Float64Array.from({ length: curves.nDraws }, () => (rng.uniform() < 0.2 ? rng.uniform() : 0));
  const dense = Float64Array.from({ length: curves.nDraws }, () => rng.uniform() - 0.3);

  it.each([
    ['sparse', sparse],
    ['dense, negative weights included', dense],
  ])('equal sum_d w_d g_{c,d}(spend) (%s)', (_, weights) => {
    const weighted = curves.weighted(weights);
    curves.channels.forEach((_, c) => {
      for (const factor of [0, 0.37, 1, 1.9, curves.cap]) {
        const spend = factor * curves.historicalSpend[c];
        const expected = perDraw(c, spend).reduce((sum, v, d) => sum + weights[d] * v, 0);
        expect(Math.abs(weighted.value(c, spend) - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
      }
    });
  });

  it('are zero when every weight is', () => {
    const weighted = curves.weighted(new Float64Array(curves.nDraws));
    expect(weighted.value(0, curves.historicalSpend[0])).toBe(0);
  });
});
