/**
 * Cubic Hermite interpolation whose node slopes are three-point finite differences, written as weights on the
 * four nodes around a point, for the synergy pairs' 2-D grids (response-curves.ts): the tensor product of two
 * such stencils interpolates a grid with 16 node values and stays linear in them, so a draw-weighted sum of
 * interpolated grids is the interpolant of the weighted grid (the posterior-mean curves rely on that).
 *
 * On the interval [x_i, x_i+1] of width h with t = (f - x_i) / h (hermiteWeights, monotone-cubic.ts):
 *   p(f) = a0 y_i + b0 m_i + a1 y_i+1 + b1 m_i+1,
 * with the slope at node k from nodes (l, k, r) = (k - 1, k, k + 1), widths h0 = x_k - x_l, h1 = x_r - x_k
 * (Fornberg's three-point derivative on an uneven grid):
 *   m_k = -h1 / (h0 (h0 + h1)) y_l + (h1 - h0) / (h0 h1) y_k + h0 / (h1 (h0 + h1)) y_r,
 * and at the first and last node the one-sided three-point derivative on the nearest three nodes. The error is
 * O(h^3) for a smooth function against bilinear interpolation's O(h^2); the slopes are not limited (unlike
 * PCHIP's), which would make the interpolant non-linear in the node values.
 */
import { hermiteWeights, newHermiteWeights, type HermiteWeights } from './monotone-cubic.ts';

export interface CubicStencil {
  /** Index of the first of the four nodes. */
  first: number;
  /** Weights of nodes first .. first + 3. */
  weights: Float64Array;
}

export function newCubicStencil(): CubicStencil {
  return { first: 0, weights: new Float64Array(4) };
}

/**
 * Weights w with p(f) = sum_a w[a] y[first + a] (or p'(f) with `derivative`); `f` must lie in [x_0, x_n-1] and
 * the grid have at least four nodes. At a node the value weights select it exactly.
 */
export function cubicStencil(
  x: Float64Array,
  f: number,
  derivative: boolean,
  out: CubicStencil,
  hermite: HermiteWeights = newHermiteWeights(),
): CubicStencil {
  const n = x.length;
  if (n < 4) throw new RangeError(`cubic stencil interpolation needs at least 4 nodes, got ${n}`);
  const { interval: i, a0, b0, a1, b1 } = hermiteWeights(x, f, derivative, hermite);
  const first = Math.min(Math.max(i - 1, 0), n - 4);
  const w = out.weights;
  w.fill(0);
  w[i - first] += a0;
  w[i + 1 - first] += a1;
  addSlope(x, i, b0, first, w);
  addSlope(x, i + 1, b1, first, w);
  out.first = first;
  return out;
}

/** w += scale x (the coefficients of m_k on the node values), m_k as in the module comment. */
function addSlope(x: Float64Array, k: number, scale: number, first: number, w: Float64Array): void {
  const n = x.length;
  // The three nodes the slope reads: centred inside, the nearest three at either end.
  const l = Math.min(Math.max(k - 1, 0), n - 3);
  const [x0, x1, x2] = [x[l], x[l + 1], x[l + 2]];
  const h0 = x1 - x0;
  const h1 = x2 - x1;
  let c0: number;
  let c1: number;
  let c2: number;
  if (k === l) {
    // First node: d/dx of the parabola through the three nodes, at x0.
    c0 = -(2 * h0 + h1) / (h0 * (h0 + h1));
    c1 = (h0 + h1) / (h0 * h1);
    c2 = -h0 / (h1 * (h0 + h1));
  } else if (k === l + 1) {
    c0 = -h1 / (h0 * (h0 + h1));
    c1 = (h1 - h0) / (h0 * h1);
    c2 = h0 / (h1 * (h0 + h1));
  } else {
    // Last node: at x2.
    c0 = h1 / (h0 * (h0 + h1));
    c1 = -(h0 + h1) / (h0 * h1);
    c2 = (2 * h1 + h0) / (h1 * (h0 + h1));
  }
  w[l - first] += scale * c0;
  w[l + 1 - first] += scale * c1;
  w[l + 2 - first] += scale * c2;
}
