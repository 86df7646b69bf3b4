/**
 * Warm-up strategies: what happens to the kernel's step size and metric (metric.ts) after each warm-up
 * transition. Both adapt the step size by dual averaging and only during warm-up, so the draws that
 * follow come from a fixed kernel and stay unbiased whatever the adaptation did.
 *
 * - 'windowed': Stan's scheme. The metric is the regularised variance of the draws of doubling slow
 *   windows, starting from the unit metric.
 * - 'gradient': nutpie's scheme (Seyboldt et al. 2023). The metric starts at 1/|grad| and is re-estimated
 *   after every transition from the draws and gradients of a short, moving window (see gradient-metric.ts).
 *   It is the default: on Meridian's 40-geo data it spends 3x fewer gradients on warm-up
 *   (test/bench/warmup.bench.ts) and a 4-chain fit takes half the wall time of the windowed scheme's.
 *   Its scale for a coordinate correlated with others lies between the conditional and the marginal
 *   standard deviation, so such coordinates mix more slowly per draw than under Stan's marginal
 *   variances (on the national data: half the gradients, a third of the intercept's ESS). Hence:
 * - the same scheme with a metric that follows correlations ('low-rank', 'dense'; metric-choice.ts picks
 *   one by dimension by default). The early phase adapts the diagonal only (windows of 10 draws say
 *   little about correlations while the chain still travels); from its end on, every 10 iterations and
 *   at the last metric update, D and the correction (low-rank-estimate.ts) are estimated together from
 *   the foreground window's draws and gradients, and D no longer moves in between: the correction's
 *   directions mean something only in the coordinates scaled by the D they were estimated with (moving
 *   D alone halved the ESS per gradient on the PyMC example). The first correction changes the scale
 *   of a good step, so a step-size search and a dual-averaging restart follow it, as after the first
 *   diagonal estimate and the last update; later ones, from overlapping windows, change it little.
 * The config's `sampler.metricAdaptation` chooses. nutpie's scheme ends early once the metric and step
 * size have settled (warmup-settling.ts): `warmup` is a cap. Stan's always runs to it.
 */
import { DualAveragingStepSize, type MetricWindow, metricAdaptationWindows, WelfordCovariance, WelfordVariance } from './adaptation.ts';
import { DrawGradientVariance, inverseMetricFromGradient } from './gradient-metric.ts';
import { DrawGradientWindow, estimateScaledEigenpairs } from './low-rank-estimate.ts';
import { type CorrelatedMetric, isCorrelatedMetric, type Metric } from './metric.ts';
import type { NutsKernel, TransitionStats } from './nuts.ts';
import type { WarmupScheme } from './metric-choice.ts';
import { symmetricEigen } from './symmetric-eigen.ts';
import { CHECK_INTERVAL, SETTLE_FLOOR, SettlingCheck, WindowAgreement } from './warmup-settling.ts';

export interface Warmup {
  /** Adapts after warm-up transition `iteration` (0-based), which produced `stats`. */
  adapt(iteration: number, stats: TransitionStats): void;
  /** True once adaptation has finished before the cap (warm-up by need); the caller then stops warm-up. */
  readonly done: boolean;
  /** Fixes the step size the draws will use. */
  finish(): void;
}

/**
 * Stan's windowed adaptation; the kernel starts from the unit metric and a heuristic step size. With a
 * diagonal metric each slow window sets D to its draws' regularised variances (diag_e); with a metric
 * that follows correlations, to their regularised covariance Sigma (dense_e), handed over as D = diag(Sigma)
 * and the eigenpairs of the correlation matrix D^-1/2 Sigma D^-1/2.
 *
 * By need (warmup-settling.ts): once a slow window's estimate agrees with the previous window's within
 * sampling error, the metric is estimated from both windows' draws together, the remaining slow windows
 * are skipped and the terminal buffer (step size only) ends warm-up. Stan always runs to the cap.
 */
export class WindowedWarmup implements Warmup {
  private readonly stepSizeAdaptation: DualAveragingStepSize;
  private readonly windows: MetricWindow[];
  private readonly estimate: WindowEstimate<WelfordVariance> | WindowEstimate<WelfordCovariance>;
  private readonly agreement = new WindowAgreement();
  private window = 0;
  /** The end of warm-up: the cap, or the terminal buffer after the window where the metric settled. */
  private end: number;
  private iterationsDone = 0;

