/**
 * What the dashboard shows, read from the BI views (sql/<engine>/V003__bi_views.sql) of one model's
 * current run through the warehouse's Kysely layer, and validated against the view contract; the
 * model-health details (the verdict's reasons one by one, the misspecification checks) come from the
 * run's diagnostics JSON in mmm_runs, which the views flatten. The "Next quarter" plans come from the
 * v_bi_plan_* views (sql/shared/V004__plan_tables.sql); the run's lift tests from its mmm_experiments rows
 * (sql/shared/V007__channel_evidence.sql), which no BI view reshapes. A geo model's market view comes from
 * v_bi_geo_channel_summary and v_bi_geo_recommendations (sql/shared/V008__geo_tables.sql), its geo groups from a
 * file in the layout of the dbt seed `geo_groups` (src/explore/geo-groups.ts); its synergy pairs from its
 * mmm_interactions rows (synergies.ts).
 */
import { z } from 'zod';
import { misspecificationSchema } from '../analysis/misspecification.ts';
import { type GeoGroupRow, geoGroupRowSchema, GeoGroupsError, marketPartition } from '../explore/geo-groups.ts';
import {
  biChannelSummaryRowSchema,
  biContributionRowSchema,
  biCurrentRunRowSchema,
  biFrontierAllocationRowSchema,
  biFrontierRowSchema,
  biGeoChannelSummaryRowSchema,
  biGeoRecommendationRowSchema,
  biModelHealthRowSchema,
  biPlanAllocationRowSchema,
  biPlanScenarioRowSchema,
  biPlanWeeklyRowSchema,
  biRecommendationRowSchema,
  biResponseCurveRowSchema,
  type BiView,
} from '../warehouse/bi-views.ts';
import { type WarehouseConfig, warehouseEngine } from '../warehouse/open-warehouse.ts';
import { RUN_TABLES } from '../warehouse/tables.ts';
import { loadSynergies, synergyRowSchema } from './synergies.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

/** The parts of mmm_runs.diagnostics the model-health panel shows; runs fitted before the misspecification checks lack them. */
export const runChecksSchema = z.object({
  reasons: z.array(z.string()).default([]),
  misspecification: misspecificationSchema.nullable().default(null),
});

export type RunChecks = z.infer<typeof runChecksSchema>;

/**
 * The run's answered plans for the horizon of its latest plan (same start and length), one per budget
 * (the latest answer at a budget), by budget: the positions of the section's budget control.
 */
export const nextQuarterSchema = z
  .object({
    /** The `plan` scenario of each plan, by total_spend. */
    plans: z.array(biPlanScenarioRowSchema),
    /** The `plan` scenario's allocation of each plan, by plan and channel. */
    allocations: z.array(biPlanAllocationRowSchema),
    /** Each plan's weeks: the `total` series and the channels' (not the baseline), by plan, week and channel. */
    weekly: z.array(biPlanWeeklyRowSchema),
  })
  .strict();

export type NextQuarter = z.infer<typeof nextQuarterSchema>;

/** A geo model's run by market; every list is empty for a national run. */
export const marketViewSchema = z
  .object({
    /** The run's (geo, channel) pairs, by geo and channel. */
    pairs: z.array(biGeoChannelSummaryRowSchema),
    /** The plan of the run's latest request by market (rank 1), by geo and channel; empty when none was made. */
    plan: z.array(biGeoRecommendationRowSchema),
    /** The country and region of each of the run's geos, by geo; empty when no geo groups were given. */
    groups: z.array(geoGroupRowSchema),
  })
  .strict();

export type MarketView = z.infer<typeof marketViewSchema>;

