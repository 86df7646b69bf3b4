/**
 * The outcome forecast over a plan horizon (docs/decision-layer.md, "Baseline forecast and its two bands"),
 * from the fitted model extended by the future periods (src/model/horizon/extended-model.ts), per posterior
 * draw and per week, summed over geos, in outcome units and calibrated (k x raw, k of the latest reporting
 * window). Two kinds of band, always labelled:
 * - expected outcome: mu per draw, parameter uncertainty only. What decisions compare (the optimiser,
 *   frontier, P(beats), goal seek work on expected outcomes);
 * - predictive: mu plus one draw of the observation noise per draw and week, outcomeScale x sigma x e with
 *   e standard normal (or Student-t under model.likelihood 'student_t'): what will be observed. Under AR(1)
 *   residuals (model.residuals "ar1") e is each geo's AR(1) path with the draw's phi, continued from the
 *   draw's residual at the last training week, e_t = phi e_{t-1} + z_t: the predictive distribution of the
 *   future given the data, so the first weeks lean towards where the data ended (by phi^h after h weeks) and
 *   the band widens with h to the stationary sd / sqrt(1 - phi^2); weeks move together, so the totals' band
 *   widens too. Under independent residuals (phi = 0) the path is the innovations themselves. Each week's
 *   predictive draws are then spread around their mean by the fit's backtest band scale s >= 1
 *   (src/analysis/forecast-backtest.ts), mean + s (x - mean), so every predictive band, weekly and total,
 *   is s times as wide about the same mean.
 * The baseline forecast is the expected outcome with no spend in the horizon: intercept, trend, seasonality,
 * controls and the carry-over of the data's spend into the horizon.
 */
import { z } from 'zod';
import type { PosteriorDraws } from '../model/posterior-draws.ts';
import { DrawEvaluator } from '../model/posterior-draws.ts';
import { decomposeDraw, newDecomposition } from '../model/decompose.ts';
import type { MmmModel } from '../model/mmm-model.ts';
import { createRng } from '../math/rng.ts';
import { studentTVariate } from '../math/random-variates.ts';
import { interval, intervalSchema } from './interval.ts';

export const weeklyBandSchema = z.object({ week: z.iso.date(), mean: z.number(), p05: z.number(), p95: z.number() }).strict();
export type WeeklyBand = z.infer<typeof weeklyBandSchema>;

export const horizonForecastSchema = z
  .object({
    /** Expected outcome per week: parameter uncertainty only. */
    expected: z.array(weeklyBandSchema),
    /** Predicted observation per week: observation noise included. */
    predictive: z.array(weeklyBandSchema),
    /** Expected outcome per week with no spend in the horizon. */
    baseline: z.array(weeklyBandSchema),
    /** The same over all the horizon's weeks together. */
    total: z.object({ expected: intervalSchema, predictive: intervalSchema, baseline: intervalSchema }).strict(),
    /** k, the latest reporting window's calibration factor, applied to every figure above. */
    calibrationFactor: z.number().positive(),
    /** The predictive bands' widening by the fit's forecast backtest (1: none). */
    bandScale: z.number().min(1),
    draws: z.number().int().positive(),
  })
  .strict();
export type HorizonForecast = z.infer<typeof horizonForecastSchema>;

/** The observation noise of each draw, for the predictive band (periodOutcomeDraws fills it). */
export interface DrawNoise {
  /** Innovation sd in outcome units per (draw, geo, period), draws x G x periods. */
  sd: Float64Array;
  /** Residual correlation phi per draw (0 for independent residuals). */
  phi: Float64Array;
  /** Residual of the last training week per (draw, geo), y - mu over the innovation sd: draws x G. */
  lastResidual: Float64Array;
}

/**
 * Per draw (the rows, in `drawIndices` order) the raw expected outcome of each period in [tStart, tEnd),
 * summed over geos: draws x periods. `noise`, when given, receives each draw's observation noise.
 */
export function periodOutcomeDraws(
  model: MmmModel,
  posterior: PosteriorDraws,
  drawIndices: readonly number[],
  tStart: number,
  tEnd: number,
  noise?: DrawNoise,
): Float64Array {
  const { data } = model;
  const { G, T, C, tFit, y, outcomeScale } = data;
  const periods = tEnd - tStart;
  const out = new Float64Array(drawIndices.length * periods);
  const evaluator = new DrawEvaluator(model, posterior);
  const parts = newDecomposition(data);
  drawIndices.forEach((drawIndex, d) => {
    const state = evaluator.load(drawIndex);
    decomposeDraw(data, state, parts);
    if (noise) noise.phi[d] = state.phi;
    for (let g = 0; g < G; g++) {
      const sigma = state.sigma[state.sigma.length === 1 ? 0 : g];
      const last = g * T + tFit - 1;
      if (noise) noise.lastResidual[d * G + g] = (y[last] - parts.muScaled[last]) / sigma;
      for (let j = 0; j < periods; j++) {
        const t = tStart + j;
        let value = parts.baseline[g * T + t];
        for (let c = 0; c < C; c++) value += parts.media[(c * G + g) * T + t];
        out[d * periods + j] += value;
        if (noise) noise.sd[(d * G + g) * periods + j] = outcomeScale[g * T + t] * sigma;
      }
    }
  });
  return out;
}

