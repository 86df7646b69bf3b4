/**
 * Shared-nothing workers (issue 18, acceptance 1, second half): two `mmm worker` processes, each in a
 * temporary directory of its own (working directory, TMPDIR, runs and dbt folders, its copy of the
 * workflow bundle), one polling only the io queue and the other only the cpu queue, so the split is
 * deterministic. They share nothing but the Temporal dev server, the warehouse (BigQuery on bqemulator)
 * and the run storage (Google Cloud Storage on fake-gcs-server). A retrain run on them shows in its
 * history each activity started by the worker of its queue, and publishes what a single worker
 * (both queues in one process) publishes for the same seed: the same draws byte for byte, the same rows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import type { ActivityEnvironment } from '../../activities/environment.ts';
import { RETRAIN_WORKFLOW } from '../../src/orchestration/retrain-client.ts';
import { openRunStore } from '../../src/run/storage/open-run-store.ts';
import { withRunWorkspace } from '../../src/run/storage/run-store.ts';
import { runDbt } from '../../src/warehouse/dbt-runner.ts';
import { readMarts } from '../../src/warehouse/extract.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import type { BigQueryWarehouseConfig } from '../../src/warehouse/bigquery/config.ts';
import { OPTIONAL_RUN_TABLES, RUN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import {
  retrainWorkflowId,
  TASK_QUEUES,
  type RetrainInput,
  type RetrainResult,
  type TaskQueueKind,
} from '../../src/workflow-contracts/contracts.ts';
import { type RunningGcsEmulator, startGcsEmulator } from '../support/gcs-emulator.ts';
import { publishedRows } from '../support/published-rows.ts';
import {
  MMM_BIN,
  runMmmWorkers,
  TEST_SAMPLER,
  useTemporalHarness,
  WORKFLOW_TEST_TIMEOUT_MS,
  writeCoarseDemoConfig,
} from '../support/temporal-harness.ts';
import { emulatorWarehouse, type RunningEmulator, startBqEmulator } from '../warehouse/support/bqemulator.ts';
import { writeMarts } from '../warehouse/support/marts.ts';

const BUCKET = 'mmm-runs';
const RUNS_URI = `gs://${BUCKET}/mmm/runs`;
const DATASET = 'mmm_two_workers';
/** How long a worker process may take to connect and say it is ready: seconds when quiet, minutes on two saturated cores. */
const WORKER_READY_BOUND_MS = 300_000;

let bigquery: RunningEmulator | undefined;
let gcs: RunningGcsEmulator | undefined;
let warehouse: BigQueryWarehouseConfig;
const children: ChildProcess[] = [];

const harness = useTemporalHarness('two-workers', {
  async setUp({ dir, environment }) {
    [bigquery, gcs] = await Promise.all([startBqEmulator(), startGcsEmulator()]);
    await gcs.createBucket(BUCKET);
    warehouse = emulatorWarehouse(bigquery, DATASET);
    // The marts dbt builds from the harness's demo exports, copied into the emulator's dataset (dbt on BigQuery has its own tests).
    const duckdbMarts = { engine: 'duckdb', path: join(dir, 'marts.duckdb'), schema: 'main' } as const;
    if (environment.rawDir === undefined) throw new Error('the harness has no demo exports');
    await runDbt({ args: ['build'], warehouse: duckdbMarts, rawDir: environment.rawDir, workDir: join(dir, 'dbt-marts') });
    const source = await openWarehouse(duckdbMarts);
    const marts = await readMarts(source.db).finally(() => source.close());
    const target = await openWarehouse(warehouse);
    try {
      await target.migrate();
      await writeMarts(target, DATASET, marts);
    } finally {
      await target.close();
    }
  },
  async tearDown() {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all([bigquery?.stop(), gcs?.stop()]);
  },
});

interface WorkerHost {
  dir: string;
  child: ChildProcess;
  /** The identity Temporal records for the worker's tasks (the SDK's default, `<pid>@<hostname>`). */
  identityPrefix: string;
  stop(): Promise<void>;
}

/**
 * A "host": a temporary directory (working directory, TMPDIR, runs and dbt folders, the workflow bundle)
 * and an `mmm worker --queues <queue>` process in it, configured only by environment variables, as on a
 * machine of its own. Resolves once the worker prints that it is ready.
 */
