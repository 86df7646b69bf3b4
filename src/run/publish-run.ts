/**
 * Publishing a fitted run to the warehouse, gated as the retrain workflow gates it (DESIGN.md sections 3,
 * 5 and 6): a fit whose diagnostics failed, or whose surface the calibration refused, is recorded in
 * mmm_runs with status 'rejected' and no run-table rows, and is never promoted; any other run has every
 * table written and then becomes its model's current run (when asked).
 *
 * `publishFittedRun` is the one write step: the retrain workflow's activities (publishRun,
 * recordRejectedRun) call it after their own gates, and `publishRunDirectory` (`mmm publish`) calls it
 * after applying the same gates to a run directory written by `mmm fit`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { mmmConfigSchema } from '../config/schema.ts';
import { CalibrationError } from '../surface/calibration.ts';
import type { ChannelResponseSource } from '../surface/response-source.ts';
import { buildSurfaceRun, MANIFEST_FILE, SURFACE_DIR, type SurfaceProgress } from '../surface/surface-run.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { FitSummary } from './fit-summary.ts';
import { MODEL_INPUT_FILE } from './model-input.ts';
import { assembleRunResults, rejectedRunResults, type RunIdentity } from './publishable-run.ts';
import { readFitSummary } from './run-directory.ts';
import { verifyRun } from '../io/run-manifest.ts';

/** What the gates decided: publish every table (and promote when asked), or record the run as rejected. */
export type RunGate = { status: 'succeeded'; promote: boolean } | { status: 'rejected'; reason: string };

export interface PublishedRun {
  runId: string;
  modelId: string;
  status: RunGate['status'];
  /** Rows written over the run tables (0 for a rejected run: only its mmm_runs row). */
  rows: number;
  promoted: boolean;
  /** Why the gates refused the run; null when it was published. */
  rejection: string | null;
}

const configHolderSchema = z.object({ config: mmmConfigSchema }).loose();

/**
 * The config a run was fitted with: from posterior.json, else from the retrain's input/model-input.json;
 * null for a run directory of `mmm fit` whose diagnostics failed (it keeps only summary.json).
 */
function storedConfig(runDir: string): z.infer<typeof mmmConfigSchema> | null {
  for (const file of ['posterior.json', MODEL_INPUT_FILE]) {
    const path = join(runDir, file);
    if (existsSync(path)) return configHolderSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).config;
  }
  return null;
}

/** Writes a gated run: its mmm_runs row and, unless rejected, every run table; promotes as the gate says. */
export async function publishFittedRun(warehouse: Warehouse, runDir: string, identity: RunIdentity, gate: RunGate): Promise<PublishedRun> {
  // Every publish, from the workflow or from `mmm publish`, passes here: a run that is not committed, or
  // whose files changed after the commit, is refused before anything is written (RunStateError). The
  // surface's posterior hash is checked where the surface is read (loadSurfaceRun: "re-run mmm surface").
  verifyRun(runDir);
  const results =
    gate.status === 'rejected'
      ? rejectedRunResults(runDir, identity, storedConfig(runDir), gate.reason)
      : await assembleRunResults(runDir, identity);
  const report = await warehouse.publish(results, { promote: gate.status === 'succeeded' && gate.promote });
  return {
    runId: report.runId,
    modelId: report.modelId,
    status: gate.status,
    rows: Object.values(report.rows).reduce((a, b) => a + b, 0),
    promoted: report.promoted,
    rejection: gate.status === 'rejected' ? gate.reason : null,
  };
}

/** The rejection reason as the retrain workflow records it: the failure type, then its message. */
export const rejectionReason = (failureType: 'DiagnosticsFailedError' | 'CalibrationError', message: string): string =>
  `${failureType}: ${message}`;

/** The message of the fit activity's DiagnosticsFailedError for a run whose verdict is 'fail'. */
export const diagnosticsFailureMessage = (runId: string, diagnostics: FitSummary['diagnostics']): string =>
  `the fit of run '${runId}' failed its diagnostics: ${diagnostics.reasons.join('; ')}`;

export interface PublishRunDirectoryOptions {
  /** Promote the run when its gates pass (the retrain workflow's default). */
  promote: boolean;
  /** The stored posterior's response source, loaded only when the surface has to be built. */
  loadSource: () => Promise<ChannelResponseSource>;
  onSurfaceProgress?: SurfaceProgress;
}

export interface PublishedRunDirectory extends PublishedRun {
  /** True when the surface was built here (it was missing). */
  surfaceBuilt: boolean;
  /** The fit's verdict from summary.json. */
  verdict: FitSummary['diagnostics']['verdict'];
}

/**
 * A run directory of `mmm fit` through the retrain workflow's gates and into the warehouse: a failed
 * diagnostic verdict is recorded as rejected; a missing surface is built (components, calibration,
 * enumerated scenarios, as the workflow's surface stages do) and a calibration outside its band is
 * recorded as rejected; otherwise every table is written and the run promoted. Re-publishing the same
 * run replaces its rows.
 */
export async function publishRunDirectory(
  warehouse: Warehouse,
  runDir: string,
  identity: RunIdentity,
  options: PublishRunDirectoryOptions,
): Promise<PublishedRunDirectory> {
  const summary = readFitSummary(runDir);
  const { verdict } = summary.diagnostics;
  const finish = async (gate: RunGate, surfaceBuilt: boolean): Promise<PublishedRunDirectory> => ({
    ...(await publishFittedRun(warehouse, runDir, identity, gate)),
    surfaceBuilt,
    verdict,
  });

  if (verdict === 'fail') {
    return finish(
      {
        status: 'rejected',
        reason: rejectionReason('DiagnosticsFailedError', diagnosticsFailureMessage(identity.runId, summary.diagnostics)),
      },
      false,
    );
  }
  let surfaceBuilt = false;
  if (!existsSync(join(runDir, SURFACE_DIR, MANIFEST_FILE))) {
    try {
      await buildSurfaceRun(await options.loadSource(), runDir, { runId: identity.runId }, options.onSurfaceProgress);
    } catch (error) {
      if (error instanceof CalibrationError)
        return finish({ status: 'rejected', reason: rejectionReason('CalibrationError', error.message) }, false);
      throw error;
    }
    surfaceBuilt = true;
  }
  return finish({ status: 'succeeded', promote: options.promote }, surfaceBuilt);
}
