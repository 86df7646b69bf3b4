/**
 * Runs NUTS chains, each after a warm-up that adapts the step size and the metric (warmup.ts, metric-choice.ts):
 * in the current thread (`sampleChain`, `sampleInProcess`) or on worker threads (`sampleParallel`).
 * A chain's draws depend only on (target, seed, chain index, settings), so both paths give
 * bit-identical draws.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { type LogDensity, type TargetSpec, targetSpecSchema } from './log-density.ts';
import { NutsKernel } from './nuts.ts';
import { createMetric, metricChoiceFor } from './metric-choice.ts';
import { inverseMetricDiagonal, metricStateSchema } from './metric.ts';
import { createRng, type Rng } from '../math/rng.ts';
import { type SamplerSettings, samplerSettingsSchema } from './sampler-settings.ts';
import { createWarmup } from './warmup.ts';
import { runtimeModuleUrl, WORKER_THREAD_EXEC_ARGV } from '../io/runtime-location.ts';

export const samplerProgressSchema = z
  .object({
    chain: z.number().int().min(0),
    /** Iterations completed, warm-up included. */
    iteration: z.number().int().min(0),
    totalIterations: z.number().int().min(1),
    phase: z.enum(['warmup', 'sampling']),
    /** Divergent transitions so far in the current phase. */
    divergences: z.number().int().min(0),
  })
  .strict();

export type SamplerProgress = z.infer<typeof samplerProgressSchema>;

export type SampleOptions = z.input<typeof samplerSettingsSchema> & {
  /** Called at every 1% of a chain's iterations and at the end of warm-up. */
  onProgress?: (progress: SamplerProgress) => void;
};

export const chainResultSchema = z
  .object({
    /** draws x dim, row-major, unconstrained space. */
    draws: z.instanceof(Float64Array),
    logDensity: z.instanceof(Float64Array),
    divergent: z.instanceof(Uint8Array),
    treeDepth: z.instanceof(Uint8Array),
    /** Hamiltonian at each draw (for E-BFMI). */
    energy: z.instanceof(Float64Array),
    acceptStat: z.instanceof(Float64Array),
    nLeapfrog: z.instanceof(Int32Array),
    /** Leapfrog steps (gradient evaluations) of the warm-up transitions, step-size searches left out. */
    warmupLeapfrog: z.number().int().min(0),
    /** Warm-up iterations the chain ran: the `warmup` cap, or fewer once its adaptation settled. */
    warmupIterations: z.number().int().min(0),
    /** Adapted step size used for every draw. */
    stepSize: z.number(),
    /** Diagonal of the adapted M^-1 (the per-coordinate variances the metric assumes). */
    inverseMetric: z.instanceof(Float64Array),
    /** The adapted metric itself: its kind, D and, for a metric that follows correlations, its eigenpairs. */
    metric: metricStateSchema,
    warmupSeconds: z.number(),
    samplingSeconds: z.number(),
  })
  .strict();

export type ChainResult = z.infer<typeof chainResultSchema>;

export interface SampleResult {
  dim: number;
  chains: ChainResult[];
  wallSeconds: number;
}

/** What a chain worker receives as workerData. */
export const chainWorkerDataSchema = z.object({ spec: targetSpecSchema, settings: samplerSettingsSchema }).strict();
/** Main thread -> worker: run this chain. */
export const runChainMessageSchema = z.object({ chainIndex: z.number().int().min(0) }).strict();

export type RunChainMessage = z.infer<typeof runChainMessageSchema>;

/** Worker -> main thread. */
export const chainWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: samplerProgressSchema }).strict(),
  z.object({ type: z.literal('result'), chainIndex: z.number().int().min(0), result: chainResultSchema }).strict(),
]);

export type ChainWorkerMessage = z.infer<typeof chainWorkerMessageSchema>;

export class SamplerOptionsError extends Error {
  constructor(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    const listed = issues.map((issue) => `'${issue.path.map(String).join('.') || '(options)'}': ${issue.message}`);
    super(`invalid sampler options: ${listed.join('; ')}`);
    this.name = 'SamplerOptionsError';
  }
}

export class InitializationError extends Error {
  readonly chain: number;

  constructor(chain: number, problem: string) {
    super(`chain ${chain}: cannot initialise: ${problem}`);
    this.name = 'InitializationError';
    this.chain = chain;
  }
}

export class ChainFailedError extends Error {
  readonly chain: number;

  constructor(chain: number, problem: string, cause?: unknown) {
    super(`chain ${chain} failed: ${problem}`, { cause });
    this.name = 'ChainFailedError';
    this.chain = chain;
  }
}

/** Validates the options and fills defaults; the callback stays with the caller. */
function parseSettings({ onProgress: _onProgress, ...options }: SampleOptions): SamplerSettings {
  const parsed = samplerSettingsSchema.safeParse(options);
  if (!parsed.success) throw new SamplerOptionsError(parsed.error.issues);
  return parsed.data;
}

