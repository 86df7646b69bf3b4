/**
 * Monotone piecewise cubic Hermite interpolation (PCHIP): node slopes by Fritsch & Butland (1984) as in
 * Moler's `pchip`, so an increasing sampled curve interpolates to an increasing curve without overshoot.
 * The interpolant is linear in the node values and slopes, so a weighted sum over posterior draws of
 * interpolated curves equals the interpolant of the weighted node values and slopes (used for means).
 */

/**
 * Node slopes of `series` curves sampled at nodes `x`, values laid out node-major (`values[i * series + s]`).
 * Interior: weighted harmonic mean of the adjacent secants, m_i = (w1 + w2) / (w1 / d_{i-1} + w2 / d_i),
 * w1 = 2h_i + h_{i-1}, w2 = h_i + 2h_{i-1}, and 0 where the secants change sign. Ends: the one-sided
 * three-point estimate, set to 0 if it opposes the first secant and limited to 3 d_0 where the data turn.
 */
export function monotoneSlopes(x: Float64Array, values: Float32Array | Float64Array, series: number): Float64Array {
  const n = x.length;
  if (n < 3) throw new RangeError(`monotone cubic interpolation needs at least 3 nodes, got ${n}`);
  const slopes = new Float64Array(n * series);
  const secant = (i: number, s: number): number => (values[(i + 1) * series + s] - values[i * series + s]) / (x[i + 1] - x[i]);
  for (let i = 1; i < n - 1; i++) {
    const hPrev = x[i] - x[i - 1];
    const h = x[i + 1] - x[i];
    const w1 = 2 * h + hPrev;
    const w2 = h + 2 * hPrev;
    for (let s = 0; s < series; s++) {
      const dPrev = secant(i - 1, s);
      const d = secant(i, s);
      slopes[i * series + s] = dPrev * d > 0 ? (w1 + w2) / (w1 / dPrev + w2 / d) : 0;
    }
  }
  for (let s = 0; s < series; s++) {
    slopes[s] = endSlope(x[1] - x[0], x[2] - x[1], secant(0, s), secant(1, s));
    slopes[(n - 1) * series + s] = endSlope(x[n - 1] - x[n - 2], x[n - 2] - x[n - 3], secant(n - 2, s), secant(n - 3, s));
  }
  return slopes;
}

/** Shape-preserving one-sided slope at an end node from the nearest secant d0 (width h0) and the next, d1 (h1). */
function endSlope(h0: number, h1: number, d0: number, d1: number): number {
  const m = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
  if (Math.sign(m) !== Math.sign(d0)) return 0;
  if (Math.sign(d0) !== Math.sign(d1) && Math.abs(m) > Math.abs(3 * d0)) return 3 * d0;
  return m;
}

/**
 * Where a point falls between nodes and its Hermite weights: p(f) = a0 y_i + b0 m_i + a1 y_{i+1} + b1 m_{i+1}
 * with t = (f - x_i) / h, a0 = 2t^3 - 3t^2 + 1, b0 = h (t^3 - 2t^2 + t), a1 = -2t^3 + 3t^2, b1 = h (t^3 - t^2).
 * With `derivative` the weights give p'(f) instead: a0 = 6(t^2 - t) / h, b0 = 3t^2 - 4t + 1, a1 = -a0, b1 = 3t^2 - 2t.
 */
export interface HermiteWeights {
  interval: number;
  a0: number;
  b0: number;
  a1: number;
  b1: number;
}

/** Hermite weights of `f`, which must lie in [x_0, x_{n-1}]; at a node the value weights select it exactly. */
export function hermiteWeights(x: Float64Array, f: number, derivative: boolean, out: HermiteWeights): HermiteWeights {
  let lo = 0;
  let hi = x.length - 1;
  // Largest i with x_i <= f, capped at n - 2 so the last node closes the last interval.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= f) lo = mid;
    else hi = mid;
  }
  const h = x[lo + 1] - x[lo];
  const t = (f - x[lo]) / h;
  const t2 = t * t;
  const t3 = t2 * t;
  out.interval = lo;
  if (derivative) {
    out.a0 = (6 * (t2 - t)) / h;
    out.b0 = 3 * t2 - 4 * t + 1;
    out.a1 = -out.a0;
    out.b1 = 3 * t2 - 2 * t;
  } else {
    out.a0 = 2 * t3 - 3 * t2 + 1;
    out.b0 = h * (t3 - 2 * t2 + t);
    out.a1 = -2 * t3 + 3 * t2;
    out.b1 = h * (t3 - t2);
  }
  return out;
}

export const newHermiteWeights = (): HermiteWeights => ({ interval: 0, a0: 0, b0: 0, a1: 0, b1: 0 });
