/**
 * The warehouse table contract (DESIGN.md section 5), declared once: every output table, input mart
 * and view with the zod schema of its rows (columns in DDL order) and its natural key. Everything else
 * is derived from these declarations: the Kysely `Database` interface, the publish hand-over
 * (run-results.ts), a rejected run's empty tables, and the DDL parity tests (test/warehouse). The DDL
 * in sql/<engine>/ creates exactly these columns. Rows that the surface and exploration layers produce
 * are declared there (src/surface/rows.ts, src/explore/rows.ts) and enter the contract here, so the
 * rest of the product reads the table contract from this one module (the BI views' rows: bi-views.ts).
 * Dates are 'yyyy-mm-dd' strings, timestamps ISO-8601 UTC strings, JSON documents JSON text.
 */
import { z } from 'zod';
import {
  planAllocationRowSchema,
  planEvidenceRowSchema,
  planIdSchema,
  planScenarioRowSchema,
  planWeeklyRowSchema,
} from '../explore/plan-rows.ts';
import { geoChannelSummaryRowSchema, geoRecommendationEvidenceRowSchema, geoRecommendationRowSchema } from '../explore/market-rows.ts';
import { frontierRowSchema, recommendationEvidenceRowSchema, recommendationRowSchema } from '../explore/rows.ts';
import { interval, isoDate, isoTimestamp, runIdSchema, runStatusSchema } from '../io/table-columns.ts';
import { surfaceAllocationRowSchema, surfaceScenarioRowSchema } from '../surface/rows.ts';
import { BI_VIEWS, type BiView } from './bi-views.ts';

export type { GeoRecommendationEvidenceRow, GeoRecommendationRow } from '../explore/market-rows.ts';
export type { RecommendationEvidenceRow, RecommendationRow } from '../explore/rows.ts';

/** A table of the contract: the schema of its rows and the columns that identify a row. */
function table<S extends z.ZodObject, const K extends readonly (keyof S['shape'] & string)[]>(schema: S, key: K): { schema: S; key: K } {
  return { schema, key };
}

/** The run tables: one slice per run, keyed by run_id and, within the run, by `key`; in the order publish writes them. */
export const RUN_TABLES = {
  mmm_channel_summary: table(
    z
      .object({
        run_id: runIdSchema,
        channel: z.string().min(1),
        spend: z.number().nonnegative(),
        ...interval('incremental_outcome'),
        ...interval('contribution_share'),
        ...interval('roi'),
        ...interval('mroi'),
      })
      .strict(),
    ['channel'],
  ),
  mmm_contributions: table(
    z
      .object({
        run_id: runIdSchema,
        period_start: isoDate,
        geo: z.string().min(1),
        /** 'baseline', a control name or a channel name. */
        component: z.string().min(1),
        mean: z.number(),
        p05: z.number(),
        p95: z.number(),
      })
      .strict(),
    ['period_start', 'geo', 'component'],
  ),
  mmm_response_curves: table(
    z
      .object({
        run_id: runIdSchema,
        channel: z.string().min(1),
        spend_multiplier: z.number().nonnegative(),
        spend: z.number().nonnegative(),
        ...interval('outcome'),
        mroi: z.number(),
      })
      .strict(),
    ['channel', 'spend_multiplier'],
  ),
  mmm_surface_scenarios: table(surfaceScenarioRowSchema, ['scenario_id']),
  mmm_surface_allocations: table(surfaceAllocationRowSchema, ['scenario_id', 'channel']),
  /** As the decision layer produces them, with the warehouse's run id rule. */
  mmm_frontier: table(frontierRowSchema.extend({ run_id: runIdSchema }), ['total_spend', 'rank', 'channel']),
  mmm_posterior_summary: table(
    z
      .object({
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
      })
      .strict(),
    ['parameter', 'index_labels'],
  ),
  /** One row per synergy pair of model.interactions (summary.json `interactions`); none without pairs. */
  mmm_interactions: table(
    z
      .object({
        run_id: runIdSchema,
        channel_a: z.string().min(1),
        channel_b: z.string().min(1),
        /** theta: KPI standard deviations per unit of h_a h_b (docs/model.md, "Synergies"). */
        ...interval('theta'),
        /** The term's own total incremental outcome over the data window (the channels' rows hold half each). */
        ...interval('incremental_outcome'),
        /** Share of posterior draws with theta > 0. */
        p_positive: z.number().min(0).max(1),
      })
      .strict(),
    ['channel_a', 'channel_b'],
  ),
  /** Each channel's evidence, summary.json `channels[].evidence` (src/analysis/evidence.ts); none for runs fitted before it. */
  mmm_channel_evidence: table(
    z
      .object({
        run_id: runIdSchema,
        channel: z.string().min(1),
        /** 1 - posterior sd / prior sd of log ROI. */
        contraction: z.number(),
        /** Posterior mean minus prior mean of log ROI, in prior sds. */
        shift: z.number(),
        /** contraction >= EVIDENCE_THRESHOLD. */
        informed: z.boolean(),
        label: z.string().min(1),
      })
      .strict(),
    ['channel'],
  ),
  /** One row per lift test the fit was calibrated with (summary.json `experiments`); none without tests. */
  mmm_experiments: table(
    z
      .object({
        run_id: runIdSchema,
        experiment_id: z.string().min(1),
        channel: z.string().min(1),
        /** The test's incremental outcome estimate and its standard error, as the experiments input gave them. */
        estimate: z.number(),
        standard_error: z.number().positive(),
        /** The model's implied incremental outcome of the test (docs/model.md, "Experiments"), posterior mean and 90% interval. */
        ...interval('implied'),
      })
      .strict(),
    ['experiment_id'],
  ),
  /** A geo model's channel summary per (geo, channel) pair with spend in the window (market-rows.ts); none for a national model. */
  mmm_geo_channel_summary: table(geoChannelSummaryRowSchema.extend({ run_id: runIdSchema }), ['geo', 'channel']),
} as const;

