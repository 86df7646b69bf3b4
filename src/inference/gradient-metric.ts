/**
 * The gradient-based diagonal metric of nutpie (Seyboldt, Carlson and Carpenter, "nutpie", 2023): the
 * inverse metric sigma_i^2 = sqrt(Var(theta_i) / Var(d log p / d theta_i)), estimated from the draws and
 * the gradients at the draws. For a Gaussian coordinate both variances carry the posterior scale
 * (Var(theta) = s^2, Var(grad) = 1/s^2), so the estimate is right from draws that have barely moved,
 * where Var(theta) alone would be far too small: the metric settles in tens of iterations, not hundreds.
 */

/** Bounds of an inverse-metric entry: beyond them a coordinate is frozen or the step size collapses. */
const MIN_INVERSE_METRIC = 1e-10;
const MAX_INVERSE_METRIC = 1e10;

const clampInverseMetric = (value: number): number => Math.min(MAX_INVERSE_METRIC, Math.max(MIN_INVERSE_METRIC, value));

/**
 * nutpie's starting metric before any draw: M^-1_i = 1 / |d log p / d theta_i| at the initial point, so
 * coordinates whose log density is steep start with short steps. A zero or non-finite gradient entry
 * says nothing about its scale and gets 1.
 */
export function inverseMetricFromGradient(grad: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    const magnitude = Math.abs(grad[i]);
    out[i] = magnitude > 0 && Number.isFinite(magnitude) ? clampInverseMetric(1 / magnitude) : 1;
  }
}

/** Running per-coordinate variances of the draws and of the log-density gradients at the same draws. */
export class DrawGradientVariance {
  private count = 0;
  private readonly drawMean: Float64Array;
  private readonly drawSumSquares: Float64Array;
  private readonly gradMean: Float64Array;
  private readonly gradSumSquares: Float64Array;

  constructor(dim: number) {
    this.drawMean = new Float64Array(dim);
    this.drawSumSquares = new Float64Array(dim);
    this.gradMean = new Float64Array(dim);
    this.gradSumSquares = new Float64Array(dim);
  }

  get samples(): number {
    return this.count;
  }

  /** Welford: delta = x - mean; mean += delta / n; M2 += delta * (x - mean), for theta and grad alike. */
  add(theta: Float64Array, grad: Float64Array): void {
    this.count += 1;
    const n = this.count;
    const { drawMean, drawSumSquares, gradMean, gradSumSquares } = this;
    for (let i = 0; i < drawMean.length; i++) {
      const drawDelta = theta[i] - drawMean[i];
      drawMean[i] += drawDelta / n;
      drawSumSquares[i] += drawDelta * (theta[i] - drawMean[i]);
      const gradDelta = grad[i] - gradMean[i];
      gradMean[i] += gradDelta / n;
      gradSumSquares[i] += gradDelta * (grad[i] - gradMean[i]);
    }
  }

  /**
   * Writes M^-1_i = sqrt(M2_theta,i / M2_grad,i) (the 1/(n - 1) factors cancel), clamped to
   * [1e-10, 1e10]. A coordinate with no spread in its draws or its gradients (a chain that has not
   * moved it yet) keeps its entry in out.
   */
  writeInverseMetric(out: Float64Array): void {
    if (this.count < 2) throw new RangeError(`the gradient-based metric needs at least 2 draws, got ${this.count}`);
    for (let i = 0; i < out.length; i++) {
      const ratio = this.drawSumSquares[i] / this.gradSumSquares[i];
      if (ratio > 0 && Number.isFinite(ratio)) out[i] = clampInverseMetric(Math.sqrt(ratio));
    }
  }

  restart(): void {
    this.count = 0;
    this.drawMean.fill(0);
    this.drawSumSquares.fill(0);
    this.gradMean.fill(0);
    this.gradSumSquares.fill(0);
  }
}
