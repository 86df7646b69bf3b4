/**
 * The CPU-heavy stages of a retrain, each a function of a run workspace: the fit with its post-sampling
 * analysis and forecast backtest, the combine of a fanned-out fit (with the backtest), and the three surface stages. The activities run them on a
 * worker thread (stage-thread.ts), so they hold no Temporal context: progress goes to `report`. A thread
 * runs one stage after another, so a stage keeps nothing between calls: no module-level state, here or in
 * the modules it uses.
 */
import { combineFit, fitMmm } from '../src/fit/fit-mmm.ts';
import type { MmmConfig } from '../src/config/schema.ts';
import type { SamplerProgress } from '../src/inference/sampler.ts';
import { isRunCommitted } from '../src/io/run-manifest.ts';
import type { FitSummary } from '../src/run/fit-summary.ts';
import { readFitChains, removeFitChains, sampledChains } from '../src/run/fit-chains.ts';
import { runForecastBacktest } from '../src/run/forecast-backtest.ts';
import { loadResponseSource } from '../src/run/mmm-response-source.ts';
import { readModelInput } from '../src/run/model-input.ts';
import { readFitSummary, writeFitRun } from '../src/run/run-directory.ts';
import { assembleSurface, enumerateSurfaceChunk, prepareSurface } from '../src/surface/surface-run.ts';

/** What the fit activities report in their heartbeats (and `mmm retrain --wait` shows). */
export interface FitHeartbeat {
  /** Iterations done over all chains, warm-up included. */
  iterations: number;
  totalIterations: number;
  /** Divergent transitions after warm-up so far, over all chains. */
  divergences: number;
}

/** Sums the progress of `chains` chains (the whole fit, or one chain of it) into a FitHeartbeat for `report`. */
export function fitHeartbeats(
  config: MmmConfig,
  chains: number,
  report: (heartbeat: FitHeartbeat) => void,
): (progress: SamplerProgress) => void {
  const done = new Map<number, number>();
  const divergent = new Map<number, number>();
  const totalIterations = chains * (config.sampler.warmup + config.sampler.draws);
  const sum = (values: Map<number, number>) => [...values.values()].reduce((a, b) => a + b, 0);
  return (progress) => {
    done.set(progress.chain, progress.iteration);
    if (progress.phase === 'sampling') divergent.set(progress.chain, progress.divergences);
    report({ iterations: sum(done), totalIterations, divergences: sum(divergent) });
  };
}

/** The stages by name; each takes its run workspace (and arguments) and returns what its activity answers. */
export const RETRAIN_STAGES = {
  /** The Bayesian fit, all chains on worker threads; a committed fit (src/io/run-manifest.ts) is read, not redone. */
  async fit({ dir }: { dir: string }, report: (heartbeat: FitHeartbeat) => void): Promise<FitSummary> {
    if (isRunCommitted(dir)) return readFitSummary(dir);
    const { config, panel } = await readModelInput(dir);
    const fit = await fitMmm(panel, config, { onProgress: fitHeartbeats(config, config.sampler.chains, report) });
    const backtest = await runForecastBacktest(panel, config, fit.diagnostics.verdict);
    return writeFitRun(dir, panel, fit, backtest);
  },

  /** The fit from the chains fitChain stored, by the single-activity fit's own post-sampling steps; the chains' files go once it is committed. */
  async combineChains({ dir }: { dir: string }): Promise<FitSummary> {
    if (isRunCommitted(dir)) return readFitSummary(dir);
    const { config, panel } = await readModelInput(dir);
    const fit = combineFit(panel, config, sampledChains(readFitChains(dir, config.sampler)));
    // The backtest's chains run here together: it is national only, where a whole fit takes seconds.
    const backtest = await runForecastBacktest(panel, config, fit.diagnostics.verdict);
    const written = writeFitRun(dir, panel, fit, backtest);
    removeFitChains(dir);
    return written;
  },

  async prepareSurface({ dir, runId }: { dir: string; runId: string }): Promise<{ calibrationFactor: number; levels: number }> {
    const { calibration, levels } = await prepareSurface(await loadResponseSource(dir), dir, { runId });
    return { calibrationFactor: calibration.factor, levels };
  },

  async enumerateSurfaceChunk({ dir, chunk, chunks }: { dir: string; chunk: number; chunks: number }): Promise<{ scenarios: number }> {
    const { scenarios } = await enumerateSurfaceChunk(dir, chunk, chunks);
    return { scenarios };
  },

  async assembleSurface({ dir, chunks }: { dir: string; chunks: number }): Promise<{ scenarios: number }> {
    const { scenarios } = await assembleSurface(dir, chunks, 0);
    return { scenarios };
  },
};

export type RetrainStages = typeof RETRAIN_STAGES;
export type StageName = keyof RetrainStages;
export type StageInput<S extends StageName> = Parameters<RetrainStages[S]>[0];
export type StageOutput<S extends StageName> = Awaited<ReturnType<RetrainStages[S]>>;
