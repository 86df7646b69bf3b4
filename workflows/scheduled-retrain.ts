/**
 * scheduledRetrainWorkflow: what the weekly schedule (and `mmm schedule trigger`) starts. It starts the
 * model's retrain as a child under the one id every retrain of the model runs under, `retrain-<model>`,
 * and returns at once (the child is abandoned, not tied to this short workflow). Temporal refuses a
 * child whose id is already running, so a schedule never retrains beside a manual retrain, nor beside
 * its own previous run: the refused start is returned as `skipped`, naming the workflow that holds the model.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import {
  retrainInputSchema,
  retrainWorkflowId,
  type RetrainInput,
  type ScheduledRetrainOutcome,
} from '../src/workflow-contracts/contracts.ts';
import { retrainWorkflow } from './retrain.ts';

export async function scheduledRetrainWorkflow(input: RetrainInput): Promise<ScheduledRetrainOutcome> {
  const settings = retrainInputSchema.parse(input);
  const workflowId = retrainWorkflowId(settings.modelId);
  try {
    const child = await startChild(retrainWorkflow, {
      workflowId,
      args: [settings],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // A finished retrain frees the id; a running one holds it.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    return { outcome: 'started', workflowId, runId: child.firstExecutionRunId };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return {
      outcome: 'skipped',
      workflowId,
      reason: `model '${settings.modelId}' already has a retrain running as workflow ${workflowId}`,
    };
  }
}
