/**
 * The linear baseline of a national model under the normal likelihood, sampled through its exact conditional
 * posterior (docs/design.md section 3, "Baseline coordinates of national models").
 *
 * The baseline b = (tau, time coefficients, control coefficients) enters the mean linearly, mu = X b + m, with
 * X = [1, time basis, controls] and m the media's and synergies' contribution, and has independent Normal(0, s_j)
 * priors. Under Normal residuals with precision Q(phi) / sigma^2 (Q = I for independent weeks; the tridiagonal
 * AR(1) precision of residual-ar1.ts otherwise) its conditional posterior given every other parameter is Gaussian:
 *
 *     P = X' Q X / sigma^2 + diag(1 / s^2),   b_hat = P^-1 X' Q (y - m) / sigma^2,   b | rest ~ Normal(b_hat, P^-1).
 *
 * The sampler moves z = L' (b - b_hat) with P = L L' (Cholesky), b = b_hat + L^-T z: a change of variables with
 * log-Jacobian -log det L = -(1/2) log det P. Because the log joint f(b, rest) is quadratic in b with Hessian -P,
 * f(b_hat + L^-T z, rest) = f(b_hat, rest) - z'z / 2 exactly, so the density in (z, rest) factorises:
 *
 *     log p(z, rest | y) = f(b_hat, rest) - (1/2) log det P - z'z / 2 + const = log p(rest | y) + log Normal(z; 0, I).
 *
 * z is a standard normal independent of everything else, and the other coordinates move on their marginal
 * posterior, with the baseline integrated out (Rao-Blackwellisation). The funnel this removes: under AR(1)
 * residuals the conditional sd of the slow coefficients scales as sigma / (1 - phi), so their scale moved with phi,
 * which no fixed metric follows (docs/model.md, "Sampler benchmarks"). The ridge between the media and the
 * baseline goes with it, since b_hat follows the media exactly. By the envelope theorem the gradient of
 * f(b_hat(rest), rest) is the partial gradient at b = b_hat held fixed (df/db = 0 there), so the model's sweeps
 * run at b_hat and this class adds only the log determinant and its derivatives:
 *
 *     d log det P / d phi = tr(P^-1 dM/dphi) / sigma^2,   d log det P / d log sigma = -2 (p - sum_j (P^-1)_jj / s_j^2),
 *
 * with M(phi) = X' Q X = A0 + phi^2 A2 - phi A1 precomputed from the training window (A0 = X'X, A2 = X'X over the
 * interior weeks, A1 = sum_t x_t x_{t+1}' + x_{t+1} x_t'), so each evaluation costs O(T p + p^3), p columns.
 */
import { backSubstitute, cholesky, forwardSubstitute } from '../math/cholesky.ts';
import type { ModelData } from './model-data.ts';

export class ConditionalBaseline {
  /** Columns of X: the constant, the time basis, the controls. */
  readonly p: number;
  /** X over every week of the data (the training window first), T x p row-major. */
  private readonly design: Float64Array;
  private readonly a0: Float64Array;
  private readonly a1: Float64Array;
  private readonly a2: Float64Array;
  private readonly priorPrecision: Float64Array;
  private readonly precision: Float64Array;
  /** Lower Cholesky factor of P, row-major p x p. */
  private readonly factor: Float64Array;
  private readonly inverse: Float64Array;
  private readonly lowerInverse: Float64Array;
  private readonly weighted: Float64Array;
  private readonly rhs: Float64Array;
  /** The conditional mean b_hat of the last condition() call. */
  readonly mean: Float64Array;
  /** log det P of the last condition() call, and its derivatives in phi and log sigma. */
  logDetPrecision = 0;
  dLogDetDPhi = 0;
  dLogDetDLogSigma = 0;

