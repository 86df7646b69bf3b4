/**
 * At most one retrain per model, whoever starts it: a manual retrain (`mmm retrain`, startRetrain) and
 * the schedule (`mmm schedule trigger`, the weekly action) all run as workflow retrain-<model>, and a
 * second start while one runs is skipped or refused naming the workflow and run that hold the model.
 * The worker here runs workflows only (no activities), so every retrain stays running at its first
 * activity for as long as the test needs it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { retrainWorkflowId, TASK_QUEUES, type RetrainInput } from '../../src/workflow-contracts/contracts.ts';
import { RetrainAlreadyRunningError, startRetrain } from '../../src/orchestration/retrain-client.ts';
import { createRetrainSchedule, triggerRetrain } from '../../src/orchestration/schedules.ts';
import { DEMO_CONFIG, MMM_BIN, TEST_SAMPLER, useTemporalHarness, WORKFLOW_TEST_TIMEOUT_MS } from '../support/temporal-harness.ts';

let client: Client;
let worker: Worker | undefined;
let running: Promise<void>;
const harness = useTemporalHarness('one-retrain', {
  async setUp(started) {
    client = started.env.client;
    worker = await Worker.create({
      connection: started.env.nativeConnection,
      namespace: started.env.namespace ?? 'default',
      taskQueue: TASK_QUEUES.io,
      workflowBundle: started.workflowBundle,
    });
    running = worker.run();
  },
  async tearDown() {
    for await (const execution of client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
      await client.workflow.getHandle(execution.workflowId, execution.runId).terminate('test over');
    }
    worker?.shutdown();
    await running;
  },
});

const input = (modelId: string): RetrainInput => ({ modelId, configPath: DEMO_CONFIG, sampler: TEST_SAMPLER, surfaceChunks: 2 });

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, [MMM_BIN, ...args], { env: { ...process.env, TEMPORAL_ADDRESS: harness().env.address } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

/** Every retrainWorkflow execution of a model, running or not, once the server's visibility lists `expected` of them. */
async function retrainsOf(modelId: string, expected: number): Promise<{ workflowId: string; runId: string }[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found: { workflowId: string; runId: string }[] = [];
    for await (const execution of client.workflow.list({ query: `WorkflowType = 'retrainWorkflow'` })) {
      if (execution.workflowId.startsWith(retrainWorkflowId(modelId)))
        found.push({ workflowId: execution.workflowId, runId: execution.runId });
    }
    if (found.length >= expected || Date.now() > deadline) return found;
    await new Promise((wait) => setTimeout(wait, 250));
  }
}

describe('one retrain per model', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  it('a schedule trigger during a manual retrain is skipped, naming the manual run', async () => {
    const manual = await startRetrain(client, input('alpha'));
    await createRetrainSchedule(client, input('alpha'), { paused: true });

    const triggered = await triggerRetrain(client, 'alpha', WORKFLOW_TEST_TIMEOUT_MS / 3);
    expect(triggered).toMatchObject({ outcome: 'skipped', workflowId: 'retrain-alpha', holderRunId: manual.firstExecutionRunId });

    const { code, stdout } = await cli('schedule', 'trigger', '--model', 'alpha');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `retrain skipped: model 'alpha' already has a retrain running as workflow retrain-alpha, run ${manual.firstExecutionRunId}`,
    );

    expect(await retrainsOf('alpha', 1)).toEqual([{ workflowId: 'retrain-alpha', runId: manual.firstExecutionRunId }]);
    expect((await manual.describe()).status.name).toBe('RUNNING');
  });

  it('a manual retrain during a scheduled one is refused, naming the scheduled run', async () => {
    await createRetrainSchedule(client, input('beta'), { paused: true });
    const triggered = await triggerRetrain(client, 'beta', WORKFLOW_TEST_TIMEOUT_MS / 3);
    expect(triggered).toMatchObject({ outcome: 'started', workflowId: 'retrain-beta' });
    const scheduledRunId = triggered.outcome === 'started' ? triggered.runId : '';

    const refused = await startRetrain(client, input('beta')).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RetrainAlreadyRunningError);
    expect((refused as Error).message).toContain(`workflow retrain-beta, run ${scheduledRunId}`);

    const { code, stderr } = await cli('retrain', '--model', 'beta', '--config', DEMO_CONFIG);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^mmm retrain: .*model 'beta' already has a retrain running: workflow retrain-beta, run ${scheduledRunId}`),
    );

    expect(await retrainsOf('beta', 1)).toEqual([{ workflowId: 'retrain-beta', runId: scheduledRunId }]);
  });

  it('of two triggers, one starts the retrain and the other is skipped, naming it', async () => {
    await createRetrainSchedule(client, input('gamma'), { paused: true });
    const first = await triggerRetrain(client, 'gamma', WORKFLOW_TEST_TIMEOUT_MS / 3);
    const second = await triggerRetrain(client, 'gamma', WORKFLOW_TEST_TIMEOUT_MS / 3);
    expect(first).toMatchObject({ outcome: 'started', workflowId: 'retrain-gamma' });
    const runId = first.outcome === 'started' ? first.runId : '';
    expect(second).toMatchObject({ outcome: 'skipped', workflowId: 'retrain-gamma', holderRunId: runId });
    expect(await retrainsOf('gamma', 1)).toEqual([{ workflowId: 'retrain-gamma', runId }]);
  });

  it('a model free again after its retrain ended can be retrained', async () => {
    const first = await startRetrain(client, input('delta'));
    await first.terminate('ended for the test');
    const second = await startRetrain(client, input('delta'));
    expect(second.firstExecutionRunId).not.toBe(first.firstExecutionRunId);
  });

  it('mmm retrain --wait says when no worker polls the queues the waiting retrain needs', async () => {
    // The only worker here polls workflow tasks; the retrain waits for its first activity on mmm-io.
    const { stdout } = await new Promise<{ stdout: string }>((done, fail) => {
      const child = execFile(
        process.execPath,
        [MMM_BIN, 'retrain', '--model', 'epsilon', '--config', DEMO_CONFIG, '--wait', '--no-worker-after', '3'],
        { env: { ...process.env, TEMPORAL_ADDRESS: harness().env.address } },
      );
      let output = '';
      const timer = setTimeout(() => {
        child.kill();
        fail(new Error(`no warning within 300 s: ${output}`));
      }, 300_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('waiting for a worker')) {
          clearTimeout(timer);
          child.kill();
          done({ stdout: output });
        }
      });
    });
    expect(stdout).toMatch(
      /waiting for a worker: no worker is polling task queue mmm-io for activity tasks \(never polled\); start one with 'mmm worker'/,
    );
  });
});
