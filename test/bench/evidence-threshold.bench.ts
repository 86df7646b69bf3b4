/**
 * `npm run bench:evidence-threshold` (issue 17): the study behind EVIDENCE_THRESHOLD (src/analysis/evidence.ts).
 * Datasets from the model's own generative process (src/model/simulate.ts) with three channels flighted as
 * media plans are: ch0 and ch1 at ordinary budgets (the data can see their effects), ch2 at 1/500 of its
 * budget (its contribution, ROI x spend, is far below the noise, so only the prior can speak for its ROI).
 * Prints the contraction of log ROI (1 - posterior sd / prior sd) of each group; the threshold belongs between
 * them. (A first version made ch2 always-on instead: its contraction was 0.18-0.34, because the intercept's
 * prior still pins the level the channel adds, so always-on spend is not a channel the data cannot see.)
 * Usage: npm run bench:evidence-threshold [-- DATASETS] (default 6; 4 chains x (MMM_BENCH_WARMUP + MMM_BENCH_DRAWS),
 * default 300 + 300).
 */
import { EVIDENCE_THRESHOLD } from '../../src/analysis/evidence.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const datasets = Number(process.argv[2] ?? 6);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 300);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 300);

const visible: number[] = [];
const invisible: number[] = [];
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
      for (let t = 0; t < T; t++) spend[t * C + 2] /= 500;
    },
  });
  const fit = await fitMmm(sim.panel, { ...sim.config, sampler: { ...sim.config.sampler, chains: 4, warmup, draws, seed: 31 + i } });
  fit.evidence.forEach((e, c) => (c === 2 ? invisible : visible).push(e.contraction));
  console.log(
    `dataset ${i + 1} seed ${seed}: contraction ${fit.evidence.map((e, c) => `ch${c} ${e.contraction.toFixed(3)} (shift ${e.shift.toFixed(2)})`).join(', ')} ` +
      `(ch2 at 1/500 of its budget; R-hat ${fit.diagnostics.maxRhat.toFixed(3)})`,
  );
}
const range = (values: number[]) => `${Math.min(...values).toFixed(3)} to ${Math.max(...values).toFixed(3)}`;
console.log(
  `\nevidence threshold study: ${datasets} datasets, 4 chains x (${warmup} + ${draws}), ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(`contraction of log ROI, channels at ordinary budgets: ${range(visible)}; channels at 1/500 of theirs: ${range(invisible)}`);
const misjudged = visible.filter((c) => c < EVIDENCE_THRESHOLD).length + invisible.filter((c) => c >= EVIDENCE_THRESHOLD).length;
console.log(`threshold ${EVIDENCE_THRESHOLD}: ${misjudged} of ${visible.length + invisible.length} channels on the wrong side`);
