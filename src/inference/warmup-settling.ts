/**
 * Warm-up by need: `warmup` is a cap, and nutpie's warm-up (warmup.ts) ends its metric adaptation once
 * the metric and the step size have settled. Criterion, checked every CHECK_INTERVAL iterations after
 * the early phase, once the metric's window holds a late window (80 draws), and never before iteration
 * SETTLE_FLOOR: between successive checks
 * - the root mean square over coordinates of the change in log diag(M^-1) (the per-coordinate scales
 *   the metric assumes, correction included) is below METRIC_TOLERANCE (0.1: scales within ~5%), and
 * - the dual-averaging step size (its averaged iterate, the one the draws would use) moved by less than
 *   STEP_SIZE_TOLERANCE in log (10%),
 * at SETTLED_CHECKS successive checks. The last metric update then happens at once and the final
 * step-size phase (15% of the cap) follows, so a chain's warm-up is at least SETTLE_FLOOR + 15% of the
 * cap. Between overlapping windows of 80-160 draws a settled estimate moves by a few per cent; a chain
 * still travelling, or a metric that just took in a new correlation, moves by far more.
 */
import { inverseMetricDiagonal, type Metric } from './metric.ts';

export const SETTLE_FLOOR = 200;
export const CHECK_INTERVAL = 10;
const METRIC_TOLERANCE = 0.1;
const STEP_SIZE_TOLERANCE = 0.1;
const SETTLED_CHECKS = 2;

export class SettlingCheck {
  private previousLogScales: Float64Array | null = null;
  private previousLogStepSize = Number.NaN;
  private passes = 0;

  /** Takes the metric and the averaged step size at a check; true once both have settled. */
  observe(metric: Metric, stepSize: number): boolean {
    const logScales = inverseMetricDiagonal(metric.state()).map(Math.log);
    const logStepSize = Math.log(stepSize);
    const previous = this.previousLogScales;
    let settled = false;
    if (previous !== null) {
      let sumSquares = 0;
      for (let i = 0; i < logScales.length; i++) sumSquares += (logScales[i] - previous[i]) ** 2;
      const metricChange = Math.sqrt(sumSquares / logScales.length);
      const stepSizeChange = Math.abs(logStepSize - this.previousLogStepSize);
      settled = metricChange < METRIC_TOLERANCE && stepSizeChange < STEP_SIZE_TOLERANCE;
    }
    this.passes = settled ? this.passes + 1 : 0;
    this.previousLogScales = logScales;
    this.previousLogStepSize = logStepSize;
    return this.passes >= SETTLED_CHECKS;
  }
}

/**
 * Warm-up by need for Stan's windowed scheme (WindowedWarmup): its slow windows hold different draws, so
 * successive estimates differ by sampling error even once the chain has settled. The log of a sample
 * variance from n independent draws has a standard deviation of about sqrt(2 / n), so two settled
 * windows of nA and nB draws differ per coordinate by about sqrt(2 / nA + 2 / nB) in log diag(M^-1).
 * They agree when the root mean square of that difference over coordinates is within WINDOW_AGREEMENT
 * times it: 2, because NUTS draws estimate second moments from about half as many effective draws as
 * they hold (on a 10-d standard normal the ratio to sqrt(2 / nA + 2 / nB) ran 0.4-1.8, seeds 1-5), while
 * a chain still travelling moves its variances by factors, far beyond that. Warm-up then ends at the
 * earliest after the third window, at 300 iterations of a 1,000 cap.
 */
const WINDOW_AGREEMENT = 2;

export class WindowAgreement {
  private previousLogScales: Float64Array | null = null;

  /** Takes the metric just estimated from `draws` draws (the previous window had `previousDraws`); true if the two agree. */
  observe(metric: Metric, previousDraws: number, draws: number): boolean {
    const logScales = inverseMetricDiagonal(metric.state()).map(Math.log);
    const previous = this.previousLogScales;
    this.previousLogScales = logScales;
    if (previous === null || previousDraws === 0) return false;
    let sumSquares = 0;
    for (let i = 0; i < logScales.length; i++) sumSquares += (logScales[i] - previous[i]) ** 2;
    const change = Math.sqrt(sumSquares / logScales.length);
    return change < WINDOW_AGREEMENT * Math.sqrt(2 / previousDraws + 2 / draws);
  }
}
