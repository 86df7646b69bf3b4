/**
 * `npm run bench:geo-recovery` (issue 15, acceptance 3): do per-geo ROI intervals cover the truth? Every dataset of
 * the frozen generator (support/geo-recovery-datasets.ts: twenty 10-geo panels drawn from the model's hierarchy, 4 or
 * 5 channels) is fitted with the product's default sampler, and each (geo, channel) ROI is read the way the
 * warehouse's `mmm_geo_channel_summary` reports it (components by market at the historical spend, calibrated, divided
 * by the pair's spend; src/explore/market-rows.ts). Printed: the share of true per-geo ROIs inside their 90% intervals
 * (target 0.85 to 0.95) over all geo x channel ROIs, the median absolute error, and the national ROIs' coverage
 * beside them.
 * Usage: npm run bench:geo-recovery [-- DATASETS] (default all 20; MMM_BENCH_CHAINS / MMM_BENCH_WARMUP /
 * MMM_BENCH_DRAWS, default 4 / 500 / 500).
 */
import { geoChannelSummaryRows } from '../../src/explore/market-rows.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { MarketResponseSource } from '../../src/run/market-response-source.ts';
import { MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { calibrate, calibrationBandSchema } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, MARKET_FACTOR_GRID } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import { geoRecoverySpecs } from './support/geo-recovery-datasets.ts';
import { median } from './support/study-fits.ts';

const specs = geoRecoverySpecs().slice(0, Number(process.argv[2] ?? 20));
const chains = Number(process.env.MMM_BENCH_CHAINS ?? 4);
const warmup = Number(process.env.MMM_BENCH_WARMUP ?? 500);
const draws = Number(process.env.MMM_BENCH_DRAWS ?? 500);

interface Cell {
  truth: number;
  mean: number;
  p05: number;
  p95: number;
}
const inside = (cell: Cell): boolean => cell.p05 <= cell.truth && cell.truth <= cell.p95;

const geoCells: Cell[] = [];
const nationalCells: Cell[] = [];
const started = performance.now();
for (const [i, spec] of specs.entries()) {
  const sim = simulateDataset(spec);
  const config = { ...sim.config, sampler: { ...sim.config.sampler, chains, warmup, draws, seed: 31 + i } };
  const fitStarted = performance.now();
  const fit = await fitMmm(sim.panel, config);
  const source = new MarketResponseSource(new MmmResponseSource(createMmmModel(sim.panel, config), sim.panel, fit.posterior));
  const curves = new ResponseCurves(computeComponents(source, factorGrid(MARKET_FACTOR_GRID)));
  const rows = geoChannelSummaryRows('bench', { curves, calibration: calibrate(curves, calibrationBandSchema.parse({})) });
  const C = sim.panel.channels.length;
  const cells = rows.map((row) => {
    const p = sim.panel.geos.indexOf(row.geo) * C + sim.panel.channels.indexOf(row.channel);
    return { truth: sim.truth.byGeo.roi[p], mean: row.roi_mean, p05: row.roi_p05, p95: row.roi_p95 };
  });
  geoCells.push(...cells);
  const national = fit.analysis.channels.map((channel, c) => ({ truth: sim.truth.roi[c], ...channel.roi }));
  nationalCells.push(...national);
  console.log(
    `${spec.id} ${C} channels: ${cells.filter(inside).length}/${cells.length} geo ROIs covered, national ${national.filter(inside).length}/${C} | ` +
      `R-hat ${fit.diagnostics.maxRhat.toFixed(3)} div ${fit.diagnostics.divergences} ${fit.diagnostics.verdict} | ` +
      `${((performance.now() - fitStarted) / 1000).toFixed(0)} s`,
  );
}

const share = (cells: Cell[]): number => cells.filter(inside).length / cells.length;
const relativeError = (cells: Cell[]): number => median(cells.map((c) => Math.abs(c.mean - c.truth) / c.truth));
const geoShare = share(geoCells);
console.log(
  `\ngeo recovery: ${specs.length} datasets x 10 geos, ${geoCells.length} geo x channel ROIs; ${chains} chains x (${warmup} + ${draws}) per fit; ` +
    `${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(
  `per-geo ROIs inside their 90% intervals: ${geoShare.toFixed(3)} (target 0.85 to 0.95: ${geoShare >= 0.85 && geoShare <= 0.95 ? 'met' : 'MISSED'}); ` +
    `median |ROI error| ${(100 * relativeError(geoCells)).toFixed(1)}%`,
);
console.log(
  `national ROIs of the same fits: ${share(nationalCells).toFixed(3)} inside (${nationalCells.length} ROIs); median |ROI error| ${(100 * relativeError(nationalCells)).toFixed(1)}%`,
);
