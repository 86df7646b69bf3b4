/**
 * A Kysely dialect for DuckDB through @duckdb/node-api. kysely-duckdb (0.4.0) was evaluated first and
 * falls short: its driver reads DATE and TIMESTAMP as JS Dates at local midnight (a day early east of
 * UTC), returns DECIMAL as DuckDBDecimalValue objects and BIGINT as bigint, cannot bind Date
 * parameters and guesses affected-row counts from column names; and its type declarations resolve to
 * Kysely's CommonJS types, so its dialect does not type-check in this ESM project. This one returns
 * plain values (DATE as 'yyyy-mm-dd', TIMESTAMP[TZ] as ISO-8601 UTC, DECIMAL and integers as
 * numbers) and takes affected rows from DuckDB's own count. DuckDB's SQL is PostgreSQL-flavoured, so
 * Kysely's default compiler ("quoted" identifiers, $n parameters) serves unchanged.
 */
import {
  DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  type DuckDBInstance,
  DuckDBListValue,
  type DuckDBResultReader,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
  ResultReturnType,
} from '@duckdb/node-api';
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
  type TransactionSettings,
} from 'kysely';
import { InformationSchemaIntrospector } from '../information-schema-introspector.ts';

export class DuckDbValueError extends Error {
  constructor(column: string, detail: string) {
    super(`DuckDB column '${column}': ${detail}`);
    this.name = 'DuckDbValueError';
  }
}

type PlainValue = string | number | boolean | null | PlainValue[];

const MICROS_PER_MS = 1000n;

/** A DuckDB value as the warehouse's plain JS value. */
function plainValue(column: string, value: DuckDBValue): PlainValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new DuckDbValueError(column, `integer ${value} exceeds 2^53 and cannot be read exactly`);
    return n;
  }
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return new Date(Number(value.micros / MICROS_PER_MS)).toISOString();
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBListValue) return value.items.map((item) => plainValue(column, item));
  throw new DuckDbValueError(column, `values of type ${value.constructor.name} are not read by the warehouse`);
}

/** Kysely parameters as DuckDB binds them; Dates become ISO-8601 text that DuckDB casts on insert. */
function bindable(value: unknown): DuckDBValue {
  if (value instanceof Date) return value.toISOString();
  if (value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value)) return value as DuckDBValue;
  throw new TypeError(`cannot bind a parameter of type ${typeof value} to DuckDB`);
}

function toQueryResult<R>(result: DuckDBResultReader): QueryResult<R> {
  if (result.returnType === ResultReturnType.CHANGED_ROWS) {
    return { rows: [], numAffectedRows: BigInt(result.rowsChanged) };
  }
  const names = result.deduplicatedColumnNames();
  const rows = result.getRows().map((values) => Object.fromEntries(values.map((v, i) => [names[i], plainValue(names[i], v)])) as R);
  return { rows };
}

class NodeApiConnection implements DatabaseConnection {
  constructor(readonly connection: DuckDBConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.connection.runAndReadAll(query.sql, query.parameters.map(bindable));
    return toQueryResult<R>(result);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }
}

class NodeApiDriver implements Driver {
  constructor(private readonly instance: DuckDBInstance) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new NodeApiConnection(await DuckDBConnection.create(this.instance));
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel !== undefined || settings.accessMode !== undefined) {
      throw new Error('DuckDB transactions are always snapshot-isolated read-write; isolation level and access mode cannot be set');
    }
    await (connection as NodeApiConnection).connection.run('BEGIN TRANSACTION');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as NodeApiConnection).connection.run('COMMIT');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as NodeApiConnection).connection.run('ROLLBACK');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as NodeApiConnection).connection.closeSync();
  }

  /** The instance belongs to the caller (it may be shared); closing it is theirs. */
  async destroy(): Promise<void> {}
}

class DuckDbAdapter extends DialectAdapterBase {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  override get supportsReturning(): boolean {
    return true;
  }

  /** A DuckDB file has one writing process at a time; its file lock is the migration lock. */
  async acquireMigrationLock(): Promise<void> {}

  async releaseMigrationLock(): Promise<void> {}
}

export class DuckDbDialect implements Dialect {
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly schema: string,
  ) {}

  createDriver(): Driver {
    return new NodeApiDriver(this.instance);
  }

  createQueryCompiler(): QueryCompiler {
    return new DefaultQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new DuckDbAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new InformationSchemaIntrospector(db, this.schema, (view) => sql.raw(`information_schema.${view}`));
  }
}
