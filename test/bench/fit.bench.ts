/**
 * `npm run bench:fit`: wall time, min bulk ESS and ESS per second of full fits (4 chains x
 * (1000 warm-up + 1000 draws) by default) on Meridian's national and 40-geo simulated data.
 * Targets on the 2-core machine: national <= 30 s, 40-geo <= 10 min, both with max R-hat <= 1.05.
 * Usage: npm run bench:fit [-- national|geo ...] (MMM_BENCH_WARMUP / MMM_BENCH_DRAWS override the lengths).
 */
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { SamplerProgressBar } from '../../src/cli/progress-bar.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const datasets = {
  national: { data: 'meridian/national_all_channels.csv', config: 'meridian-national.json', targetSeconds: 30 },
  geo: { data: 'meridian/geo_all_channels.csv', config: 'meridian-geo.json', targetSeconds: 600 },
} as const;

const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 1000);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 1000);
const selected = (process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(datasets)) as (keyof typeof datasets)[];

const rows: string[] = [];
for (const name of selected) {
  const spec = datasets[name];
  const { panel, config } = loadFitInputs(referenceFile(spec.data), exampleConfig(spec.config));
  const sampler = { ...config.sampler, chains: 4, warmup, draws, seed: 1 };
  const bar = new SamplerProgressBar(sampler.chains, warmup + draws);
  const fit = await fitMmm(panel, { ...config, sampler }, { onProgress: (p) => bar.update(p) });
  bar.finish();
  const d = fit.diagnostics;
  const wall = fit.timing.wallSeconds;
  const row = [
    name.padEnd(8),
    `${panel.geos.length} geos x ${panel.dates.length} weeks, dim ${fit.model.dim}`.padEnd(30),
    `wall ${wall.toFixed(1)} s (target <= ${spec.targetSeconds} s: ${wall <= spec.targetSeconds ? 'met' : 'MISSED'})`,
    `warm-up ${fit.timing.warmupSeconds.toFixed(1)} s, sampling ${fit.timing.samplingSeconds.toFixed(1)} s per chain`,
    `min ESS bulk ${d.minEssBulk.toFixed(0)}, ESS/s ${(d.minEssBulk / wall).toFixed(1)}`,
    `max R-hat ${d.maxRhat.toFixed(3)} (target <= 1.05: ${d.maxRhat <= 1.05 ? 'met' : 'MISSED'})`,
    `divergences ${d.divergences}, verdict ${d.verdict}`,
  ].join(' | ');
  console.log(row);
  rows.push(row);
}
console.log(`\nbench:fit, 4 chains x (${warmup} warm-up + ${draws} draws):\n${rows.join('\n')}`);
