/** Gamma and Student-t variates: moments and quantiles over many draws against the distributions' own. */
import { describe, expect, it } from 'vitest';
import { studentTCdf } from '../../src/math/distributions.ts';
import { gammaVariate, studentTVariate } from '../../src/math/random-variates.ts';
import { createRng } from '../../src/math/rng.ts';

const N = 200_000;

describe('gammaVariate', () => {
  it.each([0.4, 1, 2.5, 9])('has mean and variance equal to the shape %s', (shape) => {
    const rng = createRng(3, 0);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < N; i++) {
      const x = gammaVariate(rng, shape);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / N;
    const variance = sumSq / N - mean * mean;
    // Monte Carlo sd of the mean is sqrt(shape / N); 5 sd.
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / N));
    expect(Math.abs(variance / shape - 1)).toBeLessThan(0.03);
  });

  it('refuses a shape that is not positive', () => {
    expect(() => gammaVariate(createRng(1, 0), 0)).toThrow('gamma shape 0');
  });
});

describe('studentTVariate', () => {
  it('puts the Student-t probability below its quantiles (nu = 5)', () => {
    const rng = createRng(4, 0);
    const draws = Float64Array.from({ length: N }, () => studentTVariate(rng, 5)).sort();
    for (const x of [-2.015, -1, 0, 0.5, 2.571]) {
      let below = 0;
      while (below < N && draws[below] <= x) below++;
      expect(Math.abs(below / N - studentTCdf(x, 5))).toBeLessThan(0.005);
    }
  });
});
