/**
 * Adstock (carry-over): normalised lag weights over maxLag + 1 periods and their derivative with
 * respect to the decay parameter, plus the convolution that applies them.
 */
import type { AdstockKind } from '../config/schema.ts';

/**
 * Normalised weights wn_l = w_l / sum_j w_j, l = 0..maxLag, written into `weights`, and
 * d wn_l / d alpha into `dWeights`.
 * geometric: w_l = alpha^l.  binomial (Meridian): w_l = (1 - l / (maxLag + 1))^(1/alpha - 1).
 */
export function adstockWeights(kind: AdstockKind, alpha: number, weights: Float64Array, dWeights: Float64Array): void {
  const n = weights.length;
  let total = 0;
  let dTotal = 0;
  for (let l = 0; l < n; l++) {
    let w: number;
    let dw: number;
    if (kind === 'geometric') {
      w = l === 0 ? 1 : alpha ** l;
      dw = l === 0 ? 0 : l * alpha ** (l - 1);
    } else {
      const base = 1 - l / n;
      const exponent = 1 / alpha - 1;
      w = base ** exponent;
      dw = w * Math.log(base) * (-1 / (alpha * alpha));
    }
    weights[l] = w;
    dWeights[l] = dw;
    total += w;
    dTotal += dw;
  }
  for (let l = 0; l < n; l++) {
    const wn = weights[l] / total;
    dWeights[l] = (dWeights[l] - wn * dTotal) / total;
    weights[l] = wn;
  }
}

/** u_t = sum_l wn_l x_{t-l} (x before the series start is taken as 0), for one series of length T. */
export function convolveAdstock(x: Float64Array, xOffset: number, T: number, weights: Float64Array, out: Float64Array, outOffset: number): void {
  const n = weights.length;
  for (let t = 0; t < T; t++) {
    let acc = 0;
    const lmax = t < n - 1 ? t : n - 1;
    for (let l = 0; l <= lmax; l++) acc += weights[l] * x[xOffset + t - l];
    out[outOffset + t] = acc;
  }
}

/** Adjoint of the decay parameter: dL/dalpha = sum_l (d wn_l / d alpha) * sum_t uBar_t x_{t-l}. */
export function adstockDecayAdjoint(x: Float64Array, xOffset: number, uBar: Float64Array, uOffset: number, T: number, dWeights: Float64Array): number {
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

/**
 * Geometric adstock of one series in O(T), by the recursion of the unnormalised window sum
 * S_t = a S_{t-1} + x_t - a^(L+1) x_{t-L-1};  u_t = S_t / W with W = sum_{l=0..L} a^l.
 */
export function adstockGeometricSeries(x: Float64Array, xOffset: number, T: number, decay: number, maxLag: number, out: Float64Array, outOffset: number): void {
  const tail = decay ** (maxLag + 1);
  const total = geometricWeightSum(decay, maxLag);
  let s = 0;
  // Rounding in the recursion leaves ~1e-17 where the window is all zeros; with a Hill slope < 1 that
  // would be a visible response, so an empty window is reset to exactly 0.
  let nonZero = 0;
  for (let t = 0; t < T; t++) {
    const entering = x[xOffset + t];
    const leaving = t > maxLag ? x[xOffset + t - maxLag - 1] : 0;
    nonZero += (entering !== 0 ? 1 : 0) - (leaving !== 0 ? 1 : 0);
    s = nonZero === 0 ? 0 : decay * s + entering - tail * leaving;
    out[outOffset + t] = s / total;
  }
}

/**
 * dL/da for geometric adstock in O(T): with D_t = dS_t/da = S_{t-1} + a D_{t-1} - (L+1) a^L x_{t-L-1},
 * dL/da = sum_t uBar_t (D_t / W - S_t W' / W^2), W' = dW/da.
 */
export function adstockGeometricDecayAdjoint(x: Float64Array, xOffset: number, uBar: Float64Array, uOffset: number, T: number, decay: number, maxLag: number): number {
  const tail = decay ** (maxLag + 1);
  const dTail = (maxLag + 1) * decay ** maxLag;
  const total = geometricWeightSum(decay, maxLag);
  let dTotal = 0;
  for (let l = 1; l <= maxLag; l++) dTotal += l * decay ** (l - 1);
  let s = 0;
  let d = 0;
  let sumBarD = 0;
  let sumBarS = 0;
  let nonZero = 0;
  for (let t = 0; t < T; t++) {
    const entering = x[xOffset + t];
    const dropped = t > maxLag ? x[xOffset + t - maxLag - 1] : 0;
    nonZero += (entering !== 0 ? 1 : 0) - (dropped !== 0 ? 1 : 0);
    if (nonZero === 0) {
      s = 0;
      d = 0;
      continue;
    }
    d = s + decay * d - dTail * dropped;
    s = decay * s + entering - tail * dropped;
    const bar = uBar[uOffset + t];
    sumBarD += bar * d;
    sumBarS += bar * s;
  }
  return sumBarD / total - (sumBarS * dTotal) / (total * total);
}

/** W = sum_{l=0..L} a^l. */
function geometricWeightSum(decay: number, maxLag: number): number {
  let total = 0;
  for (let l = 0; l <= maxLag; l++) total += decay ** l;
  return total;
}