export const dashboardDataSchema = z
  .object({
    /** When the views were read (ISO-8601 UTC). */
    readAt: z.iso.datetime(),
    run: biCurrentRunRowSchema,
    health: biModelHealthRowSchema,
    /** The verdict's reasons and the misspecification checks of the run. */
    checks: runChecksSchema,
    /** By ROI rank, each with its evidence (null for runs published before it was recorded). */
    channels: z.array(biChannelSummaryRowSchema).min(1),
    /** The lift tests the run was calibrated with, by channel and id; empty when it had none. */
    experiments: z.array(RUN_TABLES.mmm_experiments.schema),
    /** The all-geos rows only (the sum over geos), by week and component. */
    contributions: z.array(biContributionRowSchema),
    responseCurves: z.array(biResponseCurveRowSchema),
    frontier: z.array(biFrontierRowSchema),
    /** The optimal plans' allocations, by budget and channel. */
    optimalAllocations: z.array(biFrontierAllocationRowSchema),
    /** The latest optimisation request of the run; empty when none was made. */
    recommendations: z.array(biRecommendationRowSchema),
    nextQuarter: nextQuarterSchema,
    markets: marketViewSchema,
    /** The synergy pairs of the run's model, by channel names; empty when it has none. */
    synergies: z.array(synergyRowSchema),
  })
  .strict();

export type DashboardData = z.infer<typeof dashboardDataSchema>;

/** The warehouse cannot give the dashboard what it needs; the message says what and where. */
export class DashboardDataError extends Error {
  override readonly name = 'DashboardDataError';
}

function parseRows<S extends z.ZodType>(view: BiView | 'mmm_experiments' | 'mmm_interactions', schema: S, rows: unknown[]): z.infer<S>[] {
  return rows.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DashboardDataError(`${view} row ${index}: column '${issue.path.join('.')}': ${issue.message}`);
    }
    return parsed.data;
  });
}

function runChecks(runId: string, diagnostics: string | undefined): RunChecks {
  if (diagnostics === undefined) throw new DashboardDataError(`mmm_runs holds no row for run '${runId}'`);
  let json: unknown;
  try {
    json = JSON.parse(diagnostics);
  } catch {
    throw new DashboardDataError(`mmm_runs.diagnostics of run '${runId}' is not JSON`);
  }
  const parsed = runChecksSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DashboardDataError(`mmm_runs.diagnostics of run '${runId}': '${issue.path.join('.')}': ${issue.message}`);
  }
  return parsed.data;
}

/** Models with a current run. */
export async function currentModels(warehouse: Warehouse): Promise<string[]> {
  let rows: { model_id: string }[];
  try {
    rows = await warehouse.db.selectFrom('v_bi_current_run').select('model_id').orderBy('model_id').execute();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DashboardDataError(`cannot read v_bi_current_run (${detail}); a warehouse created before the BI views needs 'mmm migrate'`);
  }
  return rows.map((r) => r.model_id);
}

/** The model to show: the one asked for, or the only model with a current run. */
export async function resolveModel(warehouse: Warehouse, modelId: string | undefined): Promise<string> {
  const models = await currentModels(warehouse);
  if (modelId !== undefined) {
    if (!models.includes(modelId)) {
      throw new DashboardDataError(
        `model '${modelId}' has no current run in v_bi_current_run (models with one: ${models.length > 0 ? models.join(', ') : 'none'})`,
      );
    }
    return modelId;
  }
  if (models.length === 1) return models[0];
  throw new DashboardDataError(
    models.length === 0
      ? 'v_bi_current_run is empty: no model has a promoted run yet (run `mmm demo` or publish and promote a run)'
      : `several models have a current run (${models.join(', ')}); choose one with --model`,
  );
}