const column = (draws: Float64Array, nDraws: number, periods: number, j: number): Float64Array =>
  Float64Array.from({ length: nDraws }, (_, d) => draws[d * periods + j]);

const rowSums = (draws: Float64Array, nDraws: number, periods: number): Float64Array =>
  Float64Array.from({ length: nDraws }, (_, d) => {
    let sum = 0;
    for (let j = 0; j < periods; j++) sum += draws[d * periods + j];
    return sum;
  });

function weeklyBands(draws: Float64Array, nDraws: number, weeks: readonly string[]): WeeklyBand[] {
  return weeks.map((week, j) => ({ week, ...interval(column(draws, nDraws, weeks.length, j)) }));
}

/** x -> mean + scale (x - mean) per period (column) of draws x periods: quantiles move the same way, the mean stays. */
function widenAroundMean(draws: Float64Array, nDraws: number, periods: number, scale: number): void {
  if (scale === 1) return;
  for (let j = 0; j < periods; j++) {
    let mean = 0;
    for (let d = 0; d < nDraws; d++) mean += draws[d * periods + j];
    mean /= nDraws;
    for (let d = 0; d < nDraws; d++) draws[d * periods + j] = mean + scale * (draws[d * periods + j] - mean);
  }
}

export interface ForecastInputs {
  /** The fitted model extended by the horizon, with the plan's spend in it. */
  plan: MmmModel;
  /** The same with no spend in the horizon. */
  noSpend: MmmModel;
  posterior: PosteriorDraws;
  drawIndices: readonly number[];
  /** Periods of the horizon (plan and carry-over weeks) in the extended models, and their dates. */
  tStart: number;
  weeks: readonly string[];
  calibrationFactor: number;
  /** The predictive draws' spread around each week's mean is multiplied by this (the run's backtest band scale, >= 1). */
  bandScale: number;
  /** Seed of the observation noise (stream 0 of the project's RNG). */
  seed: number;
}

export function forecastHorizon(inputs: ForecastInputs): HorizonForecast {
  const { plan, noSpend, posterior, drawIndices, tStart, weeks, calibrationFactor: k, bandScale, seed } = inputs;
  const n = drawIndices.length;
  const W = weeks.length;
  const { G, tFit, model } = plan.data;
  const noise: DrawNoise = { sd: new Float64Array(n * G * W), phi: new Float64Array(n), lastResidual: new Float64Array(n * G) };
  const expected = periodOutcomeDraws(plan, posterior, drawIndices, tStart, tStart + W, noise);
  const baseline = periodOutcomeDraws(noSpend, posterior, drawIndices, tStart, tStart + W);
  const rng = createRng(seed, 0);
  const innovation = (): number => (model.likelihood === 'student_t' ? studentTVariate(rng, model.studentTDof) : rng.normal());
  const predictive = new Float64Array(n * W);
  // Each geo's standardised residual path of the current draw, from the last training week on: weeks between
  // the data's end and the horizon (none in a plan) are stepped through and dropped.
  const path = new Float64Array(G);
  for (let d = 0; d < n; d++) {
    const phi = noise.phi[d];
    for (let g = 0; g < G; g++) {
      path[g] = noise.lastResidual[d * G + g];
      for (let t = tFit; t < tStart; t++) path[g] = phi * path[g] + innovation();
    }
    for (let j = 0; j < W; j++) {
      let value = expected[d * W + j];
      for (let g = 0; g < G; g++) {
        path[g] = phi * path[g] + innovation();
        value += noise.sd[(d * G + g) * W + j] * path[g];
      }
      predictive[d * W + j] = k * value;
    }
  }
  widenAroundMean(predictive, n, W, bandScale);
  for (let i = 0; i < n * W; i++) {
    expected[i] *= k;
    baseline[i] *= k;
  }
  return {
    expected: weeklyBands(expected, n, weeks),
    predictive: weeklyBands(predictive, n, weeks),
    baseline: weeklyBands(baseline, n, weeks),
    total: {
      expected: interval(rowSums(expected, n, W)),
      predictive: interval(rowSums(predictive, n, W)),
      baseline: interval(rowSums(baseline, n, W)),
    },
    calibrationFactor: k,
    bandScale,
    draws: n,
  };
}
