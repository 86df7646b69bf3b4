/**
 * `npm run bench:misspecification` (issue 11, acceptance 4): do the misspecification checks
 * (src/analysis/misspecification.ts) catch misspecified fits without crying wolf on adequate ones?
 * - misspecified: one knot (a constant level) on the datasets with strong trends, and the default config
 *   without the price index, a material autocorrelated control (the first 8 national datasets);
 * - well-specified: the default config on every dataset, and one knot on the datasets without trend.
 * A fit is flagged when its misspecification verdict is warn or fail under the current thresholds
 * (src/analysis/misspecification-thresholds.ts), judged on the stored statistics of each fit.
 * Prints detection (target >= 80%) and false alarms (target <= 10%), which check flagged what, and the
 * statistics per fit (the Ljung-Box p-value too, reported by the product but not judged).
 * Fits are shared with the default-model study (support/study-fits.ts).
 */
import { judgeMisspecification } from '../../src/analysis/misspecification.ts';
import { defaultMisspecificationThresholds } from '../../src/analysis/misspecification-thresholds.ts';
import { studyDatasetSpecs, type StudyDatasetSpec } from './support/study-datasets.ts';
import { benchSampler, describeBenchSampler, studyFit, type StudyFit, type Variant } from './support/study-fits.ts';

interface Case {
  spec: StudyDatasetSpec;
  variant: Variant;
  misspecified: boolean;
  why: string;
}
const specs = studyDatasetSpecs();
const cases: Case[] = [
  ...specs.map((spec) => ({ spec, variant: 'default' as const, misspecified: false, why: 'default config' })),
  ...specs
    .filter((s) => s.strength === 'none')
    .map((spec) => ({ spec, variant: 'one-knot' as const, misspecified: false, why: 'one knot, no trend' })),
  ...specs
    .filter((s) => s.strength === 'strong')
    .map((spec) => ({ spec, variant: 'one-knot' as const, misspecified: true, why: 'one knot, strong trend' })),
  ...specs
    .filter((s) => s.geos === 1)
    .slice(0, 8)
    .map((spec) => ({ spec, variant: 'missing-control' as const, misspecified: true, why: 'price index left out' })),
];

const started = performance.now();
const t = defaultMisspecificationThresholds;
/** Which judged checks a fit trips (warn or fail). */
const tripped = (fit: StudyFit) => ({
  slowDrift: fit.slowDrift.pValue < t.slowDriftWarnP,
  outliers: fit.residualOutliers !== null && fit.residualOutliers.pValue < t.outliersWarnP,
  coverage: fit.predictiveCoverage90 < t.coverageWarn,
});
const judged: { c: Case; fit: StudyFit; verdict: 'pass' | 'warn' | 'fail' }[] = [];
for (const c of cases) {
  const fit = await studyFit(c.spec, c.variant);
  const { verdict } = judgeMisspecification(fit, { knots: fit.knots, geos: fit.geos }, t);
  judged.push({ c, fit, verdict });
  const { slowDrift: sd, residualOutliers: rn, ljungBox: lb } = fit;
  console.log(
    `${c.misspecified ? 'MISSPECIFIED' : 'well-spec.  '} ${c.spec.id.padEnd(11)} ${c.why.padEnd(22)} knots ${fit.knots} | ` +
      `slow drift p ${sd.pValue.toExponential(1)} (${sd.dof} dof, share ${sd.share.toFixed(2)}) | ` +
      `outliers p ${rn === null ? 'n/a' : `${rn.pValue.toExponential(1)} (skew ${rn.skewness.toFixed(2)}, ex. kurt ${rn.excessKurtosis.toFixed(1)})`} | ` +
      `coverage ${fit.predictiveCoverage90.toFixed(3)} | misspecification ${verdict} | run verdict ${fit.verdict} | ` +
      `Ljung-Box p ${lb.pValue.toExponential(1)} lag-1 ${lb.lag1.toFixed(2)} (not judged)`,
  );
}

