/**
 * The weekly retrain schedule on a real Temporal dev server: weekly, starting scheduledRetrainWorkflow;
 * a trigger starts the retrain as retrain-<model>, which completes and promotes; a second trigger while
 * it runs is skipped, naming the running retrain.
 */
import { describe, expect, it } from 'vitest';
import type { RetrainResult } from '../../src/workflow-contracts/contracts.ts';
import { createRetrainSchedule, DEFAULT_RETRAIN_CRON, retrainSchedule, triggerRetrain } from '../../src/orchestration/schedules.ts';
import { inProcessWorkers, TEST_SAMPLER, useTemporalHarness, WORKFLOW_TEST_TIMEOUT_MS } from '../support/temporal-harness.ts';

const harness = useTemporalHarness('schedules', inProcessWorkers());

describe('weekly retrain schedule', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  it('is weekly; a trigger retrains as retrain-<model> and promotes, a second trigger during the retrain is skipped', async () => {
    const { client } = harness().env;
    await createRetrainSchedule(client, {
      modelId: 'demo',
      configPath: harness().coarseDemoConfig,
      sampler: TEST_SAMPLER,
      surfaceChunks: 2,
    });
    const handle = retrainSchedule(client, 'demo');
    const description = await handle.describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'scheduledRetrainWorkflow',
      workflowId: 'scheduled-retrain-demo',
    });
    expect(description.spec.calendars?.[0]).toMatchObject({
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
      hour: [{ start: 6, end: 6, step: 1 }],
    });
    expect(DEFAULT_RETRAIN_CRON).toBe('0 6 * * 1');

    // The bound is generous: the dev server's scheduler may take long to act on a trigger on a busy machine.
    const started = await triggerRetrain(client, 'demo', WORKFLOW_TEST_TIMEOUT_MS / 3);
    expect(started).toMatchObject({
      outcome: 'started',
      workflowId: 'retrain-demo',
      starterWorkflowId: expect.stringMatching(/^scheduled-retrain-demo-/),
    });
    const runId = started.outcome === 'started' ? started.runId : '';

    const skipped = await triggerRetrain(client, 'demo', WORKFLOW_TEST_TIMEOUT_MS / 3);
    expect(skipped).toMatchObject({ outcome: 'skipped', workflowId: 'retrain-demo', holderRunId: runId });

    const result = (await client.workflow.getHandle('retrain-demo', runId).result()) as RetrainResult;
    expect(result.promoted).toBe(true);
    expect(await harness().withWarehouse((w) => w.currentRun('demo'))).toBe(result.runId);
    expect((await handle.describe()).info.recentActions).toHaveLength(2);
    await handle.delete();
  });
});
