/**
 * A retrain whose fit is fanned out over chain activities (retrain input `fanOutChains`): its history
 * holds one fitChain activity per chain and then one combineChains, and it publishes what the
 * single-activity fit publishes for the same seed (the same draws byte for byte, the same rows). A chain
 * whose worker process dies in it (the fault hook, MMM_FAULT=fitChain:progress-50, halfway through the
 * chain's iterations, with one cpu slot so it is the only chain running there) is retried alone, on the next worker, to the same draws.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { RETRAIN_WORKFLOW } from '../../src/orchestration/retrain-client.ts';
import { openRunStore } from '../../src/run/storage/open-run-store.ts';
import { withRunWorkspace } from '../../src/run/storage/run-store.ts';
import { OPTIONAL_RUN_TABLES, RUN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import { retrainWorkflowId, TASK_QUEUES, type RetrainInput, type RetrainResult } from '../../src/workflow-contracts/contracts.ts';
import { publishedRows } from '../support/published-rows.ts';
import { runMmmWorkers, TEST_SAMPLER, useTemporalHarness, WORKFLOW_TEST_TIMEOUT_MS, workerProcesses } from '../support/temporal-harness.ts';

/** Short, so the killed chain is retried soon; 5 heartbeats per timeout keep a wide margin under load. */
const HEARTBEAT_TIMEOUT_SECONDS = 10;
/** How long a worker process may take to start, or to die at its fault: minutes on two saturated cores. */
const PROCESS_BOUND_MS = 10 * 60_000;
/**
 * Halfway through the chain: its 50th progress report (one per 1% of its iterations). A timer heartbeat
 * would be a time, not a point of the work: on a quiet machine a test chain ends before its second one.
 */
const KILL_AT = 'fitChain:progress-50';

const workers = workerProcesses();
const harness = useTemporalHarness('chain-activities', {
  async setUp(started) {
    await workers.setUp(started);
  },
  tearDown: workers.tearDown,
});

async function retrain(
  modelId: string,
  input: Partial<RetrainInput>,
): Promise<{ result: RetrainResult; history: temporal.api.history.v1.IHistory }> {
  const handle = await harness().env.client.workflow.start(RETRAIN_WORKFLOW, {
    workflowId: retrainWorkflowId(modelId),
    taskQueue: TASK_QUEUES.io,
    args: [
      {
        modelId,
        // The coarse scenario design: the surface is not what this test is about.
        configPath: harness().coarseDemoConfig,
        sampler: TEST_SAMPLER,
        surfaceChunks: 2,
        dbtBuild: false,
        ...input,
      } satisfies RetrainInput,
    ],
  });
  const result = (await handle.result()) as RetrainResult;
  return { result, history: await handle.fetchHistory() };
}

interface ActivityRun {
  activity: string;
  /** The activity's arguments after the run id (the chain index of a fitChain). */
  args: unknown[];
  scheduledEventId: number;
  /** The attempt that completed it, and the worker that ran that attempt. */
  attempt: number;
  identity: string;
  completedEventId: number;
}

/** Each activity of a history with its arguments, its last attempt and when it was scheduled and completed. */
function activityRuns(history: temporal.api.history.v1.IHistory): ActivityRun[] {
  const runs = new Map<number, ActivityRun>();
  for (const event of history.events ?? []) {
    const id = Number(event.eventId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const args = (scheduled.input?.payloads ?? []).map((payload) => defaultPayloadConverter.fromPayload(payload));
      runs.set(id, {
        activity: scheduled.activityType?.name ?? '',
        args: args.slice(1),
        scheduledEventId: id,
        attempt: 0,
        identity: '',
        completedEventId: 0,
      });
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started)
      Object.assign(runs.get(Number(started.scheduledEventId))!, { attempt: started.attempt ?? 0, identity: started.identity ?? '' });
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) runs.get(Number(completed.scheduledEventId))!.completedEventId = id;
  }
  return [...runs.values()];
}

const storedPosterior = (runId: string): Promise<Buffer> =>
  withRunWorkspace(openRunStore(harness().environment), runId, { save: false }, (dir) => readFileSync(join(dir, 'posterior.bin')));

function checkFannedOut(runs: ActivityRun[]): ActivityRun[] {
  const chains = runs.filter((run) => run.activity === 'fitChain');
  const combine = runs.filter((run) => run.activity === 'combineChains');
  expect(chains.map((run) => run.args[0]).sort()).toEqual([0, 1, 2, 3]);
  expect(combine).toHaveLength(1);
  for (const chain of chains) expect(combine[0].scheduledEventId).toBeGreaterThan(chain.completedEventId);
  expect(runs.filter((run) => run.activity === 'fitModel')).toEqual([]);
  return chains;
}

