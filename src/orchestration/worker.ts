/**
 * Workers for the two task queues: `io` runs the workflows and the dbt/warehouse activities, `cpu` the
 * fit and the surface. Run both in one process (the demo, a laptop) or each on as many machines as
 * needed; production workers load a prebuilt workflow bundle instead of bundling at start.
 */
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createActivities } from '../../activities/index.ts';
import type { ActivityEnvironment } from '../../activities/environment.ts';
import { TASK_QUEUES, type TaskQueueKind } from '../workflow-contracts/contracts.ts';
import { PROJECT_ROOT } from '../io/runtime-location.ts';

/** Bundled from the TypeScript sources whether the CLI runs them or dist/ (Temporal's bundler compiles them). */
export const WORKFLOWS_PATH = join(PROJECT_ROOT, 'workflows', 'index.ts');

export interface MmmWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  environment: ActivityEnvironment;
  queues: readonly TaskQueueKind[];
  /** Prebuilt workflow bundle (`mmm worker --build-bundle`); bundled from workflows/ when absent. */
  workflowBundle?: { code: string } | { codePath: string };
  /** Concurrent CPU activities per worker; a fit already uses one thread per chain. */
  cpuSlots?: number;
}

/** The workflow bundle as JavaScript source, for a file that production workers load at start. */
export async function buildWorkflowBundle(): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  return code;
}

export async function writeWorkflowBundle(file: string): Promise<void> {
  await writeFile(file, await buildWorkflowBundle());
}

/**
 * The worker passes an activity's heartbeats on to the server up to every 2 s (the SDK's default
 * throttle is 80% of the heartbeat timeout): fit progress shows promptly in `mmm retrain --wait`, and
 * the server sees the activity timers' heartbeats (five per timeout) as they come.
 */
const HEARTBEAT_THROTTLE = { maxHeartbeatThrottleInterval: '2 seconds', defaultHeartbeatThrottleInterval: '2 seconds' } as const;

export async function createMmmWorkers(options: MmmWorkerOptions): Promise<Worker[]> {
  const activities = createActivities(options.environment);
  const workflowBundle = options.workflowBundle ?? { code: await buildWorkflowBundle() };
  return Promise.all(
    options.queues.map((queue) =>
      queue === 'io'
        ? Worker.create({
            connection: options.connection,
            namespace: options.namespace,
            taskQueue: TASK_QUEUES.io,
            workflowBundle,
            activities,
            ...HEARTBEAT_THROTTLE,
          })
        : Worker.create({
            connection: options.connection,
            namespace: options.namespace,
            taskQueue: TASK_QUEUES.cpu,
            activities,
            maxConcurrentActivityTaskExecutions: options.cpuSlots ?? 1,
            ...HEARTBEAT_THROTTLE,
          }),
    ),
  );
}

/** Runs the workers until every one has shut down (after `shutdown()` or a signal). */
export async function runWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.run()));
}
