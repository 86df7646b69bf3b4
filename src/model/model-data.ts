/**
 * Turns a validated panel into the scaled arrays the log-density works on (Meridian's scaling):
 * KPI per capita, centred and scaled; media per capita over the channel's median non-zero value;
 * controls standardised; plus the fixed bases (knot interpolation, Fourier seasonality).
 */
import type { TrendContinuation } from '../config/horizon-settings.ts';
import { interactionPairProblems } from '../config/interaction-settings.ts';
import type { AdstockKind, MediaPrior, MmmConfig, ModelConfig, SaturationKind } from '../config/schema.ts';
import { DataValidationError } from '../data/errors.ts';
import { panelDims, type Panel } from '../data/panel.ts';
import { leastSquares, leastSquaresProjection } from '../math/least-squares.ts';
import { configExperiments, type ModelExperiment } from '../data/resolve-experiments.ts';
import { chooseGeoPooling, type GeoPooling } from './geo-pooling.ts';

export interface ChannelSpec {
  name: string;
  adstock: AdstockKind;
  saturation: SaturationKind;
  prior: MediaPrior;
  /** Periods [roiStart, roiEnd) over which the ROI prior holds (the training window, or a lift-test window). */
  roiStart: number;
  roiEnd: number;
}

export interface ModelData {
  G: number;
  T: number;
  C: number;
  K: number;
  /** Periods used by the likelihood; the last T - tFit form the time-ordered holdout. */
  tFit: number;
  channels: ChannelSpec[];
  /** Synergy pairs (model.interactions) as channel indices [c, d], in config order; empty without synergies. */
  interactions: [number, number][];
  model: ModelConfig;
  nKnots: number;
  /**
   * Time effects as a linear basis, T x nTime, coefficients ~ Normal(0, timePriorScale[j]):
   * first nKnots - 1 columns are the piecewise-linear knot interpolation projected onto contrasts
   * orthogonal to a constant (the level lives in the geo intercepts tau, so the two never trade off),
   * then the Fourier pairs sin(2 pi j t / P), cos(2 pi j t / P), j = 1..harmonics.
   */
  nTrend: number;
  nSeason: number;
  nTime: number;
  timeBasis: Float64Array;
  timePriorScale: Float64Array;
  /**
   * National models under the Student-t likelihood: how the time and control coefficients' conditional posterior
   * mean moves with the media's contribution, the rows of the ridge projection onto [1, time basis, controls] over
   * the training window (baselineProjectionRows), (nTime + K) x tFit, row-major: the time coefficients' rows, then
   * the controls'. The sampler's time and control coordinates are the coefficients shifted by it (mmm-model.ts:
   * coef = w - A m, m the media's contribution). Empty in geo models, whose coordinates are the coefficients, and
   * in national models under the normal likelihood, whose baseline is sampled through its exact conditional
   * posterior (conditional-baseline.ts).
   */
  baselineProjection: Float64Array;
  /** Geo models: the pooling form of the per-geo trend contrasts and of each control's per-geo coefficients. */
  pooling: GeoPooling;
  /** Scaled KPI, G x T. */
  y: Float64Array;
  /** Scaled media, channel-major C x G x T (so adstock convolves contiguous series). */
  media: Float64Array;
  /** Standardised controls, G x T x K. */
  controls: Float64Array;
  /** Outcome units per scaled unit at (g, t): population_g * kpiSd * revenuePerKpi_gt. */
  outcomeScale: Float64Array;
  /** Spend per channel over its ROI window, summed over geos. */
  roiSpend: Float64Array;
  /** Lift tests, each a likelihood term (src/model/experiments/). */
  experiments: ModelExperiment[];
  scaling: { kpiMean: number; kpiSd: number; mediaMedian: Float64Array; controlMean: Float64Array; controlSd: Float64Array };
}

/**
 * Knots default, national and geo alike: about one per year of training data, round(tFit / 52) + 1,
 * and at least 2 (a linear trend). One knot (a constant level) misattributes any trend to the
 * always-on channels; test/bench/default-model-study.bench.ts compares the two on data with trends
 * and without (docs/model.md). Within-year shape is the Fourier terms' job: quarterly knots on the
 * Meridian geo data correlated with them at |r| up to 0.9 and doubled the NUTS trajectory length.
 */