  constructor(
    private readonly kernel: NutsKernel,
    private readonly warmup: number,
    targetAccept: number,
  ) {
    kernel.stepSize = kernel.findReasonableStepSize(1);
    this.stepSizeAdaptation = new DualAveragingStepSize(targetAccept);
    this.stepSizeAdaptation.restart(kernel.stepSize);
    this.windows = metricAdaptationWindows(warmup);
    this.end = warmup;
    const { metric } = kernel;
    this.estimate = isCorrelatedMetric(metric) ? covarianceEstimate(metric) : varianceEstimate(metric);
  }

  get done(): boolean {
    return this.iterationsDone >= this.end;
  }

  adapt(iteration: number, stats: TransitionStats): void {
    this.iterationsDone = iteration + 1;
    const { kernel } = this;
    kernel.stepSize = this.stepSizeAdaptation.update(stats.acceptStat);
    const slowWindow = this.windows[this.window];
    if (slowWindow === undefined || iteration < slowWindow.start) return;
    this.estimate.add(kernel.position);
    if (iteration !== slowWindow.end) return;
    this.estimate.endWindow();
    const lastWindow = this.windows[this.windows.length - 1];
    // Every window's estimate is observed, so each check compares it with the window before; none settles before the floor.
    const agrees = this.agreement.observe(kernel.metric, this.estimate.previousDraws, this.estimate.draws);
    const pooledDraws = this.estimate.previousDraws + this.estimate.draws;
    if (
      agrees &&
      iteration + 1 >= SETTLE_FLOOR &&
      pooledDraws >= this.estimate.minimumPooledDraws &&
      this.window < this.windows.length - 1
    ) {
      // Settled: the two agreeing windows estimate the final metric together; the terminal buffer follows.
      this.estimate.poolLastTwo();
      this.end = iteration + 1 + (this.warmup - lastWindow.end - 1);
      this.window = this.windows.length;
    } else {
      this.window += 1;
    }
    // A new metric changes the scale of a good step, so search again and restart dual averaging there.
    kernel.stepSize = kernel.findReasonableStepSize(kernel.stepSize);
    this.stepSizeAdaptation.restart(kernel.stepSize);
  }

  finish(): void {
    if (this.warmup > 0) this.kernel.stepSize = this.stepSizeAdaptation.finalStepSize();
  }
}

/** A running estimate over one slow window's draws (adaptation.ts). */
interface WindowAccumulator<A> {
  readonly samples: number;
  add(position: Float64Array): void;
  merge(other: A): void;
  restart(): void;
}

/**
 * What the slow windows estimate: draws go into the current window; at its end the metric is written
 * from it. The last two windows are kept, so that two that agree can estimate the metric together.
 */
class WindowEstimate<A extends WindowAccumulator<A>> {
  private current: A;
  private last: A;
  private beforeLast: A;

  constructor(
    create: () => A,
    private readonly write: (accumulator: A) => void,
    /** Two agreeing windows end the adaptation only if they hold at least this many draws together. */
    readonly minimumPooledDraws: number,
  ) {
    this.current = create();
    this.last = create();
    this.beforeLast = create();
  }

  /** Draws of the window that ended last, and of the one before it (0 until two have ended). */
  get draws(): number {
    return this.last.samples;
  }

  get previousDraws(): number {
    return this.beforeLast.samples;
  }

  add(position: Float64Array): void {
    this.current.add(position);
  }

  /** Writes the metric from the current window's draws, which become the last window. */
  endWindow(): void {
    this.write(this.current);
    [this.beforeLast, this.last, this.current] = [this.last, this.current, this.beforeLast];
    this.current.restart();
  }

  /** Writes the metric from the last two windows' draws together. */
  poolLastTwo(): void {
    this.last.merge(this.beforeLast);
    this.write(this.last);
  }
}

/** Stan's diag_e: D = the window's regularised variances. */
function varianceEstimate(metric: Metric): WindowEstimate<WelfordVariance> {
  return new WindowEstimate(
    () => new WelfordVariance(metric.dim),
    (variance) => {
      variance.regularisedVariance(metric.diagonal);
      metric.refresh();
    },
    0,
  );
}

/**
 * A dense metric stops adapting early only on at least this many draws per coordinate. At 10 per
 * coordinate the sample covariance's extreme eigenvalues are (1 +- 0.32)^2 times the truth
 * (Marchenko-Pastur), and still, on the study's 104-week national dataset (30 coordinates), warm-ups that
 * ended at 300-500 iterations on 150-300 pooled draws gave a min bulk ESS per draw of 0.16 and 27-37
 * divergences, against 0.30-0.43 and 3-13 with the full 1,000 (seeds 1-3): the correlations of a
 * weakly identified baseline need more draws than its variances. At 20 per coordinate a national model
 * (19-34 coordinates) settles only on the last two windows' 700 draws, i.e. runs to the cap; small
 * models still end early.
 */
