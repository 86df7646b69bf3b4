/**
 * AR(1) residuals (model.residuals "ar1"; docs/design.md section 3, docs/model.md): each geo's residuals over the
 * training window, e_t = y_t - mu_t, follow e_t = phi e_{t-1} + nu_t, nu_t ~ Normal(0, sigma), the first week from
 * the stationary distribution Normal(0, sigma / sqrt(1 - phi^2)). This is the exact Gaussian AR(1) likelihood
 * (Hamilton 1994, Time Series Analysis, section 5.2; Prais and Winsten 1954): generalised least squares, in which
 * the mean is fitted to the quasi-differences e_t - phi e_{t-1}. With phi near 1 the fit is identified by
 * week-to-week changes, which takes slow confounding (a baseline the model cannot follow, moving with spend) out of
 * the media effects and widens their intervals when the residuals are correlated. One phi for every geo.
 *
 * phi = tanh(v / 2) = 2 logistic(v) - 1 of the unconstrained coordinate v, phi ~ Uniform(-1, 1): the bounded prior
 * of priors/scalar-prior.ts on (-1, 1), whose log-Jacobian log(1 - phi^2) keeps phi away from +-1.
 */
import { bounded } from './priors/scalar-prior.ts';

/** phi ~ Uniform(-1, 1), phi = 2 logistic(v) - 1. */
export const residualCorrelationPrior = bounded(-1, 1, 0, Infinity);

/** 1 - phi^2 at the coordinate v, without the cancellation of 1 - tanh(v / 2)^2 near |phi| = 1: sech^2(v / 2). */
export function oneMinusPhiSquared(v: number): number {
  const c = Math.cosh(0.5 * v);
  return 1 / (c * c);
}

/** One series' log likelihood and its derivatives (ar1LogLikelihood). */
export interface Ar1Likelihood {
  logLikelihood: number;
  /** d/d log sigma. */
  dLogSigma: number;
  /** d/d phi. */
  dPhi: number;
}

export const newAr1Likelihood = (): Ar1Likelihood => ({ logLikelihood: 0, dLogSigma: 0, dPhi: 0 });

/**
 * The exact AR(1) log likelihood of the n residuals e_t = y[offset + t] - mu[offset + t], up to a constant:
 *
 *     log L = -n log sigma + (1/2) log(1 - phi^2) - Q / (2 sigma^2),   Q = (1 - phi^2) e_0^2 + sum_{t >= 1} nu_t^2,
 *
 * nu_t = e_t - phi e_{t-1}. Writes dL/dmu_t = (a_t - phi nu_{t+1}) / sigma^2 into adjoint[offset + t], with
 * a_0 = (1 - phi^2) e_0, a_t = nu_t and nu_n = 0, and returns dL/dlog sigma = Q / sigma^2 - n and
 * dL/dphi = phi e_0^2 / sigma^2 - phi / (1 - phi^2) + sum_{t >= 1} nu_t e_{t-1} / sigma^2. `oneMinusPhiSq` is
 * 1 - phi^2 computed without cancellation (oneMinusPhiSquared).
 */
export function ar1LogLikelihood(
  y: ArrayLike<number>,
  mu: ArrayLike<number>,
  offset: number,
  n: number,
  phi: number,
  oneMinusPhiSq: number,
  sigma: number,
  adjoint: Float64Array,
  out: Ar1Likelihood,
): Ar1Likelihood {
  const variance = sigma * sigma;
  const first = y[offset] - mu[offset];
  let squares = oneMinusPhiSq * first * first;
  let lagProducts = 0;
  let previous = first;
  // The adjoint of week t needs nu_{t+1}: write a_t / sigma^2 now and subtract phi nu_{t+1} / sigma^2 at t + 1.
  adjoint[offset] = (oneMinusPhiSq * first) / variance;
  for (let t = 1; t < n; t++) {
    const e = y[offset + t] - mu[offset + t];
    const nu = e - phi * previous;
    squares += nu * nu;
    lagProducts += nu * previous;
    adjoint[offset + t] = nu / variance;
    adjoint[offset + t - 1] -= (phi * nu) / variance;
    previous = e;
  }
  out.logLikelihood = -n * Math.log(sigma) + 0.5 * Math.log(oneMinusPhiSq) - (0.5 * squares) / variance;
  out.dLogSigma = squares / variance - n;
  out.dPhi = (phi * first * first + lagProducts) / variance - phi / oneMinusPhiSq;
  return out;
}

/**
 * The next value of an AR(1) path with unit-scale innovations z: z / sqrt(1 - phi^2) at the first week (the
 * stationary distribution), phi x_{t-1} + z after it. With phi = 0 the path is the innovations themselves.
 */
export function ar1Step(previous: number, innovation: number, phi: number, first: boolean): number {
  return first ? innovation / Math.sqrt(1 - phi * phi) : phi * previous + innovation;
}
