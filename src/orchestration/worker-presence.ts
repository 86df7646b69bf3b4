/**
 * Whether any worker is polling the task queues a retrain needs, from the server's record of pollers
 * (DescribeTaskQueue): each poller's last poll time. A worker that was killed stops polling, so its queues
 * age; a busy worker whose slots are all taken also stops polling one queue, which is why callers ask
 * only when nothing of the retrain is running.
 */
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
// The default import: this CommonJS package's named exports are not visible to Node's ESM loader.
import protos from '@temporalio/proto';
import { TASK_QUEUES } from './contracts.ts';

const { TaskQueueType } = protos.temporal.api.enums.v1;

/** What a retrain polls for: workflow and activity tasks on the io queue, activity tasks on the cpu queue. */
const RETRAIN_POLLS = [
  { queue: TASK_QUEUES.io, type: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW },
  { queue: TASK_QUEUES.io, type: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY },
  { queue: TASK_QUEUES.cpu, type: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY },
] as const;

export interface UnpolledQueue {
  queue: string;
  /** Seconds since a worker last polled it; null when the server has no record of any poller. */
  secondsSinceLastPoll: number | null;
}

/** The retrain's task queues that no worker has polled for `seconds` or more (each queue once). */
export async function unpolledRetrainQueues(client: Client, seconds: number, now = Date.now()): Promise<UnpolledQueue[]> {
  const latestPoll = new Map<string, number | null>();
  for (const { queue, type } of RETRAIN_POLLS) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace, taskQueue: { name: queue }, taskQueueType: type,
    });
    const times = (pollers ?? []).map((poller) => optionalTsToMs(poller.lastAccessTime)).filter((ms): ms is number => ms !== undefined);
    const latest = times.length > 0 ? Math.max(...times) : null;
    // A queue counts as polled when either of its task types was.
    const previous = latestPoll.get(queue);
    latestPoll.set(queue, previous == null ? latest : latest === null ? previous : Math.max(previous, latest));
  }
  return [...latestPoll].flatMap(([queue, latest]) => {
    const secondsSinceLastPoll = latest === null ? null : (now - latest) / 1000;
    return secondsSinceLastPoll === null || secondsSinceLastPoll >= seconds ? [{ queue, secondsSinceLastPoll }] : [];
  });
}