/** The plans of the next-quarter section (see nextQuarterSchema); empty when the run has no answered plan. */
async function loadNextQuarter(warehouse: Warehouse, runId: string): Promise<NextQuarter> {
  const { db } = warehouse;
  const scenarios = parseRows(
    'v_bi_plan_scenarios',
    biPlanScenarioRowSchema,
    await db
      .selectFrom('v_bi_plan_scenarios')
      .selectAll()
      .where('run_id', '=', runId)
      .where('scenario', '=', 'plan')
      .orderBy('requested_at', 'desc')
      .execute(),
  );
  const latest = scenarios.find((s) => s.is_latest_plan);
  if (latest === undefined) return { plans: [], allocations: [], weekly: [] };
  const byBudget = new Map<number, (typeof scenarios)[number]>();
  for (const s of scenarios) {
    const sameHorizon = s.horizon_start === latest.horizon_start && s.horizon_weeks === latest.horizon_weeks;
    // Newest first: the first plan seen at a budget is its latest answer.
    if (sameHorizon && !byBudget.has(s.total_spend)) byBudget.set(s.total_spend, s);
  }
  const plans = [...byBudget.values()].sort((a, b) => a.total_spend - b.total_spend);
  const planIds = plans.map((p) => p.plan_id);
  const [allocations, weekly] = await Promise.all([
    db
      .selectFrom('v_bi_plan_allocations')
      .selectAll()
      .where('plan_id', 'in', planIds)
      .where('scenario', '=', 'plan')
      .orderBy('plan_id')
      .orderBy('channel')
      .execute()
      .then((rows) => parseRows('v_bi_plan_allocations', biPlanAllocationRowSchema, rows)),
    db
      .selectFrom('v_bi_plan_weekly')
      .selectAll()
      .where('plan_id', 'in', planIds)
      .where('series_type', '!=', 'baseline')
      .orderBy('plan_id')
      .orderBy('week')
      .orderBy('channel')
      .execute()
      .then((rows) => parseRows('v_bi_plan_weekly', biPlanWeeklyRowSchema, rows)),
  ]);
  return { plans, allocations, weekly };
}

/** The market view of a run (see marketViewSchema); every geo of the run needs a row in `geoGroups` when any are given. */
async function loadMarketView(warehouse: Warehouse, runId: string, geoGroups: readonly GeoGroupRow[]): Promise<MarketView> {
  const { db } = warehouse;
  const [pairs, plan] = await Promise.all([
    db
      .selectFrom('v_bi_geo_channel_summary')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('geo')
      .orderBy('channel')
      .execute()
      .then((rows) => parseRows('v_bi_geo_channel_summary', biGeoChannelSummaryRowSchema, rows)),
    db
      .selectFrom('v_bi_geo_recommendations')
      .selectAll()
      .where('run_id', '=', runId)
      .where('is_latest_request', '=', true)
      .where('rank', '=', 1)
      .orderBy('geo')
      .orderBy('channel')
      .execute()
      .then((rows) => parseRows('v_bi_geo_recommendations', biGeoRecommendationRowSchema, rows)),
  ]);
  const geos = [...new Set(pairs.map((p) => p.geo))];
  if (geoGroups.length > 0) {
    try {
      marketPartition(geos, 'country', geoGroups);
    } catch (error) {
      if (!(error instanceof GeoGroupsError)) throw error;
      throw new DashboardDataError(`${error.message} (run '${runId}'); give geo groups with a row for every geo of the run`);
    }
  }
  const ofRun = new Set(geos);
  const groups = geoGroups.filter((row) => ofRun.has(row.geo)).sort((a, b) => a.geo.localeCompare(b.geo));
  return { pairs, plan, groups };
}

