/**
 * `npm run bench:divergences`: divergences and diagnostics over seeds and geo spreads (issue 13,
 * acceptance 2), 4 chains x (1000 warm-up + 1000 draws) by default, every model option at the
 * product's default (the reference data keep their example configs' model options).
 * (a) Each national dataset of bench:fit fitted with sampler seeds 1-5; target: 0 divergences in >= 4
 *     of 5 fits and never more than 0.1% of the kept draws.
 * (b) Twelve synthetic geo panels (5-20 geos, fixed seeds; test/support/geo-spread-panels.ts) whose geo
 *     spreads of media and control effects run from zero to large; target: no fit fails its
 *     diagnostics (verdict pass or warn).
 *
 * Usage: npm run bench:divergences [-- --metrics gradient] [-- meridian-national geo-01 ...]
 * (MMM_BENCH_METRICS, MMM_BENCH_DATASETS, MMM_BENCH_CHAINS, MMM_BENCH_WARMUP, MMM_BENCH_DRAWS likewise).
 * MMM_BENCH_PANEL_SEEDS=1,2,3 fits every geo panel with each of those sampler seeds (default 1, the acceptance
 * run): a pass at one seed can be luck where a panel mixes slowly (docs/model.md, "Geo pooling").
 */
import { z } from 'zod';
import type { MmmConfig } from '../../src/config/schema.ts';
import type { Panel } from '../../src/data/panel.ts';
import { fitMmm, type FitResult } from '../../src/fit/fit-mmm.ts';
import type { MetricAdaptation } from '../../src/inference/sampler-settings.ts';
import { NATIONAL_BENCH_DATASETS } from './support/bench-datasets.ts';
import { benchOptions, DEFAULT_METRIC } from './support/bench-options.ts';
import { generateSpreadPanel, spreadPanelSpecs } from '../support/geo-spread-panels.ts';

const SEEDS = [1, 2, 3, 4, 5];
const PANEL_SEEDS = z
  .array(z.coerce.number().int().min(0))
  .min(1)
  .parse((process.env.MMM_BENCH_PANEL_SEEDS ?? '1').split(','));
/** At most this share of kept draws may diverge in any one national fit. */
const MAX_DIVERGENT_SHARE = 0.001;

const panelSpecs = spreadPanelSpecs();
const options = benchOptions([...NATIONAL_BENCH_DATASETS.map((d) => d.name), ...panelSpecs.map((s) => s.id)], {
  metrics: [DEFAULT_METRIC],
  chains: 4,
  warmup: 1000,
  draws: 1000,
});
const { chains, warmup, draws } = options;
const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');

function fit(panel: Panel, config: MmmConfig, metric: MetricAdaptation, seed: number): Promise<FitResult> {
  return fitMmm(panel, { ...config, sampler: { ...config.sampler, chains, warmup, draws, seed, metricAdaptation: metric } });
}

const summary: string[] = [];
for (const metric of options.metrics) {
  // (a) National datasets over seeds.
  for (const dataset of NATIONAL_BENCH_DATASETS.filter((d) => options.names.includes(d.name))) {
    const { panel, config } = dataset.load();
    const perSeed: { divergences: number; share: number; verdict: string; maxRhat: number }[] = [];
    for (const seed of SEEDS) {
      const d = (await fit(panel, config, metric, seed)).diagnostics;
      perSeed.push({ divergences: d.divergences, share: d.divergenceRate, verdict: d.verdict, maxRhat: d.maxRhat });
      console.log(
        `${dataset.name.padEnd(18)} ${metric} seed ${seed}: ${d.divergences} divergences (${(100 * d.divergenceRate).toFixed(2)}%), max R-hat ${d.maxRhat.toFixed(3)}, verdict ${d.verdict}`,
      );
    }
    const clean = perSeed.filter((s) => s.divergences === 0).length;
    const worstShare = Math.max(...perSeed.map((s) => s.share));
    const met = clean >= 4 && worstShare <= MAX_DIVERGENT_SHARE;
    summary.push(
      `(a) ${dataset.name.padEnd(18)} ${metric.padEnd(9)} divergences per seed [${perSeed.map((s) => s.divergences).join(', ')}], ` +
        `verdicts [${perSeed.map((s) => s.verdict).join(', ')}]: 0 in ${clean} of ${SEEDS.length}, worst ${(100 * worstShare).toFixed(2)}% ` +
        `(target 0 in >= 4 of 5, never > ${100 * MAX_DIVERGENT_SHARE}%: ${mark(met)})`,
    );
  }

  // (b) Synthetic geo panels, one fit per sampler seed.
  const panels = panelSpecs.filter((s) => options.names.includes(s.id));
  for (const seed of PANEL_SEEDS) {
    let failed = 0;
    for (const spec of panels) {
      const { panel, config } = generateSpreadPanel(spec);
      const result = await fit(panel, config, metric, seed);
      const d = result.diagnostics;
      if (d.verdict === 'fail') failed += 1;
      const worst = d.worstParameters[0];
      const line =
        `(b) ${spec.id} ${String(spec.geos).padStart(2)} geos, media spread ${spec.mediaSpread.toFixed(2)}, control spread ${spec.controlSpread.toFixed(2)}, ${metric}, seed ${seed}: ` +
        `verdict ${d.verdict}, ${d.divergences} divergences (${(100 * d.divergenceRate).toFixed(2)}%), max R-hat ${d.maxRhat.toFixed(3)}, ` +
        `min tail ESS ${d.minEssTail.toFixed(0)}, worst ${worst.name} (R-hat ${worst.rhat.toFixed(3)}, bulk ESS ${worst.essBulk.toFixed(0)}), dim ${result.model.dim}, ${result.timing.wallSeconds.toFixed(0)} s`;
      console.log(line + (d.verdict === 'fail' ? `\n      ${d.reasons.join('\n      ')}` : ''));
      summary.push(line);
    }
    if (panels.length > 0)
      summary.push(
        `(b) ${metric}, seed ${seed}: ${failed} of ${panels.length} geo panels fail (target: no fit fails: ${mark(failed === 0)})`,
      );
  }
}

console.log(`\nbench:divergences, ${chains} chains x (${warmup} warm-up + ${draws} draws):\n${summary.join('\n')}`);
