/**
 * Stan-style warm-up: dual-averaging step-size adaptation (Hoffman & Gelman 2014, section 3.2.1) and a
 * diagonal inverse metric estimated from the draws of doubling "slow" windows (Stan reference manual,
 * "HMC algorithm parameters: automatic parameter tuning").
 */

/** Stan's defaults: initial fast buffer, first slow window, terminal fast buffer (iterations). */
const INIT_BUFFER = 75;
const BASE_WINDOW = 25;
const TERM_BUFFER = 50;
/** Below this many warm-up iterations Stan estimates no metric, only the step size. */
const MIN_WARMUP_FOR_METRIC = 20;

/** A slow window: warm-up iterations start..end (0-based, inclusive) whose draws estimate the metric. */
export interface MetricWindow {
  start: number;
  end: number;
}

/**
 * Stan's window schedule: buffers 75 / 25 / 50, or 15% / 75% / 10% of a warm-up shorter than 150;
 * each slow window doubles the last, and one that would leave less than twice its size before the
 * terminal buffer is stretched to reach it.
 */
export function metricAdaptationWindows(warmup: number): MetricWindow[] {
  if (warmup < MIN_WARMUP_FOR_METRIC) return [];
  let initBuffer = INIT_BUFFER;
  let termBuffer = TERM_BUFFER;
  let size = BASE_WINDOW;
  if (INIT_BUFFER + BASE_WINDOW + TERM_BUFFER > warmup) {
    initBuffer = Math.floor(0.15 * warmup);
    termBuffer = Math.floor(0.1 * warmup);
    size = warmup - initBuffer - termBuffer;
  }
  const lastEnd = warmup - termBuffer - 1;
  const windows: MetricWindow[] = [{ start: initBuffer, end: initBuffer + size - 1 }];
  let end = windows[0].end;
  while (end !== lastEnd) {
    size *= 2;
    const start = end + 1;
    end += size;
    if (end + 2 * size >= warmup - termBuffer) end = lastEnd;
    windows.push({ start, end });
  }
  return windows;
}

/** Dual-averaging constants (Stan defaults). */
const GAMMA = 0.05;
const T0 = 10;
const KAPPA = 0.75;

/** Nesterov dual averaging of log(step size) towards a target mean acceptance statistic. */
export class DualAveragingStepSize {
  private mu = 0;
  private iteration = 0;
  private gradientAverage = 0;
  private logStepSizeAverage = 0;
  private restartStepSize = 1;

  constructor(private readonly targetAccept: number) {}

  /** Starts a new adaptation phase shrinking towards mu = log(10 * stepSize). */
  restart(stepSize: number): void {
    this.mu = Math.log(10 * stepSize);
    this.restartStepSize = stepSize;
    this.iteration = 0;
    this.gradientAverage = 0;
    this.logStepSizeAverage = 0;
  }

  /**
   * One update; returns the next step size.
   * H_t = (1 - 1/(t + t0)) H_{t-1} + (delta - a_t)/(t + t0); x_t = mu - sqrt(t)/gamma H_t;
   * xbar_t = t^-kappa x_t + (1 - t^-kappa) xbar_{t-1}.
   */
  update(acceptStat: number): number {
    this.iteration += 1;
    const t = this.iteration;
    const eta = 1 / (t + T0);
    this.gradientAverage = (1 - eta) * this.gradientAverage + eta * (this.targetAccept - Math.min(acceptStat, 1));
    const logStepSize = this.mu - (this.gradientAverage * Math.sqrt(t)) / GAMMA;
    const weight = t ** -KAPPA;
    this.logStepSizeAverage = (1 - weight) * this.logStepSizeAverage + weight * logStepSize;
    return Math.exp(logStepSize);
  }

  /** The step size used after warm-up: exp(xbar), or the restart step when no update followed it. */
  finalStepSize(): number {
    return this.iteration === 0 ? this.restartStepSize : Math.exp(this.logStepSizeAverage);
  }
}

/** Stan shrinks the window variance towards 1e-3 with the weight of 5 pseudo-draws. */
const SHRINKAGE_DRAWS = 5;
const SHRINKAGE_TARGET = 1e-3;

/** Welford's running per-coordinate mean and sum of squared deviations. */
export class WelfordVariance {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly sumSquares: Float64Array;

  constructor(dim: number) {
    this.mean = new Float64Array(dim);
    this.sumSquares = new Float64Array(dim);
  }

  get samples(): number {
    return this.count;
  }

