/**
 * The warehouse table contract (DESIGN.md section 5): one zod schema per table row, the natural key
 * of each table, and the Kysely `Database` interface over the input marts, the output tables and the
 * BI views. The DDL in sql/<engine>/ creates exactly these columns (test/warehouse checks it).
 * Dates are 'yyyy-mm-dd' strings, timestamps ISO-8601 UTC strings, JSON documents JSON text.
 */
import { z } from 'zod';
import { frontierRowSchema as explorationFrontierRowSchema, recommendationRowSchema as explorationRecommendationRowSchema } from '../explore/rows.ts';
import { surfaceAllocationRowSchema, surfaceScenarioRowSchema } from '../surface/rows.ts';
import type { BiViewRows } from './bi-views.ts';

const isoDate = z.iso.date();
const isoTimestamp = z.iso.datetime({ offset: true });
/** Run ids name staging tables and files too, so they are restricted to a portable alphabet. */
export const runIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'run ids are 1-128 letters, digits, _ . : - (starting with a letter or digit)');
/** The columns `<name>_mean`, `<name>_p05`, `<name>_p95` of a posterior summary with a 90% interval. */
function interval<N extends string>(name: N): Record<`${N}_mean` | `${N}_p05` | `${N}_p95`, z.ZodNumber> {
  return { [`${name}_mean`]: z.number(), [`${name}_p05`]: z.number(), [`${name}_p95`]: z.number() } as Record<`${N}_mean` | `${N}_p05` | `${N}_p95`, z.ZodNumber>;
}

export const runStatusSchema = z.enum(['succeeded', 'rejected', 'failed']);

export const mmmRunRowSchema = z.object({
  run_id: runIdSchema,
  model_id: z.string().min(1),
  /** succeeded: fit passed its gates; rejected: diagnostics or calibration refused it; failed: it broke. */
  status: runStatusSchema,
  created_at: isoTimestamp,
  finished_at: isoTimestamp.nullable(),
  data_start: isoDate,
  data_end: isoDate,
  /** JSON text of the model config, the diagnostics summary and the fit metrics. */
  config: z.string(),
  diagnostics: z.string(),
  fit_metrics: z.string(),
  calibration_factor: z.number().nullable(),
  calibration_window_start: isoDate.nullable(),
  calibration_window_end: isoDate.nullable(),
  /** Set by publish once every table of the run is written; a run is promotable only then. */
  published_at: isoTimestamp.nullable(),
}).strict();

export const mmmCurrentRowSchema = z.object({
  model_id: z.string().min(1),
  run_id: runIdSchema,
  promoted_at: isoTimestamp,
}).strict();

export const channelSummaryRowSchema = z.object({
  run_id: runIdSchema,
  channel: z.string().min(1),
  spend: z.number().nonnegative(),
  ...interval('incremental_outcome'),
  ...interval('contribution_share'),
  ...interval('roi'),
  ...interval('mroi'),
}).strict();

export const contributionRowSchema = z.object({
  run_id: runIdSchema,
  period_start: isoDate,
  geo: z.string().min(1),
  /** 'baseline', a control name or a channel name. */
  component: z.string().min(1),
  mean: z.number(),
  p05: z.number(),
  p95: z.number(),
}).strict();

export const responseCurveRowSchema = z.object({
  run_id: runIdSchema,
  channel: z.string().min(1),
  spend_multiplier: z.number().nonnegative(),
  spend: z.number().nonnegative(),
  ...interval('outcome'),
  mroi: z.number(),
}).strict();

/** Rows as the decision layer produces them (src/explore/rows.ts), with the warehouse's key rules. */
export const frontierRowSchema = explorationFrontierRowSchema.extend({ run_id: runIdSchema });
export const recommendationRowSchema = explorationRecommendationRowSchema.extend({ run_id: runIdSchema, requested_at: isoTimestamp });

export const posteriorSummaryRowSchema = z.object({
  run_id: runIdSchema,
  parameter: z.string().min(1),
  /** Labels of the parameter's indices, e.g. 'channel=search' or 'geo=US,channel=tv'; '' for scalars. */
  index_labels: z.string(),
  mean: z.number(),
  sd: z.number().nonnegative(),
  p05: z.number(),
  p50: z.number(),
  p95: z.number(),
  /** Null for quantities without a chain structure (e.g. fixed or derived ones). */
  rhat: z.number().nullable(),
  ess_bulk: z.number().nullable(),
  ess_tail: z.number().nullable(),
}).strict();

export { surfaceAllocationRowSchema, surfaceScenarioRowSchema };

// --- Input marts (written by dbt, read by extract) -----------------------------------------------

export const inputMediaRowSchema = z.object({
  geo: z.string(),
  week_start: z.string(),
  channel: z.string(),
  spend: z.number().nullable(),
  media_units: z.number().nullable(),
  media_unit: z.string().nullable(),
}).strict();

export const inputKpiRowSchema = z.object({
  geo: z.string(),
  week_start: z.string(),
  kpi: z.string(),
  value: z.number().nullable(),
  days_reported: z.number().nullable(),
  is_complete: z.boolean().nullable(),
}).strict();

export const inputControlRowSchema = z.object({
  geo: z.string(),
  week_start: z.string(),
  control: z.string(),
  value: z.number().nullable(),
}).strict();

export const inputGeoRowSchema = z.object({
  geo: z.string(),
  population: z.number().nullable(),
  currency: z.string().nullable(),
}).strict();

