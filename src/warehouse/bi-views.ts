/**
 * The BI view contract (sql/<engine>/V003__bi_views.sql, sql/shared/V004__plan_tables.sql, V008__geo_tables.sql,
 * V009__recommendation_evidence.sql, V010__geo_and_plan_evidence.sql, docs/bi.md): one zod schema per view row, in
 * column order. Unlike the v_current_* views these cover every published run and carry `is_current`,
 * so BI tools compare runs and default to the current one. Dates are 'yyyy-mm-dd' strings, timestamps
 * ISO-8601 UTC strings, as the warehouse dialects read them.
 */
import { z } from 'zod';
import { geoRecommendationRowSchema } from '../explore/market-rows.ts';
import { planScenarioSchema } from '../explore/plan-rows.ts';
import { count, interval, isoDate, isoTimestamp, runIdSchema, runStatusSchema } from '../io/table-columns.ts';

const runColumns = { model_id: z.string().min(1), run_id: runIdSchema, is_current: z.boolean() };
// Column groups of a run's mmm_runs row that several views show.
const runTimes = { created_at: isoTimestamp, finished_at: isoTimestamp.nullable() };
const dataWindow = { data_start: isoDate, data_end: isoDate, data_weeks: count };
const calibration = {
  calibration_factor: z.number().nullable(),
  calibration_window_start: isoDate.nullable(),
  calibration_window_end: isoDate.nullable(),
};

export const biRunRowSchema = z
  .object({
    model_id: z.string().min(1),
    run_id: runIdSchema,
    status: runStatusSchema,
    is_current: z.boolean(),
    promoted_at: isoTimestamp.nullable(),
    ...runTimes,
    published_at: isoTimestamp,
    ...dataWindow,
    ...calibration,
  })
  .strict();

export const biCurrentRunRowSchema = z
  .object({
    model_id: z.string().min(1),
    run_id: runIdSchema,
    status: runStatusSchema,
    promoted_at: isoTimestamp,
    ...runTimes,
    ...dataWindow,
    ...calibration,
    channels: count,
    total_spend: z.number(),
    media_incremental_outcome_mean: z.number(),
    media_contribution_share_mean: z.number(),
    /** sum(incremental outcome) / sum(spend); null without spend. */
    media_roi_mean: z.number().nullable(),
  })
  .strict();

export const biChannelSummaryRowSchema = z
  .object({
    ...runColumns,
    channel: z.string().min(1),
    spend: z.number(),
    spend_share: z.number().nullable(),
    ...interval('incremental_outcome'),
    ...interval('contribution_share'),
    ...interval('roi'),
    ...interval('mroi'),
    roi_rank: z.number().int().positive(),
    evidence_contraction: z.number().nullable(),
    evidence_label: z.string().nullable(),
  })
  .strict();

export const componentTypeSchema = z.enum(['baseline', 'media', 'control']);

export const biContributionRowSchema = z
  .object({
    ...runColumns,
    period_start: isoDate,
    geo: z.string().min(1),
    is_all_geos: z.boolean(),
    component: z.string().min(1),
    component_type: componentTypeSchema,
    mean: z.number(),
    p05: z.number(),
    p95: z.number(),
  })
  .strict();

export const biResponseCurveRowSchema = z
  .object({
    ...runColumns,
    channel: z.string().min(1),
    spend_multiplier: z.number(),
    spend: z.number(),
    ...interval('outcome'),
    /** outcome_mean / spend; null at zero spend. */
    roi_mean: z.number().nullable(),
    mroi: z.number(),
    is_current_spend: z.boolean(),
  })
  .strict();

export const planTypeSchema = z.enum(['optimal', 'alternative', 'current_mix', 'recommended']);

/** The plan a frontier row belongs to. */
const planColumns = {
  ...runColumns,
  plan_type: planTypeSchema,
  rank: z.number().int().positive(),
  total_spend: z.number(),
  /** total_spend over the current plan's; null when the surface has no current plan at level 1. */
  budget_level: z.number().nullable(),
};

export const biFrontierRowSchema = z
  .object({
    ...planColumns,
    ...interval('outcome'),
    /** Null for the current mix (the reference itself). */
    p_beats_current: z.number().nullable(),
    is_current_plan: z.boolean().nullable(),
  })
  .strict();

