/**
 * Geometric adstock: raw lag weights w_l = a^l, l = 0..maxLag, normalised; decay a ~ Uniform(0, 1). The
 * model applies it by an O(T) recursion instead of the convolution.
 */
import { bounded } from '../priors/scalar-prior.ts';
import { defineAdstock } from './family.ts';
import { normaliseLagWeights } from './lag-weights.ts';

export const geometric = defineAdstock({
  name: 'geometric',
  decay: { name: 'adstock', prior: bounded(0, 1, 0, Infinity) },
  weights: geometricWeights,
  // The recursions read W and a^L from the normalised weights (wn_0 = 1 / W, wn_L = a^L / W), which are computed
  // once per channel and sweep here instead of once per geo's series: at 200 geos the per-series sums cost ~6%
  // of a gradient.
  prepare: geometricWeights,
  series: adstockGeometricSeries,
  /**
   * dL/da in O(T): with D_t = dS_t/da = S_{t-1} + a D_{t-1} - (L+1) a^L x_{t-L-1} (S_t as in
   * adstockGeometricSeries) and u_t = S_t / W, dL/da = sum_t uBar_t (D_t / W - S_t W' / W^2)
   * = wn_0 sum_t uBar_t D_t + (d wn_0 / da) sum_t uBar_t S_t, since wn_0 = 1 / W.
   */
  decayAdjoint(x, xOffset, uBar, uOffset, T, decay, weights, dWeights) {
    const maxLag = weights.length - 1;
    const { tail, dTail } = windowTail(decay, weights);
    let s = 0;
    let d = 0;
    let sumBarD = 0;
    let sumBarS = 0;
    let nonZero = 0;
    for (let t = 0; t < T; t++) {
      const entering = x[xOffset + t];
      const dropped = t > maxLag ? x[xOffset + t - maxLag - 1] : 0;
      // The empty-window reset of adstockGeometricSeries, branch-free for the same reason.
      nonZero += Number(entering !== 0) - Number(dropped !== 0);
      const inWindow = Number(nonZero !== 0);
      d = inWindow * (s + decay * d - dTail * dropped);
      s = inWindow * (decay * s + entering - tail * dropped);
      const bar = uBar[uOffset + t];
      sumBarD += bar * d;
      sumBarS += bar * s;
    }
    return weights[0] * sumBarD + dWeights[0] * sumBarS;
  },
});

/** Normalised weights wn_l = a^l / W, W = sum_{l=0..L} a^l, and their derivatives in a. */
function geometricWeights(decay: number, weights: Float64Array, dWeights: Float64Array): void {
  for (let l = 0; l < weights.length; l++) {
    weights[l] = l === 0 ? 1 : decay ** l;
    dWeights[l] = l === 0 ? 0 : l * decay ** (l - 1);
  }
  normaliseLagWeights(weights, dWeights);
}

/** The weight leaving the window, a^(L+1) = a wn_L / wn_0, and its derivative (L+1) a^L = (L+1) wn_L / wn_0. */
function windowTail(decay: number, weights: Float64Array): { tail: number; dTail: number } {
  const maxLag = weights.length - 1;
  const aToL = weights[maxLag] / weights[0];
  return { tail: decay * aToL, dTail: (maxLag + 1) * aToL };
}

/**
 * Geometric adstock of one series in O(T), by the recursion of the unnormalised window sum
 * S_t = a S_{t-1} + x_t - a^(L+1) x_{t-L-1};  u_t = S_t / W = wn_0 S_t, with `weights` the normalised
 * weights of decay a (geometric.prepare).
 */
export function adstockGeometricSeries(
  x: Float64Array,
  xOffset: number,
  T: number,
  decay: number,
  weights: Float64Array,
  out: Float64Array,
  outOffset: number,
): void {
  const maxLag = weights.length - 1;
  const { tail } = windowTail(decay, weights);
  const first = weights[0];
  let s = 0;
  // Rounding in the recursion leaves ~1e-17 where the window is all zeros; with a Hill slope < 1 that
  // would be a visible response, so an empty window is reset to 0 (or -0: every curve reads u <= 0 as no
  // media). The reset multiplies by 0/1 instead of branching: with dark weeks in the spend a branch here is
  // mispredicted so often that it cost ~40% of a 200-geo gradient.
  let nonZero = 0;
  for (let t = 0; t < T; t++) {
    const entering = x[xOffset + t];
    const leaving = t > maxLag ? x[xOffset + t - maxLag - 1] : 0;
    nonZero += Number(entering !== 0) - Number(leaving !== 0);
    s = Number(nonZero !== 0) * (decay * s + entering - tail * leaving);
    out[outOffset + t] = first * s;
  }
}
