/**
 * The embedded warehouse: one DuckDB file (default .mmm/warehouse.duckdb). A publish is one
 * transaction (delete the run's rows, insert the new ones, mark published, promote), so a failure
 * anywhere leaves no trace of the attempt. Every open in a process shares the process's one instance
 * of the file, and writes (publish, promote, migrate, recommendations) run one at a time
 * (duckdb-file.ts).
 */
import { type Insertable, Kysely, sql, type Transaction } from 'kysely';
import type { Panel } from '../../data/panel.ts';
import { type ExtractSpec, extractPanel } from '../extract.ts';
import { loadMigrations, type MigrationReport, MIGRATIONS_TABLE, runMigrations } from '../migrate.ts';
import { parseRecommendations } from '../recommendations.ts';
import { parseRunResults, rowCounts, type RunResults, runRow } from '../run-results.ts';
import { type Database, type RecommendationRow, RUN_TABLE_NAMES, type RunTable } from '../tables.ts';
import { type PublishOptions, type PublishReport, PromotionError, PublishError, promotionBlocker, type Warehouse } from '../warehouse.ts';
import { type DuckDbFileLease, leaseDuckDbFile } from './duckdb-file.ts';
import { DuckDbDialect } from './kysely-dialect.ts';

export interface DuckDbWarehouseConfig {
  engine: 'duckdb';
  /** Database file, or ':memory:'. */
  path: string;
  schema: string;
  /** Seconds to wait for another process's lock on the file (MMM_DUCKDB_LOCK_TIMEOUT; default 60). */
  lockTimeoutSeconds?: number;
}

/** Rows per INSERT statement: large enough to amortise parsing, small enough for DuckDB's parameter binding. */
const INSERT_CHUNK = 1000;

export class DuckDbWarehouse implements Warehouse {
  readonly engine = 'duckdb';
  readonly db: Kysely<Database>;

  private constructor(private readonly file: DuckDbFileLease, private readonly root: Kysely<Database>, private readonly schema: string) {
    this.db = root.withSchema(schema);
  }

  /** Waits up to config.lockTimeoutSeconds while another process holds the file; a WarehouseLockedError names it after that. */
  static async open(config: DuckDbWarehouseConfig): Promise<DuckDbWarehouse> {
    const file = await leaseDuckDbFile(config.path, { lockTimeoutSeconds: config.lockTimeoutSeconds });
    return new DuckDbWarehouse(file, new Kysely<Database>({ dialect: new DuckDbDialect(file.instance, config.schema) }), config.schema);
  }

  migrate(): Promise<MigrationReport> {
    return this.file.serializeWrite(() => this.runMigrations());
  }

  /** The file is this process's (its lock is held while the instance is open); a no-op delete proves the output tables take writes. */
  async checkWritable(): Promise<void> {
    await this.file.serializeWrite(() => this.root.transaction().execute(async (root) => {
      await root.withSchema(this.schema).deleteFrom('mmm_runs').where(sql<boolean>`false`).execute();
    }));
  }

  private async runMigrations(): Promise<MigrationReport> {
    const schemaRef = `"${this.schema.replaceAll('"', '""')}"`;
    const history = sql.table(`${this.schema}.${MIGRATIONS_TABLE}`);
    return runMigrations({
      schemaRef,
      ensureHistoryTable: async () => {
        await sql`create schema if not exists ${sql.id(this.schema)}`.execute(this.root);
        await sql`create table if not exists ${history} (version integer not null, name varchar not null, checksum varchar not null, applied_at timestamptz not null)`.execute(this.root);
      },
      appliedMigrations: async () => (await sql<{ version: number; checksum: string }>`select version, checksum from ${history} order by version`.execute(this.root)).rows,
      apply: (migration, statements) => this.root.transaction().execute(async (trx) => {
        for (const statement of statements) await sql.raw(statement).execute(trx);
        await sql`insert into ${history} values (${migration.version}, ${migration.name}, ${migration.checksum}, current_timestamp)`.execute(trx);
      }),
    }, loadMigrations('duckdb'));
  }

  extract(spec: ExtractSpec): Promise<Panel> {
    return extractPanel(this.db, spec);
  }

  async publish(input: RunResults, options: PublishOptions): Promise<PublishReport> {
    const results = parseRunResults(input);
    const { run_id: runId, model_id: modelId } = results.run;
    await this.file.serializeWrite(() => this.root.transaction().execute(async (root) => {
      const trx = root.withSchema(this.schema);
      for (const table of RUN_TABLE_NAMES) {
        try {
          await replaceRunRows(trx, table, runId, results[table]);
        } catch (error) {
          throw new PublishError(runId, table, { cause: error });
        }
      }
      await trx.deleteFrom('mmm_runs').where('run_id', '=', runId).execute();
      await trx.insertInto('mmm_runs').values({ ...runRow(results.run), published_at: new Date().toISOString() }).execute();
      if (options.promote) await promoteWithin(trx, modelId, runId);
    }));
    return { runId, modelId, rows: rowCounts(results), promoted: options.promote };
  }

  async promote(modelId: string, runId: string): Promise<void> {
    await this.file.serializeWrite(() => this.root.transaction().execute((root) => promoteWithin(root.withSchema(this.schema), modelId, runId)));
  }

  async currentRun(modelId: string): Promise<string | null> {
    const row = await this.db.selectFrom('mmm_current').select('run_id').where('model_id', '=', modelId).executeTakeFirst();
    return row?.run_id ?? null;
  }

  async writeRecommendations(input: RecommendationRow[]): Promise<void> {
    const rows = parseRecommendations(input);
    await this.file.serializeWrite(() => this.root.transaction().execute(async (root) => {
      const trx = root.withSchema(this.schema);
      await trx.deleteFrom('mmm_recommendations').where('request_id', '=', rows[0].request_id).execute();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto('mmm_recommendations').values(rows.slice(i, i + INSERT_CHUNK)).execute();
    }));
  }

  async countRunRows(runId: string): Promise<Record<RunTable, number>> {
    const counts = await Promise.all(RUN_TABLE_NAMES.map(async (table) => {
      const row = await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow();
      return [table, Number(row.n)] as const;
    }));
    return Object.fromEntries(counts) as Record<RunTable, number>;
  }

  async close(): Promise<void> {
    try {
      await this.root.destroy();
    } finally {
      this.file.release();
    }
  }
}

/** Deletes whatever an earlier attempt of the run wrote to the table and inserts the rows. */
async function replaceRunRows<T extends RunTable>(trx: Transaction<Database>, table: T, runId: string, rows: Insertable<Database[T]>[]): Promise<void> {
  const target: RunTable = table;
  await trx.deleteFrom(target).where('run_id', '=', runId).execute();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx.insertInto(table).values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }
}

async function promoteWithin(trx: Transaction<Database>, modelId: string, runId: string): Promise<void> {
  const run = await trx.selectFrom('mmm_runs').select(['model_id', 'status', 'published_at']).where('run_id', '=', runId).executeTakeFirst();
  const blocker = promotionBlocker(run, modelId);
  if (blocker !== null) throw new PromotionError(modelId, runId, blocker);
  await trx.deleteFrom('mmm_current').where('model_id', '=', modelId).execute();
  await trx.insertInto('mmm_current').values({ model_id: modelId, run_id: runId, promoted_at: new Date().toISOString() }).execute();
}
