/** The `summary.json` contract of `mmm fit` (DESIGN.md section 7), as a zod schema. */
import { z } from 'zod';
import { channelResultSchema } from '../analysis/analyze-fit.ts';
import { interactionResultSchema } from '../analysis/interactions.ts';
import { channelEvidenceSchema } from '../analysis/evidence.ts';
import { forecastBacktestSchema, type ForecastBacktest } from '../analysis/forecast-backtest.ts';
import { intervalSchema } from '../analysis/interval.ts';
import { misspecificationSchema } from '../analysis/misspecification.ts';
import type { FitResult } from '../fit/fit-mmm.ts';
import { METRIC_KINDS } from '../inference/metric.ts';

/** NaN diagnostics (e.g. R-hat of a constant draw) are written as null by JSON. */
const statistic = z.number().nullable();
const fitMetricsSchema = z.object({ r2: z.number(), mape: z.number(), wmape: z.number() }).strict();

export const fitSummarySchema = z.object({
  /** The channel rows of analysis.json, `cpik` left out where it does not apply (a revenue KPI, or a KPI with revenue per KPI). */
  channels: z.array(
    channelResultSchema
      .extend({
        cpik: intervalSchema.optional(),
        /** How far the data moved the ROI from its prior (src/analysis/evidence.ts); absent in runs fitted before it existed. */
        evidence: channelEvidenceSchema.optional(),
      })
      .strict(),
  ),
  /** One row per synergy pair (model.interactions): theta, the term's own outcome, P(theta > 0). Absent in runs fitted before synergies. */
  interactions: z.array(interactionResultSchema).optional(),
  /** The lift tests the fit was calibrated with: each estimate beside the model's implied incremental outcome. */
  experiments: z
    .array(
      z.object({ id: z.string(), channel: z.string(), estimate: z.number(), standardError: z.number(), implied: intervalSchema }).strict(),
    )
    .optional(),
  diagnostics: z
    .object({
      maxRhat: statistic,
      minEssBulk: statistic,
      minEssTail: statistic,
      divergences: z.number().int(),
      verdict: z.enum(['pass', 'warn', 'fail']),
      reasons: z.array(z.string()),
      divergenceRate: z.number(),
      treeDepthHits: z.number().int(),
      minEbfmi: statistic,
      /** Residual autocorrelation and predictive coverage; its findings are among `reasons` and shape `verdict`. Absent in runs fitted before the checks existed. */
      misspecification: misspecificationSchema.optional(),
    })
    .strict(),
  fit: fitMetricsSchema.extend({ holdout: fitMetricsSchema.optional() }),
  /** The fit again without the data's last plan.weeks weeks, forecasting them (src/run/forecast-backtest.ts); absent in runs fitted before it. */
  forecastBacktest: forecastBacktestSchema.optional(),
  timing: z
    .object({
      wallSeconds: z.number(),
      warmupSeconds: z.number(),
      samplingSeconds: z.number(),
      /** Seconds after the last draw (the fit's summaries, checks and analysis); absent in runs fitted before it was recorded. */
      postSamplingSeconds: z.number().optional(),
    })
    .strict(),
  /** What the outcome numbers are measured in. */
  outcome: z
    .object({ units: z.enum(['revenue', 'kpi']), observedTotal: z.number(), periods: z.number().int(), start: z.string(), end: z.string() })
    .strict(),
  sampler: z
    .object({
      chains: z.number().int(),
      warmup: z.number().int(),
      draws: z.number().int(),
      seed: z.number().int(),
      /** The metric the chains sampled with (src/inference/metric-choice.ts); absent in runs fitted before it was recorded. */
      metric: z
        .object({
          kind: z.enum(METRIC_KINDS),
          /** Unconstrained coordinates of the model. */
          dimension: z.number().int(),
          /** Directions each chain's metric corrects beyond the diagonal (0 for the diagonal metric). */
          ranks: z.array(z.number().int()),
        })
        .strict()
        .optional(),
      /** Warm-up iterations each chain ran: `warmup` is a cap the adaptation may stop before; absent in older runs. */
      warmupIterations: z.array(z.number().int()).optional(),
    })
    .strict(),
});

export type FitSummary = z.infer<typeof fitSummarySchema>;

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** summary.json of a fit over the weeks `dates`, with its forecast backtest when one was run. */
export function fitSummary(fit: FitResult, dates: readonly string[], forecastBacktest?: ForecastBacktest): FitSummary {
  const { analysis, diagnostics, timing } = fit;
  const { sampler } = fit.config;
  return {
    channels: analysis.channels.map((c) => ({
      name: c.name,
      spend: c.spend,
      contribution: c.contribution,
      contributionShare: c.contributionShare,
      roi: c.roi,
      mroi: c.mroi,
      ...(c.cpik ? { cpik: c.cpik } : {}),
      evidence: fit.evidence[fit.model.data.channels.findIndex((channel) => channel.name === c.name)],
    })),
    interactions: analysis.interactions,
    experiments: fit.experiments,
    diagnostics: {
      maxRhat: finiteOrNull(diagnostics.maxRhat),
      minEssBulk: finiteOrNull(diagnostics.minEssBulk),
      minEssTail: finiteOrNull(diagnostics.minEssTail),
      divergences: diagnostics.divergences,
      verdict: diagnostics.verdict,
      reasons: diagnostics.reasons,
      divergenceRate: diagnostics.divergenceRate,
      treeDepthHits: diagnostics.treeDepthHits,
      minEbfmi: finiteOrNull(diagnostics.minEbfmi),
      misspecification: fit.misspecification,
    },
    fit: { ...analysis.fit, ...(analysis.holdout ? { holdout: analysis.holdout } : {}) },
    ...(forecastBacktest ? { forecastBacktest } : {}),
    timing,
    outcome: {
      units: analysis.outcomeUnits,
      observedTotal: analysis.observedOutcomeTotal,
      periods: dates.length,
      start: dates[0],
      end: dates[dates.length - 1],
    },
    sampler: {
      chains: sampler.chains,
      warmup: sampler.warmup,
      draws: sampler.draws,
      seed: sampler.seed,
      metric: fit.metric,
      warmupIterations: fit.warmupIterations,
    },
  };
}
