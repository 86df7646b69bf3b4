/**
 * The forecast backtest of a fit and the widening of the plan's predictive bands it calibrates
 * (docs/decision-layer.md, "Predictive bands calibrated by a backtest"). At fit time the model is fitted
 * again on all but the data's last H weeks and forecasts those weeks given their actual spend and controls
 * (src/run/forecast-backtest.ts); this module scores that forecast and turns the scores into the factor
 * by which every plan's predictive band is widened around its mean.
 *
 * Split-conformal calibration (Vovk, Gammerman & Shafer 2005, "Algorithmic Learning in a Random World";
 * Lei et al. 2018, "Distribution-free predictive inference for regression"): each held-out week's score is
 * its distance from the predictive mean in units of the band's half-width on that side,
 *   r_j = (y_j - mean_j) / (p95_j - mean_j) above the mean, (mean_j - y_j) / (mean_j - p05_j) below it,
 * so the band widened by s around its mean, mean + s (q - mean), covers week j exactly when r_j <= s. The
 * scale is the ceil((n + 1) x 0.9)-th smallest of the n scores (the largest when that exceeds n: with 13
 * weeks, the largest), never below 1. The posterior's own band is not narrowed on this evidence: a window
 * of weeks that move together and all fall inside shows that the band was wide enough there, not that it
 * is too wide in general.
 */
import { z } from 'zod';
import type { Verdict } from '../inference/diagnostics/verdict.ts';
import type { WeeklyBand } from './horizon-forecast.ts';

/** The nominal coverage of the predictive band the backtest calibrates. */
export const BACKTEST_COVERAGE = 0.9;

export const forecastBacktestSchema = z.discriminatedUnion('status', [
  z
    .object({
      status: z.literal('done'),
      /** The held-out weeks: the data's last H weeks (H = plan.weeks), forecast from a fit on the weeks before. */
      window: z.object({ start: z.iso.date(), end: z.iso.date() }).strict(),
      weeks: z.number().int().positive(),
      /** Held-out weeks whose observed outcome fell inside the forecast's 90% predictive band. */
      covered: z.number().int().nonnegative(),
      /** Per held-out week, its score r_j: distance from the predictive mean in half-widths of the band on that side. */
      scores: z.array(z.number().nonnegative()),
      /** The factor every plan's predictive band is widened by around its mean (>= 1). */
      bandScale: z.number().min(1),
      /** The backtest fit's own diagnostics verdict. */
      verdict: z.enum(['pass', 'warn', 'fail']) satisfies z.ZodType<Verdict>,
    })
    .strict(),
  z.object({ status: z.literal('skipped'), reason: z.string().min(1) }).strict(),
]);
export type ForecastBacktest = z.infer<typeof forecastBacktestSchema>;

/** r: the observed value's distance from the band's mean in half-widths of the band on its side. */
export function bandScore(band: WeeklyBand, actual: number): number {
  const halfWidth = actual >= band.mean ? band.p95 - band.mean : band.mean - band.p05;
  if (!(halfWidth > 0)) throw new Error(`the predictive band of week ${band.week} has no width on the side of ${actual}`);
  return Math.abs(actual - band.mean) / halfWidth;
}

/** The split-conformal quantile of the scores at `coverage`, never below 1 (see the module's comment). */
export function conformalBandScale(scores: readonly number[], coverage = BACKTEST_COVERAGE): number {
  if (scores.length === 0) throw new Error('a band scale needs at least one score');
  const sorted = [...scores].sort((a, b) => a - b);
  const rank = Math.min(Math.ceil((sorted.length + 1) * coverage), sorted.length);
  return Math.max(1, sorted[rank - 1]);
}

/** The backtest's record from the forecast's weekly predictive bands and the weeks' observed outcomes. */
export function scoreBacktest(predictive: readonly WeeklyBand[], actuals: readonly number[], verdict: Verdict): ForecastBacktest {
  if (predictive.length !== actuals.length) {
    throw new Error(`${predictive.length} forecast weeks against ${actuals.length} observed weeks`);
  }
  const scores = predictive.map((band, j) => bandScore(band, actuals[j]));
  return {
    status: 'done',
    window: { start: predictive[0].week, end: predictive[predictive.length - 1].week },
    weeks: scores.length,
    covered: predictive.filter((band, j) => actuals[j] >= band.p05 && actuals[j] <= band.p95).length,
    scores,
    bandScale: conformalBandScale(scores),
    verdict,
  };
}

/** The widening a run's backtest gives its plans: 1 when it was skipped or the run has none (fitted before backtests). */
export function backtestBandScale(backtest: ForecastBacktest | undefined): number {
  return backtest?.status === 'done' ? backtest.bandScale : 1;
}

/** The backtest and what it does to plans, in words: the plan's statements and `mmm fit`'s summary. */
export function describeBacktest(backtest: ForecastBacktest | undefined): string {
  const unchanged = "plans' predictive bands are as the posterior gives them";
  if (backtest === undefined) return `none (the run was fitted before forecast backtests): ${unchanged}`;
  if (backtest.status === 'skipped') return `skipped (${backtest.reason}): ${unchanged}`;
  const { covered, weeks, window, bandScale } = backtest;
  const effect = bandScale > 1 ? `plans' predictive bands are widened x${bandScale.toFixed(2)} around their means` : unchanged;
  return `${covered} of ${weeks} weeks ${window.start}..${window.end} inside the 90% predictive band of a forecast from the weeks before: ${effect}`;
}