  /** delta = x - mean; mean += delta / n; M2 += delta * (x - mean). */
  add(x: Float64Array): void {
    this.count += 1;
    const { mean, sumSquares } = this;
    for (let i = 0; i < mean.length; i++) {
      const delta = x[i] - mean[i];
      mean[i] += delta / this.count;
      sumSquares[i] += delta * (x[i] - mean[i]);
    }
  }

  /** Writes (n / (n + 5)) * M2 / (n - 1) + 1e-3 * 5 / (n + 5) per coordinate into out. */
  regularisedVariance(out: Float64Array): void {
    const n = this.count;
    if (n < 2) throw new RangeError(`a metric window needs at least 2 draws, got ${n}`);
    const weight = n / (n + SHRINKAGE_DRAWS);
    const shrinkage = (SHRINKAGE_TARGET * SHRINKAGE_DRAWS) / (n + SHRINKAGE_DRAWS);
    for (let i = 0; i < out.length; i++) out[i] = (weight * this.sumSquares[i]) / (n - 1) + shrinkage;
  }

  /**
   * Takes in another accumulator's draws (Chan, Golub & LeVeque 1979): n = nA + nB, delta = meanB - meanA,
   * mean = meanA + delta nB / n, M2 = M2A + M2B + delta^2 nA nB / n.
   */
  merge(other: WelfordVariance): void {
    const n = this.count + other.count;
    if (other.count === 0) return;
    const { mean, sumSquares } = this;
    for (let i = 0; i < mean.length; i++) {
      const delta = other.mean[i] - mean[i];
      sumSquares[i] += other.sumSquares[i] + (delta * delta * this.count * other.count) / n;
      mean[i] += (delta * other.count) / n;
    }
    this.count = n;
  }

  restart(): void {
    this.count = 0;
    this.mean.fill(0);
    this.sumSquares.fill(0);
  }
}

/**
 * Welford's running mean and sum of cross products (the co-moment update of Welford 1962, applied to
 * every pair): the covariance of a slow window for Stan's dense metric (dense_e).
 */
export class WelfordCovariance {
  private count = 0;
  private readonly mean: Float64Array;
  /** Sum of (x - mean_old) (x - mean_new)' over the draws, dim x dim row-major. */
  private readonly coMoments: Float64Array;
  private readonly delta: Float64Array;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.coMoments = new Float64Array(dim * dim);
    this.delta = new Float64Array(dim);
  }

  get samples(): number {
    return this.count;
  }

  /** delta = x - mean; mean += delta / n; C += delta (x - mean)'. */
  add(x: Float64Array): void {
    this.count += 1;
    const { mean, coMoments, delta, dim } = this;
    for (let i = 0; i < dim; i++) {
      delta[i] = x[i] - mean[i];
      mean[i] += delta[i] / this.count;
    }
    for (let i = 0; i < dim; i++) {
      for (let k = 0; k < dim; k++) coMoments[i * dim + k] += delta[i] * (x[k] - mean[k]);
    }
  }

  /** Stan's dense regularisation: (n / (n + 5)) C / (n - 1) + 1e-3 * 5 / (n + 5) I, written into out (dim x dim). */
  regularisedCovariance(out: Float64Array): void {
    const n = this.count;
    const { dim } = this;
    if (n < 2) throw new RangeError(`a metric window needs at least 2 draws, got ${n}`);
    const weight = n / (n + SHRINKAGE_DRAWS);
    const shrinkage = (SHRINKAGE_TARGET * SHRINKAGE_DRAWS) / (n + SHRINKAGE_DRAWS);
    for (let i = 0; i < dim * dim; i++) out[i] = (weight * this.coMoments[i]) / (n - 1);
    for (let i = 0; i < dim; i++) out[i * dim + i] += shrinkage;
  }

  /** Takes in another accumulator's draws: C = CA + CB + delta delta' nA nB / n (as WelfordVariance.merge). */
  merge(other: WelfordCovariance): void {
    const n = this.count + other.count;
    if (other.count === 0) return;
    const { mean, coMoments, delta, dim } = this;
    for (let i = 0; i < dim; i++) delta[i] = other.mean[i] - mean[i];
    const weight = (this.count * other.count) / n;
    for (let i = 0; i < dim; i++) {
      for (let k = 0; k < dim; k++) coMoments[i * dim + k] += other.coMoments[i * dim + k] + delta[i] * delta[k] * weight;
    }
    for (let i = 0; i < dim; i++) mean[i] += (delta[i] * other.count) / n;
    this.count = n;
  }

  restart(): void {
    this.count = 0;
    this.mean.fill(0);
    this.coMoments.fill(0);
  }
}
