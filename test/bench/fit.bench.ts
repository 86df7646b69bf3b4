/**
 * `npm run bench:fit`: sampler efficiency of full fits (4 chains x (1000 warm-up + 1000 draws) by
 * default), two or more metric adaptations side by side in one run, on Meridian's national data, the
 * PyMC example, three synthetic national datasets (fixed seeds) and Meridian's 40-geo data (issue 13,
 * acceptance 1). Per fit: wall seconds (warm-up and sampling of the slowest chain apart), min bulk ESS
 * over all parameters and over the channels' ROIs, ESS per second of the whole fit, ESS per 1,000
 * gradient evaluations (leapfrog steps of warm-up and sampling together), max R-hat, divergences.
 * Targets, judged for each metric against the first (the baseline): on national sets min bulk ESS per
 * kept draw >= 0.3, ESS/s >= 2x the baseline's, max R-hat <= 1.01; on 40 geos ESS/s not lower and max
 * R-hat <= 1.01; wall time national <= 30 s, 40 geos <= 10 min (issue 6).
 *
 * Usage: npm run bench:fit [-- --metrics gradient,lowrank] [-- meridian-national pymc ...]
 * (MMM_BENCH_METRICS, MMM_BENCH_DATASETS, MMM_BENCH_CHAINS, MMM_BENCH_WARMUP, MMM_BENCH_DRAWS likewise).
 */
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { SamplerProgressBar } from '../../src/cli/progress-bar.ts';
import { BENCH_DATASETS } from './support/bench-datasets.ts';
import { benchOptions, DEFAULT_METRIC, PREDECESSOR_METRIC } from './support/bench-options.ts';
import { fitFigures, type FitFigures } from './support/fit-figures.ts';

const options = benchOptions(
  BENCH_DATASETS.map((d) => d.name),
  { metrics: [PREDECESSOR_METRIC, DEFAULT_METRIC], chains: 4, warmup: 1000, draws: 1000 },
);
const { chains, warmup, draws, metrics } = options;
const baseline = metrics[0];
const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');

const header = [
  'dataset'.padEnd(18),
  'metric'.padEnd(9),
  'wall s'.padStart(7),
  'warm-up s'.padStart(9),
  'sample s'.padStart(8),
  'minESS'.padStart(7),
  'ESS/draw'.padStart(8),
  'minESS ROI'.padStart(10),
  'ESS/s'.padStart(7),
  'ESS/1k grad'.padStart(11),
  'grads warm-up+sampling'.padStart(22),
  'R-hat'.padStart(6),
  'div'.padStart(4),
  'verdict'.padStart(7),
  '  worst parameter',
].join(' ');

function row(dataset: string, metric: string, f: FitFigures): string {
  return [
    dataset.padEnd(18),
    metric.padEnd(9),
    f.wallSeconds.toFixed(1).padStart(7),
    f.warmupSeconds.toFixed(1).padStart(9),
    f.samplingSeconds.toFixed(1).padStart(8),
    f.minEssBulk.toFixed(0).padStart(7),
    (f.minEssBulk / f.keptDraws).toFixed(3).padStart(8),
    f.minRoiEssBulk.toFixed(0).padStart(10),
    f.essPerSecond.toFixed(1).padStart(7),
    f.essPerThousandGradients.toFixed(2).padStart(11),
    `${f.warmupGradients} + ${f.samplingGradients}`.padStart(22),
    f.maxRhat.toFixed(3).padStart(6),
    String(f.divergences).padStart(4),
    f.verdict.padStart(7),
    `  ${f.minEssBulkParameter}; ROI ${f.minRoiChannel}`,
  ].join(' ');
}

/** The targets of issue 13 (acceptance 1) for one metric's fit, against the baseline metric's fit of the same data. */
function targets(national: boolean, metric: string, f: FitFigures, base: FitFigures): string[] {
  const out: string[] = [];
  const perDraw = f.minEssBulk / f.keptDraws;
  if (national) out.push(`min bulk ESS per kept draw ${perDraw.toFixed(3)} >= 0.3: ${mark(perDraw >= 0.3)}`);
  if (metric !== baseline) {
    const ratio = f.essPerSecond / base.essPerSecond;
    const needed = national ? 2 : 1;
    out.push(`ESS/s ${metric}/${baseline} ${ratio.toFixed(2)} >= ${needed}: ${mark(ratio >= needed)}`);
  }
  out.push(`max R-hat ${f.maxRhat.toFixed(3)} <= 1.01: ${mark(f.maxRhat <= 1.01)}`);
  const wallTarget = national ? 30 : 600;
  out.push(`wall ${f.wallSeconds.toFixed(0)} s <= ${wallTarget} s: ${mark(f.wallSeconds <= wallTarget)}`);
  return out;
}

const rows: string[] = [];
const verdicts: string[] = [];
for (const name of options.names) {
  const dataset = BENCH_DATASETS.find((d) => d.name === name)!;
  const { panel, config } = dataset.load();
  const figures = new Map<string, FitFigures>();
  for (const metric of metrics) {
    const sampler = { ...config.sampler, chains, warmup, draws, seed: 1, metricAdaptation: metric };
    const bar = new SamplerProgressBar(chains, warmup + draws);
    const fit = await fitMmm(panel, { ...config, sampler }, { onProgress: (p) => bar.update(p) });
    bar.finish();
    const f = fitFigures(fit, panel);
    figures.set(metric, f);
    const line = row(name, metric, f);
    console.log(`${panel.geos.length} geos x ${panel.dates.length} weeks, dim ${fit.model.dim}\n${header}\n${line}`);
    rows.push(line);
  }
  const base = figures.get(baseline)!;
  for (const metric of metrics) {
    verdicts.push(`${name.padEnd(18)} ${metric.padEnd(9)} ${targets(dataset.national, metric, figures.get(metric)!, base).join('; ')}`);
  }
}

console.log(`\nbench:fit, ${chains} chains x (${warmup} warm-up + ${draws} draws), seed 1, baseline metric '${baseline}'.`);
console.log(
  "warm-up s, sample s: the slowest chain's (chains run min(chains, cores) at a time); ESS/draw: min bulk ESS per kept draw; " +
    'ESS/s: min bulk ESS over all parameters per second of the whole fit; ESS/1k grad: per 1,000 leapfrog steps of warm-up + sampling.',
);
console.log(`${header}\n${rows.join('\n')}`);
console.log(`\nTargets (issue 13, acceptance 1):\n${verdicts.join('\n')}`);
