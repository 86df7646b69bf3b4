/**
 * Priors on unconstrained coordinates. Each function maps an unconstrained v to the constrained
 * value, and returns log prior + log |Jacobian| and its derivative in v, so the sampler works in R^n.
 * A ScalarPrior bundles one of them with its transform and its exact sampler, for the parameters of the
 * media curve families (src/model/saturation/, src/model/adstock/).
 */

/** Result of evaluating one transformed prior; `dValue` = d value / d v for chain rules. */
export interface PriorTerm {
  value: number;
  logDensity: number;
  grad: number;
  dValue: number;
}

export const newPriorTerm = (): PriorTerm => ({ value: 0, logDensity: 0, grad: 0, dValue: 0 });

/** x = v ~ Normal(mu, sd): log p = -(v - mu)^2 / (2 sd^2). */
export function normalPrior(v: number, mu: number, sd: number, out: PriorTerm): PriorTerm {
  const z = (v - mu) / sd;
  out.value = v;
  out.logDensity = -0.5 * z * z;
  out.grad = -z / sd;
  out.dValue = 1;
  return out;
}

/** x = exp(v) ~ LogNormal(mu, sd): the density of v is Normal(mu, sd). */
export function logNormalPrior(v: number, mu: number, sd: number, out: PriorTerm): PriorTerm {
  normalPrior(v, mu, sd, out);
  out.value = Math.exp(v);
  out.dValue = out.value;
  return out;
}

/** x = exp(v) ~ HalfNormal(scale): log p = -x^2 / (2 scale^2) + v. */
export function halfNormalPrior(v: number, scale: number, out: PriorTerm): PriorTerm {
  const x = Math.exp(v);
  const r = x / scale;
  out.value = x;
  out.logDensity = -0.5 * r * r + v;
  out.grad = 1 - r * r;
  out.dValue = x;
  return out;
}

/** x = exp(v) ~ Gamma(shape, rate): log p = shape v - rate x. */
export function gammaPrior(v: number, shape: number, rate: number, out: PriorTerm): PriorTerm {
  const x = Math.exp(v);
  out.value = x;
  out.logDensity = shape * v - rate * x;
  out.grad = shape - rate * x;
  out.dValue = x;
  return out;
}

/** x = lo + (hi - lo) logistic(v) ~ TruncNormal(mu, sd, lo, hi); Uniform(lo, hi) when sd is Infinity. */
export function boundedPrior(v: number, lo: number, hi: number, mu: number, sd: number, out: PriorTerm): PriorTerm {
  const p = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
  const width = hi - lo;
  const x = lo + width * p;
  const dx = width * p * (1 - p);
  // log |dx/dv| = log p + log(1 - p) (+ const); written with softplus for stability in the tails.
  const logJacobian = -Math.abs(v) - 2 * Math.log1p(Math.exp(-Math.abs(v)));
  const z = Number.isFinite(sd) ? (x - mu) / sd : 0;
  out.value = x;
  out.logDensity = -0.5 * z * z + logJacobian;
  out.grad = (Number.isFinite(sd) ? (-z / sd) * dx : 0) + 1 - 2 * p;
  out.dValue = dx;
  return out;
}

/** The random numbers prior draws need (src/inference/rng.ts provides them). */
export interface PriorRng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/**
 * A prior on one scalar parameter, declared once: the log-density above (with its Jacobian and gradient),
 * the map from the unconstrained coordinate to the parameter (for readable summaries), and an exact draw
 * of the unconstrained coordinate (for prior-predictive checks and simulations) all come from it.
 */
export interface ScalarPrior {
  /** log prior + log |Jacobian| at the unconstrained v, its gradient, the value and d value / d v. */
  term(v: number, out: PriorTerm): PriorTerm;
  /** The constrained value at v. */
  constrain(v: number): number;
  /** One unconstrained coordinate drawn from the prior. */
  draw(rng: PriorRng): number;
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
export function sampleGamma(rng: PriorRng, shape: number, rate: number): number {
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
export function sampleTruncatedNormal(rng: PriorRng, mu: number, sd: number, lo: number, hi: number): number {
  for (;;) {
    const x = mu + sd * rng.normal();
    if (x > lo && x < hi) return x;
  }
}
