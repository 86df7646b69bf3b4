import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/inference/symmetric-eigen.ts';
import { createRng } from '../../src/math/rng.ts';

/** A random symmetric n x n matrix X + X' with standard normal X. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = createRng(seed, 0);
  const x = Float64Array.from({ length: n * n }, () => rng.normal());
  return Float64Array.from({ length: n * n }, (_, index) => x[index] + x[(index % n) * n + Math.floor(index / n)]);
}

describe('symmetricEigen', () => {
  it('decomposes [[2, 1], [1, 2]] into eigenvalues 1 and 3 with directions (1, -1) and (1, 1) / sqrt 2', () => {
    const values = new Float64Array(2);
    const vectors = new Float64Array(4);
    symmetricEigen(Float64Array.of(2, 1, 1, 2), 2, values, vectors);
    const order = values[0] < values[1] ? [0, 1] : [1, 0];
    expect(values[order[0]]).toBeCloseTo(1, 14);
    expect(values[order[1]]).toBeCloseTo(3, 14);
    const small = vectors.subarray(order[0] * 2, order[0] * 2 + 2);
    expect(Math.abs(small[0] + small[1])).toBeLessThan(1e-14);
    expect(Math.abs(small[0])).toBeCloseTo(Math.SQRT1_2, 14);
  });

  it.each([1, 3, 17, 60])('reconstructs a random symmetric matrix of size %i from orthonormal eigenvectors', (n) => {
    const a = randomSymmetric(n, n);
    const values = new Float64Array(n);
    const vectors = new Float64Array(n * n);
    symmetricEigen(a.slice(), n, values, vectors);
    let scale = 0;
    for (const x of a) scale = Math.max(scale, Math.abs(x));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let reconstructed = 0;
        let inner = 0;
        for (let m = 0; m < n; m++) {
          reconstructed += values[m] * vectors[m * n + i] * vectors[m * n + j];
          inner += vectors[i * n + m] * vectors[j * n + m];
        }
        expect(Math.abs(reconstructed - a[i * n + j])).toBeLessThan(1e-12 * scale * n);
        expect(Math.abs(inner - (i === j ? 1 : 0))).toBeLessThan(1e-12 * n);
      }
    }
  });

  it('keeps the relative accuracy of tiny eigenvalues next to large ones', () => {
    // R diag(1e4, 1e-10, 1) R' for a rotation R mixing all three axes.
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const rotation = [
      [c, -s, 0],
      [s * c, c * c, -s],
      [s * s, c * s, c],
    ];
    const diagonal = [1e4, 1e-10, 1];
    const a = new Float64Array(9);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) for (let m = 0; m < 3; m++) a[i * 3 + j] += rotation[i][m] * diagonal[m] * rotation[j][m];
    }
    const values = new Float64Array(3);
    symmetricEigen(a, 3, values, new Float64Array(9));
    const sorted = Array.from(values).sort((x, y) => x - y);
    // The rounding of a itself (~1e-12 absolute) bounds what any solver can recover; the value stays positive and close.
    expect(sorted[0]).toBeGreaterThan(0);
    expect(Math.abs(sorted[0] - 1e-10)).toBeLessThan(1e-2 * 1e-10 + 1e-11);
  });

  it('refuses buffers of the wrong size', () => {
    expect(() => symmetricEigen(new Float64Array(4), 3, new Float64Array(3), new Float64Array(9))).toThrow(/3 x 3/);
  });
});
