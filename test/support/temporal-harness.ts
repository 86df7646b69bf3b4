/**
 * A real Temporal dev server (the project's `temporal` CLI through TestWorkflowEnvironment.createLocal),
 * demo raw exports with a known truth, and a DuckDB file warehouse in a temporary folder: what every
 * workflow test starts from.
 */
import { type ChildProcess, execFile, spawn, type StdioOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { generateDemoData } from '../../src/demo-data/generate.ts';
import type { ActivityEnvironment } from '../../activities/environment.ts';
import { temporalCliPath } from '../../src/orchestration/dev-server.ts';
import { buildWorkflowBundle, createMmmWorkers } from '../../src/orchestration/worker.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { REPO_ROOT } from './reference-data.ts';

export const DEMO_CONFIG = join(REPO_ROOT, 'examples', 'demo.json');
/** The `mmm` binary, run as a user or an operator runs it. */
export const MMM_BIN = join(REPO_ROOT, 'bin', 'mmm.js');
/** Enough draws for the demo model to pass its diagnostics, few enough for a test. */
export const TEST_SAMPLER = { chains: 4, warmup: 300, draws: 300, seed: 3 } as const;

/**
 * A coarse scenario design for the workflow tests that are not about the surface: 9 budget levels x
 * (1 current + 5 x 2 perturbations + 16 simplex + 5 x 1 corners) mixes for the demo's five channels,
 * 257 scenarios a run instead of the demo's ~11k, so a run enumerates and publishes in seconds.
 */
export const COARSE_SURFACE = {
  budgetLevels: { from: 0, to: 2, step: 0.25 },
  perturbations: [-0.2, 0.2],
  simplexSamples: 16,
  cornerWeights: [1],
};

/** Writes the demo config with the coarse surface to `dir`/demo-coarse-surface.json and returns that path. */
export function writeCoarseDemoConfig(dir: string): string {
  const path = join(dir, 'demo-coarse-surface.json');
  writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')) as object), surface: COARSE_SURFACE }));
  return path;
}

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
  /** The demo config with the coarse scenario design (COARSE_SURFACE), for retrains that are not about the surface. */
  coarseDemoConfig: string;
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
    coarseDemoConfig: writeCoarseDemoConfig(dir),
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

/** What a test file adds around its harness. */
export interface HarnessHooks {
  /** Runs once the harness has started: workers, a workflow bundle, a migration. */
  setUp?(harness: TemporalHarness): Promise<void>;
  /** Runs before the harness closes: stopping workers, ending workflows still running. */
  tearDown?(harness: TemporalHarness): Promise<void>;
}

/**
 * Starts a harness before the file's tests (then `hooks.setUp`) and closes it after them (after
 * `hooks.tearDown`). Returns the started harness, for tests and hooks to read.
 */
export function useTemporalHarness(prefix: string, hooks: HarnessHooks = {}): () => TemporalHarness {
  let harness: TemporalHarness | undefined;
  beforeAll(async () => {
    harness = await startTemporalHarness(prefix);
    await hooks.setUp?.(harness);
  }, WORKFLOW_TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (harness === undefined) return;
    try {
      await hooks.tearDown?.(harness);
    } finally {
      await harness.close();
    }
  }, WORKFLOW_TEST_TIMEOUT_MS);
  return () => {
    if (harness === undefined) throw new Error(`the ${prefix} Temporal harness has not started`);
    return harness;
  };
}

/**
 * Runs the project's workers for both task queues in this process (`cpuSlots` concurrent cpu activities,
 * default 1); resolves to a function that stops them.
 */
export async function runMmmWorkers(
  harness: TemporalHarness,
  environment = harness.environment,
  options: { cpuSlots?: number } = {},
): Promise<() => Promise<void>> {
  const workers = await createMmmWorkers({
    connection: harness.env.nativeConnection,
    namespace: harness.env.namespace ?? 'default',
    environment,
    queues: ['io', 'cpu'],
    workflowBundle: harness.workflowBundle,
    cpuSlots: options.cpuSlots,
  });
  const running = Promise.all(workers.map((worker) => worker.run()));
  return async () => {
    for (const worker of workers) worker.shutdown();
    await running;
  };
}

/** Hooks that run the project's workers in this process (runMmmWorkers) for the file's tests. */
export function inProcessWorkers(): HarnessHooks {
  let stop: (() => Promise<void>) | undefined;
  return {
    async setUp(harness) {
      stop = await runMmmWorkers(harness);
    },
    async tearDown() {
      await stop?.();
    },
  };
}

export interface WorkerProcesses extends Required<HarnessHooks> {
  /** Starts an `mmm worker` child process on the prebuilt bundle, with the harness's environment plus `env`. */
  spawn(harness: TemporalHarness, options: { stdio: StdioOptions; env?: NodeJS.ProcessEnv }): ChildProcess;
}

/**
 * `mmm worker` child processes as in production: `setUp` builds the workflow bundle they load
 * (`mmm worker --build-bundle`), `tearDown` kills every one still running.
 */
export function workerProcesses(): WorkerProcesses {
  let bundle: string | undefined;
  const children: ChildProcess[] = [];
  return {
    async setUp(harness) {
      bundle = join(harness.dir, 'workflow-bundle.js');
      await promisify(execFile)(process.execPath, [MMM_BIN, 'worker', '--build-bundle', bundle]);
    },
    async tearDown() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    spawn(harness, options) {
      if (bundle === undefined) throw new Error('the workflow bundle is not built yet (workerProcesses().setUp)');
      const child = spawn(process.execPath, [MMM_BIN, 'worker', '--workflow-bundle', bundle], {
        stdio: options.stdio,
        env: { ...harness.workerProcessEnv(), ...options.env },
      });
      children.push(child);
      return child;
    },
  };
}

/** The typed failure a failed workflow carries. */
export async function workflowFailure(result: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await result.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}