/** `geoGroups` (geo, country, region) group a geo model's market view; see loadMarketView. */
export async function loadDashboardData(
  warehouse: Warehouse,
  modelId: string,
  geoGroups: readonly GeoGroupRow[] = [],
): Promise<DashboardData> {
  const { db } = warehouse;
  const runs = parseRows(
    'v_bi_current_run',
    biCurrentRunRowSchema,
    await db.selectFrom('v_bi_current_run').selectAll().where('model_id', '=', modelId).execute(),
  );
  if (runs.length !== 1) throw new DashboardDataError(`v_bi_current_run holds ${runs.length} rows for model '${modelId}', expected 1`);
  const run = runs[0];
  const runId = run.run_id;
  const [checks, health, channels, experiments, contributions, responseCurves, frontier, optimalAllocations, recommendations, nextQuarter] =
    await Promise.all([
      db
        .selectFrom('mmm_runs')
        .select('diagnostics')
        .where('run_id', '=', runId)
        .executeTakeFirst()
        .then((row) => runChecks(runId, row?.diagnostics)),
      db
        .selectFrom('v_bi_model_health')
        .selectAll()
        .where('run_id', '=', runId)
        .execute()
        .then((rows) => parseRows('v_bi_model_health', biModelHealthRowSchema, rows)),
      db
        .selectFrom('v_bi_channel_summary')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('roi_rank')
        .execute()
        .then((rows) => parseRows('v_bi_channel_summary', biChannelSummaryRowSchema, rows)),
      db
        .selectFrom('mmm_experiments')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('channel')
        .orderBy('experiment_id')
        .execute()
        .then((rows) => parseRows('mmm_experiments', RUN_TABLES.mmm_experiments.schema, rows)),
      db
        .selectFrom('v_bi_contributions')
        .selectAll()
        .where('run_id', '=', runId)
        .where('is_all_geos', '=', true)
        .orderBy('period_start')
        .orderBy('component')
        .execute()
        .then((rows) => parseRows('v_bi_contributions', biContributionRowSchema, rows)),
      db
        .selectFrom('v_bi_response_curves')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('channel')
        .orderBy('spend_multiplier')
        .execute()
        .then((rows) => parseRows('v_bi_response_curves', biResponseCurveRowSchema, rows)),
      db
        .selectFrom('v_bi_frontier')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('plan_type')
        .orderBy('rank')
        .orderBy('total_spend')
        .execute()
        .then((rows) => parseRows('v_bi_frontier', biFrontierRowSchema, rows)),
      db
        .selectFrom('v_bi_frontier_allocations')
        .selectAll()
        .where('run_id', '=', runId)
        .where('plan_type', '=', 'optimal')
        .orderBy('total_spend')
        .orderBy('channel')
        .execute()
        .then((rows) => parseRows('v_bi_frontier_allocations', biFrontierAllocationRowSchema, rows)),
      db
        .selectFrom('v_bi_recommendations')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('rank')
        .orderBy('channel')
        .execute()
        .then((rows) => parseRows('v_bi_recommendations', biRecommendationRowSchema, rows)),
      loadNextQuarter(warehouse, runId),
    ]);
  if (health.length !== 1) throw new DashboardDataError(`v_bi_model_health holds ${health.length} rows for run '${runId}', expected 1`);
  if (channels.length === 0) throw new DashboardDataError(`v_bi_channel_summary holds no rows for run '${runId}'`);
  const markets = await loadMarketView(warehouse, runId, geoGroups);
  const synergies = parseRows('mmm_interactions', synergyRowSchema, await loadSynergies(warehouse, runId));
  return dashboardDataSchema.parse({
    readAt: new Date().toISOString(),
    run,
    health: health[0],
    checks,
    channels,
    experiments,
    contributions,
    responseCurves,
    frontier,
    optimalAllocations,
    recommendations,
    nextQuarter,
    markets,
    synergies,
  });
}

/**
 * Opens the warehouse, reads the model's dashboard data (the only model with a current run when none
 * is named) and closes it again, so that a DuckDB file stays free for writers between reads.
 */
export async function readDashboardData(
  config: WarehouseConfig,
  modelId?: string,
  geoGroups: readonly GeoGroupRow[] = [],
): Promise<DashboardData> {
  // A dashboard must not leave empty warehouses at mistyped paths.
  const engine = warehouseEngine(config);
  const absence = engine.absence();
  if (absence !== null) throw new DashboardDataError(`${absence} (run 'mmm demo --dir DIR' to create one, then 'mmm dashboard --dir DIR')`);
  const warehouse = await engine.open();
  try {
    return await loadDashboardData(warehouse, await resolveModel(warehouse, modelId), geoGroups);
  } finally {
    await warehouse.close();
  }
}
