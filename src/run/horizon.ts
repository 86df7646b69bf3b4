/**
 * A fitted run's plan horizon (docs/decision-layer.md, "The planning horizon"): the future weeks after the
 * data's end with the plan's reference spend (src/model/horizon/future-weeks.ts), the fitted model extended
 * over them with its training constants (src/model/horizon/extended-model.ts), the posterior draws a plan
 * is scored on, and the calibration factor k of the latest reporting window — the data's last H weeks —
 * which applies to every horizon figure (nothing in the future is observed to calibrate against) — and the
 * widening of the predictive bands that the fit's forecast backtest calibrated (src/run/forecast-backtest.ts).
 * What `mmm plan` and the plan workflow build on: the horizon's response source
 * (horizon-response-source.ts) answers the optimiser, frontier and goal seek, `forecastPlan` the forecast.
 */
import { z } from 'zod';
import { horizonSettingsSchema, type HorizonSettings, type HorizonSettingsInput } from '../config/horizon-settings.ts';
import type { MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import type { PlanSpendFile } from '../data/plan-spend-file.ts';
import { observedOutcomeTotal } from '../analysis/observed-totals.ts';
import { forecastHorizon, periodOutcomeDraws, type HorizonForecast } from '../analysis/horizon-forecast.ts';
import { backtestBandScale, describeBacktest, type ForecastBacktest } from '../analysis/forecast-backtest.ts';
import type { PosteriorRef } from '../io/run-manifest.ts';
import { extendModel, type ExtendedModel } from '../model/horizon/extended-model.ts';
import { futureWeeks, HorizonError, type FutureWeeks } from '../model/horizon/future-weeks.ts';
import type { MmmModel } from '../model/mmm-model.ts';
import { createMmmModel } from '../model/model.ts';
import { thinnedDrawIndices, type PosteriorDraws } from '../model/posterior-draws.ts';
import { calibrationBandSchema, CalibrationError, type Calibration } from '../surface/calibration.ts';
import { DEFAULT_MAX_DRAWS } from './mmm-response-source.ts';
import { readFitRun } from './run-directory.ts';

export const horizonOptionsSchema = z
  .object({
    /** At most this many posterior draws, evenly thinned across the concatenated chains (as the response source). */
    maxDraws: z.number().int().positive().default(DEFAULT_MAX_DRAWS),
    /** The band k must lie in, as for a surface. */
    band: calibrationBandSchema.prefault({}),
    /** Seed of the predictive band's observation noise; default the run's sampler seed. */
    seed: z.number().int().min(0).optional(),
  })
  .strict();
export type HorizonOptions = z.input<typeof horizonOptionsSchema>;

/** A plan request: horizon settings overriding the run config's `plan` section, per-channel budgets, a plan spend file. */
export interface HorizonPlanRequest {
  settings?: HorizonSettingsInput;
  budgets?: Readonly<Record<string, number>>;
  planSpend?: PlanSpendFile;
}

/** What a fitted run gives a horizon: its data, config, posterior (and the posterior's hashes when read from a run directory). */
export interface FittedRun {
  panel: Panel;
  config: MmmConfig;
  posterior: PosteriorDraws;
  /** The model over `panel`; built from panel and config when left out. */
  model?: MmmModel;
  ref?: PosteriorRef;
  /** The fit's forecast backtest (summary.json); absent for runs fitted before backtests, whose bands are not widened. */
  forecastBacktest?: ForecastBacktest;
}

export interface Horizon {
  config: MmmConfig;
  settings: HorizonSettings;
  /** The data's panel and the fitted model over it. */
  panel: Panel;
  fitted: MmmModel;
  posterior: PosteriorDraws;
  posteriorRef?: PosteriorRef;
  /** The draws every horizon figure uses (evenly thinned, as MmmResponseSource thins). */
  drawIndices: readonly number[];
  maxDraws: number;
  future: FutureWeeks;
  /** The fitted model over the data then the future weeks, with the plan's reference spend in them. */
  extended: ExtendedModel;
  /** Horizon periods [tStart, tEnd) of the extended model (plan weeks, then carry-over weeks) and their dates. */
  tStart: number;
  tEnd: number;
  window: { start: string; end: string };
  /** k of the latest reporting window (the data's last H weeks), for every horizon figure. */
  calibration: Calibration;
  /** The predictive bands' widening from the fit's forecast backtest (1: none); the plan's statements say which. */
  bandScale: number;
  seed: number;
}

/** k = observed / posterior-mean modelled outcome over the data's last `weeks` weeks; CalibrationError outside the band. */
function latestWindowCalibration(
  fitted: MmmModel,
  panel: Panel,
  posterior: PosteriorDraws,
  drawIndices: readonly number[],
  weeks: number,
  band: Calibration['band'],
): Calibration {
  const T = panel.dates.length;
  const tStart = Math.max(0, T - weeks);
  const draws = periodOutcomeDraws(fitted, posterior, drawIndices, tStart, T);
  const modelled = draws.reduce((sum, v) => sum + v, 0) / drawIndices.length;
  const observedTotal = observedOutcomeTotal(panel, tStart, T);
  const window = { start: panel.dates[tStart], end: panel.dates[T - 1] };
  const factor = observedTotal / modelled;
  if (!(factor >= band.lower && factor <= band.upper)) throw new CalibrationError(factor, band, window, observedTotal, modelled);
  return { factor, band: { ...band }, window, observedTotal, baselineScenarioMean: modelled };
}

export function buildHorizon(run: FittedRun, request: HorizonPlanRequest = {}, options: HorizonOptions = {}): Horizon {
  const { maxDraws, band, seed } = horizonOptionsSchema.parse(options);
  // The request's settings override the run config's `plan` section field by field (as flags override a config).
  const settings = horizonSettingsSchema.parse({ ...run.config.plan, ...request.settings });
  const fitted = run.model ?? createMmmModel(run.panel, run.config);
  const weeks = futureWeeks(run.panel, run.config, { settings, budgets: request.budgets, planSpend: request.planSpend });
  const future = { ...weeks, statements: [...weeks.statements, `forecast backtest: ${describeBacktest(run.forecastBacktest)}`] };
  const extended = extendModel(fitted, run.panel, future, settings.trend);
  const drawIndices = thinnedDrawIndices(run.posterior, maxDraws);
  const T = run.panel.dates.length;
  const tEnd = T + future.dates.length;
  return {
    config: run.config,
    settings,
    panel: run.panel,
    fitted,
    posterior: run.posterior,
    posteriorRef: run.ref,
    drawIndices,
    maxDraws,
    future,
    extended,
    tStart: T,
    tEnd,
    window: { start: future.dates[0], end: future.dates[future.dates.length - 1] },
    calibration: latestWindowCalibration(fitted, run.panel, run.posterior, drawIndices, settings.weeks, band),
    bandScale: backtestBandScale(run.forecastBacktest),
    seed: seed ?? run.config.sampler.seed,
  };
}

/** The horizon of a run directory written by `mmm fit --out DIR`. */
export function loadHorizon(runDir: string, request: HorizonPlanRequest = {}, options: HorizonOptions = {}): Horizon {
  return buildHorizon(readFitRun(runDir), request, options);
}

/** The horizon's future weeks with each channel's reference spend (and the media it buys) scaled to `spend` (currency per channel). */
export function scaledFuture(horizon: Horizon, spend: Float64Array): FutureWeeks {
  const { future } = horizon;
  const C = horizon.panel.channels.length;
  const reference = referenceSpend(horizon);
  const factors = horizon.panel.channels.map((name, c) => {
    if (!(spend[c] >= 0 && Number.isFinite(spend[c])))
      throw new HorizonError(`spend ${spend[c]} for channel '${name}' is not a finite number >= 0`);
    if (reference[c] === 0 && spend[c] > 0) {
      throw new HorizonError(
        `channel '${name}' has no spend in the horizon's reference plan, so spend ${spend[c]} has no flighting to follow`,
      );
    }
    return reference[c] === 0 ? 0 : spend[c] / reference[c];
  });
  const scale = (series: Float64Array) => series.map((v, i) => v * factors[i % C]);
  return { ...future, spend: scale(future.spend), media: scale(future.media) };
}

/** The reference plan's horizon spend per channel (currency): the f = 1 point of the horizon's response source. */
export function referenceSpend(horizon: Horizon): Float64Array {
  const C = horizon.panel.channels.length;
  const total = new Float64Array(C);
  horizon.future.spend.forEach((v, i) => (total[i % C] += v));
  return total;
}

/**
 * The forecast of a plan: `spend` per channel over the horizon (default the reference plan), each channel's
 * flighting kept; weekly expected, predictive and baseline bands, calibrated by the latest window's k, the
 * predictive ones widened by the fit's backtest band scale.
 */
export function forecastPlan(horizon: Horizon, spend: Float64Array = referenceSpend(horizon)): HorizonForecast {
  const { fitted, panel, posterior, drawIndices, tStart, future, calibration, bandScale, seed, settings } = horizon;
  const planned = extendModel(fitted, panel, scaledFuture(horizon, spend), settings.trend);
  const noSpend = extendModel(fitted, panel, scaledFuture(horizon, new Float64Array(spend.length)), settings.trend);
  return forecastHorizon({
    plan: planned.model,
    noSpend: noSpend.model,
    posterior,
    drawIndices,
    tStart,
    weeks: future.dates,
    calibrationFactor: calibration.factor,
    bandScale,
    seed,
  });
}
