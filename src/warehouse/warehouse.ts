/**
 * One interface over both warehouses (DuckDB embedded, BigQuery in production), so that callers and
 * tests are written once. Publishing is idempotent by run_id; a run becomes current only through
 * promote, which requires every table of the run to have been written.
 */
import type { Kysely } from 'kysely';
import type { MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import type { PlanSpendFile } from '../data/plan-spend-file.ts';
import type { ExtractSpec } from './extract.ts';
import type { MigrationReport } from './migrate.ts';
import type { Engine } from './sql-dialect.ts';
import type { RunResults } from './run-results.ts';
import type { PlanTableRows } from './plans.ts';
import type {
  Database,
  GeoRecommendationEvidenceRow,
  GeoRecommendationRow,
  RecommendationEvidenceRow,
  RecommendationRow,
  RunTable,
} from './tables.ts';

export interface PublishOptions {
  /** Make the run current for its model once every table is written (the caller's gates passed). */
  promote: boolean;
}

export interface PublishReport {
  runId: string;
  modelId: string;
  rows: Record<RunTable, number>;
  promoted: boolean;
}

export interface Warehouse {
  readonly engine: Engine;
  /** Typed Kysely over the warehouse's schema (dataset on BigQuery), for reads and BI-style queries. */
  readonly db: Kysely<Database>;
  /** Applies the pending migrations of sql/<engine>/ and sql/shared/. */
  migrate(): Promise<MigrationReport>;
  /**
   * Fails unless the migrated output tables take writes now (DuckDB: this process holds the file
   * lock; BigQuery: a no-op DML statement is allowed), so a retrain is refused before its fit rather
   * than at publish after it.
   */
  checkWritable(): Promise<void>;
  /** The model input from the dbt marts, validated as the CSV path validates. */
  extract(spec: ExtractSpec): Promise<Panel>;
  /**
   * Custom flighting's weekly spend of `channels` over the horizon `weeks` from mmm_input_plan_spend, summed over
   * geos, checked as a plan spend file is (src/warehouse/plan-spend.ts).
   */
  readPlanSpend(config: MmmConfig, weeks: readonly string[], channels: readonly string[]): Promise<PlanSpendFile>;
  /**
   * Writes the run's row and every run table, replacing whatever an earlier attempt of the same
   * run_id wrote; then marks the run published and, if asked, promotes it. A failure part-way
   * leaves the current run current.
   */
  publish(results: RunResults, options: PublishOptions): Promise<PublishReport>;
  /** Makes a published, succeeded run the current run of its model. */
  promote(modelId: string, runId: string): Promise<void>;
  /** The current run of a model, or null before its first promotion. */
  currentRun(modelId: string): Promise<string | null>;
  /**
   * Writes one optimisation request's rows and their evidence rows (one per recommendation row, or none),
   * replacing an earlier attempt of the same request_id in both tables.
   */
  writeRecommendations(rows: RecommendationRow[], evidence?: RecommendationEvidenceRow[]): Promise<void>;
  /**
   * Writes one optimisation request's rows by market and their evidence rows (one per (geo, channel) row, or none),
   * replacing an earlier attempt of the same request_id in both tables.
   */
  writeGeoRecommendations(rows: GeoRecommendationRow[], evidence?: GeoRecommendationEvidenceRow[]): Promise<void>;
  /** Writes one answered plan's rows to the plan tables, replacing an earlier attempt of the same plan_id. */
  writePlan(rows: PlanTableRows): Promise<void>;
  /** Rows per run table for a run (0 where none). */
  countRunRows(runId: string): Promise<Record<RunTable, number>>;
  close(): Promise<void>;
}

export class PromotionError extends Error {
  constructor(
    readonly modelId: string,
    readonly runId: string,
    reason: string,
  ) {
    super(`cannot promote run '${runId}' of model '${modelId}': ${reason}`);
    this.name = 'PromotionError';
  }
}

export class PublishError extends Error {
  constructor(
    readonly runId: string,
    readonly table: string,
    options: { cause: unknown },
  ) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`publishing run '${runId}' failed while writing ${table}: ${detail}`, options);
    this.name = 'PublishError';
  }
}

/** Why a run cannot become current, or null when it can. */
export function promotionBlocker(
  run: { model_id: string; status: string; published_at: string | null } | undefined,
  modelId: string,
): string | null {
  if (run === undefined) return 'no such run in mmm_runs';
  if (run.model_id !== modelId) return `the run belongs to model '${run.model_id}'`;
  if (run.published_at === null) return 'not every table of the run was written (published_at is empty)';
  if (run.status !== 'succeeded') return `its status is '${run.status}', not 'succeeded'`;
  return null;
}
