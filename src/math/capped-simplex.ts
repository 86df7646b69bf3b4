/**
 * Euclidean projection onto the capped simplex {x : sum_i x_i = total, lower_i <= x_i <= upper_i}.
 *
 * The KKT conditions give x_i(tau) = clip(y_i - tau, lower_i, upper_i) for one multiplier tau, and
 * s(tau) = sum_i x_i(tau) is continuous, piecewise linear and non-increasing, so tau is found by bisection
 * (Held, Wolfe & Crowder 1974, "Validation of subgradient optimization", Math. Programming 6; Wang & Lu 2015,
 * "Projection onto the capped simplex", arXiv:1503.01002). Bisection fixes which coordinates sit at a bound;
 * tau is then solved exactly on the free ones, so the sum holds to rounding rather than to the bisection's tolerance.
 */

export class CappedSimplexError extends Error {
  override readonly name = 'CappedSimplexError';
}

const BISECTION_STEPS = 200;

/**
 * Writes into `out` the point of the capped simplex nearest to `y`. The set must be non-empty:
 * lower_i <= upper_i and sum lower <= total <= sum upper (upper may be Infinity).
 */
export function projectCappedSimplex(y: Float64Array, lower: Float64Array, upper: Float64Array, total: number, out: Float64Array): void {
  const n = y.length;
  let lowerSum = 0;
  let upperSum = 0;
  for (let i = 0; i < n; i++) {
    if (!(lower[i] <= upper[i])) throw new CappedSimplexError(`coordinate ${i}: lower bound ${lower[i]} exceeds upper bound ${upper[i]}`);
    lowerSum += lower[i];
    upperSum += upper[i];
  }
  if (!(lowerSum <= total && total <= upperSum)) {
    throw new CappedSimplexError(`total ${total} lies outside [${lowerSum}, ${upperSum}], the sums of the lower and upper bounds`);
  }
  const sumAt = (tau: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.min(Math.max(y[i] - tau, lower[i]), upper[i]);
    return s;
  };
  // s(lo) >= total >= s(hi): at tau = min(y - upper) every coordinate is at its upper bound (or as high as it
  // goes when unbounded above), at tau = max(y - lower) every coordinate is at its lower bound.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, Number.isFinite(upper[i]) ? y[i] - upper[i] : y[i] - lower[i] - Math.max(total - lowerSum, 0));
    hi = Math.max(hi, y[i] - lower[i]);
  }
  for (let step = 0; step < BISECTION_STEPS && hi - lo > 0; step++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (sumAt(mid) > total) lo = mid;
    else hi = mid;
  }
  // Coordinates strictly inside their bounds at tau in (lo, hi) are free; tau solves sum = total on them.
  const tau = 0.5 * (lo + hi);
  let freeCount = 0;
  let freeSum = 0;
  let boundSum = 0;
  for (let i = 0; i < n; i++) {
    const shifted = y[i] - tau;
    if (shifted <= lower[i]) boundSum += lower[i];
    else if (shifted >= upper[i]) boundSum += upper[i];
    else {
      freeCount++;
      freeSum += y[i];
    }
  }
  const exactTau = freeCount > 0 ? (freeSum + boundSum - total) / freeCount : tau;
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(y[i] - exactTau, lower[i]), upper[i]);
}
