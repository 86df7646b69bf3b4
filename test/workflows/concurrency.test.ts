/**
 * Acceptance (issue 10, concurrency): 8 retrains of 8 different models started together against one
 * worker, once on one DuckDB file and once on BigQuery (bqemulator). Counted from a fresh process
 * after every worker has shut down: 8 rows in mmm_runs, 8 in mmm_current, and every run table of
 * every run holding as many rows as that run's directory yields (not what the workflow reported).
 *
 * Kept small so that it is quick: the harness's demo data (seed 11) and sampler (TEST_SAMPLER, enough for
 * the diagnostics gate; 52 weeks with 4 x (150 + 100) or 4 x (200 + 200) draws now fail it), a coarse
 * scenario design in the test's config (the demo config plus a `surface` section: 257 scenarios a run
 * instead of ~11k, so a run publishes a few thousand rows, which the emulator takes in seconds, not
 * minutes), marts built by dbt once up front; on DuckDB the first retrain runs dbt again, so dbt
 * (another process) takes the file while the others extract and publish.
 */
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEnvironment } from '../../activities/environment.ts';
import { retrainWorkflowId, TASK_QUEUES, type RetrainInput, type RetrainResult } from '../../src/workflow-contracts/contracts.ts';
import { RETRAIN_WORKFLOW } from '../../src/orchestration/retrain-client.ts';
import { generateDemoData } from '../../src/demo-data/generate.ts';
import { assembleRunResults } from '../../src/run/publishable-run.ts';
import { runDbt } from '../../src/warehouse/dbt-runner.ts';
import { readMarts } from '../../src/warehouse/extract.ts';
import { openWarehouse, type WarehouseConfig } from '../../src/warehouse/open-warehouse.ts';
import { OPTIONAL_RUN_TABLES, RUN_TABLE_NAMES, type RunTable } from '../../src/warehouse/tables.ts';
import { EMULATOR_START_BOUND_MS, emulatorWarehouse, startBqEmulator, type RunningEmulator } from '../warehouse/support/bqemulator.ts';
import { censusFromFreshProcess } from '../warehouse/support/count-runs.ts';
import { writeMarts } from '../warehouse/support/marts.ts';
import { runMmmWorkers, TEST_SAMPLER, useTemporalHarness } from '../support/temporal-harness.ts';

const RETRAINS = 8;
/** The coarse design's scenarios (COARSE_SURFACE): level 0 holds the current mix only; every other level crosses all 32 mixes. */
const SCENARIOS_PER_RUN = 1 + 8 * (1 + 5 * 2 + 16 + 5 * 1);

let rawDir: string;
let duckdbMarts: WarehouseConfig;

const harness = useTemporalHarness('concurrency', {
  async setUp({ dir }) {
    rawDir = generateDemoData({ outDir: join(dir, 'demo-concurrent'), seed: 11 }).rawDir;
    duckdbMarts = { engine: 'duckdb', path: join(dir, 'concurrent.duckdb'), schema: 'main' };
    await runDbt({ args: ['build'], warehouse: duckdbMarts, rawDir, workDir: join(dir, 'dbt-concurrent') });
  },
});

/** Rows per run table that the run's directory yields. */
async function rowsFromRunDirectory(runsDir: string, result: RetrainResult): Promise<Record<RunTable, number>> {
  const results = await assembleRunResults(join(runsDir, result.runId), {
    runId: result.runId,
    modelId: result.modelId,
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
  });
  return Object.fromEntries(RUN_TABLE_NAMES.map((table) => [table, results[table].length])) as Record<RunTable, number>;
}

