/**
 * What a worker's activities need from the machine they run on: the warehouse, where run directories
 * live (shared storage when workers span machines), and where dbt finds the raw exports. Credentials
 * and paths belong to the worker, not to workflow inputs.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { warehouseConfigFromEnv, warehouseConfigSchema } from '../src/warehouse/open-warehouse.ts';

export const activityEnvironmentSchema = z.object({
  warehouse: warehouseConfigSchema,
  /** Parent folder of every run directory (<runsDir>/<run id>/). */
  runsDir: z.string().min(1),
  /** DuckDB: folder of the raw export files dbt reads. */
  rawDir: z.string().min(1).optional(),
  /** BigQuery: dataset holding the loaded raw exports. */
  rawDataset: z.string().min(1).optional(),
  /** Where dbt writes target/ and logs/. */
  dbtWorkDir: z.string().min(1),
}).strict();
export type ActivityEnvironment = z.infer<typeof activityEnvironmentSchema>;

/** MMM_RUNS_DIR (default .mmm/runs), MMM_RAW_DIR, MMM_RAW_DATASET, MMM_DBT_WORK_DIR, plus the warehouse variables. */
export function activityEnvironmentFromEnv(env: NodeJS.ProcessEnv = process.env): ActivityEnvironment {
  return activityEnvironmentSchema.parse({
    warehouse: warehouseConfigFromEnv(env),
    runsDir: resolve(env.MMM_RUNS_DIR ?? join('.mmm', 'runs')),
    rawDir: env.MMM_RAW_DIR === undefined ? undefined : resolve(env.MMM_RAW_DIR),
    rawDataset: env.MMM_RAW_DATASET,
    dbtWorkDir: resolve(env.MMM_DBT_WORK_DIR ?? join('.mmm', 'dbt')),
  });
}

export const runDirectory = (environment: ActivityEnvironment, runId: string): string => join(environment.runsDir, runId);

export class ActivityEnvironmentError extends Error {
  override readonly name = 'ActivityEnvironmentError';
}

/** Where dbt reads the raw exports: a folder for DuckDB, a dataset for BigQuery. */
export function rawExportsLocation(environment: ActivityEnvironment): { rawDir: string; rawDataset?: string } {
  if (environment.warehouse.engine === 'bigquery') {
    if (environment.rawDataset === undefined) throw new ActivityEnvironmentError('MMM_RAW_DATASET is not set: dbt on BigQuery reads the raw exports from that dataset');
    return { rawDir: environment.rawDir ?? '', rawDataset: environment.rawDataset };
  }
  if (environment.rawDir === undefined) throw new ActivityEnvironmentError('MMM_RAW_DIR is not set: dbt on DuckDB reads the raw export files from that folder');
  return { rawDir: environment.rawDir };
}