export type MmmRunRow = z.infer<typeof mmmRunRowSchema>;
export type MmmCurrentRow = z.infer<typeof mmmCurrentRowSchema>;
export type ChannelSummaryRow = z.infer<typeof channelSummaryRowSchema>;
export type ContributionRow = z.infer<typeof contributionRowSchema>;
export type ResponseCurveRow = z.infer<typeof responseCurveRowSchema>;
export type SurfaceScenarioRow = z.infer<typeof surfaceScenarioRowSchema>;
export type SurfaceAllocationRow = z.infer<typeof surfaceAllocationRowSchema>;
export type FrontierRow = z.infer<typeof frontierRowSchema>;
export type RecommendationRow = z.infer<typeof recommendationRowSchema>;
export type PosteriorSummaryRow = z.infer<typeof posteriorSummaryRowSchema>;
export type InputMediaRow = z.infer<typeof inputMediaRowSchema>;
export type InputKpiRow = z.infer<typeof inputKpiRowSchema>;
export type InputControlRow = z.infer<typeof inputControlRowSchema>;
export type InputGeoRow = z.infer<typeof inputGeoRowSchema>;

/** The tables a run publishes besides its mmm_runs row, in the order publish writes them. */
export const RUN_TABLES = {
  mmm_channel_summary: { schema: channelSummaryRowSchema, key: ['channel'] },
  mmm_contributions: { schema: contributionRowSchema, key: ['period_start', 'geo', 'component'] },
  mmm_response_curves: { schema: responseCurveRowSchema, key: ['channel', 'spend_multiplier'] },
  mmm_surface_scenarios: { schema: surfaceScenarioRowSchema, key: ['scenario_id'] },
  mmm_surface_allocations: { schema: surfaceAllocationRowSchema, key: ['scenario_id', 'channel'] },
  mmm_frontier: { schema: frontierRowSchema, key: ['total_spend', 'rank', 'channel'] },
  mmm_posterior_summary: { schema: posteriorSummaryRowSchema, key: ['parameter', 'index_labels'] },
} as const;

export type RunTable = keyof typeof RUN_TABLES;
export const RUN_TABLE_NAMES = Object.keys(RUN_TABLES) as RunTable[];

/** Every table of the contract with the schema of its rows (views excluded). */
export const OUTPUT_TABLES = {
  mmm_runs: mmmRunRowSchema,
  mmm_current: mmmCurrentRowSchema,
  ...Object.fromEntries(RUN_TABLE_NAMES.map((name) => [name, RUN_TABLES[name].schema])) as { [T in RunTable]: (typeof RUN_TABLES)[T]['schema'] },
  mmm_recommendations: recommendationRowSchema,
} as const;
export type OutputTable = keyof typeof OUTPUT_TABLES;

export const INPUT_MARTS = {
  mmm_input_media: inputMediaRowSchema,
  mmm_input_kpi: inputKpiRowSchema,
  mmm_input_controls: inputControlRowSchema,
  mmm_input_geos: inputGeoRowSchema,
} as const;
export type InputMart = keyof typeof INPUT_MARTS;

/** BI views: the current run's rows of each run table (and of mmm_runs), with the model id. */
export const CURRENT_VIEWS = {
  v_current_runs: 'mmm_runs',
  v_current_channel_summary: 'mmm_channel_summary',
  v_current_contributions: 'mmm_contributions',
  v_current_response_curves: 'mmm_response_curves',
  v_current_surface_scenarios: 'mmm_surface_scenarios',
  v_current_surface_allocations: 'mmm_surface_allocations',
  v_current_frontier: 'mmm_frontier',
  v_current_posterior_summary: 'mmm_posterior_summary',
  v_current_recommendations: 'mmm_recommendations',
} as const satisfies Record<string, OutputTable>;
export type CurrentView = keyof typeof CURRENT_VIEWS;

type ViewRow<T> = T & { model_id: string };

/** The Kysely schema of the warehouse: input marts, output tables, v_current_* and v_bi_* views. */
export interface Database extends BiViewRows {
  mmm_runs: MmmRunRow;
  mmm_current: MmmCurrentRow;
  mmm_channel_summary: ChannelSummaryRow;
  mmm_contributions: ContributionRow;
  mmm_response_curves: ResponseCurveRow;
  mmm_surface_scenarios: SurfaceScenarioRow;
  mmm_surface_allocations: SurfaceAllocationRow;
  mmm_frontier: FrontierRow;
  mmm_recommendations: RecommendationRow;
  mmm_posterior_summary: PosteriorSummaryRow;
  mmm_input_media: InputMediaRow;
  mmm_input_kpi: InputKpiRow;
  mmm_input_controls: InputControlRow;
  mmm_input_geos: InputGeoRow;
  v_current_runs: MmmRunRow;
  v_current_channel_summary: ViewRow<ChannelSummaryRow>;
  v_current_contributions: ViewRow<ContributionRow>;
  v_current_response_curves: ViewRow<ResponseCurveRow>;
  v_current_surface_scenarios: ViewRow<SurfaceScenarioRow>;
  v_current_surface_allocations: ViewRow<SurfaceAllocationRow>;
  v_current_frontier: ViewRow<FrontierRow>;
  v_current_posterior_summary: ViewRow<PosteriorSummaryRow>;
  v_current_recommendations: ViewRow<RecommendationRow>;
}

/** Column names of a table in contract order (the order of its zod schema). */
export const columnsOf = (table: OutputTable | InputMart): string[] =>
  Object.keys(({ ...OUTPUT_TABLES, ...INPUT_MARTS })[table].shape);
