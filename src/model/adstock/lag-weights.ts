/** Normalised lag weights and the convolution that applies them, shared by the adstock families. */

/**
 * Normalises raw weights w_l and their derivatives dw_l in place: wn_l = w_l / W with W = sum_j w_j, and
 * d wn_l / d alpha = (dw_l - wn_l dW) / W with dW = sum_j dw_j.
 */
export function normaliseLagWeights(weights: Float64Array, dWeights: Float64Array): void {
  const n = weights.length;
  let total = 0;
  let dTotal = 0;
  for (let l = 0; l < n; l++) {
    total += weights[l];
    dTotal += dWeights[l];
  }
  for (let l = 0; l < n; l++) {
    const wn = weights[l] / total;
    dWeights[l] = (dWeights[l] - wn * dTotal) / total;
    weights[l] = wn;
  }
}

/** u_t = sum_l wn_l x_{t-l} (x before the series start is taken as 0), for one series of length T. */
export function convolveAdstock(
  x: Float64Array,
  xOffset: number,
  T: number,
  weights: Float64Array,
  out: Float64Array,
  outOffset: number,
): void {
  const n = weights.length;
  for (let t = 0; t < T; t++) {
    let acc = 0;
    const lmax = t < n - 1 ? t : n - 1;
    for (let l = 0; l <= lmax; l++) acc += weights[l] * x[xOffset + t - l];
    out[outOffset + t] = acc;
  }
}

/** Adjoint of the decay parameter: dL/dalpha = sum_l (d wn_l / d alpha) * sum_t uBar_t x_{t-l}. */
export function adstockDecayAdjoint(
  x: Float64Array,
  xOffset: number,
  uBar: Float64Array,
  uOffset: number,
  T: number,
  dWeights: Float64Array,
): number {
  const n = dWeights.length;
  let grad = 0;
  for (let l = 1; l < n; l++) {
    let cross = 0;
    for (let t = l; t < T; t++) cross += uBar[uOffset + t] * x[xOffset + t - l];
    grad += dWeights[l] * cross;
  }
  // l = 0 term: d wn_0 / d alpha times sum_t uBar_t x_t
  let cross0 = 0;
  for (let t = 0; t < T; t++) cross0 += uBar[uOffset + t] * x[xOffset + t];
  return grad + dWeights[0] * cross0;
}
