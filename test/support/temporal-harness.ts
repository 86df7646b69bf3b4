/**
 * A real Temporal dev server (the project's `temporal` CLI through TestWorkflowEnvironment.createLocal),
 * demo raw exports with a known truth, and a DuckDB file warehouse in a temporary folder: what every
 * workflow test starts from.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { generateDemoData } from '../../src/demo-data/generate.ts';
import type { ActivityEnvironment } from '../../activities/environment.ts';
import { temporalCliPath } from '../../src/orchestration/dev-server.ts';
import { buildWorkflowBundle } from '../../src/orchestration/worker.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { REPO_ROOT } from './reference-data.ts';

export const DEMO_CONFIG = join(REPO_ROOT, 'examples', 'demo.json');
/** Enough draws for the demo model to pass its diagnostics, few enough for a test. */
export const TEST_SAMPLER = { chains: 4, warmup: 300, draws: 300, seed: 3 } as const;

/**
 * The bound on every workflow test and hook: they wait for states (a workflow's result, a worker's
 * exit) by polling or awaiting, and this only stops a test that hangs. Generous, so that the suite
 * passes on a loaded machine (acceptance: with a CPU burner on every core).
 */
export const WORKFLOW_TEST_TIMEOUT_MS = 30 * 60_000;

export interface TemporalHarness {
  env: TestWorkflowEnvironment;
  dir: string;
  environment: ActivityEnvironment;
  workflowBundle: { code: string };
  /** The environment of an `mmm worker` child process on this server, warehouse file and folders. */
  workerProcessEnv(): NodeJS.ProcessEnv;
  /** Opens the warehouse, runs `use`, closes it (DuckDB allows one writer process at a time). */
  withWarehouse<T>(use: (warehouse: Warehouse) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startTemporalHarness(prefix: string): Promise<TemporalHarness> {
  const dir = mkdtempSync(join(tmpdir(), `mmm-${prefix}-`));
  const demo = generateDemoData({ outDir: join(dir, 'demo'), seed: 11 });
  const environment: ActivityEnvironment = {
    warehouse: { engine: 'duckdb', path: join(dir, 'warehouse.duckdb'), schema: 'main' },
    runsDir: join(dir, 'runs'),
    rawDir: demo.rawDir,
    dbtWorkDir: join(dir, 'dbt'),
  };
  const [env, code] = await Promise.all([
    TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: temporalCliPath() } } }),
    buildWorkflowBundle(),
  ]);
  return {
    env,
    dir,
    environment,
    workflowBundle: { code },
    workerProcessEnv: () => ({
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      MMM_WAREHOUSE: 'duckdb',
      MMM_DUCKDB_PATH: join(dir, 'warehouse.duckdb'),
      MMM_RUNS_DIR: environment.runsDir,
      MMM_RAW_DIR: environment.rawDir,
      MMM_DBT_WORK_DIR: environment.dbtWorkDir,
    }),
    async withWarehouse(use) {
      const warehouse = await openWarehouse(environment.warehouse);
      try {
        return await use(warehouse);
      } finally {
        await warehouse.close();
      }
    },
    async close() {
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
