/**
 * `npm run bench:default-model` (issue 11, acceptance 3): does the default model hold up on data unlike
 * it? Every dataset of the frozen study generator (test/bench/support/study-datasets.ts: 20 national,
 * 5 five-geo, 4-5 channels, smooth or piecewise trends or none, drifting seasonality, controls) is fitted
 * with the *default* config and with one knot (a constant level, the old national default); printed per
 * config: the share of true ROIs inside their 90% intervals (target 0.85 to 0.95) and the median absolute
 * ROI error relative to the truth (target <= 25%), overall and by trend.
 * Fits are stored and shared with the misspecification benchmark (support/study-fits.ts).
 * Usage: npm run bench:default-model (MMM_BENCH_WARMUP / MMM_BENCH_DRAWS, default 500 / 500; MMM_BENCH_REFIT=1);
 * `-- --variants default,independent` compares other variants of support/study-fits.ts (the first is the one judged
 * against the targets; default: default,one-knot); dataset ids as arguments fit those only.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { studyDatasetSpecs } from './support/study-datasets.ts';
import { benchSampler, describeBenchSampler, median, studyFit, VARIANTS, type StudyFit } from './support/study-fits.ts';

const { values, positionals } = parseArgs({
  options: { variants: { type: 'string', default: 'default,one-knot' } },
  allowPositionals: true,
});
const unknown = positionals.filter((id) => !studyDatasetSpecs().some((spec) => spec.id === id));
if (unknown.length > 0)
  throw new Error(
    `unknown dataset ${unknown.join(', ')}; known: ${studyDatasetSpecs()
      .map((spec) => spec.id)
      .join(', ')}`,
  );
const specs = studyDatasetSpecs().filter((spec) => positionals.length === 0 || positionals.includes(spec.id));
const compared = z
  .array(z.enum(VARIANTS))
  .min(1)
  .parse(values.variants.split(',').map((name) => name.trim()));
const started = performance.now();
const fits: StudyFit[] = [];
for (const spec of specs) {
  for (const variant of compared) {
    const fit = await studyFit(spec, variant);
    fits.push(fit);
    const hits = fit.channels.filter((c) => c.p05 <= c.truth && c.truth <= c.p95).length;
    const cells = fit.channels.map(
      (c) =>
        `${c.name} ${c.truth.toFixed(2)} -> ${c.mean.toFixed(2)} [${c.p05.toFixed(2)}, ${c.p95.toFixed(2)}]${c.p05 <= c.truth && c.truth <= c.p95 ? '' : ' MISS'}`,
    );
    console.log(
      `${spec.id.padEnd(11)} ${`${spec.trend}/${spec.strength}`.padEnd(16)} ${variant.padEnd(8)} knots ${fit.knots} | ${hits}/${fit.channels.length} covered | ` +
        `R-hat ${fit.maxRhat?.toFixed(3) ?? 'n/a'} div ${fit.divergences} ${fit.verdict}` +
        `${fit.phi === null ? '' : ` phi ${fit.phi.mean.toFixed(2)} [${fit.phi.p05.toFixed(2)}, ${fit.phi.p95.toFixed(2)}]`} | ${cells.join(' | ')}`,
    );
  }
}

interface Figures {
  rois: number;
  coverage: number;
  medianError: number;
}
function figures(selected: StudyFit[]): Figures {
  const channels = selected.flatMap((f) => f.channels);
  const inside = channels.filter((c) => c.p05 <= c.truth && c.truth <= c.p95).length;
  return {
    rois: channels.length,
    coverage: inside / channels.length,
    medianError: median(channels.map((c) => Math.abs(c.mean - c.truth) / c.truth)),
  };
}
const describe = (f: Figures): string =>
  `coverage ${f.coverage.toFixed(3)}, median |ROI error| ${(100 * f.medianError).toFixed(1)}% (${f.rois} ROIs)`;

const groups: [string, (f: StudyFit) => boolean][] = [
  ['all datasets', () => true],
  ['national', (f) => f.geos === 1],
  ['five-geo', (f) => f.geos > 1],
  ['no trend', (f) => f.strength === 'none'],
  ['mild trend', (f) => f.strength === 'mild'],
  ['strong trend', (f) => f.strength === 'strong'],
];
const national = specs.filter((s) => s.geos === 1).length;
const geo = specs.length - national;
const sampler = benchSampler();
console.log(
  `\ndefault-model study: ${national} national + ${geo} five-geo datasets from the frozen generator; ` +
    `${describeBenchSampler(sampler)}; ` +
    `${fits.length} fits, ${fits.reduce((sum, f) => sum + f.wallSeconds, 0).toFixed(0)} s of fitting (stored fits reused), ${((performance.now() - started) / 1000).toFixed(0)} s now`,
);
for (const [label, keep] of groups) {
  const cells = compared.map((variant) => `${variant}: ${describe(figures(fits.filter((f) => f.variant === variant && keep(f))))}`);
  console.log(`${label.padEnd(13)} ${cells.join(' | ')}`);
}
const [judged, ...others] = compared;
const headline = figures(fits.filter((f) => f.variant === judged));
const sameData = (pick: (f: Figures) => string): string =>
  others.map((variant) => `; ${variant} on the same data: ${pick(figures(fits.filter((f) => f.variant === variant)))}`).join('');
console.log(
  `\n${judged}: coverage of true ROIs by 90% intervals ${headline.coverage.toFixed(3)} (target 0.85 to 0.95: ` +
    `${headline.coverage >= 0.85 && headline.coverage <= 0.95 ? 'met' : 'MISSED'})${sameData((f) => f.coverage.toFixed(3))}`,
);
console.log(
  `${judged}: median absolute ROI error ${(100 * headline.medianError).toFixed(1)}% (target <= 25%: ` +
    `${headline.medianError <= 0.25 ? 'met' : 'MISSED'})${sameData((f) => `${(100 * f.medianError).toFixed(1)}%`)}`,
);
for (const variant of compared) {
  const selected = fits.filter((f) => f.variant === variant);
  const verdicts = ['pass', 'warn', 'fail'].map((verdict) => `${selected.filter((f) => f.verdict === verdict).length} ${verdict}`);
  const divergent = selected.filter((f) => f.divergences > 0);
  const worstRhat = Math.max(...selected.map((f) => f.maxRhat ?? Number.NaN));
  console.log(
    `${variant}: verdicts ${verdicts.join(', ')}; divergences ${divergent.reduce((sum, f) => sum + f.divergences, 0)} in ${divergent.length} of ${selected.length} fits; worst max R-hat ${worstRhat.toFixed(3)}`,
  );
}