/** Starts one worker (both queues, one process) and 8 retrains at once; returns their results once the worker has shut down. */
async function retrainAllAtOnce(environment: ActivityEnvironment, prefix: string, dbtBuildFirst: boolean): Promise<RetrainResult[]> {
  const stopWorkers = await runMmmWorkers(harness(), environment);
  let handles: WorkflowHandle[] = [];
  try {
    handles = await Promise.all(
      Array.from({ length: RETRAINS }, (_, i) =>
        harness().env.client.workflow.start(RETRAIN_WORKFLOW, {
          workflowId: retrainWorkflowId(`${prefix}${i}`),
          taskQueue: TASK_QUEUES.io,
          args: [
            {
              modelId: `${prefix}${i}`,
              configPath: harness().coarseDemoConfig,
              sampler: TEST_SAMPLER,
              surfaceChunks: 2,
              dbtBuild: dbtBuildFirst && i === 0,
            } satisfies RetrainInput,
          ],
        }),
      ),
    );
    return await Promise.all(handles.map(async (handle) => (await handle.result()) as RetrainResult));
  } catch (error) {
    // One retrain failed: end the others, so that no later worker of this file picks up their activities.
    await Promise.allSettled(handles.map((handle) => handle.terminate('another retrain of the concurrency test failed')));
    throw error;
  } finally {
    await stopWorkers();
  }
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function expectEveryRunComplete(environment: ActivityEnvironment, results: RetrainResult[]): Promise<void> {
  const census = await censusFromFreshProcess(environment.warehouse);
  const byModel = [...results].sort((a, b) => byteOrder(a.modelId, b.modelId));
  expect(results.every((r) => r.promoted)).toBe(true);
  expect(census.runs).toEqual(
    byModel.map((r) => ({ run_id: r.runId, model_id: r.modelId, status: 'succeeded' })).sort((a, b) => byteOrder(a.run_id, b.run_id)),
  );
  expect(census.current).toEqual(byModel.map((r) => ({ model_id: r.modelId, run_id: r.runId })));
  for (const result of results) {
    const expected = await rowsFromRunDirectory(environment.runsDir, result);
    for (const table of RUN_TABLE_NAMES.filter((t) => !OPTIONAL_RUN_TABLES.has(t)))
      expect(expected[table], `${result.runId} ${table}`).toBeGreaterThan(0);
    // The surface was built with the design of the run's config, not the defaults.
    expect(expected.mmm_surface_scenarios, result.runId).toBe(SCENARIOS_PER_RUN);
    expect(census.rows[result.runId], result.runId).toEqual(expected);
  }
}

describe(`${RETRAINS} retrains of ${RETRAINS} models started together on one worker`, { timeout: 1_200_000 }, () => {
  it('on one DuckDB file: every run, every current pointer and every row is there', async () => {
    const environment: ActivityEnvironment = {
      ...harness().environment,
      warehouse: duckdbMarts,
      rawDir,
      runsDir: join(harness().dir, 'runs-duckdb'),
      dbtWorkDir: join(harness().dir, 'dbt-concurrent'),
    };
    const results = await retrainAllAtOnce(environment, 'duck', true);
    await expectEveryRunComplete(environment, results);
  });

  describe('on BigQuery (bqemulator)', () => {
    let emulator: RunningEmulator;
    let environment: ActivityEnvironment;

    beforeAll(async () => {
      emulator = await startBqEmulator();
      const warehouse = emulatorWarehouse(emulator, 'mmm_concurrent');
      // The marts dbt built on DuckDB, copied into the emulator's dataset (dbt on BigQuery has its own tests).
      const source = await openWarehouse(duckdbMarts);
      const marts = await readMarts(source.db).finally(() => source.close());
      const target = await openWarehouse(warehouse);
      try {
        await target.migrate();
        await writeMarts(target, 'mmm_concurrent', marts);
      } finally {
        await target.close();
      }
      environment = { ...harness().environment, warehouse, rawDir, runsDir: join(harness().dir, 'runs-bigquery') };
    }, EMULATOR_START_BOUND_MS + 180_000);

    afterAll(async () => {
      await emulator?.stop();
    });

    it('every run, every current pointer and every row is there', async () => {
      const results = await retrainAllAtOnce(environment, 'bq', false);
      await expectEveryRunComplete(environment, results);
    });
  });
});
