/**
 * `npm run bench:evidence-threshold` (issue 17): the study behind EVIDENCE_THRESHOLD (src/analysis/evidence.ts).
 * Datasets from the model's own generative process (src/model/simulate.ts) with three channels: ch0 and ch1
 * flighted as media plans are (the data can see their effects), ch2 spending the same amount every week
 * (always-on: its effect is indistinguishable from the intercept, so only the prior speaks for it). Prints the
 * contraction of log ROI (1 - posterior sd / prior sd) of each group; the threshold belongs between them.
 * Usage: npm run bench:evidence-threshold [-- DATASETS] (default 6; 4 chains x (MMM_BENCH_WARMUP + MMM_BENCH_DRAWS),
 * default 300 + 300).
 */
import { EVIDENCE_THRESHOLD } from '../../src/analysis/evidence.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const datasets = Number(process.argv[2] ?? 6);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 300);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 300);

const flighted: number[] = [];
const alwaysOn: number[] = [];
const started = performance.now();
for (let i = 0; i < datasets; i++) {
  const seed = 4200 + i;
  const sim = simulateDataset({
    geos: 1,
    weeks: 104,
    channels: 3,
    controls: 1,
    seed,
    noiseSd: 0.6,
    model: { maxLag: 4, seasonality: { harmonics: 1 } },
    adjustSpend(spend, { T, C }) {
      let total = 0;
      for (let t = 0; t < T; t++) total += spend[t * C + 2];
      for (let t = 0; t < T; t++) spend[t * C + 2] = total / T;
    },
  });
  const fit = await fitMmm(sim.panel, { ...sim.config, sampler: { ...sim.config.sampler, chains: 4, warmup, draws, seed: 31 + i } });
  fit.evidence.forEach((e, c) => (c === 2 ? alwaysOn : flighted).push(e.contraction));
  console.log(
    `dataset ${i + 1} seed ${seed}: contraction ${fit.evidence.map((e, c) => `ch${c} ${e.contraction.toFixed(3)} (shift ${e.shift.toFixed(2)})`).join(', ')} ` +
      `(ch2 always-on; R-hat ${fit.diagnostics.maxRhat.toFixed(3)})`,
  );
}
const range = (values: number[]) => `${Math.min(...values).toFixed(3)} to ${Math.max(...values).toFixed(3)}`;
console.log(
  `\nevidence threshold study: ${datasets} datasets, 4 chains x (${warmup} + ${draws}), ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(`contraction of log ROI, flighted channels: ${range(flighted)}; always-on channels: ${range(alwaysOn)}`);
const misjudged = flighted.filter((c) => c < EVIDENCE_THRESHOLD).length + alwaysOn.filter((c) => c >= EVIDENCE_THRESHOLD).length;
console.log(`threshold ${EVIDENCE_THRESHOLD}: ${misjudged} of ${flighted.length + alwaysOn.length} channels on the wrong side`);
