/**
 * Starting retrains and optimizations, and following a retrain's progress: the workflow's status
 * query (which stage) plus the fit activity's last heartbeat (how far the sampler is).
 */
import { type Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { FitHeartbeat } from '../../activities/retrain.ts';
import {
  optimizeInputSchema, optimizeWorkflowId, retrainInputSchema, retrainWorkflowId, TASK_QUEUES,
  type OptimizeInput, type OptimizeResult, type RetrainInput, type RetrainResult, type RetrainStatus,
} from './contracts.ts';

export const RETRAIN_WORKFLOW = 'retrainWorkflow';
export const OPTIMIZE_WORKFLOW = 'optimizeWorkflow';
const STATUS_QUERY = 'retrainStatus';

export async function startRetrain(client: Client, input: RetrainInput): Promise<WorkflowHandle> {
  const settings = retrainInputSchema.parse(input);
  return client.workflow.start(RETRAIN_WORKFLOW, {
    workflowId: retrainWorkflowId(settings.modelId), taskQueue: TASK_QUEUES.io, args: [settings],
  });
}

export async function runOptimize(client: Client, input: OptimizeInput): Promise<OptimizeResult> {
  const request = optimizeInputSchema.parse(input);
  return client.workflow.execute(OPTIMIZE_WORKFLOW, {
    workflowId: optimizeWorkflowId(request.requestId), taskQueue: TASK_QUEUES.io, args: [request],
  }) as Promise<OptimizeResult>;
}

export interface RetrainProgress {
  status: RetrainStatus | null;
  /** The fit activity's last heartbeat, while it runs. */
  fit: FitHeartbeat | null;
  /** Attempt of the running activity (2 and more after a retry). */
  attempt: number;
}

async function retrainProgress(handle: WorkflowHandle): Promise<RetrainProgress> {
  const status = await handle.query<RetrainStatus>(STATUS_QUERY).catch(() => null);
  const { raw } = await handle.describe();
  const pending = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'fitModel');
  const payload = pending?.heartbeatDetails?.payloads?.[0];
  const fit = payload ? defaultPayloadConverter.fromPayload<FitHeartbeat>(payload) : null;
  return { status, fit, attempt: pending?.attempt ?? 1 };
}

/** Polls the retrain until it ends, reporting progress; resolves with its result or rejects with its failure. */
export async function followRetrain(handle: WorkflowHandle, onProgress: (progress: RetrainProgress) => void, intervalMs = 1000): Promise<RetrainResult> {
  const result = handle.result() as Promise<RetrainResult>;
  let finished = false;
  void result.then(() => { finished = true; }, () => { finished = true; });
  while (!finished) {
    await Promise.race([result.catch(() => undefined), new Promise((wait) => setTimeout(wait, intervalMs))]);
    if (!finished) onProgress(await retrainProgress(handle).catch(() => ({ status: null, fit: null, attempt: 1 })));
  }
  return result;
}
