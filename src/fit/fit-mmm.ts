/**
 * The learning layer end to end: panel + config -> NUTS posterior -> diagnostics -> analysis.
 * Chains run on worker threads (all in one call, `fitMmm`, or some at a time, `sampleFitChains`, as the
 * retrain's chain activities do); `combineFit` is the one post-sampling path of both. Progress is reported
 * through a callback (CLI bar, Temporal heartbeat).
 */
import type { MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import { analyzeFit, DETAIL_DRAWS, type FitAnalysis } from '../analysis/analyze-fit.ts';
import { checkMisspecification, FitResidualsCollector, type JudgedMisspecification } from '../analysis/misspecification.ts';
import { thinnedDrawIndices, type PosteriorDraws } from '../model/posterior-draws.ts';
import { diagnoseSummaries, summarizeParameters, type Diagnostics, type NamedParameterSummary } from '../inference/diagnostics/index.ts';
import { type ChainResult, sampleParallel, type SamplerProgress } from '../inference/sampler.ts';
import type { MetricKind } from '../inference/metric.ts';
import { coordinateTransforms } from '../model/constrain.ts';
import { explainParameter } from '../model/parameter-families.ts';
import { createMmmModel, type MmmTargetArgs } from '../model/model.ts';
import type { MmmModel } from '../model/mmm-model.ts';
import { runtimeModuleUrl } from '../io/runtime-location.ts';
import { channelEvidence, coordinateDraws, type ChannelEvidence } from '../analysis/evidence.ts';
import { interval, type Interval } from '../analysis/interval.ts';
import { createRng } from '../math/rng.ts';
import { samplePrior } from '../model/prior-sampling.ts';

export interface FitTiming {
  /** From the fit's start (the first chain's) to its combined result. */
  wallSeconds: number;
  /** The longest chain's warm-up and sampling (with more chains than threads, chains run in turns: wall exceeds their sum). */
  warmupSeconds: number;
  samplingSeconds: number;
  /** After the last draw: summaries, diagnostics, misspecification checks, analysis, evidence, experiments (combineFit). */
  postSamplingSeconds: number;
}

/** The metric the chains sampled with (summary.json `sampler.metric`). */
export interface FitMetric {
  kind: MetricKind;
  /** Unconstrained coordinates. */
  dimension: number;
  /** Directions corrected beyond the diagonal, per chain (0 for the diagonal metric). */
  ranks: number[];
}

export interface FitResult {
  config: MmmConfig;
  model: MmmModel;
  posterior: PosteriorDraws;
  /** Sampler diagnostics and misspecification findings folded into one verdict. */
  diagnostics: Diagnostics;
  /** Misspecification statistics of the residuals and predictive coverage of the observed KPI (also among the verdict's reasons). */
  misspecification: JudgedMisspecification;
  /** Posterior summary of every coordinate, in constrained units (mmm_posterior_summary). */
  parameters: NamedParameterSummary[];
  analysis: FitAnalysis;
  timing: FitTiming;
  metric: FitMetric;
  /** Leapfrog steps over all chains, each one gradient evaluation (for ESS per gradient). */
  gradientEvaluations: { warmup: number; sampling: number };
  /** Warm-up iterations each chain ran (`sampler.warmup` is a cap; summary.json `sampler.warmupIterations`). */
  warmupIterations: number[];
  /** 1 where the transition to a kept draw diverged, per chain (where divergences sit: test/bench/divergence-locations.bench.ts). */
  divergentDraws: Uint8Array[];
  /** Per channel, in model order: how far the data moved its ROI from the prior (src/analysis/evidence.ts). */
  evidence: ChannelEvidence[];
  /** Per experiment: its estimate beside the posterior of the model's implied incremental outcome. */
  experiments: ExperimentFit[];
}

export interface ExperimentFit {
  id: string;
  channel: string;
  estimate: number;
  standardError: number;
  implied: Interval;
}

/** Prior draws per fit for the evidence: the prior sd of log ROI to ~2% (relative sd error 1 / sqrt(2n)). */
export const EVIDENCE_PRIOR_DRAWS = 1000;
/** The prior draws' random stream, apart from the chains' (streams 0..chains-1). */
const PRIOR_STREAM = 1000;

function evidenceOf(model: MmmModel, posterior: PosteriorDraws, seed: number): ChannelEvidence[] {
  const prior = samplePrior(model, EVIDENCE_PRIOR_DRAWS, createRng(seed, PRIOR_STREAM));
  return model.data.channels.map((_, c) => {
    const offset = model.layout.mediaEffect + c;
    return channelEvidence(coordinateDraws(prior.theta, prior.dim, offset), coordinateDraws(posterior.theta, posterior.dim, offset));
  });
}

function experimentFits(model: MmmModel, posterior: PosteriorDraws): ExperimentFit[] {
  const { experiments, channels } = model.data;
  if (experiments.length === 0) return [];
  const n = posterior.theta.length / posterior.dim;
  const implied = experiments.map(() => new Float64Array(n));
  for (let d = 0; d < n; d++) {
    const outcomes = model.experimentOutcomes(posterior.theta.subarray(d * posterior.dim, (d + 1) * posterior.dim));
    outcomes.forEach((value, i) => (implied[i][d] = value));
  }
  return experiments.map((e, i) => ({
    id: e.id,
    channel: channels[e.channel].name,
    estimate: e.estimate,
    standardError: e.standardError,
    implied: interval(implied[i]),
  }));
}

export interface FitOptions {
  onProgress?: (progress: SamplerProgress) => void;
  threads?: number;
}

/** What the chains of a fit sampled, however they ran: all in one call, or one per activity (sampleFitChains). */
export interface SampledChains {
  dim: number;
  /** Every chain of the fit, in chain order. */
  chains: ChainResult[];
  /** Date.now() when the fit began (the first chain's start, when chains ran apart): the fit's wall time runs from here. */
  startedAt: number;
}

/**
 * Samples chains `chainIndices` (default every chain) of the fit of `panel` under `config` on worker
 * threads. Each chain warms up and samples on its own (its RNG stream is (seed, chain index); nothing is
 * shared between chains: src/inference/sampler.ts), so chain k has the same draws whether it runs with
 * the others here or alone in an activity of its own on another host.
 */
export async function sampleFitChains(
  panel: Panel,
  config: MmmConfig,
  options: FitOptions = {},
  chainIndices?: readonly number[],
): Promise<ChainResult[]> {
  const sampler = config.sampler;
  const args: MmmTargetArgs = { panel, config };
  const samples = await sampleParallel(
    { module: runtimeModuleUrl('../model/model.ts', import.meta.url).href, exportName: 'createMmmTarget', args },
    {
      chains: sampler.chains,
      warmup: sampler.warmup,
      draws: sampler.draws,
      seed: sampler.seed,
      maxTreeDepth: sampler.maxTreeDepth,
      targetAccept: sampler.targetAccept,
      metricAdaptation: sampler.metricAdaptation,
      threads: options.threads,
      onProgress: options.onProgress,
    },
    chainIndices,
  );
  return samples.chains;
}

/** Refuses sampled chains that are not every chain of this fit's config (a chain missing, or from other settings). */
function checkChains(model: MmmModel, config: MmmConfig, samples: SampledChains): void {
  const { chains, draws } = config.sampler;
  const problem =
    samples.chains.length !== chains
      ? `${samples.chains.length} chains, the config asks for ${chains}`
      : samples.dim !== model.layout.names.length
        ? `${samples.dim} coordinates, the model has ${model.layout.names.length}`
        : samples.chains.some((chain) => chain.draws.length !== draws * samples.dim)
          ? `a chain without ${draws} draws of ${samples.dim} coordinates`
          : null;
  if (problem !== null) throw new Error(`cannot combine the fit's chains: ${problem}`);
}

/**
 * The post-sampling steps of every fit, whichever way its chains ran: the posterior, its parameter
 * summaries, the diagnostics with the misspecification checks, the analysis, the evidence and the
 * experiments. One code path, so a fit whose chains were fanned out is the fit they give together.
 */
export function combineFit(panel: Panel, config: MmmConfig, samples: SampledChains): FitResult {
  const combineStart = Date.now();
  const model = createMmmModel(panel, config);
  checkChains(model, config, samples);
  const sampler = config.sampler;
  const parameters = summarizeParameters(coordinateChains(model, samples, sampler.draws));
  const posterior = posteriorFromSamples(samples, sampler.draws);
  // The analysis's sweep evaluates its thinned draws once for itself and for the misspecification checks' residuals.
  const residuals = new FitResidualsCollector(model.data, thinnedDrawIndices(posterior, DETAIL_DRAWS).length);
  const analysis = analyzeFit(model, panel, posterior, {
    maxDrawsForDetail: DETAIL_DRAWS,
    onDetailDraw: (state, parts) => residuals.add(state, parts),
  });
  const { findings, ...misspecification } = checkMisspecification(model, residuals.result());
  const diagnostics = diagnoseSummaries(
    parameters,
    {
      divergent: samples.chains.map((c) => c.divergent),
      treeDepth: samples.chains.map((c) => c.treeDepth),
      energy: samples.chains.map((c) => c.energy),
      maxTreeDepth: sampler.maxTreeDepth,
    },
    undefined,
    { explain: (name) => explainParameter(name, model.data.nKnots), findings },
  );
  const evidence = evidenceOf(model, posterior, sampler.seed);
  const experiments = experimentFits(model, posterior);
  return {
    config,
    model,
    posterior,
    diagnostics,
    misspecification,
    parameters,
    analysis,
    timing: {
      wallSeconds: (Date.now() - samples.startedAt) / 1000,
      warmupSeconds: Math.max(...samples.chains.map((c) => c.warmupSeconds)),
      samplingSeconds: Math.max(...samples.chains.map((c) => c.samplingSeconds)),
      postSamplingSeconds: (Date.now() - combineStart) / 1000,
    },
    metric: {
      kind: samples.chains[0].metric.kind,
      dimension: samples.dim,
      ranks: samples.chains.map((c) => c.metric.eigenvalues.length),
    },
    warmupIterations: samples.chains.map((c) => c.warmupIterations),
    gradientEvaluations: {
      warmup: samples.chains.reduce((total, c) => total + c.warmupLeapfrog, 0),
      sampling: samples.chains.reduce((total, c) => total + c.nLeapfrog.reduce((a, b) => a + b, 0), 0),
    },
    divergentDraws: samples.chains.map((c) => c.divergent),
    evidence,
    experiments,
  };
}

function posteriorFromSamples(samples: SampledChains, draws: number): PosteriorDraws {
  const theta = new Float64Array(samples.chains.length * draws * samples.dim);
  samples.chains.forEach((chain, k) => theta.set(chain.draws, k * draws * samples.dim));
  return { nChains: samples.chains.length, drawsPerChain: draws, dim: samples.dim, theta };
}

/**
 * Per-coordinate chains in constrained space, for diagnostics and the posterior summary table, with national
 * models' baseline coordinates read as the coefficients they stand for (MmmModel.withBaselineCoefficients).
 */
function coordinateChains(model: MmmModel, samples: SampledChains, draws: number): { name: string; chains: Float64Array[] }[] {
  const { dim } = samples;
  const transforms = coordinateTransforms(model.data, model.layout);
  const series = model.layout.names.map(() => samples.chains.map(() => new Float64Array(draws)));
  const readable = new Float64Array(dim);
  samples.chains.forEach((chain, k) => {
    for (let d = 0; d < draws; d++) {
      model.withBaselineCoefficients(chain.draws.subarray(d * dim, (d + 1) * dim), readable);
      for (let i = 0; i < dim; i++) series[i][k][d] = transforms[i](readable[i]);
    }
  });
  return model.layout.names.map((name, i) => ({ name, chains: series[i] }));
}

/** The whole fit in this process: every chain on worker threads, then the post-sampling steps. */
export async function fitMmm(panel: Panel, config: MmmConfig, options: FitOptions = {}): Promise<FitResult> {
  const startedAt = Date.now();
  const chains = await sampleFitChains(panel, config, options);
  return combineFit(panel, config, { dim: chains[0].inverseMetric.length, chains, startedAt });
}
