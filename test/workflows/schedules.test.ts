/**
 * The weekly retrain schedule on a real Temporal dev server: created with overlap policy SKIP, a trigger
 * starts a retrain that completes and promotes; a second trigger while it runs is skipped.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrainResult } from '../../src/orchestration/contracts.ts';
import { createRetrainSchedule, DEFAULT_RETRAIN_CRON, retrainSchedule, triggerRetrain } from '../../src/orchestration/schedules.ts';
import { createMmmWorkers } from '../../src/orchestration/worker.ts';
import { DEMO_CONFIG, startTemporalHarness, TEST_SAMPLER, type TemporalHarness } from '../support/temporal-harness.ts';

let harness: TemporalHarness;
let workers: Worker[];
let running: Promise<unknown>;

beforeAll(async () => {
  harness = await startTemporalHarness('schedules');
  workers = await createMmmWorkers({
    connection: harness.env.nativeConnection, namespace: harness.env.namespace ?? 'default', environment: harness.environment,
    queues: ['io', 'cpu'], workflowBundle: harness.workflowBundle,
  });
  running = Promise.all(workers.map((worker) => worker.run()));
});

afterAll(async () => {
  for (const worker of workers ?? []) worker.shutdown();
  await running;
  await harness?.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

describe('weekly retrain schedule', () => {
  it('is weekly with overlap SKIP; a trigger retrains and promotes, a second trigger during the retrain is skipped', async () => {
    const { client } = harness.env;
    await createRetrainSchedule(client, { modelId: 'demo', configPath: DEMO_CONFIG, sampler: TEST_SAMPLER, surfaceChunks: 2 });
    const handle = retrainSchedule(client, 'demo');
    const description = await handle.describe();
    expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(description.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] });
    expect(DEFAULT_RETRAIN_CRON).toBe('0 6 * * 1');

    await triggerRetrain(client, 'demo');
    const started = await until(() => handle.describe(), (d) => d.info.runningActions.length === 1);
    const workflowId = started.info.runningActions[0].workflow.workflowId;
    expect(workflowId).toMatch(/^retrain-demo-/);

    await triggerRetrain(client, 'demo');
    const skipped = await until(() => handle.describe(), (d) => d.info.numActionsSkippedOverlap === 1, 30_000);
    expect(skipped.info.runningActions).toHaveLength(1);
    expect(skipped.info.recentActions).toHaveLength(1);

    const result = await client.workflow.getHandle(workflowId).result() as RetrainResult;
    expect(result.promoted).toBe(true);
    expect(await harness.withWarehouse((w) => w.currentRun('demo'))).toBe(result.runId);
    const after = await handle.describe();
    expect(after.info.runningActions).toHaveLength(0);
    expect(after.info.recentActions).toHaveLength(1);
    await handle.delete();
  });
});
