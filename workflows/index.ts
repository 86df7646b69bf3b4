/** The workflow bundle's entry point: every workflow a worker runs. */
export { optimizeWorkflow } from './optimize.ts';
export { planWorkflow } from './plan.ts';
export { retrainStatusQuery, retrainWorkflow } from './retrain.ts';
export { scheduledRetrainWorkflow } from './scheduled-retrain.ts';
