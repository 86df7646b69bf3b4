/**
 * A Kysely dialect for BigQuery over @google-cloud/bigquery: Kysely compiles GoogleSQL (backquoted
 * identifiers, positional ? parameters) and the driver runs each statement as a query job. Rows come
 * back as plain values, as the DuckDB dialect returns them: DATE as 'yyyy-mm-dd', TIMESTAMP as
 * ISO-8601 UTC, NUMERIC and INT64 as numbers. BigQuery has no interactive transactions, so the
 * driver refuses them; the warehouse publishes with load jobs and single-statement MERGEs instead.
 */
import type { BigQuery, Job, Query } from '@google-cloud/bigquery';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  DefaultQueryCompiler,
  type Dialect,
  type DialectAdapter,
  DialectAdapterBase,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  sql,
} from 'kysely';
import { InformationSchemaIntrospector } from '../information-schema-introspector.ts';

class BigQueryQueryCompiler extends DefaultQueryCompiler {
  protected override getLeftIdentifierWrapper(): string {
    return '`';
  }

  protected override getRightIdentifierWrapper(): string {
    return '`';
  }

  protected override getCurrentParameterPlaceholder(): string {
    return '?';
  }

  protected override sanitizeIdentifier(identifier: string): string {
    return identifier.replaceAll('\\', '\\\\').replaceAll('`', '\\`');
  }
}

class BigQueryAdapter extends DialectAdapterBase {
  override get supportsTransactionalDdl(): boolean {
    return false;
  }

  override get supportsReturning(): boolean {
    return false;
  }

  async acquireMigrationLock(): Promise<void> {
    throw new Error('Kysely migrations are not used on BigQuery; the warehouse applies sql/bigquery/ with src/warehouse/migrate.ts');
  }

  async releaseMigrationLock(): Promise<void> {
    throw new Error('Kysely migrations are not used on BigQuery; the warehouse applies sql/bigquery/ with src/warehouse/migrate.ts');
  }
}

export class BigQueryValueError extends Error {
  constructor(column: string, detail: string) {
    super(`BigQuery column '${column}': ${detail}`);
    this.name = 'BigQueryValueError';
  }
}

interface SchemaField {
  name?: string;
  type?: string;
  mode?: string;
}
type PlainValue = string | number | boolean | null | PlainValue[];

/** The value the client parsed for a field of the given type, as a plain JS value. */
function plainValue(field: SchemaField, value: unknown): PlainValue {
  const column = field.name ?? '?';
  if (value === null || value === undefined) return null;
  if (field.mode === 'REPEATED' && Array.isArray(value)) return value.map((item) => plainValue({ ...field, mode: 'NULLABLE' }, item));
  switch (field.type) {
    case 'DATE':
    case 'DATETIME':
    case 'TIME':
    case 'TIMESTAMP':
      // The client wraps these in BigQueryDate/-Datetime/-Time/-Timestamp; TIMESTAMP's value is ISO-8601 UTC.
      return (value as { value: string }).value;
    case 'NUMERIC':
    case 'BIGNUMERIC':
    case 'INTEGER':
    case 'INT64':
    case 'FLOAT':
    case 'FLOAT64':
      return Number(String(value));
    case 'BOOLEAN':
    case 'BOOL':
    case 'STRING':
    case 'JSON':
      return value as string | boolean;
    default:
      throw new BigQueryValueError(column, `values of type ${field.type} are not read by the warehouse`);
  }
}

const DML_KINDS = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

class BigQueryConnection implements DatabaseConnection {
  constructor(
    private readonly client: BigQuery,
    private readonly location: string,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const params = query.parameters.map((p, i) => {
      if (p === null || p === undefined)
        throw new TypeError(
          `parameter ${i + 1} is NULL; BigQuery needs a type for NULL parameters, write IS NULL or a typed literal instead`,
        );
      return p instanceof Date ? p.toISOString() : p;
    });
    const request: Query = { query: query.sql, location: this.location, ...(params.length > 0 ? { params } : {}) };
    const [job] = await this.client.createQueryJob(request);
    const [rows, , response] = await job.getQueryResults({ autoPaginate: true });
    if (DML_KINDS.has(query.query.kind)) return { rows: [], numAffectedRows: await affectedRows(job) };
    const fields: SchemaField[] = response?.schema?.fields ?? [];
    return {
      rows: (rows as Record<string, unknown>[]).map(
        (row) => Object.fromEntries(fields.map((f) => [f.name, plainValue(f, row[f.name ?? ''])])) as R,
      ),
    };
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }
}

async function affectedRows(job: Job): Promise<bigint> {
  const [metadata] = await job.getMetadata();
  return BigInt(metadata?.statistics?.query?.numDmlAffectedRows ?? 0);
}

class BigQueryDriver implements Driver {
  constructor(
    private readonly client: BigQuery,
    private readonly location: string,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new BigQueryConnection(this.client, this.location);
  }

  async beginTransaction(): Promise<void> {
    throw new Error('BigQuery has no interactive transactions; write with a load job and one MERGE per table');
  }

  async commitTransaction(): Promise<void> {
    throw new Error('BigQuery has no interactive transactions');
  }

  async rollbackTransaction(): Promise<void> {
    throw new Error('BigQuery has no interactive transactions');
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

export class BigQueryDialect implements Dialect {
  constructor(
    private readonly client: BigQuery,
    private readonly dataset: string,
    private readonly location: string,
  ) {}

  createDriver(): Driver {
    return new BigQueryDriver(this.client, this.location);
  }

  createQueryCompiler(): QueryCompiler {
    return new BigQueryQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new BigQueryAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    const quoted = `\`${this.dataset.replaceAll('`', '\\`')}\``;
    return new InformationSchemaIntrospector(db, this.dataset, (view) => sql.raw(`${quoted}.INFORMATION_SCHEMA.${view.toUpperCase()}`));
  }
}