async function startWorkerHost(queue: TaskQueueKind): Promise<WorkerHost> {
  const h = harness();
  const dir = join(h.dir, `host-${queue}`);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const bundle = join(dir, 'workflow-bundle.js');
  writeFileSync(bundle, h.workflowBundle.code);
  if (bigquery === undefined || gcs === undefined) throw new Error('the emulators have not started');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    TMPDIR: join(dir, 'tmp'),
    TEMPORAL_ADDRESS: h.env.address,
    TEMPORAL_NAMESPACE: h.env.namespace ?? 'default',
    MMM_WAREHOUSE: 'bigquery',
    MMM_BIGQUERY_PROJECT: bigquery.projectId,
    MMM_BIGQUERY_DATASET: DATASET,
    MMM_BIGQUERY_LOCATION: 'US',
    MMM_BIGQUERY_API_ENDPOINT: bigquery.endpoint,
    MMM_BIGQUERY_AUTH: 'none',
    MMM_RUNS_URI: RUNS_URI,
    MMM_GCS_ENDPOINT: gcs.host,
    MMM_RUNS_DIR: join(dir, 'runs-unused'),
    MMM_DBT_WORK_DIR: join(dir, 'dbt'),
  };
  const child = spawn(process.execPath, [MMM_BIN, 'worker', '--queues', queue, '--workflow-bundle', bundle], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const log: string[] = [];
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the ${queue} worker was not ready within ${WORKER_READY_BOUND_MS} ms:\n${log.slice(-20).join('\n')}`)),
      WORKER_READY_BOUND_MS,
    );
    const collect = (chunk: Buffer) => {
      log.push(...chunk.toString('utf8').split('\n'));
      if (log.some((line) => line.startsWith('worker ready:'))) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the ${queue} worker exited (${code ?? signal}) before it was ready:\n${log.slice(-20).join('\n')}`));
    });
  });
  return {
    dir,
    child,
    identityPrefix: `${child.pid}@`,
    stop: () =>
      new Promise<void>((stopped) => {
        if (child.exitCode !== null || child.signalCode !== null) return stopped();
        child.once('exit', () => stopped());
        child.kill('SIGTERM');
      }),
  };
}

async function retrain(modelId: string, configPath: string): Promise<{ result: RetrainResult; history: temporal.api.history.v1.IHistory }> {
  const handle = await harness().env.client.workflow.start(RETRAIN_WORKFLOW, {
    workflowId: retrainWorkflowId(modelId),
    taskQueue: TASK_QUEUES.io,
    args: [{ modelId, configPath, sampler: TEST_SAMPLER, surfaceChunks: 2, dbtBuild: false } satisfies RetrainInput],
  });
  const result = (await handle.result()) as RetrainResult;
  return { result, history: await handle.fetchHistory() };
}

interface ActivityStart {
  activity: string;
  queue: string;
  identity: string;
}

/** Each started activity task of a history: its activity, its task queue and the identity of the worker that took it. */
function activityStarts(history: temporal.api.history.v1.IHistory): ActivityStart[] {
  const scheduled = new Map<string, { activity: string; queue: string }>();
  const starts: ActivityStart[] = [];
  for (const event of history.events ?? []) {
    const schedule = event.activityTaskScheduledEventAttributes;
    if (schedule)
      scheduled.set(String(event.eventId), { activity: schedule.activityType?.name ?? '', queue: schedule.taskQueue?.name ?? '' });
    const start = event.activityTaskStartedEventAttributes;
    if (start) {
      const of = scheduled.get(String(start.scheduledEventId));
      if (of === undefined) throw new Error(`activity task started for unknown scheduled event ${String(start.scheduledEventId)}`);
      starts.push({ ...of, identity: start.identity ?? '' });
    }
  }
  return starts;
}

/** Identities of the workers that completed the history's workflow tasks. */
const workflowTaskIdentities = (history: temporal.api.history.v1.IHistory): string[] =>
  (history.events ?? []).flatMap((event) =>
    event.workflowTaskCompletedEventAttributes ? [event.workflowTaskCompletedEventAttributes.identity ?? ''] : [],
  );

