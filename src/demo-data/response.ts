/**
 * The generating model's media response. Written independently of src/model on purpose: the demo
 * checks the model's estimates against this truth, which would prove little if both shared code.
 */

/** Normalised geometric adstock: a_t = sum_{l=0}^{L-1} alpha^l x_{t-l} / sum_{l=0}^{L-1} alpha^l (x before the window is 0). */
export function geometricAdstock(spend: readonly number[], alpha: number, maxLag: number): number[] {
  const weights = Array.from({ length: maxLag }, (_, lag) => alpha ** lag);
  const norm = weights.reduce((sum, w) => sum + w, 0);
  return spend.map((_, t) => {
    let total = 0;
    for (let lag = 0; lag < maxLag && lag <= t; lag++) total += weights[lag] * spend[t - lag];
    return total / norm;
  });
}

/** Hill saturation: h(u) = u^s / (u^s + ec^s), 0 at u = 0 and 1/2 at u = ec. */
export function hill(u: number, ec: number, slope: number): number {
  if (u <= 0) return 0;
  const us = u ** slope;
  return us / (us + ec ** slope);
}