export type RunTable = keyof typeof RUN_TABLES;
export const RUN_TABLE_NAMES = Object.keys(RUN_TABLES) as RunTable[];
/**
 * Run tables with rows only when the fit uses an option (mmm_interactions: synergy pairs; mmm_experiments: lift
 * tests; mmm_geo_channel_summary: more than one geo); every other run table has rows for every run.
 */
export const OPTIONAL_RUN_TABLES: ReadonlySet<RunTable> = new Set<RunTable>([
  'mmm_interactions',
  'mmm_experiments',
  'mmm_geo_channel_summary',
]);

/**
 * The plan tables: one answered plan (`mmm plan`, planWorkflow) per plan_id — its scenarios, their
 * allocations, and the plan's weekly spend and outcome — with the warehouse's run id rule.
 */
export const PLAN_TABLES = {
  mmm_plan_scenarios: table(planScenarioRowSchema.extend({ run_id: runIdSchema }), ['plan_id', 'scenario']),
  mmm_plan_allocations: table(planAllocationRowSchema.extend({ run_id: runIdSchema }), ['plan_id', 'scenario', 'channel']),
  /** Per allocation row of the plan and goal scenarios: the channel's evidence label and P(its move from the reference helps). */
  mmm_plan_evidence: table(planEvidenceRowSchema.extend({ run_id: runIdSchema }), ['plan_id', 'scenario', 'channel']),
  mmm_plan_weekly: table(planWeeklyRowSchema.extend({ run_id: runIdSchema }), ['plan_id', 'week', 'channel']),
  /** The plan's enumerated horizon surface: mmm_surface_scenarios' columns over the horizon, the plan's id in front. */
  mmm_plan_surface_scenarios: table(z.object({ plan_id: planIdSchema, ...surfaceScenarioRowSchema.shape, run_id: runIdSchema }), [
    'plan_id',
    'scenario_id',
  ]),
  mmm_plan_surface_allocations: table(z.object({ plan_id: planIdSchema, ...surfaceAllocationRowSchema.shape, run_id: runIdSchema }), [
    'plan_id',
    'scenario_id',
    'channel',
  ]),
} as const;
export type PlanTable = keyof typeof PLAN_TABLES;
export const PLAN_TABLE_NAMES = Object.keys(PLAN_TABLES) as PlanTable[];

/** Every output table of the contract (views excluded). */
export const OUTPUT_TABLES = {
  mmm_runs: table(
    z
      .object({
        run_id: runIdSchema,
        model_id: z.string().min(1),
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
      })
      .strict(),
    ['run_id'],
  ),
  mmm_current: table(
    z
      .object({
        model_id: z.string().min(1),
        run_id: runIdSchema,
        promoted_at: isoTimestamp,
      })
      .strict(),
    ['model_id'],
  ),
  ...RUN_TABLES,
  /** One optimisation request's ranked plans, as the decision layer produces them, with the warehouse's run id rule. */
  mmm_recommendations: table(recommendationRowSchema.extend({ run_id: runIdSchema }), ['request_id', 'rank', 'channel']),
  /** Per recommendation row: the channel's evidence label and P(its move helps), written with the request's rows. */
  mmm_recommendation_evidence: table(recommendationEvidenceRowSchema.extend({ run_id: runIdSchema }), ['request_id', 'rank', 'channel']),
  /** One optimisation request by market (`by: 'geo'`): its plan per (geo, channel) pair, with the optimiser's method and gap. */
  mmm_geo_recommendations: table(geoRecommendationRowSchema.extend({ run_id: runIdSchema }), ['request_id', 'rank', 'geo', 'channel']),
  /** Per pair of a request by market: its channel's evidence label and P(the pair's move helps), written with the request's rows. */
  mmm_geo_recommendation_evidence: table(geoRecommendationEvidenceRowSchema.extend({ run_id: runIdSchema }), [
    'request_id',
    'rank',
    'geo',
    'channel',
  ]),
  ...PLAN_TABLES,
} as const;
export type OutputTable = keyof typeof OUTPUT_TABLES;

