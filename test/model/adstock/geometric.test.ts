import { describe, expect, it } from 'vitest';
import { adstockGeometricSeries, geometric } from '../../../src/model/adstock/geometric.ts';
import { convolveAdstock } from '../../../src/model/adstock/lag-weights.ts';

describe('geometric adstock recursion', () => {
  const x = Float64Array.from([0, 0, 3, 0, 1.5, 0, 0, 0, 0, 0, 0, 2, 0.1, 0, 0, 0, 0, 0, 0, 0]);

  it.each([
    [0.1, 3],
    [0.5, 4],
    [0.95, 8],
  ])('equals the direct convolution with normalised weights (a = %d, maxLag = %d)', (decay, maxLag) => {
    const weights = new Float64Array(maxLag + 1);
    geometric.weights(decay, weights, new Float64Array(maxLag + 1));
    const direct = new Float64Array(x.length);
    const recursive = new Float64Array(x.length);
    convolveAdstock(x, 0, x.length, weights, direct, 0);
    adstockGeometricSeries(x, 0, x.length, decay, maxLag, recursive, 0);
    for (let t = 0; t < x.length; t++) expect(recursive[t]).toBeCloseTo(direct[t], 14);
  });

  it('is exactly zero once the window has emptied (no rounding residue)', () => {
    const out = new Float64Array(x.length);
    adstockGeometricSeries(x, 0, x.length, 0.7, 3, out, 0);
    expect(Array.from(out.subarray(9, 11))).toEqual([0, 0]);
    expect(Array.from(out.subarray(16))).toEqual([0, 0, 0, 0]);
  });
});