export function defaultKnots(tFit: number): number {
  return Math.max(2, Math.round(tFit / 52) + 1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

/**
 * An n x (n - 1) matrix with orthonormal columns orthogonal to the all-ones vector (Helmert contrasts):
 * column m = (1, ..., 1, -(m + 1), 0, ...) / sqrt((m + 1)(m + 2)) with m + 1 leading ones.
 */
export function orthonormalContrasts(n: number): Float64Array {
  const out = new Float64Array(n * (n - 1));
  for (let m = 0; m < n - 1; m++) {
    const norm = Math.sqrt((m + 1) * (m + 2));
    for (let i = 0; i <= m; i++) out[i * (n - 1) + m] = 1 / norm;
    out[(m + 1) * (n - 1) + m] = -(m + 1) / norm;
  }
  return out;
}

function periodIndex(panel: Panel, date: string, fallback: number): number {
  const i = panel.dates.indexOf(date);
  return i === -1 ? fallback : i;
}

/** Columns of the time basis: nKnots - 1 trend contrasts, then 2 (or 4 with drift) per harmonic. */
export function timeBasisShape(nKnots: number, model: ModelConfig): { nTrend: number; nSeason: number; nTime: number } {
  const nTrend = nKnots - 1;
  const nSeason = (model.seasonality.drift ? 4 : 2) * model.seasonality.harmonics;
  return { nTrend, nSeason, nTime: nTrend + nSeason };
}

/**
 * The time basis for periods 0..T-1, T x nTime (ModelData.timeBasis). Knots span the training window
 * [0, tFit); periods after it keep the last knot's value, except periods from `future.dataPeriods` on
 * (past the data, forward planning) under `future.trend = 'last-slope'`, which continue the last segment's
 * slope per period from the value at the data's last period. Every row depends on its period alone (and
 * the training window), so the first rows of a longer basis equal a shorter one's bit for bit.
 */
export function timeBasisRows(
  T: number,
  tFit: number,
  nKnots: number,
  model: ModelConfig,
  future?: { dataPeriods: number; trend: TrendContinuation },
): Float64Array {
  const { nTrend, nTime } = timeBasisShape(nKnots, model);
  const seasonBlock = model.seasonality.drift ? 4 : 2;
  const timeBasis = new Float64Array(T * nTime);
  if (nTrend > 0) {
    const contrasts = orthonormalContrasts(nKnots);
    const spacing = (tFit - 1) / (nKnots - 1);
    const lastDataPeriod = future ? Math.min(future.dataPeriods - 1, tFit - 1) : 0;
    for (let t = 0; t < T; t++) {
      // Knots span the training window; the holdout keeps the last knot's value.
      const continued = future !== undefined && future.trend === 'last-slope' && t >= future.dataPeriods;
      const pos = continued ? (lastDataPeriod + t - future.dataPeriods + 1) / spacing : Math.min(t, tFit - 1) / spacing;
      // Past the last knot the interpolation weight w exceeds 1: the last segment extrapolated linearly.
      const left = Math.min(Math.floor(pos), nKnots - 2);
      const w = pos - left;
      for (let m = 0; m < nTrend; m++) {
        timeBasis[t * nTime + m] = (1 - w) * contrasts[left * nTrend + m] + w * contrasts[(left + 1) * nTrend + m];
      }
    }
  }
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < model.seasonality.harmonics; j++) {
      const angle = (2 * Math.PI * (j + 1) * t) / model.seasonality.period;
      const at = t * nTime + nTrend + seasonBlock * j;
      timeBasis[at] = Math.sin(angle);
      timeBasis[at + 1] = Math.cos(angle);
      if (seasonBlock === 4) {
        const drift = Math.min(t, tFit - 1) / Math.max(tFit - 1, 1) - 0.5;
        timeBasis[at + 2] = drift * Math.sin(angle);
        timeBasis[at + 3] = drift * Math.cos(angle);
      }
    }
  }
  // Centre every seasonal column over the training window: 104 or 130 weeks hold no whole number of
  // 52.18-week periods, and a drift column (a ramp times a sine) has a mean of its own, so uncentred columns
  // trade off with the intercept as the trend contrasts (orthogonal to it by construction) do not.
  for (let j = nTrend; j < nTime; j++) {
    let mean = 0;
    for (let t = 0; t < tFit; t++) mean += timeBasis[t * nTime + j];
    mean /= tFit;
    for (let t = 0; t < T; t++) timeBasis[t * nTime + j] -= mean;
  }
  return timeBasis;
}

/**
 * Rows of A = (D'D + s^2 L)^-1 D' for D = [1, time basis, controls] over the training window of a national panel,
 * without the constant's row: (nTime + K) x tFit (ModelData.baselineProjection). L is the coefficients' prior
 * precision (0 for the constant, whose prior the level carries), s^2 the residual variance of y's least-squares
 * fit on D (1, the scaled KPI's variance, when the window has no more rows than D columns). A m is how the
 * coefficients' conditional posterior mean moves with the media's contribution m (Bayesian linear regression,
 * mean = (D'D + s^2 L)^-1 D' (y - m) at noise variance s^2); the prior keeps A bounded where columns are
 * nearly collinear (short windows with drifting harmonics), where the unpenalised projection has huge rows.
 */
