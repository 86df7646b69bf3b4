import { describe, expect, it } from 'vitest';
import { cubicStencil, newCubicStencil } from '../../src/surface/cubic-stencil.ts';
import { createRng } from '../../src/math/rng.ts';

// An uneven grid like the pair grid's: geometric steps, then even ones.
const grid = Float64Array.from([0, 0.001, 0.0015, 0.00225, 0.02, 0.1, 0.2, 0.3, 0.4, 1, 2, 3]);

const interpolate = (f: number, derivative: boolean, nodeValues: (x: number) => number): number => {
  const { first, weights } = cubicStencil(grid, f, derivative, newCubicStencil());
  return weights.reduce((sum, w, a) => sum + w * nodeValues(grid[first + a]), 0);
};

describe('cubicStencil', () => {
  it('selects the node value exactly at every node', () => {
    grid.forEach((x, i) => {
      const { first, weights } = cubicStencil(grid, x, false, newCubicStencil());
      weights.forEach((w, a) => expect(w).toBe(first + a === i ? 1 : 0));
    });
  });

  it('reproduces a quadratic and its slope anywhere on the grid, ends included', () => {
    // Three-point slopes are exact for quadratics and the cubic Hermite reproduces a cubic with exact slopes.
    const rng = createRng(7, 0);
    for (let trial = 0; trial < 200; trial++) {
      const [a, b, c] = [rng.normal(), rng.normal(), rng.normal()];
      const f = 3 * rng.uniform();
      const q = (x: number): number => a + b * x + c * x * x;
      expect(interpolate(f, false, q)).toBeCloseTo(q(f), 9);
      expect(interpolate(f, true, q)).toBeCloseTo(b + 2 * c * f, 7);
    }
  });

  it('refuses a grid of fewer than four nodes', () => {
    expect(() => cubicStencil(Float64Array.from([0, 1, 2]), 0.5, false, newCubicStencil())).toThrow(/at least 4 nodes/);
  });
});