/**
 * A weekly input mart: one row per geo, week and series (a channel, KPI or control), keyed by the
 * three, with the series' values.
 */
function weeklyMart<const S extends string, V extends z.ZodRawShape>(series: S, values: V) {
  const seriesColumn = { [series]: z.string() } as Record<S, z.ZodString>;
  return table(z.object({ geo: z.string(), week_start: z.string(), ...seriesColumn, ...values }).strict(), ['geo', 'week_start', series]);
}

/** A media mart's values per geo, week and channel: spend in currency, media units and what they count. */
const mediaValues = {
  spend: z.number().nullable(),
  media_units: z.number().nullable(),
  media_unit: z.string().nullable(),
};

/** Input marts: written by dbt, read by extract (the model input) and by the plan's custom flighting (plan-spend.ts). */
export const INPUT_MARTS = {
  mmm_input_media: weeklyMart('channel', mediaValues),
  /** Planned media for the weeks after the data, in mmm_input_media's form (`mmm plan --flighting custom:warehouse`). */
  mmm_input_plan_spend: weeklyMart('channel', mediaValues),
  mmm_input_kpi: weeklyMart('kpi', {
    value: z.number().nullable(),
    days_reported: z.number().nullable(),
    is_complete: z.boolean().nullable(),
  }),
  mmm_input_controls: weeklyMart('control', { value: z.number().nullable() }),
  mmm_input_geos: table(
    z
      .object({
        geo: z.string(),
        population: z.number().nullable(),
        currency: z.string().nullable(),
      })
      .strict(),
    ['geo'],
  ),
  /** Lift tests (dbt/models/marts/mmm_input_experiments.sql); a null geo is a national test. */
  mmm_input_experiments: table(
    z
      .object({
        experiment_id: z.string(),
        channel: z.string(),
        geo: z.string().nullable(),
        start_date: z.string(),
        end_date: z.string(),
        incremental_outcome: z.number().nullable(),
        standard_error: z.number().nullable(),
        spend: z.number().nullable(),
        counterfactual_spend: z.number().nullable(),
        outcome_type: z.string().nullable(),
      })
      .strict(),
    ['experiment_id'],
  ),
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
  v_current_interactions: 'mmm_interactions',
  v_current_channel_evidence: 'mmm_channel_evidence',
  v_current_experiments: 'mmm_experiments',
} as const satisfies Record<string, OutputTable>;
export type CurrentView = keyof typeof CURRENT_VIEWS;

/** The row of an output table or input mart. */
export type TableRow<T extends OutputTable | InputMart> = z.infer<
  ({ [N in OutputTable]: (typeof OUTPUT_TABLES)[N] } & { [N in InputMart]: (typeof INPUT_MARTS)[N] })[T]['schema']
>;
export type MmmRunRow = TableRow<'mmm_runs'>;
export type InputMediaRow = TableRow<'mmm_input_media'>;
export type InputPlanSpendRow = TableRow<'mmm_input_plan_spend'>;
export type InputKpiRow = TableRow<'mmm_input_kpi'>;
export type InputControlRow = TableRow<'mmm_input_controls'>;
export type InputGeoRow = TableRow<'mmm_input_geos'>;
export type InputExperimentRow = TableRow<'mmm_input_experiments'>;

/** A v_current_* row: its table's row, with the model id (mmm_runs has it already). */
type CurrentViewRow<T extends OutputTable> = T extends 'mmm_runs' ? TableRow<T> : TableRow<T> & { model_id: string };

/** The Kysely schema of the warehouse: output tables, input marts, v_current_* and v_bi_* views. */
export type Database = { [T in OutputTable | InputMart]: TableRow<T> } & {
  [V in CurrentView]: CurrentViewRow<(typeof CURRENT_VIEWS)[V]>;
} & { [V in BiView]: z.infer<(typeof BI_VIEWS)[V]> };

/** Column names of a table in contract order (the order of its zod schema). */
export const columnsOf = (name: OutputTable | InputMart): string[] => Object.keys({ ...OUTPUT_TABLES, ...INPUT_MARTS }[name].schema.shape);