export function baselineProjectionRows(
  tFit: number,
  nTime: number,
  K: number,
  timeBasis: Float64Array,
  controls: Float64Array,
  y: Float64Array,
  priorScale: Float64Array,
): Float64Array {
  const p = 1 + nTime + K;
  const design = new Float64Array(tFit * p);
  for (let t = 0; t < tFit; t++) {
    design[t * p] = 1;
    for (let j = 0; j < nTime; j++) design[t * p + 1 + j] = timeBasis[t * nTime + j];
    for (let k = 0; k < K; k++) design[t * p + 1 + nTime + k] = controls[t * K + k];
  }
  let noiseVariance = 1;
  if (tFit > p) {
    const { coefficients } = leastSquares(design, tFit, p, y.subarray(0, tFit));
    let squares = 0;
    for (let t = 0; t < tFit; t++) {
      let fitted = 0;
      for (let j = 0; j < p; j++) fitted += design[t * p + j] * coefficients[j];
      squares += (y[t] - fitted) ** 2;
    }
    noiseVariance = squares / (tFit - p);
  }
  const penalty = Float64Array.from({ length: p }, (_, j) => (j === 0 ? 0 : noiseVariance / priorScale[j - 1] ** 2));
  return leastSquaresProjection(design, tFit, p, penalty).slice(tFit);
}

/** y(g,t) = (kpi(g,t) / population_g - kpiMean) / kpiSd, G x T. */
export function scaledKpi(panel: Panel, kpiMean: number, kpiSd: number): Float64Array {
  const { G, T } = panelDims(panel);
  const y = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) y[g * T + t] = (panel.kpi[g * T + t] / panel.population[g] - kpiMean) / kpiSd;
  }
  return y;
}

/** media(c,g,t) = media units / population_g / mediaMedian_c, channel-major C x G x T. */
export function scaledMedia(panel: Panel, mediaMedian: Float64Array): Float64Array {
  const { G, T, C } = panelDims(panel);
  const media = new Float64Array(C * G * T);
  for (let c = 0; c < C; c++) {
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) media[(c * G + g) * T + t] = panel.media[(g * T + t) * C + c] / panel.population[g] / mediaMedian[c];
    }
  }
  return media;
}

/** z(g,t,k) = (control - controlMean_k) / controlSd_k, G x T x K. */
export function standardisedControls(panel: Panel, controlMean: Float64Array, controlSd: Float64Array): Float64Array {
  const { G, T, K } = panelDims(panel);
  const controls = new Float64Array(G * T * K);
  for (let i = 0; i < G * T; i++) {
    for (let k = 0; k < K; k++) controls[i * K + k] = (panel.controls[i * K + k] - controlMean[k]) / controlSd[k];
  }
  return controls;
}

/** Outcome units per scaled unit: population_g x kpiSd x revenuePerKpi(g,t) (1 without a revenue-per-KPI column), G x T. */
export function outcomeScales(panel: Panel, kpiSd: number): Float64Array {
  const { G, T } = panelDims(panel);
  const outcomeScale = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const rpk = panel.revenuePerKpi ? panel.revenuePerKpi[g * T + t] : 1;
      outcomeScale[g * T + t] = panel.population[g] * kpiSd * rpk;
    }
  }
  return outcomeScale;
}

