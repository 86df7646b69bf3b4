/**
 * The fitted model over the data's periods followed by the future ones (future-weeks.ts): the panel
 * extended, and the model data built from it with the TRAINING constants — KPI mean and sd, media medians,
 * control means and sds, knots and their spacing, seasonal column centring, pooling forms, ROI windows and
 * spend — never recomputed from the extended panel, whose outcome is unknown. The data's periods therefore
 * keep their model data bit for bit, the posterior draws mean what they meant at fit time, and the future
 * periods are what the model predicts for them: trend continued (settings.trend), seasonality at the
 * future dates, controls and media as given. The KPI of future periods is NaN; the likelihood never reads
 * it (it stops at the training window).
 */
import type { TrendContinuation } from '../../config/horizon-settings.ts';
import { panelDims, type Panel } from '../../data/panel.ts';
import { MmmModel } from '../mmm-model.ts';
import { outcomeScales, scaledKpi, scaledMedia, standardisedControls, timeBasisRows, type ModelData } from '../model-data.ts';
import type { FutureWeeks } from './future-weeks.ts';

export interface ExtendedModel {
  /** The data's panel followed by the future periods (NaN KPI there). */
  panel: Panel;
  /** The fitted model over the extended periods; it reads the fit's posterior draws. */
  model: MmmModel;
  /** Periods of the data: the future starts at this index. */
  dataPeriods: number;
}

/** The data's panel followed by `future` (national panels: one geo). */
export function extendPanel(panel: Panel, future: FutureWeeks): Panel {
  const { T, C, K } = panelDims(panel);
  const W = future.dates.length;
  const joined = (past: Float64Array, next: Float64Array) => {
    const out = new Float64Array(past.length + next.length);
    out.set(past);
    out.set(next, past.length);
    return out;
  };
  if (panel.kpi.length !== T || panel.spend.length !== T * C || panel.controls.length !== T * K) {
    throw new RangeError('extendPanel takes a national panel (one geo)');
  }
  return {
    ...panel,
    dates: [...panel.dates, ...future.dates],
    kpi: joined(panel.kpi, new Float64Array(W).fill(Number.NaN)),
    spend: joined(panel.spend, future.spend),
    media: joined(panel.media, future.media),
    controls: joined(panel.controls, future.controls),
    revenuePerKpi: panel.revenuePerKpi && future.revenuePerKpi ? joined(panel.revenuePerKpi, future.revenuePerKpi) : null,
  };
}

/** Model data over `extended` (the data's panel followed by future periods) with the constants of `training`. */
export function extendModelData(training: ModelData, extended: Panel, trend: TrendContinuation): ModelData {
  const { kpiMean, kpiSd, mediaMedian, controlMean, controlSd } = training.scaling;
  const T = extended.dates.length;
  return {
    ...training,
    T,
    y: scaledKpi(extended, kpiMean, kpiSd),
    media: scaledMedia(extended, mediaMedian),
    controls: standardisedControls(extended, controlMean, controlSd),
    outcomeScale: outcomeScales(extended, kpiSd),
    timeBasis: timeBasisRows(T, training.tFit, training.nKnots, training.model, { dataPeriods: training.T, trend }),
  };
}

/** `fitted` (the model over `panel`) extended by `future`. */
export function extendModel(fitted: MmmModel, panel: Panel, future: FutureWeeks, trend: TrendContinuation): ExtendedModel {
  const extended = extendPanel(panel, future);
  return {
    panel: extended,
    model: new MmmModel(extendModelData(fitted.data, extended, trend), fitted.layout),
    dataPeriods: panel.dates.length,
  };
}
