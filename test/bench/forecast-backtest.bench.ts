/**
 * Forecast backtest (issue 14, acceptance 1): on Meridian's national data, the PyMC example and the 20
 * national datasets of the study generator (seeds 9100-9119, held out: nothing was tuned on them), fit the
 * default model — the study datasets' default config (every model and sampler option at its default), the
 * reference data's example configs as shipped (examples/*.json, as bench:fit fits them: the PyMC example's
 * spend is not in currency, so its config puts a coefficient prior on the media rather than the default ROI
 * prior, under which its media would earn about nothing) with the default sampler — on all but the last 13
 * weeks, then forecast those 13 weeks given their actual spend and controls:
 * the held-out weeks' rows of the data file read as a `custom` plan spend file (src/data/plan-spend-file.ts;
 * the study datasets have no file, so their rows are written in the same wide format first). As `mmm fit`
 * does, the training fit runs its own forecast backtest (src/run/forecast-backtest.ts: a fit without the
 * training data's last 13 weeks forecasting them), whose band scale (printed, `scale`) widens the predictive
 * bands scored here; the held-out weeks themselves are never seen by either fit.
 *
 * Printed per dataset and overall: coverage of the weekly actual outcomes by the 90% predictive bands
 * (target 0.85-0.95 over all datasets' weeks) and the absolute percentage error of the 13-week total,
 * the forecast's posterior mean against a seasonal-naive forecast's — the same 13 weeks a year before,
 * unscaled (the target compares with it); the seasonal-naive forecast scaled by the year-on-year change
 * of the 13 weeks before the horizon is printed beside it.
 *
 *   nice -n 10 npm run bench:forecast [-- DATASET ...] [-- --residuals independent|ar1]
 *
 * `--residuals` sets every dataset's model.residuals (default: each config's own).
 *
 * MMM_BENCH_CHAINS, MMM_BENCH_WARMUP and MMM_BENCH_DRAWS shorten the chains for a quick run (default: the
 * product's 4 x (1000 + 1000)).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../../src/config/load-config.ts';
import { residualsSchema, type MmmConfig } from '../../src/config/schema.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import { leadingWeeks, panelDims, type Panel } from '../../src/data/panel.ts';
import { readPlanSpendFile } from '../../src/data/plan-spend-file.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import type { HorizonForecast } from '../../src/analysis/horizon-forecast.ts';
import type { TrendContinuation } from '../../src/config/horizon-settings.ts';
import { runForecastBacktest } from '../../src/run/forecast-backtest.ts';
import { buildHorizon, forecastPlan } from '../../src/run/horizon.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { generateStudyDataset, studyDatasetSpecs } from './support/study-datasets.ts';
import { envCount } from './support/bench-options.ts';

const HORIZON = 13;
const YEAR = 52;

interface BacktestDataset {
  name: string;
  /** The full data and the wide CSV text it was read from (or is written as). */
  load: () => { panel: Panel; config: MmmConfig; csv: string };
}

const reference = (name: string, data: string, config: string): BacktestDataset => ({
  name,
  load: () => {
    const csv = readFileSync(referenceFile(data), 'utf8');
    const fitConfig = loadConfig(exampleConfig(config));
    return { panel: panelFromCsv(csv, fitConfig, data), config: fitConfig, csv };
  },
});

/** A national panel in the config's wide format: date, spend per channel, controls (what a plan spend file holds). */
function wideCsv(panel: Panel, config: MmmConfig): string {
  const { C, K } = panelDims(panel);
  const { data } = config;
  const header = [data.date, data.kpi, ...data.channels.map((c) => c.spend), ...data.controls];
  const rows = panel.dates.map((date, t) => [
    date,
    panel.kpi[t],
    ...Array.from({ length: C }, (_, c) => panel.spend[t * C + c]),
    ...Array.from({ length: K }, (_, k) => panel.controls[t * K + k]),
  ]);
  return [header, ...rows].map((row) => row.join(',')).join('\n');
}

const synthetic = (index: number): BacktestDataset => {
  const spec = studyDatasetSpecs().filter((s) => s.geos === 1)[index];
  return {
    name: `synthetic-${spec.id} (${spec.weeks}w, ${spec.trend})`,
    load: () => {
      const { panel, config } = generateStudyDataset(spec);
      return { panel, config, csv: wideCsv(panel, config) };
    },
  };
};

/**
 * A control beside the acceptance figures, not part of them: data drawn from the model itself (src/model/simulate.ts)
 * with a constant level and a fixed seasonal shape (one knot, no drift), so that the held-out weeks follow what
 * the fit on the earlier weeks can know. There the 90% predictive bands should cover about 90% of the weeks;
 * the gap between the two groups is the cost of the misspecification the study datasets are built with.
 */
