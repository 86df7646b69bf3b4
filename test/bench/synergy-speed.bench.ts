/**
 * `npm run bench:synergy-speed`: what synergy terms cost a fit (issue 16, acceptance 5). Meridian's national
 * data (156 weeks, 5 channels) fitted with the example config, without terms and with two pairs
 * ((Channel0, Channel1), (Channel2, Channel3)), 4 chains x (1000 + 1000) by default, alternating the two so
 * that a change in the machine's load falls on both. Prints per fit the wall time, the gradient evaluations,
 * the seconds per 1,000 gradients, min bulk ESS, max R-hat and divergences, then the ratio of the median wall
 * times with and without the terms (target <= 2).
 * Usage: npm run bench:synergy-speed [-- REPEATS] (default 1; MMM_BENCH_CHAINS / MMM_BENCH_WARMUP / MMM_BENCH_DRAWS).
 */
import type { MmmConfig } from '../../src/config/schema.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { BENCH_DATASETS } from './support/bench-datasets.ts';
import { fitFigures } from './support/fit-figures.ts';

const repeats = Number(process.argv[2] ?? 1);
const chains = Number(process.env.MMM_BENCH_CHAINS ?? 4);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 1000);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 1000);
const PAIRS: [string, string][] = [
  ['Channel0', 'Channel1'],
  ['Channel2', 'Channel3'],
];

const dataset = BENCH_DATASETS.find((d) => d.name === 'meridian-national');
if (!dataset) throw new Error('the benchmark datasets have no meridian-national');
const { panel, config } = dataset.load();

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
};

const wall = { without: [] as number[], with: [] as number[] };
for (let r = 0; r < repeats; r++) {
  for (const variant of ['without', 'with'] as const) {
    const fitConfig: MmmConfig = {
      ...config,
      model: { ...config.model, interactions: variant === 'with' ? PAIRS : [] },
      sampler: { ...config.sampler, chains, warmup, draws, seed: 1 + r },
    };
    const fit = await fitMmm(panel, fitConfig);
    const f = fitFigures(fit, panel);
    wall[variant].push(f.wallSeconds);
    const gradients = f.warmupGradients + f.samplingGradients;
    const synergy = fit.analysis.interactions
      .map((s) => `theta[${s.pair.join(',')}] [${s.theta.p05.toFixed(3)}, ${s.theta.p95.toFixed(3)}] P(>0) ${s.pPositive.toFixed(2)}`)
      .join('; ');
    console.log(
      `${variant.padEnd(7)} terms, seed ${1 + r}: wall ${f.wallSeconds.toFixed(1)} s (warm-up ${f.warmupSeconds.toFixed(1)}, sampling ${f.samplingSeconds.toFixed(1)}), ${gradients} gradients, ${((1000 * f.wallSeconds) / gradients).toFixed(2)} s per 1,000 gradients, min bulk ESS ${f.minEssBulk.toFixed(0)} (${f.minEssBulkParameter}), max R-hat ${f.maxRhat.toFixed(3)}, ${f.divergences} divergences${synergy ? ` | ${synergy}` : ''}`,
    );
  }
}
const ratio = median(wall.with) / median(wall.without);
console.log(
  `\nMeridian national, 5 channels, ${PAIRS.length} pairs, ${chains} chains x (${warmup} + ${draws}), ${repeats} fit(s) each: median wall ${median(wall.without).toFixed(1)} s without terms, ${median(wall.with).toFixed(1)} s with; ratio ${ratio.toFixed(2)} (target <= 2: ${ratio <= 2 ? 'met' : 'MISSED'})`,
);
