/**
 * The forecast backtest every fit of national data runs (docs/decision-layer.md, "Predictive bands calibrated
 * by a backtest"): the model, with the same config and sampler, is fitted again on all but the data's last H
 * weeks (H = the config's plan.weeks, the horizon plans are made for), those weeks are forecast from that fit
 * given their actual spend, media, controls and revenue per KPI (their rows of the data, as a `custom` plan
 * of the horizon), and each week's observed outcome is scored against the forecast's 90% predictive band
 * (src/analysis/forecast-backtest.ts). The band scale that scoring gives is stored in summary.json and widens
 * the predictive bands of every plan made from the run: how far the model's forecasts of its own last weeks
 * strayed is the best evidence there is of how far its forecasts of the next weeks may.
 *
 * The backtest fit's config is the fit's, less what lies in the held-out weeks: lift tests whose window ends
 * after the training weeks are left out (they are evidence from the weeks being forecast). Skipped, with the
 * reason recorded, for geo data (plans are national), data too short to leave a year of training weeks before
 * the window (after any holdout), an ROI prior window reaching into the held-out weeks, a fit that failed its
 * diagnostics (no plan is made from it), and a window the horizon cannot be built over (the horizon's own error
 * names why).
 */
import { observedOutcomeTotal } from '../analysis/observed-totals.ts';
import { scoreBacktest, type ForecastBacktest } from '../analysis/forecast-backtest.ts';
import type { MmmConfig } from '../config/schema.ts';
import { addDays } from '../data/dates.ts';
import { leadingWeeks, panelDims, type Panel } from '../data/panel.ts';
import { planSpendOfWeeks, type PlanColumns, type PlanSpendFile, type PlanWeekRow } from '../data/plan-spend-file.ts';
import { fitMmm, type FitOptions } from '../fit/fit-mmm.ts';
import type { Verdict } from '../inference/diagnostics/verdict.ts';
import { HorizonError, WEEKS_PER_YEAR } from '../model/horizon/future-weeks.ts';
import { CalibrationError } from '../surface/calibration.ts';
import { buildHorizon, forecastPlan } from './horizon.ts';

/**
 * The data's weeks from `tStart` on as a `custom` plan gives them: their rows of the panel, under the config's
 * column names, through the one conversion every plan source goes through (planSpendOfWeeks).
 */
function observedPlan(panel: Panel, config: MmmConfig, tStart: number): PlanSpendFile {
  const { T, C, K } = panelDims(panel);
  const { data } = config;
  const series = new Map<string, (t: number) => number>();
  data.channels.forEach((channel, c) => {
    series.set(channel.spend, (t) => panel.spend[t * C + c]);
    if (channel.media !== null) series.set(channel.media, (t) => panel.media[t * C + c]);
  });
  panel.controlNames.forEach((control, k) => series.set(control, (t) => panel.controls[t * K + k]));
  const revenue = panel.revenuePerKpi;
  if (revenue !== null && data.revenuePerKpi !== null) series.set(data.revenuePerKpi, (t) => revenue[t]);
  const columns: PlanColumns = {
    spend: data.channels.map((channel) => ({ channel: channel.name, column: channel.spend })),
    media: data.channels.flatMap((channel) => (channel.media === null ? [] : [{ channel: channel.name, column: channel.media }])),
    controls: panel.controlNames,
    revenuePerKpi: revenue === null ? null : data.revenuePerKpi,
  };
  const weeks = panel.dates.slice(tStart);
  const rows: PlanWeekRow[] = weeks.map((date, j) => ({
    row: tStart + j + 1,
    date,
    value: (column) => {
      const number = (series.get(column) as (t: number) => number)(tStart + j);
      return { number, text: String(number) };
    },
  }));
  const { plan, issues } = planSpendOfWeeks(rows, columns, weeks, `the data's last ${T - tStart} weeks`);
  // The panel was validated when it was read, so its own rows cannot be refused.
  if (issues.length > 0) throw new Error(`the data's own weeks as a plan: ${issues.map((issue) => issue.message).join('; ')}`);
  return plan;
}

/** The config of the backtest fit on `training`, or why there is none: what lies after its last week is left out or refused. */
export function backtestTrainingConfig(config: MmmConfig, training: Panel): MmmConfig | { skipped: string } {
  const lastDay = addDays(training.dates[training.dates.length - 1], 6);
  for (const channel of config.data.channels) {
    const { prior } = channel;
    if (prior?.type === 'roi' && prior.window !== undefined && prior.window.end > lastDay) {
      return {
        skipped: `channel '${channel.name}' has an ROI prior window (${prior.window.start}..${prior.window.end}) reaching into the held-out weeks after ${lastDay}`,
      };
    }
  }
  return { ...config, experiments: config.experiments.filter((experiment) => experiment.end <= lastDay) };
}

/** The fit's forecast backtest; `verdict` is the main fit's (a failed fit is not backtested). */
export async function runForecastBacktest(
  panel: Panel,
  config: MmmConfig,
  verdict: Verdict,
  options: FitOptions = {},
): Promise<ForecastBacktest> {
  const { G, T } = panelDims(panel);
  const H = config.plan.weeks;
  const skipped = (reason: string): ForecastBacktest => ({ status: 'skipped', reason });
  if (G > 1) return skipped(`the data have ${G} geos; plans, and so their backtest, are national`);
  if (verdict === 'fail') return skipped('the fit failed its diagnostics, so no plan is made from it');
  const { holdoutWeeks } = config.model;
  if (T - H - holdoutWeeks < WEEKS_PER_YEAR) {
    const holdout = holdoutWeeks > 0 ? ` and the ${holdoutWeeks} holdout weeks` : '';
    return skipped(
      `the data hold ${T} weeks; a backtest of the last ${H} needs a year of training weeks before them${holdout} (${WEEKS_PER_YEAR + H + holdoutWeeks})`,
    );
  }
  const training = leadingWeeks(panel, T - H);
  const fitConfig = backtestTrainingConfig(config, training);
  if ('skipped' in fitConfig) return skipped(fitConfig.skipped);
  const fit = await fitMmm(training, fitConfig, options);
  try {
    const horizon = buildHorizon(
      { panel: training, config: fitConfig, posterior: fit.posterior, model: fit.model },
      {
        settings: { weeks: H, flighting: 'custom', channelFlighting: {}, countCarryover: false },
        planSpend: observedPlan(panel, config, T - H),
      },
    );
    const actuals = Array.from({ length: H }, (_, j) => observedOutcomeTotal(panel, T - H + j, T - H + j + 1));
    return scoreBacktest(forecastPlan(horizon).predictive, actuals, fit.diagnostics.verdict);
  } catch (error) {
    if (error instanceof HorizonError || error instanceof CalibrationError)
      return skipped(`its horizon could not be built: ${error.message}`);
    throw error;
  }
}
