/**
 * Forward sampling from the priors: unconstrained parameter vectors drawn exactly from the prior the
 * log-density places on them (the inverse of each transform in priors.ts). Used for prior-predictive
 * checks and as the starting point of simulations with known truth.
 */
import type { Rng } from '../math/rng.ts';
import type { PosteriorDraws } from './posterior-draws.ts';
import type { MmmModel } from './mmm-model.ts';

const logit = (p: number): number => Math.log(p / (1 - p));

/** Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 via the U^(1/shape) boost. */
export function sampleGamma(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1, rate) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Normal(mu, sd) truncated to (lo, hi) by rejection (the priors here keep most mass inside). */
export function sampleTruncatedNormal(rng: Rng, mu: number, sd: number, lo: number, hi: number): number {
  for (;;) {
    const x = mu + sd * rng.normal();
    if (x > lo && x < hi) return x;
  }
}

const halfNormalLog = (rng: Rng, scale: number): number => Math.log(Math.abs(scale * rng.normal()));

/** One unconstrained draw from the prior of every coordinate of the model. */
export function drawFromPrior(model: MmmModel, rng: Rng): Float64Array {
  const { data, layout } = model;
  const { G, C, K } = data;
  const priors = data.model.priors;
  const theta = new Float64Array(layout.dim);
  const intercepts = Float64Array.from({ length: G }, () => priors.baseline.scale * rng.normal());
  for (let j = 0; j < data.nTime; j++) theta[layout.time + j] = data.timePriorScale[j] * rng.normal();
  for (let k = 0; k < K; k++) {
    theta[layout.gamma + k] = priors.baseline.scale * rng.normal();
    if (layout.gammaGeo < 0) continue;
    theta[layout.xi + k] = halfNormalLog(rng, priors.xi.scale);
    const xi = Math.exp(theta[layout.xi + k]);
    for (let g = 0; g < G; g++) theta[layout.gammaGeo + g * K + k] = theta[layout.gamma + k] + xi * rng.normal();
  }
  for (let c = 0; c < C; c++) {
    const channel = data.channels[c];
    theta[layout.mediaEffect + c] = channel.prior.type === 'roi'
      ? channel.prior.mu + channel.prior.sigma * rng.normal()
      : halfNormalLog(rng, channel.prior.scale);
    theta[layout.adstock + c] = logit(rng.uniform());
    const ec = priors.ec;
    theta[layout.shape + c] = channel.saturation === 'hill'
      ? logit((sampleTruncatedNormal(rng, ec.mean, ec.sd, ec.lower, ec.upper) - ec.lower) / (ec.upper - ec.lower))
      : Math.log(sampleGamma(rng, priors.lam.shape, priors.lam.rate));
    if (layout.slope >= 0) {
      theta[layout.slope + c] = channel.saturation === 'hill' ? priors.slope.mu + priors.slope.sigma * rng.normal() : rng.normal();
    }
    if (layout.eta >= 0) theta[layout.eta + c] = halfNormalLog(rng, priors.eta.scale);
  }
  if (layout.mediaEps >= 0) for (let i = 0; i < G * C; i++) theta[layout.mediaEps + i] = rng.normal();
  for (let i = 0; i < layout.nSigma; i++) theta[layout.sigma + i] = halfNormalLog(rng, priors.sigma.scale);
  // The sampler's coordinates are levels (mmm-model.ts); the prior is on the intercepts they imply.
  model.setIntercepts(theta, intercepts);
  return theta;
}

/** `draws` prior draws shaped like a one-chain posterior, so the analysis layer summarises them alike. */
export function samplePrior(model: MmmModel, draws: number, rng: Rng): PosteriorDraws {
  const theta = new Float64Array(draws * model.dim);
  for (let d = 0; d < draws; d++) theta.set(drawFromPrior(model, rng), d * model.dim);
  return { nChains: 1, drawsPerChain: draws, dim: model.dim, theta };
}