const simulated = (index: number): BacktestDataset => ({
  name: `simulated-${index + 1} (130w, model's own)`,
  load: () => {
    const { panel, config } = simulateDataset({
      geos: 1,
      weeks: 130,
      channels: 3,
      controls: 1,
      seed: 1400 + index,
      noiseSd: 0.3,
      model: { knots: 1, seasonality: { harmonics: 2, period: 52.18, drift: false } },
    });
    return { panel, config, csv: wideCsv(panel, config) };
  },
});

const GROUPS: readonly { label: string; acceptance: boolean; datasets: readonly BacktestDataset[] }[] = [
  {
    label: 'acceptance: Meridian national, PyMC example, 20 study datasets',
    acceptance: true,
    datasets: [
      reference('meridian-national', 'meridian/national_all_channels.csv', 'meridian-national.json'),
      reference('pymc', 'pymc-marketing/mmm_example.csv', 'pymc-example.json'),
      ...Array.from({ length: 20 }, (_, i) => synthetic(i)),
    ],
  },
  {
    label: "control (not part of the acceptance figures): 10 datasets drawn from the model's own process",
    acceptance: false,
    datasets: Array.from({ length: 10 }, (_, i) => simulated(i)),
  },
];

/** The header and the data rows of the CSV whose date cell is one of `weeks` (the data file's own lines). */
function rowsOfWeeks(csv: string, config: MmmConfig, weeks: readonly string[]): string {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const dateColumn = lines[0].split(',').indexOf(config.data.date);
  return [lines[0], ...lines.slice(1).filter((line) => weeks.includes(line.split(',')[dateColumn]))].join('\n');
}

const outcomeAt = (panel: Panel, t: number): number => panel.kpi[t] * (panel.revenuePerKpi ? panel.revenuePerKpi[t] : 1);
const sumOutcome = (panel: Panel, from: number, to: number): number => {
  let total = 0;
  for (let t = from; t < to; t++) total += outcomeAt(panel, t);
  return total;
};

/** How one forecast did on the held-out weeks. */
interface Score {
  /** Weeks whose actual outcome lies in the 90% predictive band. */
  covered: number;
  /** The same with the band's calibration undone (k = 1). */
  coveredWithoutK: number;
  /** |forecast mean - actual| / actual, 13-week total. */
  ape: number;
}