/** Resolves when the worker process says it is ready; rejects if it exits first. */
const ready = (child: ChildProcess) =>
  new Promise<void>((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`worker not ready within ${PROCESS_BOUND_MS} ms: ${output}`)), PROCESS_BOUND_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        done();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`worker exited (${code ?? signal}) before it was ready: ${output}`));
    });
  });

describe('a retrain with its chains fanned out over activities', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  let single: RetrainResult;
  let singleRows: Record<string, string[]>;

  it('runs one fitChain per chain, then combineChains, and publishes what the single fit activity publishes', async () => {
    // Four cpu slots: the chain activities run side by side, as the single activity's threads do.
    const stop = await runMmmWorkers(harness(), harness().environment, { cpuSlots: 4 });
    let fannedOut: Awaited<ReturnType<typeof retrain>>;
    try {
      ({ result: single } = await retrain('single', { dbtBuild: true }));
      fannedOut = await retrain('fanned', { fanOutChains: true });
    } finally {
      await stop();
    }
    expect(single.promoted).toBe(true);
    expect(fannedOut.result.promoted).toBe(true);
    const chains = checkFannedOut(activityRuns(fannedOut.history));
    for (const chain of chains) expect(chain.attempt).toBe(1);

    expect((await storedPosterior(fannedOut.result.runId)).equals(await storedPosterior(single.runId))).toBe(true);
    expect(fannedOut.result.verdict).toBe(single.verdict);
    expect(fannedOut.result.calibrationFactor).toBe(single.calibrationFactor);
    const [fannedRows, rows] = await harness().withWarehouse(async (w) => [
      await publishedRows(w, fannedOut.result.runId),
      await publishedRows(w, single.runId),
    ]);
    singleRows = rows;
    for (const table of RUN_TABLE_NAMES) {
      if (!OPTIONAL_RUN_TABLES.has(table)) expect(fannedRows[table]!.length, table).toBeGreaterThan(0);
      expect(fannedRows[table], table).toEqual(singleRows[table]);
    }
  });

  it('retries alone a chain whose worker died in it, to the same draws', async () => {
    const faulty = workers.spawn(harness(), { stdio: ['ignore', 'pipe', 'pipe'], env: { MMM_FAULT: KILL_AT } });
    let stderr = '';
    faulty.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await ready(faulty);
    const running = retrain('killed', { fanOutChains: true, heartbeatTimeoutSeconds: HEARTBEAT_TIMEOUT_SECONDS });
    // The faulty worker takes the first chain (one cpu slot) and kills itself in it.
    const signal = await new Promise<NodeJS.Signals | null>((exited, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`the faulty worker did not die within ${PROCESS_BOUND_MS} ms: ${stderr}`)),
        PROCESS_BOUND_MS,
      );
      faulty.once('exit', (_code, killedBy) => {
        clearTimeout(timer);
        exited(killedBy);
      });
    });
    expect(signal).toBe('SIGKILL');
    expect(stderr).toContain(`MMM_FAULT ${KILL_AT}: killing worker process`);

    const healthy = workers.spawn(harness(), { stdio: ['ignore', 'pipe', 'ignore'] });
    await ready(healthy);
    const { result, history } = await running;
    healthy.kill('SIGTERM');
    expect(result.promoted).toBe(true);

    const chains = checkFannedOut(activityRuns(history));
    const retried = chains.filter((chain) => chain.attempt > 1);
    expect(retried.map((chain) => chain.attempt)).toEqual([2]);
    expect(chains.filter((chain) => chain.attempt === 1)).toHaveLength(3);
    // The retried chain's attempt ran on the healthy worker and sampled its chain again (nothing of it was stored).
    expect(retried[0]!.identity).toMatch(new RegExp(`^${healthy.pid}@`));
    console.log(`chain ${String(retried[0]!.args[0])} killed halfway on worker ${faulty.pid}, retried on ${healthy.pid}`);

    expect((await storedPosterior(result.runId)).equals(await storedPosterior(single.runId))).toBe(true);
    const rows = await harness().withWarehouse((w) => publishedRows(w, result.runId));
    for (const table of RUN_TABLE_NAMES) expect(rows[table], table).toEqual(singleRows[table]);
  });
});
