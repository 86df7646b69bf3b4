/**
 * Sample quantiles of draws that are already sorted ascending, by linear interpolation between
 * order statistics: Hyndman & Fan (1996) type 7, the default of NumPy (`np.quantile`) and R.
 */

/** Q(p) = x_(lo) + (h - lo) * (x_(lo+1) - x_(lo)) with h = (n - 1) p and lo = floor(h) (0-based order statistics). */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  if (lo + 1 >= sorted.length) return sorted[sorted.length - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}
