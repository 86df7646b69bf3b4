/**
 * Whether a worker polls the task queues a waiting retrain needs, from the server's record of pollers
 * (DescribeTaskQueue: each poller's last poll). A live worker with a free slot takes a ready task
 * within milliseconds, so a task that has waited N seconds on a queue that no worker has polled for N
 * seconds has no worker. (A live idle worker's last poll can be a minute old — a long poll is recorded
 * when it starts — which is why queues are judged only while a task waits on them.)
 */
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
// The default import: this CommonJS package's named exports are not visible to Node's ESM loader.
import protos from '@temporalio/proto';

const { TaskQueueType } = protos.temporal.api.enums.v1;

/** A task queue and the kind of task waiting on it. */
export interface TaskQueueNeed {
  queue: string;
  tasks: 'workflow' | 'activity';
}

export interface UnpolledQueue extends TaskQueueNeed {
  /** Seconds since a worker last polled it; null when the server has no record of any poller. */
  secondsSinceLastPoll: number | null;
}

/** The needed task queues that no worker has polled for `seconds` or more. */
export async function unpolledQueues(
  client: Client,
  needs: readonly TaskQueueNeed[],
  seconds: number,
  now = Date.now(),
): Promise<UnpolledQueue[]> {
  const polls = await Promise.all(
    needs.map(async ({ queue, tasks }) => {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: queue },
        taskQueueType: tasks === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      });
      const times = (pollers ?? []).map((poller) => optionalTsToMs(poller.lastAccessTime)).filter((ms): ms is number => ms !== undefined);
      return { queue, tasks, secondsSinceLastPoll: times.length > 0 ? (now - Math.max(...times)) / 1000 : null };
    }),
  );
  return polls.filter(({ secondsSinceLastPoll }) => secondsSinceLastPoll === null || secondsSinceLastPoll >= seconds);
}
