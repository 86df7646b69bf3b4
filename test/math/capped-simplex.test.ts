import { describe, expect, it } from 'vitest';
import { CappedSimplexError, projectCappedSimplex } from '../../src/math/capped-simplex.ts';
import { createRng } from '../../src/math/rng.ts';

const distance = (a: Float64Array, b: Float64Array): number => Math.hypot(...a.map((v, i) => v - b[i]));

describe('projectCappedSimplex', () => {
  it('projects onto the plain simplex as the sort-based formula does (Held, Wolfe & Crowder)', () => {
    const y = Float64Array.from([0.9, -0.3, 0.4, 2]);
    const out = new Float64Array(4);
    projectCappedSimplex(y, new Float64Array(4), new Float64Array(4).fill(Infinity), 1, out);
    // Sorted 2, 0.9, 0.4, -0.3: tau = (2 - 1) / 1 = 1 keeps only the largest (0.9 - 1 < 0), so x = (0, 0, 0, 1).
    expect([...out]).toEqual([0, 0, 0, 1]);
    projectCappedSimplex(
      Float64Array.from([0.5, 0.5, 0.2]),
      new Float64Array(3),
      new Float64Array(3).fill(Infinity),
      3,
      out.subarray(0, 3),
    );
    // No coordinate reaches 0: tau = (1.2 - 3) / 3 = -0.6.
    [1.1, 1.1, 0.8].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 14));
  });

  it('is feasible, meets the total to rounding, and is nearer to y than any other feasible point (random cases)', () => {
    const rng = createRng(4, 0);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rng.uniform() * 15);
      const lower = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 10 * rng.uniform()));
      const upper = lower.map((l) => (rng.uniform() < 0.3 ? Infinity : l + 20 * rng.uniform()));
      const least = lower.reduce((a, b) => a + b, 0);
      const most = upper.reduce((a, b) => a + b, 0);
      const total = Number.isFinite(most) ? least + rng.uniform() * (most - least) : least + 100 * rng.uniform();
      const y = Float64Array.from({ length: n }, () => 30 * rng.normal());
      const x = new Float64Array(n);
      projectCappedSimplex(y, lower, upper, total, x);
      expect(Math.abs(x.reduce((a, b) => a + b, 0) - total)).toBeLessThanOrEqual(1e-12 * Math.max(1, total));
      x.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(lower[i]);
        expect(v).toBeLessThanOrEqual(upper[i]);
      });
      // Optimality: feasible points nearby (x moved along sum-preserving pairs, projected back) are no nearer.
      for (let probe = 0; probe < 20; probe++) {
        const i = Math.floor(rng.uniform() * n);
        const j = Math.floor(rng.uniform() * n);
        if (i === j) continue;
        const room = Math.min(upper[i] - x[i], x[j] - lower[j]);
        if (!(room > 0)) continue;
        const z = Float64Array.from(x);
        const shift = Math.min(room, 1) * rng.uniform();
        z[i] += shift;
        z[j] -= shift;
        expect(distance(z, y)).toBeGreaterThanOrEqual(distance(x, y) - 1e-9);
      }
    }
  });

  it('refuses an empty set, saying why', () => {
    const out = new Float64Array(2);
    const lower = Float64Array.from([1, 2]);
    const upper = Float64Array.from([3, 4]);
    expect(() => projectCappedSimplex(out, lower, upper, 2, out)).toThrow('total 2 lies outside [3, 7]');
    expect(() => projectCappedSimplex(out, upper, lower, 5, out)).toThrow(CappedSimplexError);
  });
});
