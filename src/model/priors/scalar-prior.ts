/**
 * A prior on one scalar parameter of a media curve family (src/model/saturation/, src/model/adstock/),
 * declared once: its log-density with Jacobian and gradient (densities.ts), the map from the unconstrained
 * coordinate to the parameter (for readable summaries) and an exact draw of the coordinate (for
 * prior-predictive checks and simulations) all come from it.
 */
import type { Rng } from '../../math/rng.ts';
import { boundedPrior, gammaPrior, logNormalPrior, type PriorTerm } from './densities.ts';

export interface ScalarPrior {
  /** log prior + log |Jacobian| at the unconstrained v, its gradient, the value and d value / d v. */
  term(v: number, out: PriorTerm): PriorTerm;
  /** The constrained value at v. */
  constrain(v: number): number;
  /** One unconstrained coordinate drawn from the prior. */
  draw(rng: Rng): number;
}

const logit = (p: number): number => Math.log(p / (1 - p));

/** x = exp(v) ~ LogNormal(mu, sd): v = mu + sd z. */
export const logNormal = (mu: number, sd: number): ScalarPrior => ({
  term: (v, out) => logNormalPrior(v, mu, sd, out),
  constrain: Math.exp,
  draw: (rng) => mu + sd * rng.normal(),
});

/** x = exp(v) ~ Gamma(shape, rate). */
export const gamma = (shape: number, rate: number): ScalarPrior => ({
  term: (v, out) => gammaPrior(v, shape, rate, out),
  constrain: Math.exp,
  draw: (rng) => Math.log(sampleGamma(rng, shape, rate)),
});

/** x = lo + (hi - lo) logistic(v) ~ TruncNormal(mean, sd, lo, hi), or Uniform(lo, hi) when sd is Infinity. */
export const bounded = (lo: number, hi: number, mean: number, sd: number): ScalarPrior => ({
  term: (v, out) => boundedPrior(v, lo, hi, mean, sd, out),
  constrain: (v) => lo + (hi - lo) / (1 + Math.exp(-v)),
  // Uniform: (x - lo) / (hi - lo) is itself the uniform draw.
  draw: Number.isFinite(sd)
    ? (rng) => logit((sampleTruncatedNormal(rng, mean, sd, lo, hi) - lo) / (hi - lo))
    : (rng) => logit(rng.uniform()),
});

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
