/**
 * What every warehouse does the same way, written once over its Kysely schema: validating hand-overs,
 * extract, the current run, row counts and the promotion check. An engine (duckdb/, bigquery/)
 * supplies only what differs: how its migration history is applied, how a run's rows and a request's
 * rows are replaced (a transaction on DuckDB, staged MERGEs on BigQuery), promotion and closing.
 */
import type { Kysely } from 'kysely';
import type { MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import type { PlanSpendFile } from '../data/plan-spend-file.ts';
import { type ExtractSpec, extractPanel } from './extract.ts';
import { loadMigrations, type Migration, type MigrationReport } from './migrate.ts';
import type { Engine } from './sql-dialect.ts';
import { readPlanSpend } from './plan-spend.ts';
import { parsePlanRows, type PlanTableRows } from './plans.ts';
import {
  parseGeoRecommendationEvidence,
  parseGeoRecommendations,
  parseRecommendationEvidence,
  parseRecommendations,
  type RequestRows,
} from './recommendations.ts';
import { parseRunResults, rowCounts, type RunResults } from './run-results.ts';
import {
  type Database,
  type GeoRecommendationEvidenceRow,
  type GeoRecommendationRow,
  type RecommendationEvidenceRow,
  type RecommendationRow,
  RUN_TABLE_NAMES,
  type RunTable,
} from './tables.ts';
import { type PublishOptions, type PublishReport, PromotionError, PublishError, promotionBlocker, type Warehouse } from './warehouse.ts';

export abstract class SqlWarehouse implements Warehouse {
  abstract readonly engine: Engine;

  protected constructor(readonly db: Kysely<Database>) {}

  abstract checkWritable(): Promise<void>;
  abstract promote(modelId: string, runId: string): Promise<void>;
  abstract close(): Promise<void>;
  /** Applies the migrations of this engine's history that are still pending. */
  protected abstract applyMigrations(migrations: Migration[]): Promise<MigrationReport>;
  /** Writes a validated run: every run table and the run's row, marked published last; then promotes it when asked. */
  protected abstract writeRun(results: RunResults, promote: boolean): Promise<void>;
  /** Replaces whatever an earlier attempt of request `requestId` wrote to each slice's table by the slice's validated rows. */
  protected abstract replaceRequest(requestId: string, slices: readonly RequestRows[]): Promise<void>;
  /** Replaces whatever an earlier attempt of the plan wrote to the plan tables by these validated rows of one plan_id. */
  protected abstract replacePlan(rows: PlanTableRows): Promise<void>;

  /** Applies the pending migrations of the engine's history (sql/<engine>/ and sql/shared/ unless others are given). */
  migrate(migrations: Migration[] = loadMigrations(this.engine)): Promise<MigrationReport> {
    return this.applyMigrations(migrations);
  }

  extract(spec: ExtractSpec): Promise<Panel> {
    return extractPanel(this.db, spec);
  }

  readPlanSpend(config: MmmConfig, weeks: readonly string[], channels: readonly string[]): Promise<PlanSpendFile> {
    return readPlanSpend(this.db, config, weeks, channels);
  }

  async publish(input: RunResults, options: PublishOptions): Promise<PublishReport> {
    const results = parseRunResults(input);
    await this.writeRun(results, options.promote);
    return { runId: results.run.run_id, modelId: results.run.model_id, rows: rowCounts(results), promoted: options.promote };
  }

  async writeRecommendations(input: RecommendationRow[], evidence: RecommendationEvidenceRow[] = []): Promise<void> {
    const rows = parseRecommendations(input);
    await this.replaceRequest(rows[0].request_id, [
      { table: 'mmm_recommendations', rows },
      { table: 'mmm_recommendation_evidence', rows: parseRecommendationEvidence(evidence, rows) },
    ]);
  }

  async writeGeoRecommendations(input: GeoRecommendationRow[], evidence: GeoRecommendationEvidenceRow[] = []): Promise<void> {
    const rows = parseGeoRecommendations(input);
    await this.replaceRequest(rows[0].request_id, [
      { table: 'mmm_geo_recommendations', rows },
      { table: 'mmm_geo_recommendation_evidence', rows: parseGeoRecommendationEvidence(evidence, rows) },
    ]);
  }

  async writePlan(input: PlanTableRows): Promise<void> {
    await this.replacePlan(parsePlanRows(input));
  }

  async currentRun(modelId: string): Promise<string | null> {
    const row = await this.db.selectFrom('mmm_current').select('run_id').where('model_id', '=', modelId).executeTakeFirst();
    return row?.run_id ?? null;
  }

  async countRunRows(runId: string): Promise<Record<RunTable, number>> {
    const counts = await Promise.all(
      RUN_TABLE_NAMES.map(async (table) => {
        const row = await this.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('run_id', '=', runId)
          .executeTakeFirstOrThrow();
        return [table, Number(row.n)] as const;
      }),
    );
    return Object.fromEntries(counts) as Record<RunTable, number>;
  }
}

/** Throws PromotionError unless the run is published, succeeded and of this model (read through `db`, a transaction where the engine has one). */
export async function assertPromotable(db: Kysely<Database>, modelId: string, runId: string): Promise<void> {
  const run = await db.selectFrom('mmm_runs').select(['model_id', 'status', 'published_at']).where('run_id', '=', runId).executeTakeFirst();
  const blocker = promotionBlocker(run, modelId);
  if (blocker !== null) throw new PromotionError(modelId, runId, blocker);
}

/** Runs one table's write of a publish, naming the run and table when it fails. */
export async function writingTable<T>(runId: string, table: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw new PublishError(runId, table, { cause: error });
  }
}
