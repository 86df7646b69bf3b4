/**
 * Everything the fit reports about channels and fit quality, from posterior draws (DESIGN.md
 * section 3, "Analysis"): incremental outcome, share, ROI, mROI, CPIK, response curves,
 * contributions over time, and R^2 / MAPE / wMAPE on the training window and the holdout.
 *
 * Synergy pairs (model.interactions): a channel's contribution and ROI hold half of each term it is part of (the
 * Shapley split, src/model/decompose.ts), so contributions add up; its mROI and response curve move it alone,
 * the others at their history, and so carry the whole term (what spending more on it buys). Each pair's own
 * coefficient and outcome are reported as `interactions` (src/analysis/interactions.ts).
 */
import { z } from 'zod';
import type { Panel } from '../data/panel.ts';
import { channelOutcomeTotal, channelResponseTotal, decomposeDraw, interactionOutcomeTotal, newDecomposition } from '../model/decompose.ts';
import type { MmmModel } from '../model/mmm-model.ts';
import { fitMetrics, type FitMetrics } from './fit-metrics.ts';
import { interactionResult, type InteractionResult } from './interactions.ts';
import { interval, intervalSchema } from './interval.ts';
import { channelSpendTotals, observedOutcomeTotal, outcomeUnits, type OutcomeUnits } from './observed-totals.ts';
import { DrawEvaluator, drawCount, thinnedDrawIndices, type PosteriorDraws } from '../model/posterior-draws.ts';

/** mROI is the return on the next 1% of spend, as Meridian. */
export const MROI_STEP = 0.01;
/** Spend multipliers of the stored response curves. */
export const RESPONSE_MULTIPLIERS = Array.from({ length: 31 }, (_, i) => i / 10);

// The rows of analysis.json (src/run/run-directory.ts), declared once: the fit builds them, publishing reads them back.
export const channelResultSchema = z.object({
  name: z.string(),
  spend: z.number(),
  contribution: intervalSchema,
  contributionShare: intervalSchema,
  roi: intervalSchema,
  mroi: intervalSchema,
  /** Cost per incremental KPI unit; only for a non-revenue KPI reported in KPI units. */
  cpik: intervalSchema.nullable(),
});
export type ChannelResult = z.infer<typeof channelResultSchema>;

export const responseCurvePointSchema = z.object({
  channel: z.string(),
  spendMultiplier: z.number(),
  spend: z.number(),
  outcome: intervalSchema,
  /** Posterior-mean marginal ROI at this spend level. */
  mroi: z.number(),
});
export type ResponseCurvePoint = z.infer<typeof responseCurvePointSchema>;

export const periodContributionSchema = z.object({
  periodStart: z.string(),
  geo: z.string(),
  /** 'baseline' or a channel name. */
  component: z.string(),
  mean: z.number(),
  p05: z.number(),
  p95: z.number(),
});
export type PeriodContribution = z.infer<typeof periodContributionSchema>;

export interface FitAnalysis {
  /** 'revenue' when outcomes are money (revenue KPI, or KPI x revenue per KPI), else 'kpi'. */
  outcomeUnits: OutcomeUnits;
  observedOutcomeTotal: number;
  channels: ChannelResult[];
  /** One row per synergy pair of model.interactions, in config order (empty without pairs). */
  interactions: InteractionResult[];
  responseCurves: ResponseCurvePoint[];
  contributions: PeriodContribution[];
  fit: FitMetrics;
  holdout: FitMetrics | null;
}

export interface AnalysisOptions {
  /** Draws used for per-period summaries and curves (all draws are used for channel metrics). */
  maxDrawsForDetail: number;
}

