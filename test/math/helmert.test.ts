import { describe, expect, it } from 'vitest';
import { helmertApply, helmertTranspose } from '../../src/math/helmert.ts';
import { createRng } from '../../src/math/rng.ts';

/** The dense n x (n - 1) Helmert basis, from its definition (column k - 1 holds contrast k), row-major. */
function denseHelmert(n: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n - 1 }, (_, column) => {
      const k = column + 1;
      const norm = Math.sqrt(k * (k + 1));
      return i < k ? 1 / norm : i === k ? -k / norm : 0;
    }),
  );
}

const randomVector = (length: number, seed: number) => {
  const rng = createRng(seed, 0);
  return Float64Array.from({ length }, () => rng.normal());
};

describe.each([2, 3, 7, 100])('Helmert basis of %i values', (n) => {
  const q = denseHelmert(n);

  it('has orthonormal columns, each orthogonal to the all-ones vector', () => {
    for (let a = 0; a < n - 1; a++) {
      expect(q.reduce((sum, row) => sum + row[a], 0)).toBeCloseTo(0, 12);
      for (let b = 0; b < n - 1; b++) expect(q.reduce((sum, row) => sum + row[a] * row[b], 0)).toBeCloseTo(a === b ? 1 : 0, 12);
    }
  });

  it('applies Q in O(n) as the dense product does', () => {
    const z = randomVector(n - 1, n);
    const d = new Float64Array(n);
    helmertApply(z, d);
    for (let i = 0; i < n; i++)
      expect(d[i]).toBeCloseTo(
        q[i].reduce((sum, v, k) => sum + v * z[k], 0),
        12,
      );
    expect(d.reduce((sum, v) => sum + v, 0)).toBeCloseTo(0, 12);
  });

  it("applies Q' as the adjoint of Q: <Q z, d> = <z, Q'd>, and Q'Q z = z", () => {
    const z = randomVector(n - 1, 2 * n);
    const d = randomVector(n, 3 * n);
    const qz = new Float64Array(n);
    const qtd = new Float64Array(n - 1);
    helmertApply(z, qz);
    helmertTranspose(d, qtd);
    for (let k = 0; k < n - 1; k++)
      expect(qtd[k]).toBeCloseTo(
        q.reduce((sum, row, i) => sum + row[k] * d[i], 0),
        12,
      );
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, v, i) => sum + v * b[i], 0);
    expect(dot(qz, d)).toBeCloseTo(dot(z, qtd), 10);
    const back = new Float64Array(n - 1);
    helmertTranspose(qz, back);
    for (let k = 0; k < n - 1; k++) expect(back[k]).toBeCloseTo(z[k], 12);
  });
});
