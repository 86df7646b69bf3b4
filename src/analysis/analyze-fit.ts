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
import {
  channelOutcomeTotals,
  decomposeDraw,
  interactionOutcomeTotal,
  newDecomposition,
  withSynergyResponse,
  type Decomposition,
} from '../model/decompose.ts';
import type { DrawState, MmmModel } from '../model/mmm-model.ts';
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

/** Thinned draws of the per-period summaries and curves, by default. */
export const DETAIL_DRAWS = 400;

export interface AnalysisOptions {
  /** Draws used for per-period summaries and curves (all draws are used for channel metrics). */
  maxDrawsForDetail: number;
  /**
   * Called with each of those thinned draws, evaluated and decomposed, in draw order: another summary of the same
   * draws (the misspecification checks' residuals, FitResidualsCollector) rides on this sweep instead of evaluating
   * them again.
   */
  onDetailDraw?: (state: DrawState, parts: Decomposition) => void;
}

export function analyzeFit(
  model: MmmModel,
  panel: Panel,
  posterior: PosteriorDraws,
  options: AnalysisOptions = { maxDrawsForDetail: DETAIL_DRAWS },
): FitAnalysis {
  const { data } = model;
  const { G, T, C, tFit } = data;
  const evaluator = new DrawEvaluator(model, posterior);
  const units = outcomeUnits(panel);
  const spend = channelSpendTotals(panel);
  const observedOutcome = observedOutcomeTotal(panel);

  // Channel metrics over every draw; on the thinned draws of `detail`, in the same sweep (one model evaluation
  // per draw), the per-period decomposition, the predictions and the response curves.
  const n = drawCount(posterior);
  const contribution = Array.from({ length: C }, () => new Float64Array(n));
  const marginal = Array.from({ length: C }, () => new Float64Array(n));
  const P = data.interactions.length;
  const synergyTheta = Array.from({ length: P }, () => new Float64Array(n));
  const synergyOutcome = Array.from({ length: P }, () => new Float64Array(n));
  const detail = thinnedDrawIndices(posterior, options.maxDrawsForDetail);
  const m = detail.length;
  const nCurve = RESPONSE_MULTIPLIERS.length;
  const parts = newDecomposition(data);
  const components = C + 1;
  // (g, t, component)-major, draws innermost: each period's draws lie side by side for their interval.
  const cells = new Float64Array(m * G * T * components);
  const predictedKpi = new Float64Array(G * T);
  const curve = new Float64Array(C * nCurve * m);
  const curveSlope = new Float64Array(C * nCurve);
  const { kpiMean, kpiSd } = data.scaling;
  // Own totals at history and one mROI step up; along the curve at each multiplier and one step above it.
  const metricFactors = Float64Array.of(1, 1 + MROI_STEP);
  const curveFactors = Float64Array.from([...RESPONSE_MULTIPLIERS, ...RESPONSE_MULTIPLIERS.map((f) => f + MROI_STEP)]);
  const own = new Float64Array(metricFactors.length);
  const ownCurve = new Float64Array(curveFactors.length);
  let j = 0;
  for (let d = 0; d < n; d++) {
    const state = evaluator.load(d);
    for (let c = 0; c < C; c++) {
      channelOutcomeTotals(data, state, c, metricFactors, own);
      contribution[c][d] = own[0];
      const atHistory = withSynergyResponse(data, state, c, 1, own[0]);
      marginal[c][d] = (withSynergyResponse(data, state, c, 1 + MROI_STEP, own[1]) - atHistory) / (MROI_STEP * spend[c]);
    }
    data.interactions.forEach(([a, b], p) => {
      const outcome = interactionOutcomeTotal(data, state, p, 1, 1);
      synergyTheta[p][d] = state.interaction[p];
      synergyOutcome[p][d] = outcome;
      contribution[a][d] += 0.5 * outcome;
      contribution[b][d] += 0.5 * outcome;
    });
    if (j === m || detail[j] !== d) continue;
    decomposeDraw(data, state, parts);
    options.onDetailDraw?.(state, parts);
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const i = g * T + t;
        const cell = i * components * m + j;
        cells[cell] = parts.baseline[i];
        for (let c = 0; c < C; c++) cells[cell + (1 + c) * m] = parts.media[(c * G + g) * T + t];
        predictedKpi[i] += (panel.population[g] * (kpiSd * parts.muScaled[i] + kpiMean)) / m;
      }
    }
    for (let c = 0; c < C; c++) {
      channelOutcomeTotals(data, state, c, curveFactors, ownCurve);
      RESPONSE_MULTIPLIERS.forEach((f, k) => {
        const value = withSynergyResponse(data, state, c, f, ownCurve[k]);
        curve[(c * nCurve + k) * m + j] = value;
        curveSlope[c * nCurve + k] +=
          (withSynergyResponse(data, state, c, f + MROI_STEP, ownCurve[nCurve + k]) - value) / (MROI_STEP * spend[c] * m);
      });
    }
    j += 1;
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
  const aggregate = new Float64Array(m);
  const componentName = (k: number) => (k === 0 ? 'baseline' : panel.channels[k - 1]);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < components; k++) {
      aggregate.fill(0);
      for (let g = 0; g < G; g++) {
        const from = ((g * T + t) * components + k) * m;
        const values = cells.subarray(from, from + m);
        for (let j = 0; j < m; j++) aggregate[j] += values[j];
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
