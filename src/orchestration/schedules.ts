/**
 * Weekly retrains through Temporal Schedules, one schedule per model. The schedule starts
 * scheduledRetrainWorkflow, which starts the retrain as a child under the model's one retrain id
 * (`retrain-<model>`), so a scheduled or triggered retrain never runs beside another retrain of the
 * model, whoever started that one. The overlap policy is ALLOW_ALL on purpose: the starters last a
 * moment, and each one records whether it started the retrain or which workflow held the model.
 */
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import {
  retrainInputSchema,
  retrainScheduleId,
  scheduledRetrainWorkflowId,
  TASK_QUEUES,
  type RetrainInput,
  type ScheduledRetrainOutcome,
} from '../workflow-contracts/contracts.ts';
import { retrainHolder, SCHEDULED_RETRAIN_WORKFLOW } from './retrain-client.ts';

/** Mondays at 06:00 UTC. */
export const DEFAULT_RETRAIN_CRON = '0 6 * * 1';

export async function createRetrainSchedule(
  client: Client,
  input: RetrainInput,
  options: { cron?: string; paused?: boolean } = {},
): Promise<string> {
  const settings = retrainInputSchema.parse(input);
  const scheduleId = retrainScheduleId(settings.modelId);
  await client.schedule.create({
    scheduleId,
    spec: { cronExpressions: [options.cron ?? DEFAULT_RETRAIN_CRON] },
    action: {
      type: 'startWorkflow',
      workflowType: SCHEDULED_RETRAIN_WORKFLOW,
      args: [settings],
      taskQueue: TASK_QUEUES.io,
      workflowId: scheduledRetrainWorkflowId(settings.modelId),
    },
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '1 day' },
    state: { paused: options.paused ?? false, note: `weekly retrain of model '${settings.modelId}'` },
  });
  return scheduleId;
}

export const retrainSchedule = (client: Client, modelId: string) => client.schedule.getHandle(retrainScheduleId(modelId));

/** What a trigger did; when skipped, `holderRunId` names the run of the retrain that held the model. */
export type TriggeredRetrain = ScheduledRetrainOutcome & { starterWorkflowId: string; holderRunId?: string | null };

/**
 * Starts the schedule's action now and waits (polling, up to `timeoutMs`) for its starter to report:
 * the retrain started, or skipped because another retrain of the model runs.
 */
export async function triggerRetrain(client: Client, modelId: string, timeoutMs = 120_000): Promise<TriggeredRetrain> {
  const handle = retrainSchedule(client, modelId);
  // Actions are told apart by run id: the schedule names its starters by the second, so two triggers
  // within one second start two runs of one workflow id.
  const before = new Set((await handle.describe()).info.recentActions.map((action) => action.action.workflow.firstExecutionRunId));
  await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const action = (await handle.describe()).info.recentActions.find(
      (candidate) => !before.has(candidate.action.workflow.firstExecutionRunId),
    );
    if (action) {
      const { workflowId, firstExecutionRunId } = action.action.workflow;
      const outcome = (await client.workflow.getHandle(workflowId, firstExecutionRunId).result()) as ScheduledRetrainOutcome;
      if (outcome.outcome === 'started') return { ...outcome, starterWorkflowId: workflowId };
      return { ...outcome, starterWorkflowId: workflowId, holderRunId: (await retrainHolder(client, modelId)).runId };
    }
    if (Date.now() > deadline)
      throw new Error(`schedule ${handle.scheduleId} was triggered but started no workflow within ${timeoutMs / 1000} s`);
    await new Promise((wait) => setTimeout(wait, 250));
  }
}