/** Stan's default: retry up to 100 random inits until log p and its gradient are finite. */
const MAX_INIT_ATTEMPTS = 100;
/** Stan's default init: uniform(-2, 2) on every unconstrained coordinate. */
const INIT_RADIUS = 2;

/** Why (theta, log p, grad) is unusable as a starting state, or null when all are finite. */
function nonFiniteProblem(theta: Float64Array, logDensity: number, grad: Float64Array): string | null {
  for (let i = 0; i < theta.length; i++) if (!Number.isFinite(theta[i])) return `theta[${i}] is ${theta[i]}`;
  if (!Number.isFinite(logDensity)) return `log density is ${logDensity}`;
  for (let i = 0; i < grad.length; i++) if (!Number.isFinite(grad[i])) return `gradient[${i}] is ${grad[i]}`;
  return null;
}

function findInitialPoint(target: LogDensity, rng: Rng, chain: number): Float64Array {
  const grad = new Float64Array(target.dim);
  let lastProblem = '';
  for (let attempt = 0; attempt < MAX_INIT_ATTEMPTS; attempt++) {
    const theta = target.initialPoint
      ? target.initialPoint(rng)
      : Float64Array.from({ length: target.dim }, () => INIT_RADIUS * (2 * rng.uniform() - 1));
    if (theta.length !== target.dim) {
      throw new InitializationError(chain, `initialPoint returned ${theta.length} values for a target of dim ${target.dim}`);
    }
    const problem = nonFiniteProblem(theta, target.logDensityGradient(theta, grad), grad);
    if (problem === null) return theta;
    lastProblem = problem;
  }
  throw new InitializationError(
    chain,
    `no finite log density and gradient in ${MAX_INIT_ATTEMPTS} attempts (last attempt: ${lastProblem})`,
  );
}

/** Progress callbacks at every 1% of the iterations, at the end of warm-up and at the end. */
function progressReporter(chain: number, settings: SamplerSettings, onProgress: SampleOptions['onProgress']) {
  const totalIterations = settings.warmup + settings.draws;
  const every = Math.max(1, Math.ceil(totalIterations / 100));
  return (iteration: number, divergences: number): void => {
    const due = iteration % every === 0 || iteration === settings.warmup || iteration === totalIterations;
    if (!onProgress || !due) return;
    const phase = iteration <= settings.warmup ? 'warmup' : 'sampling';
    onProgress({ chain, iteration, totalIterations, phase, divergences });
  };
}

const secondsSince = (start: number): number => (performance.now() - start) / 1000;

/** Runs one chain (warm-up then sampling) in the current thread; the chain index selects the RNG stream. */
export function sampleChain(target: LogDensity, chainIndex: number, opts: SampleOptions): ChainResult {
  const settings = parseSettings(opts);
  if (!Number.isSafeInteger(chainIndex) || chainIndex < 0) {
    throw new SamplerOptionsError([{ path: ['chainIndex'], message: `must be a non-negative integer, got ${chainIndex}` }]);
  }
  const { warmup, draws } = settings;
  const dim = target.dim;
  const report = progressReporter(chainIndex, settings, opts.onProgress);
  const warmupStart = performance.now();

  const rng = createRng(settings.seed, chainIndex);
  const choice = metricChoiceFor(settings.metricAdaptation, dim, target.correlated ?? true);
  const metric = createMetric(choice.kind, dim);
  const kernel = new NutsKernel(target, rng, findInitialPoint(target, rng, chainIndex), settings.maxTreeDepth, metric);
  const adaptation = createWarmup(choice.warmup, kernel, warmup, settings.targetAccept);
  let divergences = 0;
  let warmupLeapfrog = 0;
  let warmupIterations = 0;
  // `warmup` is a cap: the adaptation may finish earlier (warmup-settling.ts).
  while (warmupIterations < warmup && !adaptation.done) {
    const stats = kernel.transition();
    warmupLeapfrog += stats.nLeapfrog;
    adaptation.adapt(warmupIterations, stats);
    warmupIterations += 1;
    if (stats.divergent) divergences += 1;
    report(warmupIterations, divergences);
  }
  // Progress counts the cap's iterations: a warm-up that ended early reports the rest as done.
  if (warmupIterations < warmup) report(warmup, divergences);
  adaptation.finish();
  const warmupSeconds = secondsSince(warmupStart);

  const samplingStart = performance.now();
  const metricState = metric.state();
  const result: ChainResult = {
    draws: new Float64Array(draws * dim),
    logDensity: new Float64Array(draws),
    divergent: new Uint8Array(draws),
    treeDepth: new Uint8Array(draws),
    energy: new Float64Array(draws),
    acceptStat: new Float64Array(draws),
    nLeapfrog: new Int32Array(draws),
    warmupLeapfrog,
    warmupIterations,
    stepSize: kernel.stepSize,
    inverseMetric: inverseMetricDiagonal(metricState),
    metric: metricState,
    warmupSeconds,
    samplingSeconds: 0,
  };
  divergences = 0;
  for (let draw = 0; draw < draws; draw++) {
    const stats = kernel.transition();
    result.draws.set(kernel.position, draw * dim);
    result.logDensity[draw] = kernel.logDensity;
    result.divergent[draw] = stats.divergent ? 1 : 0;
    result.treeDepth[draw] = stats.treeDepth;
    result.energy[draw] = stats.energy;
    result.acceptStat[draw] = stats.acceptStat;
    result.nLeapfrog[draw] = stats.nLeapfrog;
    if (stats.divergent) divergences += 1;
    report(warmup + draw + 1, divergences);
  }
  result.samplingSeconds = secondsSince(samplingStart);
  return result;
}

