/**
 * The embedded warehouse: one DuckDB file (default .mmm/warehouse.duckdb). A publish is one
 * transaction (delete the run's rows, insert the new ones, mark published, promote), so a failure
 * anywhere leaves no trace of the attempt. Every open in a process shares the process's one instance
 * of the file, and writes (publish, promote, migrate, recommendations) run one at a time
 * (duckdb-file.ts).
 */
import { type Insertable, Kysely, sql, type Transaction } from 'kysely';
import { type Migration, type MigrationReport, MIGRATIONS_TABLE, runMigrations } from '../migrate.ts';
import { runRow, type RunResults } from '../run-results.ts';
import type { PlanTableRows } from '../plans.ts';
import { assertPromotable, SqlWarehouse, writingTable } from '../sql-warehouse.ts';
import type { RequestRows } from '../recommendations.ts';
import { type Database, PLAN_TABLE_NAMES, RUN_TABLE_NAMES, type RunTable } from '../tables.ts';
import type { DuckDbWarehouseConfig } from './config.ts';
import { type DuckDbFileLease, leaseDuckDbFile } from './duckdb-file.ts';
import { DuckDbDialect } from './kysely-dialect.ts';

/** Rows per INSERT statement: large enough to amortise parsing, small enough for DuckDB's parameter binding. */
const INSERT_CHUNK = 1000;

export class DuckDbWarehouse extends SqlWarehouse {
  readonly engine = 'duckdb';

  private constructor(
    private readonly file: DuckDbFileLease,
    private readonly root: Kysely<Database>,
    private readonly schema: string,
  ) {
    super(root.withSchema(schema));
  }

  /** Waits up to config.lockTimeoutSeconds while another process holds the file; a WarehouseLockedError names it after that. */
  static async open(config: DuckDbWarehouseConfig): Promise<DuckDbWarehouse> {
    const file = await leaseDuckDbFile(config.path, { lockTimeoutSeconds: config.lockTimeoutSeconds });
    return new DuckDbWarehouse(file, new Kysely<Database>({ dialect: new DuckDbDialect(file.instance, config.schema) }), config.schema);
  }

  /** The file is this process's (its lock is held while the instance is open); a no-op delete proves the output tables take writes. */
  async checkWritable(): Promise<void> {
    await this.file.serializeWrite(() =>
      this.root.transaction().execute(async (root) => {
        await root
          .withSchema(this.schema)
          .deleteFrom('mmm_runs')
          .where(sql<boolean>`false`)
          .execute();
      }),
    );
  }

  protected applyMigrations(migrations: Migration[]): Promise<MigrationReport> {
    const schemaRef = `"${this.schema.replaceAll('"', '""')}"`;
    const history = sql.table(`${this.schema}.${MIGRATIONS_TABLE}`);
    return this.file.serializeWrite(() =>
      runMigrations(
        {
          schemaRef,
          ensureHistoryTable: async () => {
            await sql`create schema if not exists ${sql.id(this.schema)}`.execute(this.root);
            await sql`create table if not exists ${history} (version integer not null, name varchar not null, checksum varchar not null, applied_at timestamptz not null)`.execute(
              this.root,
            );
          },
          appliedMigrations: async () =>
            (await sql<{ version: number; checksum: string }>`select version, checksum from ${history} order by version`.execute(this.root))
              .rows,
          apply: (migration, statements) =>
            this.root.transaction().execute(async (trx) => {
              for (const statement of statements) await sql.raw(statement).execute(trx);
              await sql`insert into ${history} values (${migration.version}, ${migration.name}, ${migration.checksum}, current_timestamp)`.execute(
                trx,
              );
            }),
        },
        migrations,
      ),
    );
  }

  /** One transaction: a failure anywhere leaves no trace of the attempt. */
  protected async writeRun(results: RunResults, promote: boolean): Promise<void> {
    const { run_id: runId, model_id: modelId } = results.run;
    await this.file.serializeWrite(() =>
      this.root.transaction().execute(async (root) => {
        const trx = root.withSchema(this.schema);
        for (const table of RUN_TABLE_NAMES) await writingTable(runId, table, () => replaceRunRows(trx, table, runId, results[table]));
        await trx.deleteFrom('mmm_runs').where('run_id', '=', runId).execute();
        await trx
          .insertInto('mmm_runs')
          .values({ ...runRow(results.run), published_at: new Date().toISOString() })
          .execute();
        if (promote) await promoteWithin(trx, modelId, runId);
      }),
    );
  }

  async promote(modelId: string, runId: string): Promise<void> {
    await this.file.serializeWrite(() =>
      this.root.transaction().execute((root) => promoteWithin(root.withSchema(this.schema), modelId, runId)),
    );
  }

  protected async replaceRequest(requestId: string, slices: readonly RequestRows[]): Promise<void> {
    await this.file.serializeWrite(() =>
      this.root.transaction().execute(async (root) => {
        const trx = root.withSchema(this.schema);
        for (const { table, rows } of slices) {
          await trx.deleteFrom(table).where('request_id', '=', requestId).execute();
          for (let i = 0; i < rows.length; i += INSERT_CHUNK)
            await trx
              .insertInto(table)
              .values(rows.slice(i, i + INSERT_CHUNK))
              .execute();
        }
      }),
    );
  }

  protected async replacePlan(rows: PlanTableRows): Promise<void> {
    const planId = rows.mmm_plan_scenarios[0].plan_id;
    await this.file.serializeWrite(() =>
      this.root.transaction().execute(async (root) => {
        const trx = root.withSchema(this.schema);
        for (const table of PLAN_TABLE_NAMES) {
          await trx.deleteFrom(table).where('plan_id', '=', planId).execute();
          for (let i = 0; i < rows[table].length; i += INSERT_CHUNK)
            await trx
              .insertInto(table)
              .values(rows[table].slice(i, i + INSERT_CHUNK))
              .execute();
        }
      }),
    );
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
async function replaceRunRows<T extends RunTable>(
  trx: Transaction<Database>,
  table: T,
  runId: string,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  const target: RunTable = table;
  await trx.deleteFrom(target).where('run_id', '=', runId).execute();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  }
}

async function promoteWithin(trx: Transaction<Database>, modelId: string, runId: string): Promise<void> {
  await assertPromotable(trx, modelId, runId);
  await trx.deleteFrom('mmm_current').where('model_id', '=', modelId).execute();
  await trx.insertInto('mmm_current').values({ model_id: modelId, run_id: runId, promoted_at: new Date().toISOString() }).execute();
}
