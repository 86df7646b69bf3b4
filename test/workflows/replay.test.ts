/**
 * Determinism: the committed history of a real retrain (recorded by retrain-workflow.test.ts with
 * MMM_RECORD_RETRAIN_HISTORY=test/workflows/fixtures/retrain-history.json) replays against the current
 * workflow code. A change that would break running retrains fails here with a nondeterminism error.
 */
import { readFileSync } from 'node:fs';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { RetrainResult } from '../../src/workflow-contracts/contracts.ts';
import { buildWorkflowBundle } from '../../src/orchestration/worker.ts';
import { WORKFLOW_TEST_TIMEOUT_MS } from '../support/temporal-harness.ts';

const HISTORY = new URL('./fixtures/retrain-history.json', import.meta.url);

/**
 * The fixture is the history's protobuf JSON (JSON.stringify of the fetched history). Read with the
 * proto package's own decoder: @temporalio/common's historyFromJSON trips over the second protobufjs
 * copy npm nests next to it here ("type must be a Type").
 */
const readHistory = () => temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(HISTORY, 'utf8')) as Record<string, unknown>);

describe('retrainWorkflow replay', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  it('replays the committed history of a completed retrain without nondeterminism', async () => {
    const history = readHistory();
    const events = history.events ?? [];
    expect(events[0].workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('retrainWorkflow');
    const completed = events.at(-1)?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
    expect(completed).toBeDefined();
    expect(defaultPayloadConverter.fromPayload<RetrainResult>(completed!)).toMatchObject({
      modelId: 'demo',
      runId: expect.stringMatching(/^demo-\d{14}-/),
      promoted: true,
    });
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes).length).toBeGreaterThanOrEqual(9);
    const workflowBundle = { code: await buildWorkflowBundle() };
    await expect(Worker.runReplayHistory({ workflowBundle }, history, 'retrain-demo')).resolves.toBeUndefined();
  });

  it('fails the replay when the history does not match the workflow code', async () => {
    const history = readHistory();
    // The first activity the workflow schedules is buildMarts; a history claiming another one cannot be replayed.
    const scheduled = (history.events ?? []).find((e) => e.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType!.name = 'someOtherActivity';
    const workflowBundle = { code: await buildWorkflowBundle() };
    await expect(Worker.runReplayHistory({ workflowBundle }, history, 'retrain-demo')).rejects.toThrow(
      /[Nn]ondeterminism|DeterminismViolation/,
    );
  });
});