const rate = (rows: typeof judged, test: (v: string) => boolean) => rows.filter((r) => test(r.verdict)).length;
const bad = judged.filter((r) => r.c.misspecified);
const good = judged.filter((r) => !r.c.misspecified);
const flagged = (v: string) => v !== 'pass';
const failed = (v: string) => v === 'fail';
const detection = rate(bad, flagged) / bad.length;
const falseAlarms = rate(good, flagged) / good.length;
const sampler = benchSampler();
console.log(
  `\nmisspecification checks: ${bad.length} misspecified fits (${bad.filter((r) => r.c.variant === 'one-knot').length} one knot on strong trends, ` +
    `${bad.filter((r) => r.c.variant === 'missing-control').length} missing control), ${good.length} well-specified; ` +
    `${describeBenchSampler(sampler)}; ` +
    `${judged.reduce((sum, r) => sum + r.fit.wallSeconds, 0).toFixed(0)} s of fitting (stored fits reused), ${((performance.now() - started) / 1000).toFixed(0)} s now`,
);
console.log(
  `thresholds: slow drift p < ${t.slowDriftWarnP} warn, < ${t.slowDriftFailP} fail; residual outliers p < ${t.outliersWarnP} warn, ` +
    `< ${t.outliersFailP} fail; predictive coverage < ${t.coverageWarn} warn, < ${t.coverageFail} fail`,
);
const byCheck = (rows: typeof judged) =>
  (['slowDrift', 'outliers', 'coverage'] as const)
    .map((check) => `${check} ${rows.filter((r) => tripped(r.fit)[check]).length}`)
    .join(', ');
for (const [label, rows] of [
  ['one knot, strong trend', bad.filter((r) => r.c.variant === 'one-knot')],
  ['missing control', bad.filter((r) => r.c.variant === 'missing-control')],
] as const) {
  console.log(
    `  ${label}: flagged ${rate(rows, flagged)}/${rows.length}, failed ${rate(rows, failed)}/${rows.length} (tripped: ${byCheck(rows)})`,
  );
}
console.log(
  `detection (misspecified fits flagged warn or fail): ${(100 * detection).toFixed(1)}% (${rate(bad, flagged)}/${bad.length}; target >= 80%: ${detection >= 0.8 ? 'met' : 'MISSED'}), ` +
    `failed outright ${rate(bad, failed)}/${bad.length}`,
);
console.log(
  `false alarms (well-specified fits flagged): ${(100 * falseAlarms).toFixed(1)}% (${rate(good, flagged)}/${good.length}; target <= 10%: ${falseAlarms <= 0.1 ? 'met' : 'MISSED'}), ` +
    `failed outright ${rate(good, failed)}/${good.length}`,
);
console.log('flagged by group (misspecification verdict warn or fail):');
const groupKey = (r: (typeof judged)[number]) =>
  `${r.c.misspecified ? 'misspecified' : 'well-specified'}, ${r.c.variant}, ${r.fit.geos === 1 ? 'national' : 'five-geo'}, trend ${r.fit.strength}`;
for (const key of [...new Set(judged.map(groupKey))].sort()) {
  const rows = judged.filter((r) => groupKey(r) === key);
  console.log(`  ${key.padEnd(58)} ${rate(rows, flagged)}/${rows.length} (tripped: ${byCheck(rows)})`);
}
// What a flag is worth: how well the flagged and the unflagged fits recovered the true ROIs.
const roiCoverage = (rows: typeof judged) => {
  const channels = rows.flatMap((r) => r.fit.channels);
  return `${(channels.filter((c) => c.p05 <= c.truth && c.truth <= c.p95).length / Math.max(1, channels.length)).toFixed(3)} over ${channels.length} ROIs`;
};
console.log(
  `coverage of true ROIs by 90% intervals: flagged fits ${roiCoverage(judged.filter((r) => flagged(r.verdict)))}, ` +
    `unflagged fits ${roiCoverage(judged.filter((r) => !flagged(r.verdict)))}`,
);
const pValues = (rows: typeof judged, pick: (fit: StudyFit) => number | null) =>
  rows
    .map((r) => pick(r.fit))
    .filter((p): p is number => p !== null)
    .sort((a, b) => a - b)
    .map((p) => p.toExponential(0))
    .join(' ');
const coverages = (rows: typeof judged) =>
  rows
    .map((r) => r.fit.predictiveCoverage90)
    .sort((a, b) => a - b)
    .map((c) => c.toFixed(2))
    .join(' ');
for (const [label, pick] of [
  ['slow drift p', (fit: StudyFit) => fit.slowDrift.pValue],
  ['outliers p', (fit: StudyFit) => fit.residualOutliers?.pValue ?? null],
  ['Ljung-Box p (not judged)', (fit: StudyFit) => fit.ljungBox.pValue],
] as const) {
  console.log(`${label}, misspecified:   ${pValues(bad, pick)}\n${label}, well-specified: ${pValues(good, pick)}`);
}
console.log(`coverage, misspecified:   ${coverages(bad)}\ncoverage, well-specified: ${coverages(good)}`);
