/**
 * Every activity a worker registers, bound to the worker's environment, heartbeating while it runs,
 * with typed errors turned into typed Temporal failures. Workflows import only the type of this object.
 */
import type { ActivityEnvironment } from './environment.ts';
import { withFailureTypes } from './failures.ts';
import { withHeartbeats } from './heartbeat.ts';
import { createOptimizeActivities } from './optimize.ts';
import { createPlanActivities } from './plan.ts';
import { createRetrainActivities } from './retrain.ts';

export function createActivities(environment: ActivityEnvironment) {
  return withFailureTypes(
    withHeartbeats({
      ...createRetrainActivities(environment),
      ...createOptimizeActivities(environment),
      ...createPlanActivities(environment),
    }),
  );
}

export type MmmActivities = ReturnType<typeof createActivities>;
