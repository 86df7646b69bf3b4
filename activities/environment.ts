/**
 * What a worker's activities need from the machine they run on: the warehouse, where runs are stored
 * (a local directory, or Cloud Storage when workers span machines), and where dbt finds the raw exports. Credentials
 * and paths belong to the worker, not to workflow inputs.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { openRunStore, runsUriSchema } from '../src/run/storage/open-run-store.ts';
import type { RunStore } from '../src/run/storage/run-store.ts';
import type { RawExportsLocation } from '../src/warehouse/engine.ts';
import { warehouseConfigFromEnv, warehouseConfigSchema, warehouseEngine } from '../src/warehouse/open-warehouse.ts';

export const activityEnvironmentSchema = z
  .object({
    warehouse: warehouseConfigSchema,
    /** Parent folder of every run directory (<runsDir>/<run id>/) when runs are stored locally. */
    runsDir: z.string().min(1),
    /** gs://bucket/prefix: runs stored in Google Cloud Storage instead (src/run/storage/). */
    runsUri: runsUriSchema.optional(),
    /** The Cloud Storage API's base URL when it is not Google's (an emulator). */
    gcsEndpoint: z.url().optional(),
    /** DuckDB: folder of the raw export files dbt reads. */
    rawDir: z.string().min(1).optional(),
    /** BigQuery: dataset holding the loaded raw exports. */
    rawDataset: z.string().min(1).optional(),
    /** Where dbt writes target/ and logs/. */
    dbtWorkDir: z.string().min(1),
  })
  .strict();
export type ActivityEnvironment = z.infer<typeof activityEnvironmentSchema>;

/** MMM_RUNS_DIR (default .mmm/runs) or MMM_RUNS_URI with MMM_GCS_ENDPOINT, MMM_RAW_DIR, MMM_RAW_DATASET, MMM_DBT_WORK_DIR, plus the warehouse variables. */
export function activityEnvironmentFromEnv(env: NodeJS.ProcessEnv = process.env): ActivityEnvironment {
  return activityEnvironmentSchema.parse({
    warehouse: warehouseConfigFromEnv(env),
    runsDir: resolve(env.MMM_RUNS_DIR ?? join('.mmm', 'runs')),
    runsUri: env.MMM_RUNS_URI,
    gcsEndpoint: env.MMM_GCS_ENDPOINT,
    rawDir: env.MMM_RAW_DIR === undefined ? undefined : resolve(env.MMM_RAW_DIR),
    rawDataset: env.MMM_RAW_DATASET,
    dbtWorkDir: resolve(env.MMM_DBT_WORK_DIR ?? join('.mmm', 'dbt')),
  });
}

/** Where the worker's runs are stored: Cloud Storage when MMM_RUNS_URI is set, else the runs directory. */
export const runStore = (environment: ActivityEnvironment): RunStore => openRunStore(environment);

export class ActivityEnvironmentError extends Error {
  override readonly name = 'ActivityEnvironmentError';
}

/** Where dbt reads the raw exports: a folder for DuckDB, a dataset for BigQuery (the engine says which). */
export function rawExportsLocation(environment: ActivityEnvironment): RawExportsLocation {
  const location = warehouseEngine(environment.warehouse).rawExports(environment);
  if ('problem' in location) throw new ActivityEnvironmentError(location.problem);
  return location;
}
