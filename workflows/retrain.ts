/**
 * retrainWorkflow (DESIGN.md section 6): dbt build -> extract -> validate -> fit (one activity, or one per
 * chain and a combine under `fanOutChains`) -> surface (components
 * and calibration, then budget-level chunks fanned out in parallel, then assembled) -> publish, and
 * promote when the gates pass. A fit refused by its diagnostics or its calibration is recorded as a
 * rejected run and fails the workflow with that failure's type. Deterministic code only.
 */
import { ActivityFailure, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { MmmActivities } from '../activities/index.ts';
import { failureType, invalidInputFailure, typedWorkflowFailure } from './failures.ts';
import {
  parseRetrainInput,
  REJECTION_FAILURES,
  TASK_QUEUES,
  type RetrainInput,
  type RetrainResult,
  type RetrainStatus,
} from '../src/workflow-contracts/contracts.ts';

export const retrainStatusQuery = defineQuery<RetrainStatus>('retrainStatus');

const RETRY = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 } as const;

/**
 * Every activity heartbeats while it runs, so one whose worker died is retried after the heartbeat
 * timeout, not after its start-to-close bound: dbt and the warehouse on the io queue, the fit and the
 * surface stages on the cpu queue. The cpu stages compute on threads of their own
 * (activities/stage-thread.ts), so their heartbeats keep coming however long a stage computes.
 */
function activities(heartbeatTimeoutSeconds: number) {
  const heartbeatTimeout = `${heartbeatTimeoutSeconds} seconds`;
  return {
    io: proxyActivities<MmmActivities>({ taskQueue: TASK_QUEUES.io, startToCloseTimeout: '1 hour', heartbeatTimeout, retry: RETRY }),
    fitting: proxyActivities<MmmActivities>({ taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '6 hours', heartbeatTimeout, retry: RETRY }),
    /** The combine of a fanned-out fit and the surface stages. */
    surface: proxyActivities<MmmActivities>({ taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '1 hour', heartbeatTimeout, retry: RETRY }),
  };
}

/** 2026-11-24T06:05:09.123Z -> 20261124060509 */
const timestamp = (date: Date): string => date.toISOString().replace(/[-:T]/g, '').slice(0, 14);

export async function retrainWorkflow(input: RetrainInput): Promise<RetrainResult> {
  const parsed = parseRetrainInput(input);
  if ('problems' in parsed) throw invalidInputFailure('retrain', parsed.problems);
  const { settings } = parsed;
  const info = workflowInfo();
  const runId = `${settings.modelId}-${timestamp(info.startTime)}-${info.runId.slice(0, 8)}`;
  const identity = { runId, modelId: settings.modelId, createdAt: info.startTime.toISOString() };
  const status: RetrainStatus = { runId, stage: 'dbt', surfaceChunksDone: 0, surfaceChunks: settings.surfaceChunks };
  setHandler(retrainStatusQuery, () => status);
  const { io, fitting, surface } = activities(settings.heartbeatTimeoutSeconds);
  let chains: number;

  try {
    if (settings.dbtBuild) await io.buildMarts();
    status.stage = 'extract';
    await io.extractMarts(runId);
    status.stage = 'validate';
    ({ chains } = await io.validateModelInput(runId, { configPath: settings.configPath, sampler: settings.sampler }));
  } catch (error) {
    throw typedWorkflowFailure(error);
  }

  let fit;
  let calibrationFactor;
  let scenarios;
  try {
    status.stage = 'fit';
    if (settings.fanOutChains) {
      // One activity per chain, each on whichever cpu worker takes it; the combine waits for all of them.
      await Promise.all(Array.from({ length: chains }, (_, chain) => fitting.fitChain(runId, chain)));
      fit = await surface.combineChains(runId);
    } else {
      fit = await fitting.fitModel(runId);
    }
    status.stage = 'surface';
    ({ calibrationFactor } = await surface.prepareSurface(runId));
    const chunks = Array.from({ length: settings.surfaceChunks }, (_, chunk) => chunk);
    await Promise.all(
      chunks.map(async (chunk) => {
        await surface.enumerateSurfaceChunk(runId, chunk, settings.surfaceChunks);
        status.surfaceChunksDone += 1;
      }),
    );
    ({ scenarios } = await surface.assembleSurface(runId, settings.surfaceChunks));
  } catch (error) {
    const type = failureType(error);
    if (type !== null && REJECTION_FAILURES.includes(type)) {
      status.stage = 'rejected';
      await io.recordRejectedRun(
        identity,
        `${type}: ${error instanceof ActivityFailure && error.cause ? error.cause.message : String(error)}`,
      );
    }
    throw typedWorkflowFailure(error);
  }

  status.stage = 'publish';
  const published = await io.publishRun(identity, settings.promote);
  status.stage = 'done';
  return {
    runId,
    modelId: settings.modelId,
    verdict: fit.verdict,
    calibrationFactor,
    scenarios,
    rowsWritten: published.rows,
    promoted: published.promoted,
  };
}