const DENSE_DRAWS_PER_DIMENSION = 20;

/** Stan's dense_e: Sigma = the window's regularised covariance, as D = diag(Sigma) and the eigenpairs of D^-1/2 Sigma D^-1/2. */
function covarianceEstimate(metric: CorrelatedMetric): WindowEstimate<WelfordCovariance> {
  const { dim, diagonal } = metric;
  const sigma = new Float64Array(dim * dim);
  const values = new Float64Array(dim);
  const vectors = new Float64Array(dim * dim);
  return new WindowEstimate(
    () => new WelfordCovariance(dim),
    (covariance) => {
      covariance.regularisedCovariance(sigma);
      for (let i = 0; i < dim; i++) diagonal[i] = sigma[i * dim + i];
      // Sigma -> D^-1/2 Sigma D^-1/2 in place: the correlation matrix, whose eigenpairs the metric takes.
      for (let i = 0; i < dim; i++) {
        for (let k = 0; k < dim; k++) sigma[i * dim + k] /= Math.sqrt(diagonal[i] * diagonal[k]);
      }
      symmetricEigen(sigma, dim, values, vectors);
      metric.setCorrection(values, vectors, dim);
    },
    DENSE_DRAWS_PER_DIMENSION * dim,
  );
}

/** nutpie's schedule, as fractions of the warm-up and window lengths in iterations. */
const EARLY_FRACTION = 0.3;
const FINAL_STEP_SIZE_FRACTION = 0.15;
const EARLY_WINDOW = 10;
const LATE_WINDOW = 80;
/** Draws (the initial point included) before the first gradient-based estimate replaces 1/|grad|. */
const MIN_METRIC_DRAWS = 3;
/**
 * Rows the correction's window keeps: the foreground holds at most a late window from its switch plus
 * the background's draws until the next switch, which waits at most two late windows near metricEnd.
 */
const WINDOW_CAPACITY = 3 * LATE_WINDOW;
/** Iterations between estimates of the correction after the early phase (nutpie re-estimates after every draw). */
const CORRECTION_INTERVAL = CHECK_INTERVAL;

/** Iterations [0, earlyEnd) use short windows; [earlyEnd, metricEnd) long ones; the rest tune the step only. */
export interface GradientMetricSchedule {
  earlyEnd: number;
  metricEnd: number;
}

export function gradientMetricSchedule(warmup: number): GradientMetricSchedule {
  return {
    earlyEnd: Math.floor(EARLY_FRACTION * warmup),
    metricEnd: warmup - Math.floor(FINAL_STEP_SIZE_FRACTION * warmup),
  };
}

/**
 * nutpie's adaptation. Every transition before metricEnd feeds its draw and gradient to two estimators;
 * the metric is re-estimated from the older (foreground) one after every transition, and once the
 * newer (background) one holds a window's worth of draws it becomes the foreground and a fresh one
 * starts: the estimate always rests on the last one to two windows, forgetting the transient. The
 * windows are short early on, while the chain still travels towards the typical set, then long. Dual
 * averaging runs throughout; its state restarts at the first gradient-based metric and at metricEnd,
 * so the final step size is tuned to the final metric alone.
 */
export class GradientWarmup implements Warmup {
  private readonly stepSizeAdaptation: DualAveragingStepSize;
  private readonly schedule: GradientMetricSchedule;
  private foreground: DrawGradientVariance;
  private background: DrawGradientVariance;
  private metricEstimated = false;
  /** The last metric update (schedule.metricEnd - 1 unless the metric settles before) and the end of warm-up. */
  private metricEnd: number;
  private end: number;
  private iterationsDone = 0;
  private readonly settling = new SettlingCheck();
  /** The metric's correction and the foreground's draws and gradients it is estimated from, if it has one. */
  private readonly correlated: { metric: CorrelatedMetric; window: DrawGradientWindow; estimated: boolean } | null;