export const biFrontierAllocationRowSchema = z
  .object({
    ...planColumns,
    channel: z.string().min(1),
    spend: z.number(),
    share: z.number().nullable(),
    delta_vs_current: z.number().nullable(),
  })
  .strict();

/** A ranked plan's row per channel, as v_bi_recommendations and (per pair) v_bi_geo_recommendations show it. */
const recommendationColumns = z
  .object({
    ...runColumns,
    request_id: z.string().min(1),
    requested_at: isoTimestamp,
    constraints: z.string(),
    rank: z.number().int().positive(),
    channel: z.string().min(1),
    current_spend: z.number(),
    recommended_spend: z.number(),
    delta_vs_current: z.number(),
    delta_share: z.number().nullable(),
    ...interval('outcome'),
    p_beats_current: z.number(),
  })
  .strict();

/**
 * A recommended channel's (pair's) evidence at the end of its view row (move-evidence.ts): null for rows answered
 * before the evidence was recorded (and for a plan's reference scenario), p_move_helps null where it did not move.
 */
const moveEvidenceColumns = {
  moved: z.boolean().nullable(),
  evidence_label: z.string().nullable(),
  /** P(the move helps). */
  p_move_helps: z.number().nullable(),
};

/** One row per run, ranked plan and channel of the run's latest request, with the channel's evidence. */
export const biRecommendationRowSchema = recommendationColumns.extend(moveEvidenceColumns).strict();

export const biModelHealthRowSchema = z
  .object({
    ...runColumns,
    status: runStatusSchema,
    ...runTimes,
    ...dataWindow,
    verdict: z.enum(['pass', 'warn', 'fail']).nullable(),
    max_rhat: z.number().nullable(),
    min_ess_bulk: z.number().nullable(),
    min_ess_tail: z.number().nullable(),
    divergences: z.number().int().nullable(),
    /** The verdict's reasons joined with '; '. */
    reasons: z.string().nullable(),
    r2: z.number().nullable(),
    mape: z.number().nullable(),
    wmape: z.number().nullable(),
    holdout_r2: z.number().nullable(),
    holdout_mape: z.number().nullable(),
    holdout_wmape: z.number().nullable(),
    ...calibration,
  })
  .strict();

/** The plan a plan row belongs to: every answered plan of a published run, its latest flagged. */
const planRequestColumns = {
  ...runColumns,
  plan_id: z.string().min(1),
  requested_at: isoTimestamp,
  /** The run's latest plan (by requested_at). */
  is_latest_plan: z.boolean(),
};

export const biPlanScenarioRowSchema = z
  .object({
    ...planRequestColumns,
    scenario: planScenarioSchema,
    horizon_start: isoDate,
    horizon_end: isoDate,
    horizon_weeks: count,
    flighting: z.string(),
    trend: z.string(),
    count_carryover: z.boolean(),
    assumptions: z.string(),
    request: z.string(),
    calibration_factor: z.number(),
    total_spend: z.number(),
    ...interval('outcome'),
    ...interval('incremental'),
    /** incremental_mean / total_spend; null at zero spend. */
    roi: z.number().nullable(),
    p_beats_reference: z.number().nullable(),
    goal_target: z.number().nullable(),
    goal_kind: z.enum(['total', 'incremental']).nullable(),
    goal_probability: z.number().nullable(),
    goal_reached_probability: z.number().nullable(),
  })
  .strict();

export const biPlanAllocationRowSchema = z
  .object({
    ...planRequestColumns,
    scenario: planScenarioSchema,
    channel: z.string().min(1),
    spend: z.number(),
    share: z.number(),
    reference_spend: z.number(),
    delta_vs_reference: z.number(),
    ...interval('contribution'),
    /** contribution_mean / spend; null at zero spend. */
    roi: z.number().nullable(),
    ...moveEvidenceColumns,
  })
  .strict();

export const planSeriesTypeSchema = z.enum(['channel', 'baseline', 'total']);

