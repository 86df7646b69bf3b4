/** Weekly retrains through Temporal Schedules: one schedule per model, overlap policy SKIP. */
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import { retrainInputSchema, retrainScheduleId, retrainWorkflowId, TASK_QUEUES, type RetrainInput } from './contracts.ts';
import { RETRAIN_WORKFLOW } from './retrain-client.ts';

/** Mondays at 06:00 UTC. */
export const DEFAULT_RETRAIN_CRON = '0 6 * * 1';

export async function createRetrainSchedule(client: Client, input: RetrainInput, options: { cron?: string; paused?: boolean } = {}): Promise<string> {
  const settings = retrainInputSchema.parse(input);
  const scheduleId = retrainScheduleId(settings.modelId);
  await client.schedule.create({
    scheduleId,
    spec: { cronExpressions: [options.cron ?? DEFAULT_RETRAIN_CRON] },
    action: { type: 'startWorkflow', workflowType: RETRAIN_WORKFLOW, args: [settings], taskQueue: TASK_QUEUES.io, workflowId: retrainWorkflowId(settings.modelId) },
    // A retrain still running when the next one is due means the next one is skipped, never stacked.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    state: { paused: options.paused ?? false, note: `weekly retrain of model '${settings.modelId}'` },
  });
  return scheduleId;
}

export const retrainSchedule = (client: Client, modelId: string) => client.schedule.getHandle(retrainScheduleId(modelId));

/** Starts a retrain now, skipped while one of the schedule's retrains runs (the SDK's default would be ALLOW_ALL). */
export async function triggerRetrain(client: Client, modelId: string): Promise<void> {
  await retrainSchedule(client, modelId).trigger(ScheduleOverlapPolicy.SKIP);
}
