/**
 * The retrain workflow's activities: thin wrappers over src/ that pass run ids and paths. Each one can
 * be re-run after a crash without duplicating anything: each works on a workspace of the run from run
 * storage (src/run/storage/) and saves what it wrote with the run-commit protocol, a finished fit is
 * reused rather than redone, and publishing replaces the run's rows.
 */
import { ApplicationFailure } from '@temporalio/common';
import { loadConfig, parseConfig } from '../src/config/load-config.ts';
import { sampleFitChains } from '../src/fit/fit-mmm.ts';
import type { FitSummary } from '../src/run/fit-summary.ts';
import { reusableFitChain, writeFitChain } from '../src/run/fit-chains.ts';
import type { ActivityEnvironment } from './environment.ts';
import { rawExportsLocation, runStore } from './environment.ts';
import type { RetrainSettings } from '../src/workflow-contracts/contracts.ts';
import { MARTS_FILE, readMartRows, readModelInput, writeMartRows, writeModelInput } from '../src/run/model-input.ts';
import type { RunIdentity } from '../src/run/publishable-run.ts';
import { diagnosticsFailureMessage, publishFittedRun } from '../src/run/publish-run.ts';
import { isRunCommitted } from '../src/io/run-manifest.ts';
import { withRunWorkspace } from '../src/run/storage/run-store.ts';
import { runDbt } from '../src/warehouse/dbt-runner.ts';
import { extractSpecFromConfig, panelFromMarts, readMarts } from '../src/warehouse/extract.ts';
import { withMartExperiments } from '../src/warehouse/extract-experiments.ts';
import { openWarehouse } from '../src/warehouse/open-warehouse.ts';
import type { Warehouse } from '../src/warehouse/warehouse.ts';
import { heartbeatProgress } from './heartbeat.ts';
import { fitHeartbeats } from './retrain-stages.ts';
import { onStageThread } from './stage-thread.ts';

export interface FitOutcome {
  verdict: 'pass' | 'warn';
  maxRhat: number | null;
  divergences: number;
  wallSeconds: number;
}

/** What a chain activity did: sampled its chain, or found it (or the combined fit) stored by an earlier attempt. */
export interface FitChainOutcome {
  chainIndex: number;
  sampled: boolean;
}

/** The workflow's view of a committed fit; a failed diagnostic verdict is a non-retryable DiagnosticsFailedError. */
function fitOutcome(runId: string, { diagnostics, timing }: FitSummary): FitOutcome {
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
    ): Promise<{ geos: number; weeks: number; channels: number; chains: number }> {
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
      return { geos: panel.geos.length, weeks: panel.dates.length, channels: panel.channels.length, chains: config.sampler.chains };
    },

    /**
     * The Bayesian fit, all chains in this activity on worker threads, heartbeating its progress. A fit whose run is
     * committed (src/io/run-manifest.ts) is not redone; a failed diagnostic verdict is a non-retryable DiagnosticsFailedError.
     */
    async fitModel(runId: string): Promise<FitOutcome> {
      return fitOutcome(runId, await writingRun(runId, (dir) => onStageThread('fit', { dir })));
    },

    /**
     * One chain of the fit (retrain input `fanOutChains`), on a worker thread, heartbeating its progress; its
     * result is stored in the run (src/run/fit-chains.ts) for combineChains. A chain an earlier attempt stored is
     * not sampled again; one lost with its worker is, from the same seed, to the same draws.
     */
    async fitChain(runId: string, chainIndex: number): Promise<FitChainOutcome> {
      return writingRun(runId, async (dir) => {
        if (isRunCommitted(dir)) return { chainIndex, sampled: false };
        const { config, panel } = await readModelInput(dir);
        if (reusableFitChain(dir, chainIndex, config.sampler) !== null) return { chainIndex, sampled: false };
        const startedAt = Date.now();
        const [result] = await sampleFitChains(panel, config, { onProgress: fitHeartbeats(config, 1, heartbeatProgress) }, [chainIndex]);
        writeFitChain(dir, { chainIndex, sampler: config.sampler, startedAt, finishedAt: Date.now(), result });
        return { chainIndex, sampled: true };
      });
    },

    /**
     * The fit from the chains fitChain stored: diagnostics and analysis by the single-activity fit's own
     * post-sampling steps (combineFit), committed like fitModel's fit; the chains' files go once it is committed.
     */
    async combineChains(runId: string): Promise<FitOutcome> {
      return fitOutcome(runId, await writingRun(runId, (dir) => onStageThread('combineChains', { dir })));
    },

    /** Response components and calibration; a calibration outside its band is a non-retryable CalibrationError. */
    async prepareSurface(runId: string): Promise<{ calibrationFactor: number; levels: number }> {
      return writingRun(runId, (dir) => onStageThread('prepareSurface', { dir, runId }));
    },

    async enumerateSurfaceChunk(runId: string, chunk: number, chunks: number): Promise<{ scenarios: number }> {
      return writingRun(runId, (dir) => onStageThread('enumerateSurfaceChunk', { dir, chunk, chunks }));
    },

    async assembleSurface(runId: string, chunks: number): Promise<{ scenarios: number }> {
      return writingRun(runId, (dir) => onStageThread('assembleSurface', { dir, chunks }));
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
