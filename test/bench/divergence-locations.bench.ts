/**
 * Where divergent transitions sit (issue 13, scope 3; analysis for the reparameterisation): fits a
 * dataset of the sampler benchmarks with several sampler seeds, pools the kept draws, and compares
 * every unconstrained coordinate in the draws of divergent transitions with the rest: the means, the
 * difference in units of the non-divergent sd, and the share of divergent draws beyond the
 * non-divergent 5% and 95% quantiles. Geo models add derived coordinates: the realised spread over
 * geos of each control's coefficient, log sd_g(gamma[g,k]), and of each channel's media deviation,
 * log sd_g(eta_c eps[g,c]). Coordinates are listed by the size of the difference.
 *
 * Usage: node --import tsx test/bench/divergence-locations.bench.ts [--metrics gradient] meridian-national geo-02 ...
 * (MMM_BENCH_SEEDS, default 1,2,3,4,5; MMM_BENCH_CHAINS, MMM_BENCH_WARMUP, MMM_BENCH_DRAWS as in bench:fit).
 */
import type { MmmConfig } from '../../src/config/schema.ts';
import type { Panel } from '../../src/data/panel.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import type { ParameterLayout } from '../../src/model/parameters.ts';
import { quantileOfSorted } from '../../src/inference/diagnostics/quantile.ts';
import { BENCH_DATASETS } from './support/bench-datasets.ts';
import { benchOptions, DEFAULT_METRIC } from './support/bench-options.ts';
import { generateSpreadPanel, spreadPanelSpecs } from '../support/geo-spread-panels.ts';

const panelSpecs = spreadPanelSpecs();
const options = benchOptions([...BENCH_DATASETS.map((d) => d.name), ...panelSpecs.map((s) => s.id)], {
  metrics: [DEFAULT_METRIC],
  chains: 4,
  warmup: 1000,
  draws: 1000,
});
const seeds = (process.env.MMM_BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const LISTED = 15;

function load(name: string): { panel: Panel; config: MmmConfig } {
  const dataset = BENCH_DATASETS.find((d) => d.name === name);
  if (dataset) return dataset.load();
  const spec = panelSpecs.find((s) => s.id === name)!;
  return generateSpreadPanel(spec);
}

/** Derived coordinates of one draw: realised geo spreads of control coefficients and media deviations (geo models). */
function derived(layout: ParameterLayout, G: number, C: number, K: number): { names: string[]; values: (theta: Float64Array) => number[] } {
  if (layout.gammaGeo < 0 && layout.mediaEps < 0) return { names: [], values: () => [] };
  const logSd = (xs: number[]): number => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return 0.5 * Math.log(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  };
  const controlNames = layout.names.slice(layout.gamma, layout.gamma + K).map((n) => n.slice('gamma['.length, -1));
  const channelNames = layout.names.slice(layout.eta, layout.eta + C).map((n) => n.slice('eta['.length, -1));
  return {
    names: [...controlNames.map((k) => `log sd_g gamma[g,${k}]`), ...channelNames.map((c) => `log sd_g eta*eps[g,${c}]`)],
    values: (theta) => [
      ...controlNames.map((_, k) => logSd(Array.from({ length: G }, (_, g) => theta[layout.gammaGeo + g * K + k]))),
      ...channelNames.map((_, c) =>
        logSd(Array.from({ length: G }, (_, g) => Math.exp(theta[layout.eta + c]) * theta[layout.mediaEps + g * C + c])),
      ),
    ],
  };
}

const metric = options.metrics[0];
for (const name of options.names) {
  const { panel, config } = load(name);
  const divergent: number[][] = [];
  const rest: number[][] = [];
  let names: string[] = [];
  let kept = 0;
  const perSeed: number[] = [];
  for (const seed of seeds) {
    const fit = await fitMmm(panel, {
      ...config,
      sampler: { ...config.sampler, chains: options.chains, warmup: options.warmup, draws: options.draws, seed, metricAdaptation: metric },
    });
    const { layout, data } = fit.model;
    const extra = derived(layout, data.G, data.C, data.K);
    names = [...layout.names, ...extra.names];
    const { theta, dim, drawsPerChain } = fit.posterior;
    let count = 0;
    fit.divergentDraws.forEach((flags, k) => {
      for (let d = 0; d < drawsPerChain; d++) {
        const row = theta.subarray((k * drawsPerChain + d) * dim, (k * drawsPerChain + d + 1) * dim);
        const values = [...row, ...extra.values(row)];
        if (flags[d]) {
          divergent.push(values);
          count += 1;
        } else rest.push(values);
      }
    });
    kept += fit.posterior.nChains * drawsPerChain;
    perSeed.push(count);
    console.error(`${name} seed ${seed}: ${count} divergences, verdict ${fit.diagnostics.verdict}`);
  }
  console.log(
    `\n${name} (${metric}, ${options.chains} chains x (${options.warmup} + ${options.draws}), seeds ${seeds.join(',')}): ` +
      `${divergent.length} divergent of ${kept} kept draws (per seed [${perSeed.join(', ')}])`,
  );
  if (divergent.length === 0) continue;
  const rows = names.map((parameter, i) => {
    const inRest = Float64Array.from(rest, (r) => r[i]).sort();
    const inDivergent = divergent.map((r) => r[i]);
    const meanRest = inRest.reduce((a, b) => a + b, 0) / inRest.length;
    const sdRest = Math.sqrt(inRest.reduce((a, b) => a + (b - meanRest) ** 2, 0) / (inRest.length - 1));
    const meanDivergent = inDivergent.reduce((a, b) => a + b, 0) / inDivergent.length;
    const [q05, q95] = [quantileOfSorted(inRest, 0.05), quantileOfSorted(inRest, 0.95)];
    return {
      parameter,
      meanDivergent,
      meanRest,
      shift: (meanDivergent - meanRest) / sdRest,
      below: inDivergent.filter((v) => v < q05).length / inDivergent.length,
      above: inDivergent.filter((v) => v > q95).length / inDivergent.length,
    };
  });
  rows.sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift));
  console.log(
    `${'unconstrained coordinate'.padEnd(34)} ${'mean div'.padStart(9)} ${'mean rest'.padStart(9)} ${'shift/sd'.padStart(8)} ${'<q05'.padStart(5)} ${'>q95'.padStart(5)}`,
  );
  for (const r of rows.slice(0, LISTED)) {
    console.log(
      `${r.parameter.padEnd(34)} ${r.meanDivergent.toFixed(3).padStart(9)} ${r.meanRest.toFixed(3).padStart(9)} ${r.shift.toFixed(2).padStart(8)} ` +
        `${(100 * r.below).toFixed(0).padStart(4)}% ${(100 * r.above).toFixed(0).padStart(4)}%`,
    );
  }
}
