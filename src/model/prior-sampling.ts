/**
 * Forward sampling from the priors: unconstrained parameter vectors drawn exactly from the prior the
 * log-density places on them (the inverse of each transform in priors/densities.ts; a media curve parameter by its ScalarPrior). Used for prior-predictive
 * checks and as the starting point of simulations with known truth.
 */
import type { Rng } from '../math/rng.ts';
import type { PosteriorDraws } from './posterior-draws.ts';
import type { MmmModel } from './mmm-model.ts';
import { poolingForm } from './pooling/index.ts';
import { residualCorrelationPrior } from './residual-ar1.ts';

const halfNormalLog = (rng: Rng, scale: number): number => Math.log(Math.abs(scale * rng.normal()));

/** One unconstrained draw from the prior of every coordinate of the model. */
export function drawFromPrior(model: MmmModel, rng: Rng): Float64Array {
  const { data, layout } = model;
  const { G, C, K } = data;
  const priors = data.model.priors;
  const theta = new Float64Array(layout.dim);
  const intercepts = Float64Array.from({ length: G }, () => priors.baseline.scale * rng.normal());
  const timeCoefficients = Float64Array.from({ length: data.nTime }, (_, j) => data.timePriorScale[j] * rng.normal());
  theta.set(timeCoefficients, layout.time);
  if (layout.trendSpread >= 0) {
    theta[layout.trendSpread] = halfNormalLog(rng, priors.trendSpread.scale);
    const form = poolingForm(data.pooling.trend);
    const spread = Math.exp(theta[layout.trendSpread]);
    for (let g = 0; g < G; g++) {
      for (let m = 0; m < data.nTrend; m++) theta[layout.trendGeo + g * data.nTrend + m] = form.draw(theta[layout.time + m], spread, rng);
    }
  }
  const controlCoefficients = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    controlCoefficients[k] = priors.baseline.scale * rng.normal();
    theta[layout.gamma + k] = controlCoefficients[k];
    if (layout.gammaGeo < 0) continue;
    theta[layout.xi + k] = halfNormalLog(rng, priors.xi.scale);
    const form = poolingForm(data.pooling.controls[k]);
    const xi = Math.exp(theta[layout.xi + k]);
    for (let g = 0; g < G; g++) theta[layout.gammaGeo + g * K + k] = form.draw(theta[layout.gamma + k], xi, rng);
  }
  // A coefficient prior's B_c, set once the curves it is relative to are drawn (NaN: the channel has an ROI prior).
  const coefficients = new Float64Array(C).fill(Number.NaN);
  for (let c = 0; c < C; c++) {
    const { prior } = data.channels[c];
    if (prior.type === 'roi') theta[layout.mediaEffect + c] = prior.mu + prior.sigma * rng.normal();
    else coefficients[c] = Math.abs(prior.scale * rng.normal());
    const curve = model.curves[c];
    theta[layout.adstock + c] = curve.decayPrior.draw(rng);
    theta[layout.shape + c] = curve.shapePrior.draw(rng);
    if (layout.slope >= 0) theta[layout.slope + c] = curve.slopePrior.draw(rng);
    if (layout.eta >= 0) theta[layout.eta + c] = halfNormalLog(rng, priors.eta.scale);
  }
  if (layout.mediaEps >= 0) for (let i = 0; i < G * C; i++) theta[layout.mediaEps + i] = rng.normal();
  const { scale, sign } = priors.interaction;
  for (let p = 0; p < data.interactions.length; p++) {
    theta[layout.interaction + p] = sign === 'non_negative' ? halfNormalLog(rng, scale) : scale * rng.normal();
  }
  for (let i = 0; i < layout.nSigma; i++) theta[layout.sigma + i] = halfNormalLog(rng, priors.sigma.scale);
  if (layout.residualCorrelation >= 0) theta[layout.residualCorrelation] = residualCorrelationPrior.draw(rng);
  // The sampler's coordinates are ROIs, levels and (national models) shifted time and control coefficients
  // (mmm-model.ts); the priors are on the coefficients and intercepts they imply.
  model.setMediaCoefficients(theta, coefficients);
  model.setIntercepts(theta, intercepts);
  model.setBaselineCoefficients(theta, timeCoefficients, controlCoefficients);
  return theta;
}

/** `draws` prior draws shaped like a one-chain posterior, so the analysis layer summarises them alike. */
export function samplePrior(model: MmmModel, draws: number, rng: Rng): PosteriorDraws {
  const theta = new Float64Array(draws * model.dim);
  for (let d = 0; d < draws; d++) theta.set(drawFromPrior(model, rng), d * model.dim);
  return { nChains: 1, drawsPerChain: draws, dim: model.dim, theta };
}
