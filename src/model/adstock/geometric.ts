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
  weights(decay, weights, dWeights) {
    for (let l = 0; l < weights.length; l++) {
      weights[l] = l === 0 ? 1 : decay ** l;
      dWeights[l] = l === 0 ? 0 : l * decay ** (l - 1);
    }
    normaliseLagWeights(weights, dWeights);
  },
  // The recursions below need no weights.
  prepare: () => {},
  series: (x, xOffset, T, decay, weights, out, outOffset) =>
    adstockGeometricSeries(x, xOffset, T, decay, weights.length - 1, out, outOffset),
  /**
   * dL/da in O(T): with D_t = dS_t/da = S_{t-1} + a D_{t-1} - (L+1) a^L x_{t-L-1} (S_t as in
   * adstockGeometricSeries), dL/da = sum_t uBar_t (D_t / W - S_t W' / W^2), W' = dW/da.
   */
  decayAdjoint(x, xOffset, uBar, uOffset, T, decay, dWeights) {
    const maxLag = dWeights.length - 1;
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
  },
});

/**
 * Geometric adstock of one series in O(T), by the recursion of the unnormalised window sum
 * S_t = a S_{t-1} + x_t - a^(L+1) x_{t-L-1};  u_t = S_t / W with W = sum_{l=0..L} a^l.
 */
export function adstockGeometricSeries(
  x: Float64Array,
  xOffset: number,
  T: number,
  decay: number,
  maxLag: number,
  out: Float64Array,
  outOffset: number,
): void {
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

/** W = sum_{l=0..L} a^l. */
function geometricWeightSum(decay: number, maxLag: number): number {
  let total = 0;
  for (let l = 0; l <= maxLag; l++) total += decay ** l;
  return total;
}
