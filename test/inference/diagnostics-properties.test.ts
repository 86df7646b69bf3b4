/** Properties of the diagnostics that need no reference software: invariances, edge cases, input errors, the FFT. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DiagnosticsInputError,
  ebfmi,
  essBulk,
  essTail,
  splitRhat,
  summarizeParameter,
  summarizeParameters,
} from '../../src/inference/diagnostics/index.ts';
import { sortWithPermutation } from '../../src/inference/diagnostics/argsort.ts';
import { AutocovarianceFft, MeanAutocovariance } from '../../src/inference/diagnostics/autocovariance.ts';
import { quantileOfSorted } from '../../src/inference/diagnostics/quantile.ts';

const loadChains = (name: string): Float64Array[] => {
  const raw = readFileSync(new URL(`../fixtures/diagnostics/${name}.json`, import.meta.url), 'utf8');
  return z
    .object({ chains: z.array(z.array(z.number())) })
    .parse(JSON.parse(raw))
    .chains.map((c) => Float64Array.from(c));
};
const ar1 = loadChains('ar1_rho09_4x500');
const shifted = loadChains('shifted_means_4x500');

describe('rank-based invariances', () => {
  it('R-hat, bulk and tail ESS do not depend on the order of the chains', () => {
    const reordered = [shifted[2], shifted[0], shifted[3], shifted[1]];
    expect(splitRhat(reordered)).toBeCloseTo(splitRhat(shifted), 12);
    expect(essBulk(reordered)).toBeCloseTo(essBulk(shifted), 9);
    expect(essTail(reordered)).toBeCloseTo(essTail(shifted), 9);
  });

  it('bulk and tail ESS are unchanged by a strictly increasing transform of the draws', () => {
    const transformed = ar1.map((chain) => chain.map((x) => Math.exp(2 * x) + 3));
    expect(essBulk(transformed)).toBe(essBulk(ar1));
    expect(essTail(transformed)).toBe(essTail(ar1));
  });

  it('bulk ESS falls far below the draw count for sticky chains and stays near it for independent ones', () => {
    expect(essBulk(ar1)).toBeLessThan(100);
    expect(essBulk(loadChains('iid_normal_4x500'))).toBeGreaterThan(1500);
  });
});

describe('degenerate draws', () => {
  const constant = [new Float64Array(10).fill(2.5), new Float64Array(10).fill(2.5)];

  it('R-hat of draws identical everywhere is NaN; ESS is the number of split draws (as ArviZ)', () => {
    expect(splitRhat(constant)).toBeNaN();
    expect(essBulk(constant)).toBe(20);
    expect(essTail(constant)).toBe(20);
  });

  it('chains each stuck at a different value have infinite R-hat', () => {
    expect(splitRhat([new Float64Array(8).fill(1), new Float64Array(8).fill(2)])).toBe(Number.POSITIVE_INFINITY);
  });

  it('a NaN or infinite draw makes every statistic NaN', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const chains = ar1.map((chain) => chain.slice());
      chains[1][17] = bad;
      expect(splitRhat(chains)).toBeNaN();
      expect(essBulk(chains)).toBeNaN();
      expect(essTail(chains)).toBeNaN();
      expect(Object.values(summarizeParameter(chains)).every(Number.isNaN)).toBe(true);
    }
  });
});

describe('input shape', () => {
  it('rejects ragged chains, naming the chain', () => {
    expect(() => splitRhat([new Float64Array(10), new Float64Array(9)])).toThrow(
      new DiagnosticsInputError('splitRhat: chain 1 has 9 draws but chain 0 has 10'),
    );
  });

  it('rejects no chains and chains shorter than four draws', () => {
    expect(() => essBulk([])).toThrow(DiagnosticsInputError);
    expect(() => essTail([Float64Array.of(1, 2, 3)])).toThrow('essTail: 3 draws per chain; at least 4 are needed');
  });

  it('summarizeParameters equals summarizeParameter per parameter and rejects a parameter of another shape', () => {
    const summaries = summarizeParameters([
      { name: 'a', chains: ar1 },
      { name: 'b', chains: shifted },
    ]);
    expect(summaries).toEqual([
      { name: 'a', ...summarizeParameter(ar1) },
      { name: 'b', ...summarizeParameter(shifted) },
    ]);
    expect(() =>
      summarizeParameters([
        { name: 'a', chains: ar1 },
        { name: 'beta[TV]', chains: ar1.slice(0, 3) },
      ]),
    ).toThrow('beta[TV]: 3 chains x 500 draws, but the other parameters have 4 chains x 500 draws');
  });
});

describe('ebfmi edge cases', () => {
  it('is NaN when the energy never changes or there is a single draw', () => {
    expect(ebfmi(new Float64Array(50).fill(0.1))).toBeNaN();
    expect(ebfmi(Float64Array.of(3))).toBeNaN();
  });

  it('equals sum of squared jumps over sum of squared deviations on a hand-computed trace', () => {
    // E = 1, 3, 2, 6: jumps 4 + 1 + 16 = 21; mean 3, deviations 4 + 0 + 1 + 9 = 14.
    expect(ebfmi(Float64Array.of(1, 3, 2, 6))).toBeCloseTo(21 / 14, 15);
  });
});

describe('quantileOfSorted (type 7)', () => {
  it('interpolates linearly between order statistics at h = (n - 1) p', () => {
    const sorted = Float64Array.of(1, 2, 4, 8);
    expect(quantileOfSorted(sorted, 0)).toBe(1);
    expect(quantileOfSorted(sorted, 0.5)).toBe(3);
    expect(quantileOfSorted(sorted, 0.05)).toBeCloseTo(1.15, 15);
    expect(quantileOfSorted(sorted, 0.9)).toBeCloseTo(6.8, 14);
    expect(quantileOfSorted(sorted, 1)).toBe(8);
  });
});

describe('autocovariance', () => {
  const direct = (x: Float64Array, lag: number): number => {
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    let sum = 0;
    for (let t = 0; t + lag < x.length; t++) sum += (x[t] - mean) * (x[t + lag] - mean);
    return sum / x.length;
  };

  it.each([1, 2, 37, 64, 500])('AutocovarianceFft matches the direct sum at every lag for n = %i', (n) => {
    const a = ar1[0].subarray(0, n);
    const b = shifted[3].subarray(0, n);
    const outA = new Float64Array(n);
    const outB = new Float64Array(n);
    new AutocovarianceFft(n).computePair(a, b, outA, outB);
    for (let lag = 0; lag < n; lag++) {
      expect(outA[lag]).toBeCloseTo(direct(a, lag), 12);
      expect(outB[lag]).toBeCloseTo(direct(b, lag), 12);
    }
  });

  it('MeanAutocovariance averages over chains at every lag, below and beyond its switch to the FFT', () => {
    const series = new Float64Array(4 * 100);
    [ar1[0], ar1[1], shifted[2], shifted[3]].forEach((chain, k) => series.set(chain.subarray(0, 100), k * 100));
    const gamma = new MeanAutocovariance(4, 100);
    gamma.load(series);
    const expected = (lag: number): number =>
      [0, 1, 2, 3].reduce((sum, k) => sum + direct(series.subarray(k * 100, (k + 1) * 100), lag), 0) / 4;
    expect(gamma.at(60)).toBeCloseTo(expected(60), 12);
    for (let lag = 0; lag < 100; lag++) expect(gamma.at(lag)).toBeCloseTo(expected(lag), 12);
    expect(gamma.chainMeans[2]).toBeCloseTo(shifted[2].subarray(0, 100).reduce((s, v) => s + v, 0) / 100, 14);
  });
});

describe('sortWithPermutation', () => {
  it.each([1, 15, 16, 17, 100, 1001])('sorts %i values with ties stably and returns the permutation', (n) => {
    // Values from a fixture rounded to one decimal, so that many tie.
    const values = Float64Array.from({ length: n }, (_, i) => Math.round(ar1[i % 4][i % 500] * 10) / 10);
    const buffers = {
      sorted: new Float64Array(n),
      order: new Uint32Array(n),
      scratchValues: new Float64Array(n),
      scratchOrder: new Uint32Array(n),
    };
    sortWithPermutation(values, buffers);
    expect(Array.from(buffers.sorted)).toEqual(Array.from(values).sort((a, b) => a - b));
    const stableOrder = Array.from(values.keys()).sort((a, b) => values[a] - values[b] || a - b);
    expect(Array.from(buffers.order)).toEqual(stableOrder);
  });
});
