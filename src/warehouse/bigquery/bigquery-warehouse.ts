/**
 * The production warehouse: a BigQuery dataset. BigQuery has no interactive transactions, so each
 * table's rows of a run are replaced atomically on their own: a load job writes them to a staging
 * table, then one MERGE deletes the run's old rows and inserts the staged ones. The run row is
 * written first (published_at empty) and marked published last; only then can the run be promoted,
 * so rows of a publish that failed part-way stay out of the v_current_* views.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery, type TableField } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';
import { Kysely, sql } from 'kysely';
import { type Migration, type MigrationReport, MIGRATIONS_TABLE, runMigrations } from '../migrate.ts';
import { type RunResults, runRow } from '../run-results.ts';
import type { PlanTableRows } from '../plans.ts';
import { assertPromotable, SqlWarehouse, writingTable } from '../sql-warehouse.ts';
import type { RequestRows } from '../recommendations.ts';
import { columnsOf, type Database, type OutputTable, PLAN_TABLE_NAMES, RUN_TABLE_NAMES } from '../tables.ts';
import type { BigQueryWarehouseConfig } from './config.ts';
import { BigQueryDialect } from './kysely-dialect.ts';

export class BigQueryWarehouse extends SqlWarehouse {
  readonly engine = 'bigquery';
  private readonly schemas = new Map<OutputTable, TableField[]>();

  private constructor(
    private readonly client: BigQuery,
    private readonly root: Kysely<Database>,
    private readonly config: BigQueryWarehouseConfig,
  ) {
    super(root.withSchema(config.dataset));
  }

  static async open(config: BigQueryWarehouseConfig): Promise<BigQueryWarehouse> {
    const client = new BigQuery({
      projectId: config.projectId,
      location: config.location,
      ...(config.apiEndpoint === undefined ? {} : { apiEndpoint: config.apiEndpoint }),
      ...(config.auth === 'none' ? { authClient: new PassThroughClient() } : {}),
    });
    const root = new Kysely<Database>({ dialect: new BigQueryDialect(client, config.dataset, config.location) });
    return new BigQueryWarehouse(client, root, config);
  }

  private table(name: string) {
    return sql.table(`${this.config.dataset}.${name}`);
  }

  protected async applyMigrations(migrations: Migration[]): Promise<MigrationReport> {
    const history = this.table(MIGRATIONS_TABLE);
    return runMigrations(
      {
        schemaRef: `\`${this.config.dataset}\``,
        ensureHistoryTable: async () => {
          await this.client.dataset(this.config.dataset, { location: this.config.location }).get({ autoCreate: true });
          await sql`create table if not exists ${history} (version int64 not null, name string not null, checksum string not null, applied_at timestamp not null)`.execute(
            this.root,
          );
        },
        appliedMigrations: async () =>
          (await sql<{ version: number; checksum: string }>`select version, checksum from ${history} order by version`.execute(this.root))
            .rows,
        // Statements run one by one (BigQuery DDL is not transactional); each is idempotent (if not exists / or replace).
        apply: async (migration, statements) => {
          for (const statement of statements) await sql.raw(statement).execute(this.root);
          await sql`insert into ${history} (version, name, checksum, applied_at) values (${migration.version}, ${migration.name}, ${migration.checksum}, current_timestamp())`.execute(
            this.root,
          );
        },
      },
      migrations,
    );
  }

  /** A DML statement that changes nothing: BigQuery checks the dataset, the table and the identity's write permission. */
  async checkWritable(): Promise<void> {
    await sql`delete from ${this.table('mmm_runs')} where false`.execute(this.root);
  }

  /** The run row first (published_at empty), each run table replaced on its own, the run marked published last. */
  protected async writeRun(results: RunResults, promote: boolean): Promise<void> {
    const { run_id: runId, model_id: modelId } = results.run;
    const write = (table: OutputTable, rows: object[]) => writingTable(runId, table, () => this.replaceSlice(table, 'run_id', runId, rows));
    await write('mmm_runs', [runRow(results.run)]);
    for (const table of RUN_TABLE_NAMES) await write(table, results[table]);
    await this.db
      .updateTable('mmm_runs')
      .set({ published_at: sql<string>`current_timestamp()` })
      .where('run_id', '=', runId)
      .execute();
    if (promote) await this.promote(modelId, runId);
  }

  async promote(modelId: string, runId: string): Promise<void> {
    await assertPromotable(this.db, modelId, runId);
    await sql`
      merge ${this.table('mmm_current')} as t
      using (select ${modelId} as model_id, ${runId} as run_id, current_timestamp() as promoted_at) as s
      on t.model_id = s.model_id
      when matched then update set run_id = s.run_id, promoted_at = s.promoted_at
      when not matched then insert (model_id, run_id, promoted_at) values (s.model_id, s.run_id, s.promoted_at)`.execute(this.root);
  }

  protected async replaceRequest(requestId: string, slices: readonly RequestRows[]): Promise<void> {
    for (const { table, rows } of slices) await this.replaceSlice(table, 'request_id', requestId, rows);
  }

  protected async replacePlan(rows: PlanTableRows): Promise<void> {
    const planId = rows.mmm_plan_scenarios[0].plan_id;
    for (const table of PLAN_TABLE_NAMES) await this.replaceSlice(table, 'plan_id', planId, rows[table]);
  }

  async close(): Promise<void> {
    await this.root.destroy();
  }

  /** Replaces the rows of `table` whose `key` column equals `value` by `rows`, in one MERGE. */
  private async replaceSlice(table: OutputTable, key: string, value: string, rows: object[]): Promise<void> {
    if (rows.length === 0) {
      await sql`delete from ${this.table(table)} where ${sql.ref(key)} = ${value}`.execute(this.root);
      return;
    }
    const stage = `_mmm_stage_${table}_${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
    await this.load(table, stage, rows);
    try {
      const columns = columnsOf(table);
      await sql`
        merge ${this.table(table)} as t
        using ${this.table(stage)} as s
        on false
        when not matched by source and ${sql.ref(`t.${key}`)} = ${value} then delete
        when not matched then insert (${sql.join(columns.map((c) => sql.ref(c)))}) values (${sql.join(columns.map((c) => sql.ref(`s.${c}`)))})`.execute(
        this.root,
      );
    } finally {
      await this.client.dataset(this.config.dataset).table(stage).delete({ ignoreNotFound: true });
    }
  }

  /** Loads rows into a staging table shaped like `table` (a load job: no streaming buffer, no DML quota). */
  private async load(table: OutputTable, stage: string, rows: object[]): Promise<void> {
    const fields = await this.fieldsOf(table);
    const dir = mkdtempSync(join(tmpdir(), 'mmm-bq-load-'));
    try {
      const file = join(dir, `${stage}.ndjson`);
      writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n'));
      await this.client.dataset(this.config.dataset).table(stage).load(file, {
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        schema: { fields },
        createDisposition: 'CREATE_IF_NEEDED',
        writeDisposition: 'WRITE_TRUNCATE',
        location: this.config.location,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async fieldsOf(table: OutputTable): Promise<TableField[]> {
    const cached = this.schemas.get(table);
    if (cached !== undefined) return cached;
    const [metadata] = await this.client.dataset(this.config.dataset).table(table).getMetadata();
    const fields: TableField[] = metadata.schema?.fields ?? [];
    this.schemas.set(table, fields);
    return fields;
  }
}