interface Row {
  name: string;
  verdict: string;
  k: number;
  /** The training fit's backtest band scale, which widens the predictive bands (1: not widened). */
  bandScale: number;
  /** The product's default (the last knot segment's slope continued), and the trend held flat. */
  lastSlope: Score;
  flat: Score;
  naiveApe: number;
  scaledNaiveApe: number;
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

function scoreForecast(forecast: HorizonForecast, panel: Panel): Score {
  const T = panel.dates.length;
  const k = forecast.calibrationFactor;
  let covered = 0;
  let coveredWithoutK = 0;
  forecast.predictive.forEach((band, j) => {
    const actual = outcomeAt(panel, T - HORIZON + j);
    if (actual >= band.p05 && actual <= band.p95) covered++;
    if (k * actual >= band.p05 && k * actual <= band.p95) coveredWithoutK++;
  });
  const actualTotal = sumOutcome(panel, T - HORIZON, T);
  // The forecast is the predictive band's mean (what `mmm plan` reports as `forecast`): under AR(1) residuals it
  // leans towards where the data ended, the expected outcome does not.
  return { covered, coveredWithoutK, ape: Math.abs(forecast.total.predictive.mean - actualTotal) / Math.abs(actualTotal) };
}

type Sampler = { chains: number; warmup: number; draws: number };
/** `--residuals`: every dataset's model.residuals, or each config's own (the product's default) when not given. */
type Residuals = MmmConfig['model']['residuals'] | undefined;

async function backtest(dataset: BacktestDataset, sampler: Sampler, residuals: Residuals): Promise<Row | null> {
  const { panel, config, csv } = dataset.load();
  const T = panel.dates.length;
  const train = leadingWeeks(panel, T - HORIZON);
  const fitConfig = {
    ...config,
    model: { ...config.model, residuals: residuals ?? config.model.residuals },
    sampler: { ...config.sampler, ...sampler },
  };
  const fit = await fitMmm(train, fitConfig);
  // As `mmm fit` does: the training fit's own backtest (its last weeks held out) widens the forecast's predictive band.
  const forecastBacktest = await runForecastBacktest(train, fitConfig, fit.diagnostics.verdict);
  const held = panel.dates.slice(T - HORIZON);
  const planSpend = readPlanSpendFile(rowsOfWeeks(csv, config, held), `${dataset.name} held-out rows`, config, held, panel.channels);
  const forecastWith = (trend: TrendContinuation): HorizonForecast => {
    const horizon = buildHorizon(
      { panel: train, config: fitConfig, posterior: fit.posterior, model: fit.model, forecastBacktest },
      { settings: { weeks: HORIZON, flighting: 'custom', trend }, planSpend },
    );
    if (horizon.future.dates.join() !== held.join()) {
      throw new Error(`horizon weeks ${horizon.future.dates[0]}.. are not the held-out weeks ${held[0]}..`);
    }
    return forecastPlan(horizon);
  };
  let lastSlope: HorizonForecast;
  let flat: HorizonForecast;
  try {
    lastSlope = forecastWith('last-slope');
    flat = forecastWith('flat');
  } catch (error) {
    console.log(`${dataset.name.padEnd(42)} refused: ${(error as Error).message}`);
    return null;
  }
  const actualTotal = sumOutcome(panel, T - HORIZON, T);
  const naive = sumOutcome(panel, T - HORIZON - YEAR, T - YEAR);
  const growth = sumOutcome(panel, T - 2 * HORIZON, T - HORIZON) / sumOutcome(panel, T - 2 * HORIZON - YEAR, T - HORIZON - YEAR);
  const row: Row = {
    name: dataset.name,
    verdict: fit.diagnostics.verdict,
    k: lastSlope.calibrationFactor,
    bandScale: lastSlope.bandScale,
    lastSlope: scoreForecast(lastSlope, panel),
    flat: scoreForecast(flat, panel),
    naiveApe: Math.abs(naive - actualTotal) / Math.abs(actualTotal),
    scaledNaiveApe: Math.abs(naive * growth - actualTotal) / Math.abs(actualTotal),
  };
  const { covered, coveredWithoutK, ape } = row.lastSlope;
  console.log(
    `${row.name.padEnd(42)} ${row.verdict.padEnd(8)} ${row.k.toFixed(4)}  ${row.bandScale.toFixed(2)}   ${(covered / HORIZON).toFixed(3)}    ${(coveredWithoutK / HORIZON).toFixed(3)}   ${pct(ape).padStart(11)}  ${pct(row.naiveApe).padStart(11)}  ${pct(row.scaledNaiveApe).padStart(12)}    |             ${(row.flat.covered / HORIZON).toFixed(3)}  ${pct(row.flat.ape).padStart(5)}`,
  );
  return row;
}

function summarise(rows: readonly Row[], datasets: number, acceptance: boolean): void {
  const weeks = rows.length * HORIZON;
  const coverage = (score: (r: Row) => number) => rows.reduce((s, r) => s + score(r), 0) / weeks;
  const mean = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  const cover = coverage((r) => r.lastSlope.covered);
  const mape = mean((r) => r.lastSlope.ape);
  const naiveMape = mean((r) => r.naiveApe);
  const verdict = (met: boolean) => (acceptance ? ` (target ${met ? 'met' : 'MISSED'})` : '');
  console.log('');
  console.log(`datasets forecast: ${rows.length} of ${datasets}; weeks: ${weeks}`);
  console.log(
    `coverage of weekly actuals by the 90% predictive bands: ${cover.toFixed(3)}, target 0.85-0.95${verdict(cover >= 0.85 && cover <= 0.95)}; with k = 1: ${coverage((r) => r.lastSlope.coveredWithoutK).toFixed(3)}`,
  );
  console.log(
    `MAPE of the 13-week total: model ${pct(mape)}, seasonal naive (same weeks a year before, unscaled) ${pct(naiveMape)}, target model <= naive${verdict(mape <= naiveMape)}; seasonal naive scaled by the year-on-year change ${pct(mean((r) => r.scaledNaiveApe))}`,
  );
  console.log(
    `model at least as close as the unscaled seasonal naive on ${rows.filter((r) => r.lastSlope.ape <= r.naiveApe).length} of ${rows.length} datasets`,
  );
  console.log(
    `with the trend held flat (plan.trend 'flat'): coverage ${coverage((r) => r.flat.covered).toFixed(3)}, MAPE ${pct(mean((r) => r.flat.ape))}`,
  );
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { residuals: { type: 'string' } } });
  const residuals = values.residuals === undefined ? undefined : residualsSchema.parse(values.residuals);
  const sampler = {
    chains: envCount('MMM_BENCH_CHAINS', 4),
    warmup: envCount('MMM_BENCH_WARMUP', 1000),
    draws: envCount('MMM_BENCH_DRAWS', 1000),
  };
  console.log(
    `forecast backtest: the last ${HORIZON} weeks held out; ${sampler.chains} chains x (${sampler.warmup} warm-up + ${sampler.draws} draws); residuals ${residuals ?? "each config's own"}`,
  );
  for (const group of GROUPS) {
    const selected = positionals.length > 0 ? group.datasets.filter((d) => positionals.some((p) => d.name.startsWith(p))) : group.datasets;
    if (selected.length === 0) continue;
    console.log('');
    console.log(`== ${group.label}`);
    console.log(
      'dataset                                    verdict  k       scale  cover90  (k=1)   |APE| model  |APE| naive  (scaled naive)  | flat trend: cover90  |APE|',
    );
    const rows: Row[] = [];
    for (const dataset of selected) {
      const row = await backtest(dataset, sampler, residuals);
      if (row !== null) rows.push(row);
    }
    summarise(rows, selected.length, group.acceptance);
  }
}

await main();