async function storedPosterior(environment: ActivityEnvironment, runId: string): Promise<Buffer> {
  return withRunWorkspace(openRunStore(environment), runId, { save: false }, (dir) => readFileSync(join(dir, 'posterior.bin')));
}

describe('two shared-nothing worker processes, io and cpu', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  it(
    'run a retrain between them (each activity on the worker of its queue) and publish what a single worker publishes',
    async () => {
      const [io, cpu] = await Promise.all([startWorkerHost('io'), startWorkerHost('cpu')]);
      let split: Awaited<ReturnType<typeof retrain>>;
      try {
        split = await retrain('split', writeCoarseDemoConfig(io.dir));
      } finally {
        await Promise.all([io.stop(), cpu.stop()]);
      }
      expect(split.result.promoted).toBe(true);

      const starts = activityStarts(split.history);
      const byQueue = (queue: string) => starts.filter((s) => s.queue === queue);
      console.log(
        `activity tasks: ${starts.map((s) => `${s.activity}@${s.queue} by ${s.identity}`).join(', ')}; io worker pid ${io.child.pid}, cpu worker pid ${cpu.child.pid}`,
      );
      expect(byQueue(TASK_QUEUES.cpu).map((s) => s.activity)).toEqual(
        expect.arrayContaining(['fitModel', 'prepareSurface', 'enumerateSurfaceChunk']),
      );
      expect(byQueue(TASK_QUEUES.io).map((s) => s.activity)).toEqual(expect.arrayContaining(['extractMarts', 'publishRun']));
      expect(starts.length).toBe(byQueue(TASK_QUEUES.io).length + byQueue(TASK_QUEUES.cpu).length);
      for (const start of byQueue(TASK_QUEUES.io)) expect(start.identity, start.activity).toMatch(new RegExp(`^${io.identityPrefix}`));
      for (const start of byQueue(TASK_QUEUES.cpu)) expect(start.identity, start.activity).toMatch(new RegExp(`^${cpu.identityPrefix}`));
      const workflowTasks = workflowTaskIdentities(split.history);
      expect(workflowTasks.length).toBeGreaterThan(0);
      for (const identity of workflowTasks) expect(identity).toMatch(new RegExp(`^${io.identityPrefix}`));
      // Neither host wrote a run locally: the runs are in the bucket.
      for (const host of [io, cpu]) expect(existsSync(join(host.dir, 'runs-unused')), host.dir).toBe(false);

      // The same retrain on a single worker (both queues, one process) with the same warehouse and store.
      const h = harness();
      const single: ActivityEnvironment = {
        warehouse,
        runsDir: join(h.dir, 'runs-single-unused'),
        runsUri: RUNS_URI,
        gcsEndpoint: gcs?.host,
        dbtWorkDir: join(h.dir, 'dbt-single'),
      };
      const stopSingle = await runMmmWorkers(h, single);
      let one: Awaited<ReturnType<typeof retrain>>;
      try {
        one = await retrain('single', writeCoarseDemoConfig(h.dir));
      } finally {
        await stopSingle();
      }
      expect(one.result.promoted).toBe(true);
      expect(new Set(activityStarts(one.history).map((s) => s.identity)).size).toBe(1);

      // Same seed, same marts: the same draws, byte for byte, and the same published rows.
      expect((await storedPosterior(single, split.result.runId)).equals(await storedPosterior(single, one.result.runId))).toBe(true);
      expect(split.result.scenarios).toBe(one.result.scenarios);
      const reader = await openWarehouse(warehouse);
      const [splitRows, singleRows] = await (async () => {
        try {
          return [await publishedRows(reader, split.result.runId), await publishedRows(reader, one.result.runId)];
        } finally {
          await reader.close();
        }
      })();
      for (const table of RUN_TABLE_NAMES) {
        if (!OPTIONAL_RUN_TABLES.has(table)) expect(splitRows[table]!.length, table).toBeGreaterThan(0);
        expect(splitRows[table], table).toEqual(singleRows[table]);
      }
      console.log(
        `published rows per table (split = single): ${RUN_TABLE_NAMES.map((t) => `${t} ${splitRows[t]!.length}`).join(', ')}; ` +
          `posterior.bin equal; scenarios ${split.result.scenarios}`,
      );
    },
    WORKFLOW_TEST_TIMEOUT_MS,
  );
});
