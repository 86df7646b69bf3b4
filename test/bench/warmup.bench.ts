/**
 * Cost of warm-up: one chain in the current thread on Meridian's national and 40-geo data, counting every
 * gradient evaluation (initialisation, step-size searches, trajectories) in warm-up and in sampling.
 * Prints the adapted step size, seconds, tree depths, the warm-up cost profile and the sampling-phase
 * log density (a chain outside the typical set shows a lower mean).
 * Usage: node --import tsx test/bench/warmup.bench.ts [national|geo ...]
 * Env: MMM_BENCH_WARMUP (1000), MMM_BENCH_DRAWS (200), MMM_BENCH_SEED (1), MMM_BENCH_CHAIN (0),
 * MMM_BENCH_METRIC ('gradient' | 'windowed'; the sampler's default when unset).
 */
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import type { LogDensity } from '../../src/inference/log-density.ts';
import { type SamplerProgress, sampleChain } from '../../src/inference/sampler.ts';
import { samplerSettingsSchema } from '../../src/inference/sampler-settings.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const datasets = {
  national: { data: 'meridian/national_all_channels.csv', config: 'meridian-national.json' },
  geo: { data: 'meridian/geo_all_channels.csv', config: 'meridian-geo.json' },
} as const;

const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 1000);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 200);
const seed = Number(process.env.MMM_BENCH_SEED ?? 1);
const chain = Number(process.env.MMM_BENCH_CHAIN ?? 0);
const metricAdaptation = samplerSettingsSchema.shape.metricAdaptation.parse(process.env.MMM_BENCH_METRIC);
const selected = (process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(datasets)) as (keyof typeof datasets)[];

/** The target with a counter of its gradient evaluations. */
function countingTarget(target: LogDensity): { target: LogDensity; gradients: () => number } {
  let gradients = 0;
  return {
    target: {
      dim: target.dim,
      logDensityGradient(theta, grad) {
        gradients += 1;
        return target.logDensityGradient(theta, grad);
      },
      initialPoint: target.initialPoint?.bind(target),
    },
    gradients: () => gradients,
  };
}

const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  return Math.sqrt(Array.from(xs).reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

/** Warm-up profile buckets: tenths of the warm-up. */
const BUCKETS = 10;

for (const name of selected) {
  const spec = datasets[name];
  const { panel, config } = loadFitInputs(referenceFile(spec.data), exampleConfig(spec.config));
  const counted = countingTarget(createMmmModel(panel, config));
  // (iteration, gradients so far) at every progress event, for the warm-up profile.
  const marks: { iteration: number; gradients: number }[] = [{ iteration: 0, gradients: 0 }];
  const onProgress = (p: SamplerProgress): void => {
    marks.push({ iteration: p.iteration, gradients: counted.gradients() });
  };
  const result = sampleChain(counted.target, chain, {
    chains: 1,
    warmup,
    draws,
    seed,
    maxTreeDepth: config.sampler.maxTreeDepth,
    targetAccept: config.sampler.targetAccept,
    metricAdaptation,
    onProgress,
  });
  const warmupGradients = marks.find((m) => m.iteration === warmup)?.gradients ?? 0;
  const samplingGradients = counted.gradients() - warmupGradients;
  const sumLeapfrog = result.nLeapfrog.reduce((a, b) => a + b, 0);
  const profile: string[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    const at = (iteration: number) =>
      marks.reduce((best, m) => (Math.abs(m.iteration - iteration) < Math.abs(best.iteration - iteration) ? m : best));
    const from = at((b * warmup) / BUCKETS);
    const to = at(((b + 1) * warmup) / BUCKETS);
    if (to.iteration > from.iteration) {
      profile.push(`${from.iteration}-${to.iteration}: ${((to.gradients - from.gradients) / (to.iteration - from.iteration)).toFixed(0)}`);
    }
  }
  const divergences = result.divergent.reduce((a, b) => a + b, 0);
  console.log(
    [
      `${name} (dim ${counted.target.dim}), metric ${metricAdaptation}, seed ${seed}, chain ${chain}, ${warmup} warm-up + ${draws} draws`,
      `  gradients: warm-up ${warmupGradients}, sampling ${samplingGradients} (sum nLeapfrog ${sumLeapfrog}), ` +
        `per draw ${(sumLeapfrog / draws).toFixed(1)}`,
      `  step size ${result.stepSize.toPrecision(3)}, mean tree depth ${mean(result.treeDepth).toFixed(2)}, ` +
        `max ${Math.max(...result.treeDepth)}, divergences ${divergences}, mean accept ${mean(result.acceptStat).toFixed(3)}`,
      `  seconds: warm-up ${result.warmupSeconds.toFixed(1)}, sampling ${result.samplingSeconds.toFixed(1)}, ` +
        `per gradient ${((1000 * (result.warmupSeconds + result.samplingSeconds)) / counted.gradients()).toFixed(2)} ms`,
      `  sampling log density: mean ${mean(result.logDensity).toFixed(1)}, sd ${sd(result.logDensity).toFixed(1)}`,
      `  inverse metric range: ${Math.min(...result.inverseMetric).toExponential(2)} .. ${Math.max(...result.inverseMetric).toExponential(2)}`,
      `  warm-up gradients per iteration: ${profile.join(', ')}`,
    ].join('\n'),
  );
}
