/**
 * Starting retrains and optimizations, and following a retrain's progress: the workflow's status
 * query (which stage), the fit activity's last heartbeat (how far the sampler is), and whether a
 * worker is there to do the work when the retrain waits.
 */
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { defaultPayloadConverter, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
// The default import: this CommonJS package's named exports are not visible to Node's ESM loader.
import protos from '@temporalio/proto';
import type { FitHeartbeat } from '../../activities/retrain-stages.ts';
import {
  optimizeInputSchema,
  optimizeWorkflowId,
  planInputSchema,
  planWorkflowId,
  retrainInputSchema,
  retrainWorkflowId,
  TASK_QUEUES,
  type OptimizeInput,
  type OptimizeResult,
  type PlanInput,
  type PlanResult,
  type RetrainInput,
  type RetrainResult,
  type RetrainStatus,
} from '../workflow-contracts/contracts.ts';
import { type TaskQueueNeed, unpolledQueues, type UnpolledQueue } from './worker-presence.ts';

export const RETRAIN_WORKFLOW = 'retrainWorkflow';
export const SCHEDULED_RETRAIN_WORKFLOW = 'scheduledRetrainWorkflow';
export const OPTIMIZE_WORKFLOW = 'optimizeWorkflow';
export const PLAN_WORKFLOW = 'planWorkflow';
const STATUS_QUERY = 'retrainStatus';

/** A retrain refused because another retrain of the model runs (started by anyone: CLI, API, schedule). */
export class RetrainAlreadyRunningError extends Error {
  override readonly name = 'RetrainAlreadyRunningError';
  constructor(
    readonly modelId: string,
    readonly workflowId: string,
    readonly runId: string | null,
    startedAt: Date | null,
  ) {
    super(
      `model '${modelId}' already has a retrain running: workflow ${workflowId}, run ${runId ?? 'unknown'}` +
        `${startedAt ? ` (started ${startedAt.toISOString()})` : ''}. One retrain per model at a time: wait for it to end, ` +
        `or follow it with 'temporal workflow show --workflow-id ${workflowId}'`,
    );
  }
}

/** Which run holds a model's retrain workflow id; null fields when it ended in the meantime. */
export async function retrainHolder(client: Client, modelId: string): Promise<{ runId: string | null; startedAt: Date | null }> {
  const description = await client.workflow
    .getHandle(retrainWorkflowId(modelId))
    .describe()
    .catch(() => null);
  return description?.status.name === 'RUNNING'
    ? { runId: description.runId, startedAt: description.startTime }
    : { runId: null, startedAt: null };
}

/** Starts the model's retrain under its one id; refused, naming the holder, while another one runs. */
export async function startRetrain(client: Client, input: RetrainInput): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const settings = retrainInputSchema.parse(input);
  const workflowId = retrainWorkflowId(settings.modelId);
  try {
    return await client.workflow.start(RETRAIN_WORKFLOW, {
      workflowId,
      taskQueue: TASK_QUEUES.io,
      args: [settings],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const holder = await retrainHolder(client, settings.modelId);
    throw new RetrainAlreadyRunningError(settings.modelId, workflowId, holder.runId, holder.startedAt);
  }
}

export async function runOptimize(client: Client, input: OptimizeInput): Promise<OptimizeResult> {
  const request = optimizeInputSchema.parse(input);
  return client.workflow.execute(OPTIMIZE_WORKFLOW, {
    workflowId: optimizeWorkflowId(request.requestId),
    taskQueue: TASK_QUEUES.io,
    args: [request],
  }) as Promise<OptimizeResult>;
}

export async function runPlan(client: Client, input: PlanInput): Promise<PlanResult> {
  const request = planInputSchema.parse(input);
  return client.workflow.execute(PLAN_WORKFLOW, {
    workflowId: planWorkflowId(request.planId),
    taskQueue: TASK_QUEUES.io,
    args: [request],
  }) as Promise<PlanResult>;
}

export interface RetrainProgress {
  status: RetrainStatus | null;
  /** The fit activity's last heartbeat, while it runs. */
  fit: FitHeartbeat | null;
  /** Attempt of the running activity (2 and more after a retry). */
  attempt: number;
  /** While the retrain has waited `noWorkerSeconds` with nothing running: the queues no worker has polled that long. */
  unpolled: UnpolledQueue[];
}

const { PendingActivityState, PendingWorkflowTaskState } = protos.temporal.api.enums.v1;

interface Snapshot {
  progress: Omit<RetrainProgress, 'unpolled'>;
  /** While nothing of the retrain runs on a worker: the queues of its tasks that are ready for one (not in a retry's backoff). */
  waitingOn: TaskQueueNeed[];
}

async function snapshot(handle: WorkflowHandle, now: number): Promise<Snapshot> {
  const status = await handle.query<RetrainStatus>(STATUS_QUERY).catch(() => null);
  const { raw } = await handle.describe();
  const activities = raw.pendingActivities ?? [];
  const pending = activities.find((activity) => activity.activityType?.name === 'fitModel');
  const payload = pending?.heartbeatDetails?.payloads?.[0];
  // A heartbeat before the first progress carries no details.
  const fit = (payload ? defaultPayloadConverter.fromPayload<FitHeartbeat | undefined>(payload) : null) ?? null;
  const workflowTask = raw.pendingWorkflowTask;
  const running =
    activities.some((a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) ||
    workflowTask?.state === PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED;
  const readyActivityQueues = activities
    .filter(
      (a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED && (optionalTsToMs(a.nextAttemptScheduleTime) ?? 0) <= now,
    )
    .flatMap((a) => a.activityOptions?.taskQueue?.name ?? Object.values(TASK_QUEUES));
  const waitingOn: TaskQueueNeed[] = [
    ...(workflowTask?.state === PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED
      ? [{ queue: TASK_QUEUES.io, tasks: 'workflow' as const }]
      : []),
    ...[...new Set(readyActivityQueues)].map((queue) => ({ queue, tasks: 'activity' as const })),
  ];
  return { progress: { status, fit, attempt: pending?.attempt ?? 1 }, waitingOn: running ? [] : waitingOn };
}

export interface FollowOptions {
  intervalMs?: number;
  /** Report the queues no worker has polled after the retrain has waited this long for one (seconds). */
  noWorkerSeconds?: number;
}

/** Default of FollowOptions.noWorkerSeconds: a live worker with a free slot takes a ready task within milliseconds. */
export const NO_WORKER_SECONDS = 20;

/** Polls the retrain until it ends, reporting progress; resolves with its result or rejects with its failure. */
export async function followRetrain(
  client: Client,
  handle: WorkflowHandle,
  onProgress: (progress: RetrainProgress) => void,
  { intervalMs = 1000, noWorkerSeconds = NO_WORKER_SECONDS }: FollowOptions = {},
): Promise<RetrainResult> {
  const result = handle.result() as Promise<RetrainResult>;
  let finished = false;
  void result.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  let waitingSince: number | null = null;
  while (!finished) {
    await Promise.race([result.catch(() => undefined), new Promise((wait) => setTimeout(wait, intervalMs))]);
    if (finished) break;
    const now = Date.now();
    const seen = await snapshot(handle, now).catch(() => null);
    if (seen === null) continue;
    waitingSince = seen.waitingOn.length > 0 ? (waitingSince ?? now) : null;
    const unpolled =
      waitingSince !== null && now - waitingSince >= noWorkerSeconds * 1000
        ? await unpolledQueues(client, seen.waitingOn, noWorkerSeconds, now).catch(() => [])
        : [];
    onProgress({ ...seen.progress, unpolled });
  }
  return result;
}
