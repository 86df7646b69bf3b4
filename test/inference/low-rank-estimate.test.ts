import { describe, expect, it } from 'vitest';
import { DrawGradientWindow, estimateScaledEigenpairs, geometricMean } from '../../src/inference/low-rank-estimate.ts';
import { createRng } from '../../src/math/rng.ts';
import { spikedGaussian } from './targets.ts';

describe('geometricMean', () => {
  it('is sqrt(a / b) for diagonal matrices', () => {
    const sigma = geometricMean(Float64Array.of(1, 0, 0, 0, 4, 0, 0, 0, 8), Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 0.5), 3);
    expect(Array.from(sigma)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 4].map((x) => expect.closeTo(x, 12)));
  });

  it('solves Sigma b Sigma = a for random SPD a and b', () => {
    const k = 6;
    const rng = createRng(2, 0);
    const spd = (): Float64Array => {
      const x = Float64Array.from({ length: k * k }, () => rng.normal());
      const out = new Float64Array(k * k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let m = 0; m < k; m++) out[i * k + j] += x[i * k + m] * x[j * k + m];
      for (let i = 0; i < k; i++) out[i * k + i] += 0.1;
      return out;
    };
    const a = spd();
    const b = spd();
    const sigma = geometricMean(a.slice(), b.slice(), k);
    const product = (x: Float64Array, y: Float64Array): Float64Array => {
      const out = new Float64Array(k * k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let m = 0; m < k; m++) out[i * k + j] += x[i * k + m] * y[m * k + j];
      return out;
    };
    const sbs = product(product(sigma, b), sigma);
    for (let i = 0; i < k * k; i++) expect(sbs[i]).toBeCloseTo(a[i], 8);
  });
});

describe('DrawGradientWindow', () => {
  it('keeps the latest rows, forgetting the oldest when full and on keepLatest', () => {
    const window = new DrawGradientWindow(1, 3);
    for (let r = 1; r <= 4; r++) window.add(Float64Array.of(r), Float64Array.of(-r));
    expect(window.samples).toBe(3);
    expect([0, 1, 2].map((r) => window.draw(r)[0])).toEqual([2, 3, 4]);
    window.keepLatest(2);
    window.add(Float64Array.of(5), Float64Array.of(-5));
    expect([0, 1, 2].map((r) => [window.draw(r)[0], window.grad(r)[0]])).toEqual([
      [3, -3],
      [4, -4],
      [5, -5],
    ]);
  });
});

describe('estimateScaledEigenpairs', () => {
  it('recovers the scaled covariance of a Gaussian from exact draws and gradients', () => {
    // For a Gaussian, gradients are -P x, so Sigma~ B Sigma~ = A holds for the true scaled covariance.
    const dim = 8;
    const target = spikedGaussian({ dim, spikes: 2, spikeVariance: 50, seed: 4 });
    const rng = createRng(9, 0);
    const window = new DrawGradientWindow(dim, 200);
    const grad = new Float64Array(dim);
    for (let r = 0; r < 200; r++) {
      const x = Float64Array.from({ length: dim }, () => 3 * rng.normal());
      target.logDensityGradient(x, grad);
      window.add(x, grad);
    }
    const diagonal = Float64Array.from({ length: dim }, (_, i) => 0.5 + i);
    const { values, vectors, count } = estimateScaledEigenpairs(window, diagonal);
    expect(count).toBe(dim);
    // Sigma = I + 49 sum u u'; compare D^1/2 (sum_j L_j v_j v_j') D^1/2 with it.
    for (let i = 0; i < dim; i++) {
      for (let k = 0; k < dim; k++) {
        let scaled = 0;
        for (let j = 0; j < count; j++) scaled += values[j] * vectors[j * dim + i] * vectors[j * dim + k];
        let truth = i === k ? 1 : 0;
        for (const u of target.directions) truth += 49 * u[i] * u[k];
        // Exact up to the ridge gamma = 1e-5 against sums of squares of order 200 x 50.
        expect(Math.abs(Math.sqrt(diagonal[i] * diagonal[k]) * scaled - truth)).toBeLessThan(1e-4 * Math.max(1, Math.abs(truth)));
      }
    }
  });

  it('works in the span of the latest draws and gradients when they do not fill the space', () => {
    const dim = 300;
    const target = spikedGaussian({ dim, spikes: 1, spikeVariance: 100, seed: 5 });
    const rng = createRng(10, 0);
    const window = new DrawGradientWindow(dim, 80);
    const grad = new Float64Array(dim);
    for (let r = 0; r < 80; r++) {
      const x = Float64Array.from({ length: dim }, () => rng.normal());
      target.logDensityGradient(x, grad);
      window.add(x, grad);
    }
    const { values, vectors, count } = estimateScaledEigenpairs(window, new Float64Array(dim).fill(1));
    expect(count).toBeLessThanOrEqual(100);
    // The eigenvectors are orthonormal in the full space.
    for (let j = 0; j < count; j += 17) {
      const row = vectors.subarray(j * dim, (j + 1) * dim);
      expect(row.reduce((acc, x) => acc + x * x, 0)).toBeCloseTo(1, 10);
    }
    expect(values.every((value) => value > 0 && Number.isFinite(value))).toBe(true);
  });

  it('gives the identity for a standard normal whose draws do not span the space (n < dim <= 2n)', () => {
    // A = B = X X' + gamma I with rank-deficient X X': eigenvalues from 1e-5 to ~80 in both, 1e-10 to
    // ~6e3 in B^1/2 A B^1/2, whose small ones the square roots then magnify 1e5-fold: what float64 keeps
    // of them is a few per cent (RIDGE in low-rank-estimate.ts), and every value stays positive.
    const dim = 100;
    const rng = createRng(11, 0);
    const window = new DrawGradientWindow(dim, 80);
    for (let r = 0; r < 80; r++) {
      const x = Float64Array.from({ length: dim }, () => rng.normal());
      window.add(
        x,
        x.map((v) => -v),
      );
    }
    const { values } = estimateScaledEigenpairs(window, new Float64Array(dim).fill(1));
    const worst = Math.max(...Array.from(values, (value) => Math.abs(value - 1)));
    console.log(`standard normal, 80 draws in 100 dimensions: largest |eigenvalue - 1| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(0.15);
  });

  it('needs two draws', () => {
    const window = new DrawGradientWindow(2, 4);
    window.add(Float64Array.of(1, 2), Float64Array.of(0, 1));
    expect(() => estimateScaledEigenpairs(window, Float64Array.of(1, 1))).toThrow(/at least 2 draws, got 1/);
  });
});
