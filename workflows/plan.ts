/**
 * planWorkflow: a plan request in, the plan tables' rows of one plan_id out, answered from the model's
 * current run (docs/decision-layer.md, "mmm plan"): the current run read and the rows written on the io
 * queue, the plan computed on the cpu queue.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { MmmActivities } from '../activities/index.ts';
import { parseWorkflowInput, planInputSchema, TASK_QUEUES, type PlanInput, type PlanResult } from '../src/workflow-contracts/contracts.ts';
import { invalidInputFailure, typedWorkflowFailure } from './failures.ts';

const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 } as const;

const io = proxyActivities<MmmActivities>({
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: RETRY,
});

// The plan computes on the worker's main thread, whose heartbeat timer cannot fire meanwhile: a longer heartbeat timeout.
const cpu = proxyActivities<MmmActivities>({
  taskQueue: TASK_QUEUES.cpu,
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: RETRY,
});

export async function planWorkflow(input: PlanInput): Promise<PlanResult> {
  const parsed = parseWorkflowInput(planInputSchema, input);
  if ('problems' in parsed) throw invalidInputFailure('plan', parsed.problems);
  const request = parsed.settings;
  try {
    const runId = await io.currentRunOf(request.modelId);
    const answered = await cpu.answerPlanOfRun({ request, runId });
    const rows = await io.writePlanRows(answered.rowsFile);
    return { ...answered, rows };
  } catch (error) {
    throw typedWorkflowFailure(error);
  }
}
