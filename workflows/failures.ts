/** The typed failures of activities as workflows see and raise them (shared by every workflow). */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { NON_RETRYABLE_FAILURES, type NonRetryableFailure } from '../src/workflow-contracts/contracts.ts';

/** The typed failure behind an activity failure, when it is one of ours. */
export function failureType(error: unknown): NonRetryableFailure | null {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || cause.type == null) return null;
  return (NON_RETRYABLE_FAILURES as readonly string[]).includes(cause.type) ? (cause.type as NonRetryableFailure) : null;
}

/** Fails the workflow with the activity's failure type on top, so callers see it without unwrapping. */
export function typedWorkflowFailure(error: unknown): unknown {
  const type = failureType(error);
  if (type === null || !(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return error;
  return ApplicationFailure.create({ type, message: error.cause.message, nonRetryable: true, cause: error });
}

/** A workflow input refused before any activity runs: typed and not retried (a thrown ZodError would fail the workflow task, retried forever). */
export const invalidInputFailure = (workflow: string, problems: readonly string[]): ApplicationFailure =>
  ApplicationFailure.create({ type: 'ConfigError', message: `invalid ${workflow} input: ${problems.join('; ')}`, nonRetryable: true });
