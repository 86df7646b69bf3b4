/**
 * Binomial adstock (Meridian's, a delayed peak): raw lag weights w_l = (1 - l / (maxLag + 1))^(1/a - 1),
 * l = 0..maxLag, normalised; decay a ~ Uniform(0, 1). Applied by the direct convolution.
 */
import { bounded } from '../priors/scalar-prior.ts';
import { defineAdstock } from './family.ts';
import { adstockDecayAdjoint, convolveAdstock, normaliseLagWeights } from './lag-weights.ts';

export const binomial = defineAdstock({
  name: 'binomial',
  decay: { name: 'adstock', prior: bounded(0, 1, 0, Infinity) },
  weights: binomialWeights,
  // The convolution reads the weights, its adjoint their derivatives.
  prepare: binomialWeights,
  series: (x, xOffset, T, _decay, weights, out, outOffset) => convolveAdstock(x, xOffset, T, weights, out, outOffset),
  decayAdjoint: (x, xOffset, uBar, uOffset, T, _decay, _weights, dWeights) => adstockDecayAdjoint(x, xOffset, uBar, uOffset, T, dWeights),
});

function binomialWeights(decay: number, weights: Float64Array, dWeights: Float64Array): void {
  const n = weights.length;
  for (let l = 0; l < n; l++) {
    // dw/da = w log(base) d(1/a - 1)/da = -w log(base) / a^2
    const base = 1 - l / n;
    const exponent = 1 / decay - 1;
    const w = base ** exponent;
    weights[l] = w;
    dWeights[l] = w * Math.log(base) * (-1 / (decay * decay));
  }
  normaliseLagWeights(weights, dWeights);
}