  constructor(private readonly data: ModelData) {
    const { nTime, K, tFit, T, timeBasis, controls } = data;
    const p = 1 + nTime + K;
    this.p = p;
    this.design = new Float64Array(T * p);
    for (let t = 0; t < T; t++) {
      this.design[t * p] = 1;
      for (let j = 0; j < nTime; j++) this.design[t * p + 1 + j] = timeBasis[t * nTime + j];
      for (let k = 0; k < K; k++) this.design[t * p + 1 + nTime + k] = controls[t * K + k];
    }
    this.a0 = new Float64Array(p * p);
    this.a1 = new Float64Array(p * p);
    this.a2 = new Float64Array(p * p);
    for (let t = 0; t < tFit; t++) {
      const row = t * p;
      const previous = row - p;
      const interior = t > 0 && t < tFit - 1;
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          const product = this.design[row + i] * this.design[row + j];
          this.a0[i * p + j] += product;
          if (interior) this.a2[i * p + j] += product;
          if (t > 0)
            this.a1[i * p + j] += this.design[previous + i] * this.design[row + j] + this.design[row + i] * this.design[previous + j];
        }
      }
    }
    const { baseline } = data.model.priors;
    this.priorPrecision = Float64Array.from({ length: p }, (_, j) => {
      const scale = j === 0 || j > nTime ? baseline.scale : data.timePriorScale[j - 1];
      return 1 / (scale * scale);
    });
    this.precision = new Float64Array(p * p);
    this.factor = new Float64Array(p * p);
    this.inverse = new Float64Array(p * p);
    this.lowerInverse = new Float64Array(p * p);
    this.weighted = new Float64Array(tFit);
    this.rhs = new Float64Array(p);
    this.mean = new Float64Array(p);
  }

  /** X b over every week into out (length T). */
  fitted(b: ArrayLike<number>, out: Float64Array): Float64Array {
    const { p, design } = this;
    for (let t = 0; t < out.length; t++) {
      let value = 0;
      for (let j = 0; j < p; j++) value += design[t * p + j] * b[j];
      out[t] = value;
    }
    return out;
  }

  /**
   * Conditions on the other parameters: `residual` is y - m over the training window, `phi` the residual
   * correlation (0 for independent weeks), `sigma` the innovation sd. Sets mean (b_hat), the Cholesky factor and
   * log det P with its derivatives.
   */
  condition(residual: Float64Array, phi: number, sigma: number): void {
    const { p, a0, a1, a2, priorPrecision, precision, weighted, rhs, mean, design } = this;
    const { tFit } = this.data;
    const variance = sigma * sigma;
    const phiSq = phi * phi;
    for (let i = 0; i < p * p; i++) precision[i] = (a0[i] + phiSq * a2[i] - phi * a1[i]) / variance;
    for (let j = 0; j < p; j++) precision[j * p + j] += priorPrecision[j];
    this.factor.set(precision);
    // P is positive definite (the prior's precision is on its diagonal), so no column is dependent.
    cholesky(this.factor, p);

    // X' Q r / sigma^2, (Q r)_t = (1 + phi^2 [t interior]) r_t - phi (r_{t-1} + r_{t+1}).
    for (let t = 0; t < tFit; t++) {
      const interior = t > 0 && t < tFit - 1;
      let value = (interior ? 1 + phiSq : 1) * residual[t];
      if (t > 0) value -= phi * residual[t - 1];
      if (t < tFit - 1) value -= phi * residual[t + 1];
      weighted[t] = value / variance;
    }
    rhs.fill(0);
    for (let t = 0; t < tFit; t++) {
      const w = weighted[t];
      for (let j = 0; j < p; j++) rhs[j] += design[t * p + j] * w;
    }
    // b_hat = L^-T L^-1 rhs.
    forwardSubstitute(this.factor, p, rhs, mean);
    backSubstitute(this.factor, p, mean, mean);

    let logDet = 0;
    for (let j = 0; j < p; j++) logDet += Math.log(this.factor[j * p + j]);
    this.logDetPrecision = 2 * logDet;
    this.invert();
    let tracePhi = 0;
    let tracePrior = 0;
    for (let i = 0; i < p; i++) {
      tracePrior += this.inverse[i * p + i] * priorPrecision[i];
      for (let j = 0; j < p; j++) tracePhi += this.inverse[i * p + j] * (2 * phi * a2[i * p + j] - a1[i * p + j]);
    }
    this.dLogDetDPhi = tracePhi / variance;
    this.dLogDetDLogSigma = -2 * (p - tracePrior);
  }

  /** log prior of b up to a constant: sum_j log Normal(b_j; 0, s_j). */
  priorLogDensity(b: ArrayLike<number>): number {
    let value = 0;
    for (let j = 0; j < this.p; j++) value -= 0.5 * b[j] * b[j] * this.priorPrecision[j];
    return value;
  }

  /** b = b_hat + L^-T z of the last condition() call. */
  coefficients(z: ArrayLike<number>, out: Float64Array): Float64Array {
    backSubstitute(this.factor, this.p, z, out);
    for (let j = 0; j < this.p; j++) out[j] += this.mean[j];
    return out;
  }

  /** z = L' (b - b_hat) of the last condition() call: the inverse of coefficients(). */
  coordinates(b: ArrayLike<number>, out: Float64Array): Float64Array {
    const { p, factor, mean } = this;
    for (let i = 0; i < p; i++) {
      let value = 0;
      for (let j = i; j < p; j++) value += factor[j * p + i] * (b[j] - mean[j]);
      out[i] = value;
    }
    return out;
  }

  /** P^-1 = L^-T L^-1 into `inverse`. */
  private invert(): void {
    const { p, factor, lowerInverse: li, inverse } = this;
    li.fill(0);
    for (let j = 0; j < p; j++) {
      li[j * p + j] = 1 / factor[j * p + j];
      for (let i = j + 1; i < p; i++) {
        let sum = 0;
        for (let k = j; k < i; k++) sum += factor[i * p + k] * li[k * p + j];
        li[i * p + j] = -sum / factor[i * p + i];
      }
    }
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = 0;
        for (let k = i; k < p; k++) sum += li[k * p + i] * li[k * p + j];
        inverse[i * p + j] = sum;
        inverse[j * p + i] = sum;
      }
    }
  }
}
