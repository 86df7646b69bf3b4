/**
 * Priors on unconstrained coordinates. Each function maps an unconstrained v to the constrained
 * value, and returns log prior + log |Jacobian| and its derivative in v, so the sampler works in R^n.
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
