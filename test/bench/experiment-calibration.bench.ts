/**
 * `npm run bench:experiments` (issue 17, acceptance 1): confounding fixed by a lift test. On datasets from
 * the frozen generator (test/bench/support/correlated-channels.ts: fixed seeds, two channels whose spends
 * correlate above 0.9), each is fitted without and with one go-dark lift test on ch0 whose standard error is
 * 25% of its true incremental outcome. Prints per dataset the true ROIs and both fits' estimates, then the
 * tested channel's 90% coverage (target >= 0.8 with the test) and both channels' median ROI errors (target:
 * ch0's lower with the test, ch1's not higher). What the test can add depends on how much the data alone
 * know: it also prints, for ch0, the RMS error of log ROI and the median 90% interval width (over the true
 * ROI), and the median errors split by whether the fit without the test had a relative posterior sd of ROI
 * (90% interval width / 3.29 / mean) below the test's relative standard error, where the test weighs less
 * than the data, or not.
 * Usage: npm run bench:experiments [-- DATASETS] (default 60: over 20 the medians hung on how far each fixed seed happened
 * to draw its test's estimate from the truth; docs/model.md; MMM_BENCH_CHAINS / MMM_BENCH_WARMUP /
 * MMM_BENCH_DRAWS, default 4 / 400 / 400).
 */
import { fitMmm, type FitResult } from '../../src/fit/fit-mmm.ts';
import { correlatedDataset, liftTest } from './support/correlated-channels.ts';

const datasets = Number(process.argv[2] ?? 60);
const chains = Number(process.env.MMM_BENCH_CHAINS ?? 4);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 400);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 400);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
};

interface Arm {
  covered: number[];
  /** ch0: log(ROI estimate / true ROI) and the 90% interval's width over the true ROI. */
  logErrors: number[];
  widths: number[];
  /** ch0: 90% interval width / (2 x 1.645) / mean, a relative posterior sd. */
  relativeSd: number[];
  /** |ROI error| / true ROI per channel. */
  errors: [number[], number[]];
  evidence: [number[], number[]];
}
const arms: Record<'without' | 'with', Arm> = {
  without: { covered: [], logErrors: [], widths: [], relativeSd: [], errors: [[], []], evidence: [[], []] },
  with: { covered: [], logErrors: [], widths: [], relativeSd: [], errors: [[], []], evidence: [[], []] },
};

const started = performance.now();
const correlations: number[] = [];
for (let i = 0; i < datasets; i++) {
  const seed = 4100 + i;
  const sim = correlatedDataset(seed);
  correlations.push(sim.spendCorrelation);
  const { experiment, trueOutcome } = liftTest(sim, seed, 0.25);
  const sampler = { ...sim.config.sampler, chains, warmup, draws, seed: 11 + i };
  const fits: Record<'without' | 'with', FitResult> = {
    without: await fitMmm(sim.panel, { ...sim.config, sampler }),
    with: await fitMmm(sim.panel, { ...sim.config, sampler, experiments: [experiment] }),
  };
  const cells: string[] = [];
  for (const arm of ['without', 'with'] as const) {
    const fit = fits[arm];
    const parts = fit.analysis.channels.slice(0, 2).map((channel, c) => {
      const truth = sim.truth.roi[c];
      arms[arm].errors[c].push(Math.abs(channel.roi.mean - truth) / truth);
      const hit = channel.roi.p05 <= truth && truth <= channel.roi.p95;
      if (c === 0) {
        arms[arm].covered.push(hit ? 1 : 0);
        arms[arm].logErrors.push(Math.log(channel.roi.mean / truth));
        arms[arm].widths.push((channel.roi.p95 - channel.roi.p05) / truth);
        arms[arm].relativeSd.push((channel.roi.p95 - channel.roi.p05) / (2 * 1.645) / channel.roi.mean);
      }
      return `${channel.roi.mean.toFixed(2)} [${channel.roi.p05.toFixed(2)}, ${channel.roi.p95.toFixed(2)}]${hit ? '' : '*'}`;
    });
    cells.push(`${arm} ${parts.join(' ')} div ${fit.diagnostics.divergences}`);
  }
  console.log(
    `dataset ${String(i + 1).padStart(2)} seed ${seed} corr ${sim.spendCorrelation.toFixed(3)} true roi ${sim.truth.roi.map((r) => r.toFixed(2)).join(' ')} ` +
      `test ${experiment.incrementalOutcome.toFixed(0)} (true ${trueOutcome.toFixed(0)}, se ${experiment.standardError.toFixed(0)}, ` +
      `z ${((experiment.incrementalOutcome - trueOutcome) / experiment.standardError).toFixed(2)}) | ${cells.join(' | ')}`,
  );
}

const share = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const coverageWith = share(arms.with.covered);
const errors = (arm: Arm, c: number) => median(arm.errors[c]);
console.log(
  `\nexperiment calibration: ${datasets} datasets (spend correlation ${Math.min(...correlations).toFixed(3)} to ${Math.max(...correlations).toFixed(3)}), ` +
    `${chains} chains x (${warmup} + ${draws}), ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(
  `tested channel ch0: true ROI inside its 90% interval in ${share(arms.without.covered).toFixed(2)} of datasets without the test, ` +
    `${coverageWith.toFixed(2)} with (target >= 0.80: ${coverageWith >= 0.8 ? 'met' : 'MISSED'})`,
);
const [ch0Without, ch0With, ch1Without, ch1With] = [
  errors(arms.without, 0),
  errors(arms.with, 0),
  errors(arms.without, 1),
  errors(arms.with, 1),
];
console.log(
  `median |ROI error| / true ROI, ch0 (tested): ${(100 * ch0Without).toFixed(1)}% without, ${(100 * ch0With).toFixed(1)}% with (target lower: ${ch0With < ch0Without ? 'met' : 'MISSED'})`,
);
console.log(
  `median |ROI error| / true ROI, ch1 (untested): ${(100 * ch1Without).toFixed(1)}% without, ${(100 * ch1With).toFixed(1)}% with (target not higher: ${ch1With <= ch1Without ? 'met' : 'MISSED'})`,
);

const rms = (values: number[]) => Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length);
console.log(
  `ch0 (tested): RMS error of log ROI ${rms(arms.without.logErrors).toFixed(3)} without, ${rms(arms.with.logErrors).toFixed(3)} with; ` +
    `median 90% interval width / true ROI ${median(arms.without.widths).toFixed(2)} without, ${median(arms.with.widths).toFixed(2)} with`,
);
const relativeSe = 0.25;
for (const [name, inGroup] of [
  [`data alone as informative as the test (relative sd of ROI without it < ${relativeSe})`, (sd: number) => sd < relativeSe],
  [`data alone less informative (relative sd >= ${relativeSe})`, (sd: number) => sd >= relativeSe],
] as const) {
  const members = arms.without.relativeSd.map((sd, i) => (inGroup(sd) ? i : -1)).filter((i) => i >= 0);
  if (members.length === 0) continue;
  const pick = (arm: Arm) => median(members.map((i) => arm.errors[0][i]));
  console.log(
    `ch0, ${members.length} datasets where the ${name}: median |ROI error| / true ROI ${(100 * pick(arms.without)).toFixed(1)}% without, ${(100 * pick(arms.with)).toFixed(1)}% with`,
  );
}
