/**
 * Typed errors of src/ become Temporal failures here: the ones retrying cannot fix (bad data, a
 * refused fit, an infeasible request) are non-retryable ApplicationFailures whose type names the
 * error; anything else is rethrown as is, and Temporal retries it.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { NonRetryableFailure } from '../src/workflow-contracts/contracts.ts';
import { DbtRunError } from '../src/warehouse/dbt-runner.ts';

/** Error class names (Error.name) mapped to the failure type a workflow sees. */
const FAILURE_TYPE_BY_ERROR: Record<string, NonRetryableFailure> = {
  DataValidationError: 'DataValidationError',
  RowsRefusedError: 'DataValidationError',
  DiagnosticsFailedError: 'DiagnosticsFailedError',
  CalibrationError: 'CalibrationError',
  ConfigError: 'ConfigError',
  ExtractConfigError: 'ConfigError',
  WarehouseConfigError: 'ConfigError',
  ActivityEnvironmentError: 'ConfigError',
  InfeasibleConstraintError: 'InfeasibleConstraintError',
  ConstraintSyntaxError: 'InfeasibleConstraintError',
  ObjectiveSyntaxError: 'InfeasibleConstraintError',
  UnknownChannelError: 'InfeasibleConstraintError',
  UnknownMarketError: 'InfeasibleConstraintError',
  GeoGroupsError: 'InfeasibleConstraintError',
  MarketObjectiveError: 'InfeasibleConstraintError',
  NotByMarketError: 'InfeasibleConstraintError',
  NoCurrentRunError: 'NoCurrentRunError',
  // A plan request the horizon cannot answer (a channel without budget or flighting to follow, ...).
  HorizonError: 'ConfigError',
};

export function toActivityFailure(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ApplicationFailure) return error;
  // dbt tests that fail on the data will fail again; a dbt crash or a lost connection may not.
  if (error instanceof DbtRunError && error.failed.some((node) => node.status === 'fail')) {
    return ApplicationFailure.create({ type: 'DbtTestFailure', message: error.message, nonRetryable: true, cause: error });
  }
  const type = FAILURE_TYPE_BY_ERROR[error.name];
  return type === undefined ? error : ApplicationFailure.create({ type, message: error.message, nonRetryable: true, cause: error });
}

type Activity = (...args: never[]) => Promise<unknown>;

/** Wraps every activity so its typed errors reach the workflow as typed failures. */
export function withFailureTypes<T extends Record<string, Activity>>(activities: T): T {
  const wrap = <F extends Activity>(activity: F) =>
    (async (...args: Parameters<F>) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw toActivityFailure(error);
      }
    }) as F;
  return Object.fromEntries(Object.entries(activities).map(([name, activity]) => [name, wrap(activity)])) as T;
}