export const biPlanWeeklyRowSchema = z
  .object({
    ...planRequestColumns,
    week: isoDate,
    channel: z.string().min(1),
    series_type: planSeriesTypeSchema,
    /** A week after the horizon whose carry-over outcome counts (countCarryover). */
    is_carryover_week: z.boolean(),
    spend: z.number(),
    ...interval('outcome'),
    predictive_p05: z.number().nullable(),
    predictive_p95: z.number().nullable(),
  })
  .strict();

/** A published geo run's (geo, channel) pair (sql/shared/V008__geo_tables.sql). */
export const biGeoChannelSummaryRowSchema = z
  .object({
    ...runColumns,
    geo: z.string().min(1),
    channel: z.string().min(1),
    spend: z.number(),
    /** spend / the geo's spend over its channels; null when the geo spent nothing. */
    geo_spend_share: z.number().nullable(),
    ...interval('incremental_outcome'),
    ...interval('roi'),
    ...interval('mroi'),
    /** 1 = the run's pair of highest posterior-mean mROI. */
    mroi_rank: z.number().int().positive(),
  })
  .strict();

const { request_id, requested_at, constraints, rank, channel, ...recommendedColumns } = recommendationColumns.shape;

/** A request by market's plan per (geo, channel) pair; every request of a published run, its latest flagged. */
export const biGeoRecommendationRowSchema = z
  .object({
    ...runColumns,
    request_id,
    requested_at,
    is_latest_request: z.boolean(),
    constraints,
    rank,
    geo: z.string().min(1),
    channel,
    ...recommendedColumns,
    method: geoRecommendationRowSchema.shape.method,
    gap: z.number(),
    ...moveEvidenceColumns,
  })
  .strict();

export const BI_VIEWS = {
  v_bi_runs: biRunRowSchema,
  v_bi_current_run: biCurrentRunRowSchema,
  v_bi_channel_summary: biChannelSummaryRowSchema,
  v_bi_contributions: biContributionRowSchema,
  v_bi_response_curves: biResponseCurveRowSchema,
  v_bi_frontier: biFrontierRowSchema,
  v_bi_frontier_allocations: biFrontierAllocationRowSchema,
  v_bi_recommendations: biRecommendationRowSchema,
  v_bi_model_health: biModelHealthRowSchema,
  v_bi_plan_scenarios: biPlanScenarioRowSchema,
  v_bi_plan_allocations: biPlanAllocationRowSchema,
  v_bi_plan_weekly: biPlanWeeklyRowSchema,
  v_bi_geo_channel_summary: biGeoChannelSummaryRowSchema,
  v_bi_geo_recommendations: biGeoRecommendationRowSchema,
} as const;
export type BiView = keyof typeof BI_VIEWS;
export const BI_VIEW_NAMES = Object.keys(BI_VIEWS) as BiView[];

/** The rows of each BI view, for the Kysely `Database` interface. */
export type BiViewRows = { [V in BiView]: z.infer<(typeof BI_VIEWS)[V]> };

export type BiRunRow = BiViewRows['v_bi_runs'];
export type BiCurrentRunRow = BiViewRows['v_bi_current_run'];
export type BiChannelSummaryRow = BiViewRows['v_bi_channel_summary'];
export type BiContributionRow = BiViewRows['v_bi_contributions'];
export type BiResponseCurveRow = BiViewRows['v_bi_response_curves'];
export type BiFrontierRow = BiViewRows['v_bi_frontier'];
export type BiFrontierAllocationRow = BiViewRows['v_bi_frontier_allocations'];
export type BiRecommendationRow = BiViewRows['v_bi_recommendations'];
export type BiModelHealthRow = BiViewRows['v_bi_model_health'];
export type BiPlanScenarioRow = BiViewRows['v_bi_plan_scenarios'];
export type BiPlanAllocationRow = BiViewRows['v_bi_plan_allocations'];
export type BiPlanWeeklyRow = BiViewRows['v_bi_plan_weekly'];
export type BiGeoChannelSummaryRow = BiViewRows['v_bi_geo_channel_summary'];
export type BiGeoRecommendationRow = BiViewRows['v_bi_geo_recommendations'];

/** Column names of a BI view in contract order. */
export const biViewColumns = (view: BiView): string[] => Object.keys(BI_VIEWS[view].shape);