export function analyzeFit(
  model: MmmModel,
  panel: Panel,
  posterior: PosteriorDraws,
  options: AnalysisOptions = { maxDrawsForDetail: 400 },
): FitAnalysis {
  const { data } = model;
  const { G, T, C, tFit } = data;
  const evaluator = new DrawEvaluator(model, posterior);
  const units = outcomeUnits(panel);
  const spend = channelSpendTotals(panel);
  const observedOutcome = observedOutcomeTotal(panel);

  // Channel metrics over every draw.
  const n = drawCount(posterior);
  const contribution = Array.from({ length: C }, () => new Float64Array(n));
  const marginal = Array.from({ length: C }, () => new Float64Array(n));
  const P = data.interactions.length;
  const synergyTheta = Array.from({ length: P }, () => new Float64Array(n));
  const synergyOutcome = Array.from({ length: P }, () => new Float64Array(n));
  for (let d = 0; d < n; d++) {
    const state = evaluator.load(d);
    for (let c = 0; c < C; c++) {
      contribution[c][d] = channelOutcomeTotal(data, state, c, 1);
      const atHistory = channelResponseTotal(data, state, c, 1);
      marginal[c][d] = (channelResponseTotal(data, state, c, 1 + MROI_STEP) - atHistory) / (MROI_STEP * spend[c]);
    }
    data.interactions.forEach(([a, b], p) => {
      const outcome = interactionOutcomeTotal(data, state, p, 1, 1);
      synergyTheta[p][d] = state.interaction[p];
      synergyOutcome[p][d] = outcome;
      contribution[a][d] += 0.5 * outcome;
      contribution[b][d] += 0.5 * outcome;
    });
  }
  const channels: ChannelResult[] = panel.channels.map((name, c) => ({
    name,
    spend: spend[c],
    contribution: interval(contribution[c]),
    contributionShare: interval(contribution[c].map((v) => v / observedOutcome)),
    roi: interval(contribution[c].map((v) => v / spend[c])),
    mroi: interval(marginal[c]),
    cpik: units === 'kpi' ? interval(contribution[c].map((v) => spend[c] / v)) : null,
  }));
  const interactions = data.interactions.map(([a, b], p) =>
    interactionResult([panel.channels[a], panel.channels[b]], synergyTheta[p], synergyOutcome[p]),
  );

  // Per-period decomposition, predictions and curves on a thinned set of draws.
  const detail = thinnedDrawIndices(posterior, options.maxDrawsForDetail);
  const m = detail.length;
  const nCurve = RESPONSE_MULTIPLIERS.length;
  const parts = newDecomposition(data);
  const components = C + 1;
  const cells = new Float64Array(m * G * T * components);
  const predictedKpi = new Float64Array(G * T);
  const curve = new Float64Array(C * nCurve * m);
  const curveSlope = new Float64Array(C * nCurve);
  const { kpiMean, kpiSd } = data.scaling;
  detail.forEach((drawIndex, j) => {
    const state = evaluator.load(drawIndex);
    decomposeDraw(data, state, parts);
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const i = g * T + t;
        const cell = ((j * G + g) * T + t) * components;
        cells[cell] = parts.baseline[i];
        for (let c = 0; c < C; c++) cells[cell + 1 + c] = parts.media[(c * G + g) * T + t];
        predictedKpi[i] += (panel.population[g] * (kpiSd * parts.muScaled[i] + kpiMean)) / m;
      }
    }
    for (let c = 0; c < C; c++) {
      RESPONSE_MULTIPLIERS.forEach((f, k) => {
        const value = channelResponseTotal(data, state, c, f);
        curve[(c * nCurve + k) * m + j] = value;
        curveSlope[c * nCurve + k] += (channelResponseTotal(data, state, c, f + MROI_STEP) - value) / (MROI_STEP * spend[c] * m);
      });
    }
  });

  const responseCurves: ResponseCurvePoint[] = [];
  for (let c = 0; c < C; c++) {
    RESPONSE_MULTIPLIERS.forEach((f, k) => {
      responseCurves.push({
        channel: panel.channels[c],
        spendMultiplier: f,
        spend: f * spend[c],
        outcome: interval(curve.subarray((c * nCurve + k) * m, (c * nCurve + k + 1) * m)),
        mroi: curveSlope[c * nCurve + k],
      });
    });
  }

  const contributions: PeriodContribution[] = [];
  const values = new Float64Array(m);
  const aggregate = new Float64Array(m);
  const componentName = (k: number) => (k === 0 ? 'baseline' : panel.channels[k - 1]);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < components; k++) {
      aggregate.fill(0);
      for (let g = 0; g < G; g++) {
        for (let j = 0; j < m; j++) {
          values[j] = cells[((j * G + g) * T + t) * components + k];
          aggregate[j] += values[j];
        }
        contributions.push({ periodStart: panel.dates[t], geo: panel.geos[g], component: componentName(k), ...interval(values) });
      }
      if (G > 1) contributions.push({ periodStart: panel.dates[t], geo: 'all', component: componentName(k), ...interval(aggregate) });
    }
  }

  const trainIdx: number[] = [];
  const holdoutIdx: number[] = [];
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) (t < tFit ? trainIdx : holdoutIdx).push(g * T + t);
  return {
    outcomeUnits: units,
    observedOutcomeTotal: observedOutcome,
    channels,
    interactions,
    responseCurves,
    contributions,
    fit: fitMetrics(panel.kpi, predictedKpi, trainIdx),
    holdout: holdoutIdx.length > 0 ? fitMetrics(panel.kpi, predictedKpi, holdoutIdx) : null,
  };
}
