/**
 * Which warehouse to use and how to reach it. Read from the environment with the same variables the
 * dbt profile (dbt/profiles.yml) reads, so the product and dbt always point at the same place.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { BigQueryWarehouse } from './bigquery/bigquery-warehouse.ts';
import { DuckDbWarehouse } from './duckdb/duckdb-warehouse.ts';
import type { Warehouse } from './warehouse.ts';

export const DEFAULT_DUCKDB_PATH = '.mmm/warehouse.duckdb';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and underscores, not starting with a digit');

export const warehouseConfigSchema = z.discriminatedUnion('engine', [
  z.object({
    engine: z.literal('duckdb'),
    path: z.string().min(1).default(DEFAULT_DUCKDB_PATH),
    schema: identifier.default('main'),
    /** Seconds an open waits for another process's lock on the file before it fails naming the holder (default 60). */
    lockTimeoutSeconds: z.number({ error: 'expected a number of seconds' }).nonnegative('expected a number of seconds, 0 or more').optional(),
  }).strict(),
  z.object({
    engine: z.literal('bigquery'),
    projectId: z.string().min(1),
    dataset: identifier.default('mmm'),
    location: z.string().min(1).default('US'),
    apiEndpoint: z.url().optional(),
    auth: z.enum(['application-default', 'none']).default('application-default'),
  }).strict(),
]);

export type WarehouseConfig = z.infer<typeof warehouseConfigSchema>;

export class WarehouseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseConfigError';
  }
}

/**
 * MMM_WAREHOUSE = duckdb (default) | bigquery;
 * DuckDB: MMM_DUCKDB_PATH (default .mmm/warehouse.duckdb under the working directory), MMM_DUCKDB_SCHEMA,
 * MMM_DUCKDB_LOCK_TIMEOUT (seconds to wait for another process's lock on the file, default 60);
 * BigQuery: MMM_BIGQUERY_PROJECT (required), MMM_BIGQUERY_DATASET, MMM_BIGQUERY_LOCATION,
 * MMM_BIGQUERY_API_ENDPOINT, MMM_BIGQUERY_AUTH (application-default | none).
 */
export function warehouseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WarehouseConfig {
  const engine = env.MMM_WAREHOUSE ?? 'duckdb';
  const candidate = engine === 'bigquery'
    ? {
      engine, projectId: env.MMM_BIGQUERY_PROJECT, dataset: env.MMM_BIGQUERY_DATASET, location: env.MMM_BIGQUERY_LOCATION,
      apiEndpoint: env.MMM_BIGQUERY_API_ENDPOINT, auth: env.MMM_BIGQUERY_AUTH,
    }
    : {
      engine, path: env.MMM_DUCKDB_PATH, schema: env.MMM_DUCKDB_SCHEMA,
      lockTimeoutSeconds: env.MMM_DUCKDB_LOCK_TIMEOUT === undefined ? undefined : Number(env.MMM_DUCKDB_LOCK_TIMEOUT),
    };
  const parsed = warehouseConfigSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const variable = (path: PropertyKey[]): string => ({
      engine: 'MMM_WAREHOUSE', path: 'MMM_DUCKDB_PATH', schema: 'MMM_DUCKDB_SCHEMA', lockTimeoutSeconds: 'MMM_DUCKDB_LOCK_TIMEOUT', projectId: 'MMM_BIGQUERY_PROJECT', dataset: 'MMM_BIGQUERY_DATASET',
      location: 'MMM_BIGQUERY_LOCATION', apiEndpoint: 'MMM_BIGQUERY_API_ENDPOINT', auth: 'MMM_BIGQUERY_AUTH',
    } as Record<string, string>)[String(path[0])] ?? String(path[0]);
    const given = (name: string): string => (env[name] === undefined ? '' : ` (it is '${env[name]}')`);
    throw new WarehouseConfigError(parsed.error.issues.map((i) => `${variable(i.path)}: ${i.message}${given(variable(i.path))}`).join('; '));
  }
  return parsed.data;
}

export async function openWarehouse(config: WarehouseConfig): Promise<Warehouse> {
  return config.engine === 'duckdb'
    ? DuckDbWarehouse.open({ ...config, path: config.path === ':memory:' ? config.path : resolve(config.path) })
    : BigQueryWarehouse.open(config);
}
