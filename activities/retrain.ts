/**
 * The retrain workflow's activities: thin wrappers over src/ that pass run ids and paths. Each one can
 * be re-run after a crash without duplicating anything: each works on a workspace of the run from run
 * storage (src/run/storage/) and saves what it wrote with the run-commit protocol, a finished fit is
 * reused rather than redone, and publishing replaces the run's rows.
 */
import { ApplicationFailure } from '@temporalio/common';
import { loadResponseSource } from '../src/run/mmm-response-source.ts';
import { loadConfig, parseConfig } from '../src/config/load-config.ts';
import { fitMmm } from '../src/fit/fit-mmm.ts';
import type { ActivityEnvironment } from './environment.ts';
import { rawExportsLocation, runStore } from './environment.ts';
import type { RetrainSettings } from '../src/workflow-contracts/contracts.ts';
import { MARTS_FILE, readMartRows, readModelInput, writeMartRows, writeModelInput } from '../src/run/model-input.ts';
import type { RunIdentity } from '../src/run/publishable-run.ts';
import { diagnosticsFailureMessage, publishFittedRun } from '../src/run/publish-run.ts';
import { readFitSummary, writeFitRun } from '../src/run/run-directory.ts';
import { isRunCommitted } from '../src/io/run-manifest.ts';
import { withRunWorkspace } from '../src/run/storage/run-store.ts';
import { assembleSurface, enumerateSurfaceChunk, prepareSurface } from '../src/surface/surface-run.ts';
import { runDbt } from '../src/warehouse/dbt-runner.ts';
import { extractSpecFromConfig, panelFromMarts, readMarts } from '../src/warehouse/extract.ts';
import { withMartExperiments } from '../src/warehouse/extract-experiments.ts';
import { openWarehouse } from '../src/warehouse/open-warehouse.ts';
import type { Warehouse } from '../src/warehouse/warehouse.ts';
import { heartbeatProgress } from './heartbeat.ts';

/** What the fit activity reports in its heartbeats (and `mmm retrain --wait` shows). */
export interface FitHeartbeat {
  /** Iterations done over all chains, warm-up included. */
  iterations: number;
  totalIterations: number;
  /** Divergent transitions after warm-up so far, over all chains. */
  divergences: number;
}

export interface FitOutcome {
  verdict: 'pass' | 'warn';
  maxRhat: number | null;
  divergences: number;
  wallSeconds: number;
}

async function withWarehouse<T>(environment: ActivityEnvironment, use: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse(environment.warehouse);
  try {
    return await use(warehouse);
  } finally {
    await warehouse.close();
  }
}

