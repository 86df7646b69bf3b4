/** How the embedded DuckDB warehouse is configured, and from which environment variables. */
import { z } from 'zod';
import { type EngineVariables, sqlIdentifier } from '../engine.ts';

const DEFAULT_DUCKDB_PATH = '.mmm/warehouse.duckdb';

export const duckdbConfigSchema = z
  .object({
    engine: z.literal('duckdb'),
    /** Database file, or ':memory:'. */
    path: z.string().min(1).default(DEFAULT_DUCKDB_PATH),
    schema: sqlIdentifier.default('main'),
    /** Seconds an open waits for another process's lock on the file before it fails naming the holder (default 60). */
    lockTimeoutSeconds: z
      .number({ error: 'expected a number of seconds' })
      .nonnegative('expected a number of seconds, 0 or more')
      .optional(),
  })
  .strict();

export type DuckDbWarehouseConfig = z.infer<typeof duckdbConfigSchema>;

/**
 * MMM_DUCKDB_PATH (default .mmm/warehouse.duckdb under the working directory), MMM_DUCKDB_SCHEMA,
 * MMM_DUCKDB_LOCK_TIMEOUT (seconds to wait for another process's lock on the file, default 60).
 */
export const duckdbVariables: EngineVariables<DuckDbWarehouseConfig> = {
  path: { variable: 'MMM_DUCKDB_PATH' },
  schema: { variable: 'MMM_DUCKDB_SCHEMA' },
  lockTimeoutSeconds: { variable: 'MMM_DUCKDB_LOCK_TIMEOUT', parse: Number },
};
