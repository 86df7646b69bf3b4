import { describe, expect, it } from 'vitest';
import { adstockGeometricSeries, geometric } from '../../../src/model/adstock/geometric.ts';
import { convolveAdstock } from '../../../src/model/adstock/lag-weights.ts';

/** The normalised weights and their derivatives for decay a, as geometric.prepare leaves them. */
function normalisedWeights(decay: number, maxLag: number): { weights: Float64Array; dWeights: Float64Array } {
  const weights = new Float64Array(maxLag + 1);
  const dWeights = new Float64Array(maxLag + 1);
  geometric.prepare(decay, weights, dWeights);
  return { weights, dWeights };
}

describe('geometric adstock recursion', () => {
  const x = Float64Array.from([0, 0, 3, 0, 1.5, 0, 0, 0, 0, 0, 0, 2, 0.1, 0, 0, 0, 0, 0, 0, 0]);

  it.each([
    [0.1, 3],
    [0.5, 4],
    [0.95, 8],
  ])('equals the direct convolution with normalised weights (a = %d, maxLag = %d)', (decay, maxLag) => {
    const weights = normalisedWeights(decay, maxLag).weights;
    const direct = new Float64Array(x.length);
    const recursive = new Float64Array(x.length);
    convolveAdstock(x, 0, x.length, weights, direct, 0);
    adstockGeometricSeries(x, 0, x.length, decay, weights, recursive, 0);
    for (let t = 0; t < x.length; t++) expect(recursive[t]).toBeCloseTo(direct[t], 14);
  });

  it('is exactly zero once the window has emptied (no rounding residue)', () => {
    const out = new Float64Array(x.length);
    adstockGeometricSeries(x, 0, x.length, 0.7, normalisedWeights(0.7, 3).weights, out, 0);
    // 0 or -0 (both no media to every curve)
    expect(Array.from(out.subarray(9, 11), Math.abs)).toEqual([0, 0]);
    expect(Array.from(out.subarray(16), Math.abs)).toEqual([0, 0, 0, 0]);
  });

  it.each([
    [0.1, 3],
    [0.5, 0],
    [0.95, 8],
  ])('has the decay adjoint of the convolution: central differences of sum_t uBar_t u_t (a = %d, maxLag = %d)', (decay, maxLag) => {
    const uBar = Float64Array.from(x, (_, t) => Math.cos(t));
    const loss = (a: number): number => {
      const out = new Float64Array(x.length);
      convolveAdstock(x, 0, x.length, normalisedWeights(a, maxLag).weights, out, 0);
      return out.reduce((sum, u, t) => sum + uBar[t] * u, 0);
    };
    const h = 1e-6;
    const numeric = (loss(decay + h) - loss(decay - h)) / (2 * h);
    const { weights, dWeights } = normalisedWeights(decay, maxLag);
    expect(geometric.decayAdjoint(x, 0, uBar, 0, x.length, decay, weights, dWeights)).toBeCloseTo(numeric, 7);
  });
});