export function buildModelData(panel: Panel, config: MmmConfig): ModelData {
  const { G, T, C, K } = panelDims(panel);
  const model = config.model;
  const tFit = T - model.holdoutWeeks;
  if (tFit < 2 * model.maxLag + 10) {
    throw new DataValidationError('config', [
      {
        message: `holdoutWeeks ${model.holdoutWeeks} leaves ${tFit} training periods; at least ${2 * model.maxLag + 10} (2 x maxLag + 10) are needed`,
      },
    ]);
  }

  // KPI per capita, centred and scaled over the training window.
  let sum = 0;
  let sumSq = 0;
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < tFit; t++) {
      const v = panel.kpi[g * T + t] / panel.population[g];
      sum += v;
      sumSq += v * v;
    }
  }
  const n = G * tFit;
  const kpiMean = sum / n;
  const kpiSd = Math.sqrt(Math.max(sumSq / n - kpiMean * kpiMean, 0));
  const y = scaledKpi(panel, kpiMean, kpiSd);

  const mediaMedian = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const nonZero: number[] = [];
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const v = panel.media[(g * T + t) * C + c] / panel.population[g];
        if (v > 0) nonZero.push(v);
      }
    }
    mediaMedian[c] = median(nonZero);
  }
  const media = scaledMedia(panel, mediaMedian);

  const controlMean = new Float64Array(K);
  const controlSd = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    let ss = 0;
    for (let i = 0; i < G * T; i++) {
      const v = panel.controls[i * K + k];
      s += v;
      ss += v * v;
    }
    controlMean[k] = s / (G * T);
    controlSd[k] = Math.sqrt(Math.max(ss / (G * T) - controlMean[k] ** 2, 0));
    if (!(controlSd[k] > 0)) {
      throw new DataValidationError('data', [
        {
          column: panel.controlNames[k],
          message: `control '${panel.controlNames[k]}' is constant; it cannot be told apart from the intercept`,
        },
      ]);
    }
  }
  const controls = standardisedControls(panel, controlMean, controlSd);
  const outcomeScale = outcomeScales(panel, kpiSd);

  const nKnots = Math.min(model.knots ?? defaultKnots(tFit), tFit);
  const { nTrend, nSeason, nTime } = timeBasisShape(nKnots, model);
  const timeBasis = timeBasisRows(T, tFit, nKnots, model);
  const timePriorScale = new Float64Array(nTime);
  timePriorScale.fill(model.priors.baseline.scale, 0, nTrend);
  timePriorScale.fill(model.priors.seasonality.scale, nTrend);

  const channels: ChannelSpec[] = config.data.channels.map((ch) => {
    const prior = ch.prior ?? model.priors.media;
    const window = prior.type === 'roi' ? prior.window : undefined;
    const roiStart = window ? periodIndex(panel, window.start, -1) : 0;
    const roiEnd = window ? periodIndex(panel, window.end, -1) + 1 : tFit;
    if (window && (roiStart < 0 || roiEnd <= 0 || roiEnd <= roiStart)) {
      throw new DataValidationError('config', [
        {
          column: ch.name,
          message: `ROI prior window ${window.start}..${window.end} of channel '${ch.name}' does not match weeks in the data`,
        },
      ]);
    }
    return { name: ch.name, adstock: ch.adstock ?? model.adstock, saturation: ch.saturation ?? model.saturation, prior, roiStart, roiEnd };
  });

  const channelNames = channels.map((ch) => ch.name);
  const pairProblems = interactionPairProblems(model.interactions, channelNames, tFit);
  if (pairProblems.length > 0)
    throw new DataValidationError(
      'config',
      pairProblems.map((message) => ({ message })),
    );
  const interactions = model.interactions.map(([a, b]): [number, number] => [channelNames.indexOf(a), channelNames.indexOf(b)]);

  const coefficientScale = Float64Array.from({ length: nTime + K }, (_, i) =>
    i < nTime ? timePriorScale[i] : model.priors.baseline.scale,
  );
  const baselineProjection =
    G === 1 && model.likelihood === 'student_t'
      ? baselineProjectionRows(tFit, nTime, K, timeBasis, controls, y, coefficientScale)
      : new Float64Array(0);
  const pooling = chooseGeoPooling(model.geoPooling, { G, T, K, C, tFit, nTrend, nTime, y, timeBasis, controls, media });

  const roiSpend = new Float64Array(C);
  channels.forEach((ch, c) => {
    for (let g = 0; g < G; g++) for (let t = ch.roiStart; t < ch.roiEnd; t++) roiSpend[c] += panel.spend[(g * T + t) * C + c];
    // The sampler's media coordinate is the channel's ROI over this window (mmm-model.ts) under either prior.
    if (!(roiSpend[c] > 0)) {
      const where = ch.prior.type === 'roi' && ch.prior.window ? 'its ROI prior window' : 'the training window';
      throw new DataValidationError('data', [
        {
          column: ch.name,
          message: `channel '${ch.name}' has no spend in ${where}, so its effect cannot be estimated; drop the channel or widen the window`,
        },
      ]);
    }
  });

  return {
    G,
    T,
    C,
    K,
    tFit,
    channels,
    interactions,
    model,
    nKnots,
    nTrend,
    nSeason,
    nTime,
    timeBasis,
    timePriorScale,
    baselineProjection,
    pooling,
    y,
    media,
    controls,
    outcomeScale,
    roiSpend,
    experiments: configExperiments(panel, config, channels),
    scaling: { kpiMean, kpiSd, mediaMedian, controlMean, controlSd },
  };
}