  constructor(
    private readonly kernel: NutsKernel,
    private readonly warmup: number,
    targetAccept: number,
  ) {
    const { metric } = kernel;
    this.foreground = new DrawGradientVariance(metric.dim);
    this.background = new DrawGradientVariance(metric.dim);
    this.schedule = gradientMetricSchedule(warmup);
    this.metricEnd = this.schedule.metricEnd;
    this.end = warmup;
    this.correlated = isCorrelatedMetric(metric)
      ? { metric, window: new DrawGradientWindow(metric.dim, WINDOW_CAPACITY), estimated: false }
      : null;
    // Without warm-up the draws use the unit metric, as Stan's do.
    if (warmup > 0) {
      inverseMetricFromGradient(kernel.gradient, metric.diagonal);
      metric.refresh();
      this.addDraw();
    }
    kernel.stepSize = kernel.findReasonableStepSize(1);
    this.stepSizeAdaptation = new DualAveragingStepSize(targetAccept);
    this.stepSizeAdaptation.restart(kernel.stepSize);
  }

  get done(): boolean {
    return this.iterationsDone >= this.end;
  }

  adapt(iteration: number, stats: TransitionStats): void {
    this.iterationsDone = iteration + 1;
    const { kernel, schedule } = this;
    // Checks compare estimates resting on at least a late window of draws: successive estimates from a
    // few overlapping draws agree with each other without being right.
    const checkDue =
      iteration >= Math.max(SETTLE_FLOOR, schedule.earlyEnd) &&
      iteration < this.metricEnd - 1 &&
      (iteration - schedule.earlyEnd) % CHECK_INTERVAL === 0 &&
      this.foreground.samples >= LATE_WINDOW;
    if (checkDue && this.settling.observe(kernel.metric, this.stepSizeAdaptation.finalStepSize())) {
      // Settled: this iteration makes the last metric update, then the final step-size phase runs.
      this.end = iteration + 1 + (this.warmup - schedule.metricEnd);
      this.metricEnd = iteration + 1;
    }
    if (iteration >= this.metricEnd) {
      kernel.stepSize = this.stepSizeAdaptation.update(stats.acceptStat);
      return;
    }
    this.addDraw();
    const window = iteration < schedule.earlyEnd ? EARLY_WINDOW : LATE_WINDOW;
    // A switch needs a full background window and enough iterations left to fill the next one.
    const switched = this.background.samples >= window && iteration + window < this.metricEnd;
    if (switched) {
      [this.foreground, this.background] = [this.background, this.foreground];
      this.background.restart();
      this.correlated?.window.keepLatest(this.foreground.samples);
    }
    const lastMetricUpdate = iteration === this.metricEnd - 1;
    if (this.foreground.samples >= MIN_METRIC_DRAWS) {
      const { correlated } = this;
      const late = correlated !== null && iteration >= schedule.earlyEnd;
      const correctionDue =
        late && (!correlated.estimated || lastMetricUpdate || (iteration - schedule.earlyEnd) % CORRECTION_INTERVAL === 0);
      const firstCorrection = correctionDue && !correlated.estimated;
      // Once corrected, D moves only together with the correction: U means something only in the coordinates scaled by its D.
      if (!late || correctionDue) {
        this.foreground.writeInverseMetric(kernel.metric.diagonal);
        kernel.metric.refresh();
      }
      if (correctionDue) {
        const { values, vectors, count } = estimateScaledEigenpairs(correlated.window, kernel.metric.diagonal);
        correlated.metric.setCorrection(values, vectors, count);
        correlated.estimated = true;
      }
      if (!this.metricEstimated || lastMetricUpdate || firstCorrection) {
        this.metricEstimated = true;
        kernel.stepSize = kernel.findReasonableStepSize(kernel.stepSize);
        this.stepSizeAdaptation.restart(kernel.stepSize);
        return;
      }
    }
    kernel.stepSize = this.stepSizeAdaptation.update(stats.acceptStat);
  }

  finish(): void {
    if (this.warmup > 0) this.kernel.stepSize = this.stepSizeAdaptation.finalStepSize();
  }

  private addDraw(): void {
    const { position, gradient } = this.kernel;
    this.foreground.add(position, gradient);
    this.background.add(position, gradient);
    this.correlated?.window.add(position, gradient);
  }
}

/** The warm-up of a scheme (metric-choice.ts), with whatever metric the kernel carries. */
export function createWarmup(scheme: WarmupScheme, kernel: NutsKernel, warmup: number, targetAccept: number): Warmup {
  return scheme === 'windowed' ? new WindowedWarmup(kernel, warmup, targetAccept) : new GradientWarmup(kernel, warmup, targetAccept);
}
