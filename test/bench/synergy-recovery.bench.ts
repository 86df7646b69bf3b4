/**
 * `npm run bench:synergy`: recovery of channel synergies (issue 16, acceptance 2). A frozen generator
 * (src/model/simulate.ts, fixed seeds) draws national datasets from the model with the pair (ch0, ch1): half
 * with one true synergy of known size, theta = the smaller of the pair's two coefficients (at full
 * saturation of both, the term adds as much as the weaker channel's own effect), half with none (theta = 0). Each
 * dataset is fitted twice with the product's default priors and the sign left free: with the pair as a term, and
 * without any term; the two groups run side by side. Prints, per dataset, the truth, the intervals and the
 * running tally, then:
 * - with synergy: the share of datasets whose true term contribution lies in its 90% interval (target >= 0.8);
 * - without: the share whose 90% interval of theta excludes zero, an invented synergy (target <= 0.1);
 * - the median relative error of the channels' ROIs (truth: the Shapley split, half the term to each channel of
 *   the pair, as the analysis reports it) fitted with the term against without it (target: not worse).
 * Usage: npm run bench:synergy [-- DATASETS_PER_GROUP] (default 20; MMM_BENCH_CHAINS / MMM_BENCH_WARMUP /
 * MMM_BENCH_DRAWS, default 4 / 500 / 500).
 */
import type { MmmConfig } from '../../src/config/schema.ts';
import { fitMmm, type FitResult } from '../../src/fit/fit-mmm.ts';
import { newDrawState } from '../../src/model/mmm-model.ts';
import { simulateDataset, type SimulatedDataset } from '../../src/model/simulate.ts';

const perGroup = Number(process.argv[2] ?? 20);
const chains = Number(process.env.MMM_BENCH_CHAINS ?? 4);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 500);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 500);

/** The synergy's size relative to the pair: theta = SYNERGY_SHARE x min(beta_ch0, beta_ch1). */
const SYNERGY_SHARE = 1;

function generate(seed: number, synergy: boolean): SimulatedDataset {
  return simulateDataset({
    geos: 1,
    weeks: 104,
    channels: 3,
    controls: 1,
    seed,
    noiseSd: 0.3,
    model: { maxLag: 6, seasonality: { harmonics: 1 }, interactions: [['ch0', 'ch1']] },
    adjustTruth: (theta, model) => {
      const state = newDrawState(model.data, model.layout);
      model.evaluate(theta, state, new Float64Array(model.dim));
      theta[model.layout.interaction] = synergy ? SYNERGY_SHARE * Math.min(state.beta[0], state.beta[1]) : 0;
    },
  });
}

async function fit(sim: SimulatedDataset, withTerm: boolean, seed: number): Promise<FitResult> {
  const config: MmmConfig = {
    ...sim.config,
    model: { ...sim.config.model, interactions: withTerm ? sim.config.model.interactions : [] },
    sampler: { ...sim.config.sampler, chains, warmup, draws, seed },
  };
  return fitMmm(sim.panel, config);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
};
const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');

const roiErrors = { with: [] as number[], without: [] as number[] };
const roiErrorsByGroup = {
  synergy: { with: [] as number[], without: [] as number[] },
  none: { with: [] as number[], without: [] as number[] },
};
let covered = 0;
let invented = 0;
let worstRhat = 0;
let divergences = 0;
const started = performance.now();
const done = { synergy: 0, none: 0 };