export function createRetrainActivities(environment: ActivityEnvironment) {
  const store = runStore(environment);
  /** `use` on a workspace of the run; what it wrote is saved to run storage when it returns. */
  const writingRun = <T>(runId: string, use: (dir: string) => T | Promise<T>) => withRunWorkspace(store, runId, { save: true }, use);
  const readingRun = <T>(runId: string, use: (dir: string) => T | Promise<T>) => withRunWorkspace(store, runId, { save: false }, use);
  return {
    /** dbt build: raw exports -> staging -> marts, with dbt's tests. */
    async buildMarts(): Promise<{ succeeded: number }> {
      const result = await runDbt({
        args: ['build'],
        warehouse: environment.warehouse,
        ...rawExportsLocation(environment),
        workDir: environment.dbtWorkDir,
      });
      return { succeeded: result.counts.success ?? 0 };
    },

    /** The marts' rows as they are now, kept in the run directory so validation and fitting see one snapshot. */
    async extractMarts(runId: string): Promise<{ file: string; mediaRows: number }> {
      const marts = await withWarehouse(environment, async (warehouse) => {
        await warehouse.migrate();
        return readMarts(warehouse.db);
      });
      await writingRun(runId, (dir) => writeMartRows(dir, marts));
      return { file: `${store.locate(runId)}/${MARTS_FILE}`, mediaRows: marts.media.length };
    },

    /** The mart rows validated against the model config into the model input; bad data fails here, typed. */
    async validateModelInput(
      runId: string,
      settings: Pick<RetrainSettings, 'configPath' | 'sampler'>,
    ): Promise<{ geos: number; weeks: number; channels: number }> {
      // Refused here, not at publish after the whole fit, when the warehouse cannot take the run's rows.
      await withWarehouse(environment, (warehouse) => warehouse.checkWritable());
      const loaded = loadConfig(settings.configPath);
      // The merged settings parsed with the config's own schema: a bad combination is a ConfigError, not retried.
      const config = parseConfig(
        { ...loaded, sampler: { ...loaded.sampler, ...settings.sampler } },
        `${settings.configPath} with the retrain's sampler overrides`,
      );
      const panel = await writingRun(runId, async (dir) => {
        const marts = await readMartRows(dir);
        const validated = panelFromMarts(marts, extractSpecFromConfig(config));
        writeModelInput(dir, { config: withMartExperiments(config, validated, marts.experiments), panel: validated });
        return validated;
      });
      return { geos: panel.geos.length, weeks: panel.dates.length, channels: panel.channels.length };
    },

    /**
     * The Bayesian fit (chains on worker threads), heartbeating its progress. A fit whose run is
     * committed (src/io/run-manifest.ts) is not redone; a failed diagnostic verdict is a non-retryable DiagnosticsFailedError.
     */
    async fitModel(runId: string): Promise<FitOutcome> {
      const { diagnostics, timing } = await writingRun(runId, async (dir) => {
        if (isRunCommitted(dir)) return readFitSummary(dir);
        const { config, panel } = await readModelInput(dir);
        const done = new Array<number>(config.sampler.chains).fill(0);
        const divergent = new Array<number>(config.sampler.chains).fill(0);
        const totalIterations = config.sampler.chains * (config.sampler.warmup + config.sampler.draws);
        const fit = await fitMmm(panel, config, {
          onProgress: (progress) => {
            done[progress.chain] = progress.iteration;
            if (progress.phase === 'sampling') divergent[progress.chain] = progress.divergences;
            const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
            const heartbeat: FitHeartbeat = { iterations: sum(done), totalIterations, divergences: sum(divergent) };
            heartbeatProgress(heartbeat);
          },
        });
        return writeFitRun(dir, panel, fit);
      });
      if (diagnostics.verdict === 'fail') {
        throw ApplicationFailure.create({
          type: 'DiagnosticsFailedError',
          nonRetryable: true,
          message: diagnosticsFailureMessage(runId, diagnostics),
        });
      }
      return {
        verdict: diagnostics.verdict,
        maxRhat: diagnostics.maxRhat,
        divergences: diagnostics.divergences,
        wallSeconds: timing.wallSeconds,
      };
    },

    /** Response components and calibration; a calibration outside its band is a non-retryable CalibrationError. */
    async prepareSurface(runId: string): Promise<{ calibrationFactor: number; levels: number }> {
      const { calibration, levels } = await writingRun(runId, async (dir) => prepareSurface(await loadResponseSource(dir), dir, { runId }));
      return { calibrationFactor: calibration.factor, levels };
    },

    async enumerateSurfaceChunk(runId: string, chunk: number, chunks: number): Promise<{ scenarios: number }> {
      const { scenarios } = await writingRun(runId, (dir) => enumerateSurfaceChunk(dir, chunk, chunks));
      return { scenarios };
    },

    async assembleSurface(runId: string, chunks: number): Promise<{ scenarios: number }> {
      const { scenarios } = await writingRun(runId, (dir) => assembleSurface(dir, chunks, 0));
      return { scenarios };
    },

    /** Every run table, replacing an earlier attempt's rows; promoted when the workflow's gates passed. */
    async publishRun(identity: Omit<RunIdentity, 'finishedAt'>, promote: boolean): Promise<{ rows: number; promoted: boolean }> {
      const { rows, promoted } = await withWarehouse(environment, (warehouse) =>
        readingRun(identity.runId, (dir) =>
          publishFittedRun(warehouse, dir, { ...identity, finishedAt: new Date().toISOString() }, { status: 'succeeded', promote }),
        ),
      );
      return { rows, promoted };
    },

    /** The mmm_runs row of a run its gates refused, so the refusal is on record next to the runs that passed. */
    async recordRejectedRun(identity: Omit<RunIdentity, 'finishedAt'>, reason: string): Promise<void> {
      await withWarehouse(environment, (warehouse) =>
        readingRun(identity.runId, (dir) =>
          publishFittedRun(warehouse, dir, { ...identity, finishedAt: new Date().toISOString() }, { status: 'rejected', reason }),
        ),
      );
    },
  };
}
