/** optimizeWorkflow: constraints in, rows of mmm_recommendations out, answered from the current run's stored surface. */
import { proxyActivities } from '@temporalio/workflow';
import type { MmmActivities } from '../activities/index.ts';
import { optimizeInputSchema, TASK_QUEUES, type OptimizeInput, type OptimizeResult } from '../src/workflow-contracts/contracts.ts';

const { optimizeFromSurface } = proxyActivities<MmmActivities>({
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: '10 minutes',
  // The activity heartbeats while it runs: a killed worker's request is retried in seconds.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

export async function optimizeWorkflow(input: OptimizeInput): Promise<OptimizeResult> {
  return optimizeFromSurface(optimizeInputSchema.parse(input));
}
