/**
 * `npm run bench:study`: a simulation study of calibration. Datasets are drawn from the model's own
 * generative process with media parameters from their priors (src/model/simulate.ts), half national and
 * half 5-geo; each is fitted and every true ROI is checked against its 90% interval.
 * Prints the share of true ROIs inside their intervals (target 0.85 to 0.95) and the median absolute ROI error.
 * Usage: npm run bench:study [-- DATASETS] (default 20; MMM_BENCH_WARMUP / MMM_BENCH_DRAWS, default 500 / 500).
 */
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const datasets = Number(process.argv[2] ?? 20);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 500);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 500);

let inside = 0;
let total = 0;
const absoluteErrors: number[] = [];
const started = performance.now();
for (let i = 0; i < datasets; i++) {
  const geos = i % 2 === 0 ? 1 : 5;
  const sim = simulateDataset({
    geos,
    weeks: 104,
    channels: 3,
    controls: 1,
    seed: 1000 + i,
    noiseSd: 0.3,
    model: { maxLag: 6, seasonality: { harmonics: 1 } },
  });
  const config = { ...sim.config, sampler: { ...sim.config.sampler, chains: 4, warmup, draws, seed: 7 + i } };
  const fit = await fitMmm(sim.panel, config);
  const cells = fit.analysis.channels.map((channel, c) => {
    const truth = sim.truth.roi[c];
    const hit = channel.roi.p05 <= truth && truth <= channel.roi.p95;
    inside += hit ? 1 : 0;
    total += 1;
    absoluteErrors.push(Math.abs(channel.roi.mean - truth));
    return `${channel.name} true ${truth.toFixed(2)} est ${channel.roi.mean.toFixed(2)} [${channel.roi.p05.toFixed(2)}, ${channel.roi.p95.toFixed(2)}]${hit ? '' : ' MISS'}`;
  });
  console.log(
    `dataset ${String(i + 1).padStart(2)} (${geos === 1 ? 'national' : '5 geos  '}) R-hat ${fit.diagnostics.maxRhat.toFixed(3)} div ${fit.diagnostics.divergences} | ${cells.join(' | ')}`,
  );
}
absoluteErrors.sort((a, b) => a - b);
const median =
  absoluteErrors.length % 2
    ? absoluteErrors[absoluteErrors.length >> 1]
    : 0.5 * (absoluteErrors[absoluteErrors.length / 2 - 1] + absoluteErrors[absoluteErrors.length / 2]);
const share = inside / total;
console.log(
  `\nsimulation study: ${datasets} datasets, ${total} channel ROIs, 4 chains x (${warmup} + ${draws}), ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(
  `share of true ROIs inside their 90% intervals: ${share.toFixed(3)} (target 0.85 to 0.95: ${share >= 0.85 && share <= 0.95 ? 'met' : 'MISSED'})`,
);
console.log(`median absolute ROI error: ${median.toFixed(3)}`);