/** One group's datasets in order; the two groups run side by side (each fit's chains on worker threads). */
async function runGroup(group: 'synergy' | 'none'): Promise<void> {
  for (let i = 0; i < perGroup; i++) {
    const seed = (group === 'synergy' ? 6000 : 7000) + i;
    const sim = generate(seed, group === 'synergy');
    const withTerm = await fit(sim, true, 11 + i);
    const withoutTerm = await fit(sim, false, 11 + i);
    worstRhat = Math.max(worstRhat, withTerm.diagnostics.maxRhat, withoutTerm.diagnostics.maxRhat);
    divergences += withTerm.diagnostics.divergences + withoutTerm.diagnostics.divergences;
    const [found] = withTerm.analysis.interactions;
    const truth = sim.truth.interaction[0];
    let verdict: string;
    if (group === 'synergy') {
      const hit = found.contribution.p05 <= truth.contribution && truth.contribution <= found.contribution.p95;
      covered += hit ? 1 : 0;
      verdict = hit ? 'covered' : 'MISSED';
    } else {
      const excludes = found.theta.p05 > 0 || found.theta.p95 < 0;
      invented += excludes ? 1 : 0;
      verdict = excludes ? 'INVENTED' : 'none found';
    }
    const errors = (result: FitResult): number[] =>
      result.analysis.channels.map((channel, c) => Math.abs(channel.roi.mean / sim.truth.roi[c] - 1));
    const errorsWith = errors(withTerm);
    const errorsWithout = errors(withoutTerm);
    roiErrors.with.push(...errorsWith);
    roiErrors.without.push(...errorsWithout);
    roiErrorsByGroup[group].with.push(...errorsWith);
    roiErrorsByGroup[group].without.push(...errorsWithout);
    done[group] += 1;
    const tally = group === 'synergy' ? `covered so far ${covered}/${done.synergy}` : `invented so far ${invented}/${done.none}`;
    console.log(
      `${group.padEnd(7)} seed ${seed} (${tally}) | term contribution true ${fmt(truth.contribution)} est ${fmt(found.contribution.mean)} [${fmt(found.contribution.p05)}, ${fmt(found.contribution.p95)}] | theta true ${fmt(truth.theta)} (scaled at generation) est [${fmt(found.theta.p05)}, ${fmt(found.theta.p95)}] P(>0) ${found.pPositive.toFixed(2)} | ${verdict} | ROI error with ${errorsWith.map((e) => `${(100 * e).toFixed(0)}%`).join(' ')} without ${errorsWithout.map((e) => `${(100 * e).toFixed(0)}%`).join(' ')} | R-hat ${withTerm.diagnostics.maxRhat.toFixed(3)}/${withoutTerm.diagnostics.maxRhat.toFixed(3)}`,
    );
  }
}
await Promise.all([runGroup('synergy'), runGroup('none')]);
const coverage = covered / perGroup;
const inventedShare = invented / perGroup;
const medianWith = median(roiErrors.with);
const medianWithout = median(roiErrors.without);
console.log(
  `\nsynergy recovery: ${perGroup} datasets with a synergy + ${perGroup} without, national, 104 weeks, 3 channels, pair (ch0, ch1), sign free; ${chains} chains x (${warmup} + ${draws}) per fit, 2 fits per dataset, ${((performance.now() - started) / 1000).toFixed(0)} s; worst R-hat ${worstRhat.toFixed(3)}, ${divergences} divergences`,
);
console.log(
  `with synergy: true term contribution inside its 90% interval in ${covered}/${perGroup} = ${coverage.toFixed(2)} (target >= 0.8: ${mark(coverage >= 0.8)})`,
);
console.log(
  `without synergy: theta's 90% interval excludes zero in ${invented}/${perGroup} = ${inventedShare.toFixed(2)} (target <= 0.1: ${mark(inventedShare <= 0.1)})`,
);
for (const group of ['synergy', 'none'] as const) {
  console.log(
    `median |ROI error| on datasets with ${group === 'synergy' ? 'a synergy' : 'no synergy'}: with the term ${(100 * median(roiErrorsByGroup[group].with)).toFixed(1)}%, without ${(100 * median(roiErrorsByGroup[group].without)).toFixed(1)}%`,
  );
}
console.log(
  `median |ROI error| over all ${roiErrors.with.length} channel ROIs: with the term ${(100 * medianWith).toFixed(1)}%, without ${(100 * medianWithout).toFixed(1)}% (target not worse: ${mark(medianWith <= medianWithout)})`,
);