/** Runs the chains one after another in the current thread. */
export function sampleInProcess(target: LogDensity, opts: SampleOptions): SampleResult {
  const start = performance.now();
  const { chains } = parseSettings(opts);
  const results = Array.from({ length: chains }, (_, chain) => sampleChain(target, chain, opts));
  return { dim: target.dim, chains: results, wallSeconds: secondsSince(start) };
}

/**
 * Runs the chains on worker threads, each of which rebuilds the target from `spec`. With more chains
 * than threads, a worker takes the next queued chain when it finishes one. The first failure rejects
 * with the failing chain's index and terminates every worker. `chainIndices` (default every chain,
 * 0..chains-1) runs only those chains, returned in that order: one chain of a fit fanned out over
 * activities (src/fit/fit-mmm.ts) has the draws it has when all run together.
 */
export async function sampleParallel(spec: TargetSpec, opts: SampleOptions, chainIndices?: readonly number[]): Promise<SampleResult> {
  const settings = parseSettings(opts);
  const parsedData = chainWorkerDataSchema.safeParse({ spec, settings });
  if (!parsedData.success) throw new SamplerOptionsError(parsedData.error.issues);
  const workerData = parsedData.data;
  const queue = chainIndices ?? Array.from({ length: settings.chains }, (_, chain) => chain);
  const badIndex = queue.find((chain) => !Number.isSafeInteger(chain) || chain < 0 || chain >= settings.chains);
  if (badIndex !== undefined || queue.length === 0 || new Set(queue).size !== queue.length) {
    const problem =
      badIndex !== undefined
        ? `${badIndex} is not a chain of 0..${settings.chains - 1}`
        : queue.length === 0
          ? 'no chain to run'
          : 'a chain is listed twice';
    throw new SamplerOptionsError([{ path: ['chainIndices'], message: problem }]);
  }
  const threads = Math.min(queue.length, settings.threads ?? availableParallelism());
  const start = performance.now();
  const results: ChainResult[] = [];
  const workers: Worker[] = [];

  return new Promise<SampleResult>((resolve, reject) => {
    let nextChain = 0;
    let finished = 0;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };

    const startWorker = (): void => {
      const worker = new Worker(runtimeModuleUrl('./chain-worker.ts', import.meta.url), {
        execArgv: WORKER_THREAD_EXEC_ARGV,
        workerData,
      });
      workers.push(worker);
      /** The chain this worker is running, or -1 when idle. */
      let running = -1;
      const runNextChain = (): void => {
        if (nextChain >= queue.length) {
          running = -1;
          void worker.terminate();
          return;
        }
        running = queue[nextChain];
        nextChain += 1;
        const run: RunChainMessage = { chainIndex: running };
        worker.postMessage(run);
      };

      worker.on('message', (raw: unknown) => {
        if (failed) return;
        const parsed = chainWorkerMessageSchema.safeParse(raw);
        if (!parsed.success) {
          fail(new ChainFailedError(running, `malformed message from its worker: ${parsed.error.message}`));
          return;
        }
        const message = parsed.data;
        if (message.type === 'progress') {
          try {
            opts.onProgress?.(message.progress);
          } catch (error) {
            fail(error instanceof Error ? error : new Error(String(error)));
          }
          return;
        }
        results[queue.indexOf(message.chainIndex)] = message.result;
        finished += 1;
        runNextChain();
        if (finished === queue.length) {
          resolve({ dim: results[0].inverseMetric.length, chains: results, wallSeconds: secondsSince(start) });
        }
      });
      worker.on('error', (error: Error) => fail(new ChainFailedError(running, error.message, error)));
      worker.on('exit', (code: number) => {
        if (running >= 0) {
          fail(new ChainFailedError(running, `its worker exited with code ${code} before returning draws`));
        }
      });
      runNextChain();
    };

    for (let thread = 0; thread < threads; thread++) startWorker();
  });
}
