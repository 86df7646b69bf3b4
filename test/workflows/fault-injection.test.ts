/**
 * Faults: the worker process (`mmm worker` with a prebuilt workflow bundle, as in production) kills
 * itself with SIGKILL inside each activity of the retrain, at a point chosen by a seeded generator and
 * named by MMM_FAULT=<activity>:<step> (activities/fault-hook.ts): before the work, at a heartbeat or
 * progress report in the middle of it, or after it and before its completion reaches Temporal. After each
 * kill a new worker is started with the next fault, and the warehouse (free while no worker runs) must
 * hold one copy of every row, one mmm_runs row per run, and the previous current run, until the retrain
 * publishes; at the end the current run is the workflow's result. Re-run a plan with MMM_FAULT_SEED=N.
 */
import type { ChildProcess } from 'node:child_process';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { MmmActivities } from '../../activities/index.ts';
import { retrainWorkflowId, TASK_QUEUES, type RetrainInput, type RetrainResult } from '../../src/workflow-contracts/contracts.ts';
import { RETRAIN_WORKFLOW } from '../../src/orchestration/retrain-client.ts';
import { RUN_TABLES, RUN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import { TEST_SAMPLER, useTemporalHarness, WORKFLOW_TEST_TIMEOUT_MS, workerProcesses } from '../support/temporal-harness.ts';

const MODEL = 'faulty';
/** Short, so a killed worker's activity is retried soon; 5 heartbeats per timeout keep a wide margin under load. */
const HEARTBEAT_TIMEOUT_SECONDS = 10;
/** Generous: a dbt build and a fit under a loaded machine, plus a worker's start. */
const KILL_WITHIN_MS = 15 * 60_000;

type ActivityName = keyof MmmActivities;
/** The retrain's activities in the order it runs them (recordRejectedRun only runs for a refused fit). */
const RETRAIN_ACTIVITIES: readonly ActivityName[] = [
  'buildMarts',
  'extractMarts',
  'validateModelInput',
  'fitModel',
  'prepareSurface',
  'enumerateSurfaceChunk',
  'assembleSurface',
  'publishRun',
];
/**
 * Steps in the middle of the work for the long activities. The dbt build certainly runs for several
 * heartbeat intervals, so its heartbeat-n steps are reached; the fit reports progress at every 1% of each
 * chain's iterations (4 chains: about 400 reports), a point of the work that a fast machine cannot skip.
 */
const MID_WORK_STEPS: Partial<Record<ActivityName, readonly string[]>> = {
  buildMarts: ['heartbeat-1', 'heartbeat-2', 'heartbeat-3'],
  fitModel: ['progress-20', 'progress-200', 'progress-380'],
};

const seed = Number(process.env.MMM_FAULT_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
function generator(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

function stepFor(activity: ActivityName): string {
  return pick(['start', ...(MID_WORK_STEPS[activity] ?? []), 'end']);
}

const workers = workerProcesses();
const harness = useTemporalHarness('faults', {
  async setUp(started) {
    await workers.setUp(started);
    // The run tables exist from the start, so the checks after a kill in the first activities can count them.
    await started.withWarehouse((w) => w.migrate());
    console.log(`fault seed ${seed} (re-run this plan with MMM_FAULT_SEED=${seed})`);
  },
  tearDown: workers.tearDown,
});

function startWorker(fault: string | null): { child: ChildProcess; stderr: () => string } {
  const child = workers.spawn(harness(), { stdio: ['ignore', 'ignore', 'pipe'], env: fault === null ? {} : { MMM_FAULT: fault } });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  return { child, stderr: () => stderr };
}

/** Resolves with the signal that ended the worker; fails if the retrain ends first or nothing happens in time. */
function killedBy(child: ChildProcess, retrain: Promise<unknown>, fault: string): Promise<NodeJS.Signals | null> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the worker was not killed at ${fault} within ${KILL_WITHIN_MS / 1000} s`)),
      KILL_WITHIN_MS,
    );
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      done(signal);
    });
    retrain.then(
      () => fail(new Error(`the retrain ended before the worker reached ${fault}`)),
      (error: unknown) => fail(error),
    );
  });
}

/** One copy of every row, one mmm_runs row per run; returns the model's current run. */
async function checkWarehouse(): Promise<string | null> {
  return harness().withWarehouse(async (w) => {
    for (const table of RUN_TABLE_NAMES) {
      const key = RUN_TABLES[table].key.map((column) => sql.ref(column));
      const { rows } = await sql<{ total: number; distinct_keys: number }>`
        select count(*) as total, count(distinct (run_id, ${sql.join(key)})) as distinct_keys from ${sql.table(table)}`.execute(w.db);
      expect(Number(rows[0].distinct_keys), table).toBe(Number(rows[0].total));
    }
    const { rows } = await sql<{
      total: number;
      runs: number;
    }>`select count(*) as total, count(distinct run_id) as runs from mmm_runs`.execute(w.db);
    expect(Number(rows[0].runs), 'mmm_runs').toBe(Number(rows[0].total));
    expect((await w.db.selectFrom('mmm_current').selectAll().execute()).length).toBeLessThanOrEqual(1);
    return w.currentRun(MODEL);
  });
}

let kills = 0;

/** Runs one retrain through a worker killed at each fault in turn, then a worker without faults. */
async function retrainThroughFaults(
  faults: readonly string[],
  input: Partial<RetrainInput>,
  previous: string | null,
): Promise<RetrainResult> {
  const handle: WorkflowHandleWithFirstExecutionRunId = await harness().env.client.workflow.start(RETRAIN_WORKFLOW, {
    workflowId: retrainWorkflowId(MODEL),
    taskQueue: TASK_QUEUES.io,
    args: [
      {
        modelId: MODEL,
        configPath: harness().coarseDemoConfig,
        sampler: TEST_SAMPLER,
        surfaceChunks: 2,
        heartbeatTimeoutSeconds: HEARTBEAT_TIMEOUT_SECONDS,
        ...input,
      } satisfies RetrainInput,
    ],
  });
  const result = handle.result() as Promise<RetrainResult>;
  result.catch(() => undefined);
  // The run id ends with the first 8 characters of the workflow's run id (workflows/retrain.ts).
  const thisRun = (runId: string | null) =>
    runId !== null && runId.startsWith(`${MODEL}-`) && runId.endsWith(handle.firstExecutionRunId.slice(0, 8));
  for (const fault of faults) {
    const started = performance.now();
    const worker = startWorker(fault);
    const signal = await killedBy(worker.child, result, fault);
    expect(signal, worker.stderr()).toBe('SIGKILL');
    expect(worker.stderr()).toContain(`MMM_FAULT ${fault}: killing worker process`);
    kills += 1;
    const current = await checkWarehouse();
    // Until the retrain publishes, the previous current run stays current; a kill in publishRun may come after its commit.
    if (!(fault.startsWith('publishRun:') && thisRun(current))) expect(current, `after the kill at ${fault}`).toBe(previous);
    console.log(`kill ${kills} at ${fault} after ${((performance.now() - started) / 1000).toFixed(0)} s; current run ${current ?? 'none'}`);
  }
  const last = startWorker(null);
  const outcome = await result;
  last.child.kill('SIGTERM');
  await new Promise((done) =>
    last.child.exitCode === null && last.child.signalCode === null ? last.child.once('exit', done) : done(null),
  );
  expect(thisRun(outcome.runId)).toBe(true);
  expect(outcome.promoted).toBe(true);
  expect(await checkWarehouse()).toBe(outcome.runId);
  const counts = await harness().withWarehouse((w) => w.countRunRows(outcome.runId));
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(outcome.rowsWritten);
  return outcome;
}

describe('a worker killed inside every activity of the retrain', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  it('completes each retrain with one copy of every row, the previous run current until the new one is published', async () => {
    const started = performance.now();
    const firstPlan = RETRAIN_ACTIVITIES.map((activity) => `${activity}:${stepFor(activity)}`);
    // The second retrain reads the marts the first one built; three of its activities, chosen by the seed, are hit.
    const secondActivities = RETRAIN_ACTIVITIES.filter((activity) => activity !== 'buildMarts');
    const chosen = new Set<ActivityName>();
    while (chosen.size < 3) chosen.add(pick(secondActivities));
    const secondPlan = secondActivities.filter((activity) => chosen.has(activity)).map((activity) => `${activity}:${stepFor(activity)}`);
    console.log(`fault plan (seed ${seed}): first retrain ${firstPlan.join(', ')}; second retrain ${secondPlan.join(', ')}`);

    const first = await retrainThroughFaults(firstPlan, {}, null);
    const second = await retrainThroughFaults(secondPlan, { dbtBuild: false }, first.runId);
    expect(second.runId).not.toBe(first.runId);
    expect(kills).toBeGreaterThanOrEqual(10);
    const runs = await harness().withWarehouse((w) => w.db.selectFrom('mmm_runs').select(['run_id', 'status']).orderBy('run_id').execute());
    expect(runs).toEqual([
      { run_id: first.runId, status: 'succeeded' },
      { run_id: second.runId, status: 'succeeded' },
    ]);
    console.log(`${kills} kills over two retrains in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
});
