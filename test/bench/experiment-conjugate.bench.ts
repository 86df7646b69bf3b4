/**
 * `npm run bench:experiment-conjugate` (issue 17, acceptance 2): calibrated uncertainty on a linear-response
 * case. With the linear saturation family and no carry-over (maxLag 0) the media term, and a lift test's
 * implied incremental outcome I = k roi, are linear in the channel's ROI. If the data-only posterior of the ROI
 * is Normal with sd s_d, adding a test with standard error se gives by the conjugate Normal combination
 * sd = (1 / s_d^2 + k^2 / se^2)^(-1/2). Each dataset is fitted without the test, a test on ch0 is made whose
 * precision equals the data's (se = k s_d, so the combination is s_d / sqrt 2 and a term that did nothing
 * would miss by 41%), its estimate drawn around the truth, and the fit with it is compared with the
 * combination (target: within 10%).
 * Usage: npm run bench:experiment-conjugate [-- DATASETS] (default 5; MMM_BENCH_WARMUP / MMM_BENCH_DRAWS,
 * default 500 / 1000, 4 chains).
 */
import type { FitResult } from '../../src/fit/fit-mmm.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { createRng } from '../../src/math/rng.ts';
import { simulateExperiment } from '../../src/model/simulate-experiment.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const datasets = Number(process.argv[2] ?? 5);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 500);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 1000);

/** Posterior mean and sd of channel c's ROI from the draws. */
function roiMoments(fit: FitResult, c: number): { mean: number; sd: number } {
  const { theta, dim } = fit.posterior;
  const offset = fit.model.layout.mediaEffect + c;
  const n = theta.length / dim;
  let sum = 0;
  let sumSq = 0;
  for (let d = 0; d < n; d++) {
    const roi = Math.exp(theta[d * dim + offset]);
    sum += roi;
    sumSq += roi * roi;
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt(sumSq / n - mean * mean) };
}

const started = performance.now();
let within = 0;
const ratios: number[] = [];
for (let i = 0; i < datasets; i++) {
  const seed = 4300 + i;
  const sim = simulateDataset({
    geos: 1,
    weeks: 104,
    channels: 2,
    controls: 1,
    seed,
    noiseSd: 0.6,
    model: { saturation: 'linear', maxLag: 0, seasonality: { harmonics: 1 } },
  });
  const sampler = { ...sim.config.sampler, chains: 4, warmup, draws, seed: 21 + i };
  const dataOnly = await fitMmm(sim.panel, { ...sim.config, sampler });
  const data = roiMoments(dataOnly, 0);
  const window = { id: 'ch0-holdout', channel: 'ch0', geo: null, start: sim.panel.dates[40], end: sim.panel.dates[51] };
  // k = dI/droi: the true outcome over the true ROI (I is linear in the ROI here).
  const exact = simulateExperiment(sim.panel, sim.config, sim.theta, { ...window, relativeStandardError: 1 });
  const k = exact.trueOutcome / Math.exp(sim.theta[dataOnly.model.layout.mediaEffect]);
  const standardError = k * data.sd;
  const estimate = exact.trueOutcome + standardError * createRng(seed, 17).normal();
  const experiment = { ...exact.experiment, incrementalOutcome: estimate, standardError };
  const withTest = await fitMmm(sim.panel, { ...sim.config, sampler, experiments: [experiment] });
  const posterior = roiMoments(withTest, 0);
  const combined = 1 / Math.sqrt(1 / data.sd ** 2 + k ** 2 / standardError ** 2);
  const ratio = posterior.sd / combined;
  ratios.push(ratio);
  const ok = Math.abs(ratio - 1) <= 0.1;
  within += ok ? 1 : 0;
  console.log(
    `dataset ${i + 1} seed ${seed}: true roi ${sim.truth.roi[0].toFixed(3)}; data only ${data.mean.toFixed(3)} sd ${data.sd.toFixed(4)}; ` +
      `test ${estimate.toFixed(0)} se ${standardError.toFixed(0)} (roi sd ${(standardError / k).toFixed(4)}); ` +
      `with test ${posterior.mean.toFixed(3)} sd ${posterior.sd.toFixed(4)}; conjugate sd ${combined.toFixed(4)}; ratio ${ratio.toFixed(3)} ${ok ? '' : 'OFF'} ` +
      `(R-hat ${withTest.diagnostics.maxRhat.toFixed(3)}, min ESS ${withTest.diagnostics.minEssBulk.toFixed(0)})`,
  );
}
console.log(
  `\nconjugate check: ${datasets} linear-response datasets, 4 chains x (${warmup} + ${draws}), ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(
  `posterior sd of the tested ROI / conjugate Normal combination: ${ratios.map((r) => r.toFixed(3)).join(', ')}; ` +
    `within 10% in ${within} of ${datasets} (target all: ${within === datasets ? 'met' : 'MISSED'})`,
);
