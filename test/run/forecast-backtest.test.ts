/**
 * The forecast backtest of a fit (src/run/forecast-backtest.ts) on a real (short) NUTS fit of the PyMC example:
 * it forecasts the data's last 13 weeks from a fit on the weeks before, scores them against their observed
 * outcomes without having seen them, is stored in summary.json, and widens the predictive bands of plans made
 * from the run; geo data, short data and a failed fit are skipped with the reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForecastBacktest } from '../../src/analysis/forecast-backtest.ts';
import type { MmmConfig } from '../../src/config/schema.ts';
import { channelSpendTotals } from '../../src/analysis/observed-totals.ts';
import { addDays } from '../../src/data/dates.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { leadingWeeks, type Panel } from '../../src/data/panel.ts';
import { fitMmm, type FitResult } from '../../src/fit/fit-mmm.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { backtestTrainingConfig, runForecastBacktest } from '../../src/run/forecast-backtest.ts';
import { forecastPlan, loadHorizon } from '../../src/run/horizon.ts';
import { readFitRun, readFitSummary, writeFitRun } from '../../src/run/run-directory.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

let panel: Panel;
let config: MmmConfig;
let fit: FitResult;
let backtest: ForecastBacktest;
let dir: string;

beforeAll(async () => {
  const inputs = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
  panel = inputs.panel;
  config = { ...inputs.config, sampler: { ...inputs.config.sampler, chains: 2, warmup: 300, draws: 300, seed: 1 } };
  fit = await fitMmm(panel, config);
  backtest = await runForecastBacktest(panel, config, fit.diagnostics.verdict);
  dir = await mkdtemp(join(tmpdir(), 'mmm-backtest-'));
  writeFitRun(dir, panel, fit, backtest);
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the backtest of the data's last 13 weeks", () => {
  it('scores each of those weeks; a week is inside the band exactly when its score is at most 1', () => {
    if (backtest.status !== 'done') throw new Error(`backtest skipped: ${backtest.reason}`);
    const T = panel.dates.length;
    expect(backtest.window).toEqual({ start: panel.dates[T - 13], end: panel.dates[T - 1] });
    expect(backtest.scores).toHaveLength(13);
    expect(backtest.covered).toBe(backtest.scores.filter((score) => score <= 1).length);
    expect(backtest.bandScale).toBe(Math.max(1, ...backtest.scores));
  });

  it('forecasts them without seeing them: tripling their KPI moves every score, not the forecast', async () => {
    if (backtest.status !== 'done') throw new Error(`backtest skipped: ${backtest.reason}`);
    const T = panel.dates.length;
    const kpi = Float64Array.from(panel.kpi, (v, t) => (t >= T - 13 ? 3 * v : v));
    const tripled = await runForecastBacktest({ ...panel, kpi }, config, 'pass');
    if (tripled.status !== 'done') throw new Error(`backtest skipped: ${tripled.reason}`);
    expect(tripled.covered).toBe(0);
    // The same fit of the same training weeks: the forecast is the same, so each score is (3 y - mean) / half-width.
    expect(Math.min(...tripled.scores)).toBeGreaterThan(Math.max(...backtest.scores));
    expect(tripled.verdict).toBe(backtest.verdict);
  }, 180_000);
});

describe('a run with its backtest', () => {
  it('stores the backtest in summary.json and gives it back with the posterior', () => {
    expect(readFitSummary(dir).forecastBacktest).toEqual(backtest);
    expect(readFitRun(dir).forecastBacktest).toEqual(backtest);
  });

  it("widens its plans' predictive bands by the band scale and states it", () => {
    if (backtest.status !== 'done') throw new Error(`backtest skipped: ${backtest.reason}`);
    const horizon = loadHorizon(dir, {}, { maxDraws: 200 });
    expect(horizon.bandScale).toBe(backtest.bandScale);
    expect(horizon.future.statements.at(-1)).toMatch(/^forecast backtest: \d+ of 13 weeks .* inside the 90% predictive band/);
    const forecast = forecastPlan(horizon);
    expect(forecast.bandScale).toBe(backtest.bandScale);
    // Against the same horizon without the backtest (a run fitted before backtests): the same draws, bands scaled about the mean.
    const plain = forecastPlan({ ...horizon, bandScale: 1 });
    const { bandScale } = backtest;
    forecast.predictive.forEach((band, j) => {
      const base = plain.predictive[j];
      expect(band.mean).toBeCloseTo(base.mean, 6);
      expect((band.p95 - band.p05) / (base.p95 - base.p05)).toBeCloseTo(bandScale, 9);
    });
  });
});

describe('skipped backtests', () => {
  it('skips geo data, data without a year before the window, and a failed fit, naming why', async () => {
    const geo = simulateDataset({ geos: 2, weeks: 80, channels: 2, controls: 0, seed: 2, noiseSd: 0.3 });
    expect(await runForecastBacktest(geo.panel, geo.config, 'pass')).toEqual({
      status: 'skipped',
      reason: 'the data have 2 geos; plans, and so their backtest, are national',
    });
    expect(await runForecastBacktest(leadingWeeks(panel, 64), config, 'pass')).toEqual({
      status: 'skipped',
      reason: 'the data hold 64 weeks; a backtest of the last 13 needs a year of training weeks before them (65)',
    });
    expect(await runForecastBacktest(panel, config, 'fail')).toEqual({
      status: 'skipped',
      reason: 'the fit failed its diagnostics, so no plan is made from it',
    });
  });
});

describe("the backtest fit's config", () => {
  /** A go-dark test of x1 over weeks first..last of the data, with the data's spend there. */
  const experiment = (id: string, first: number, last: number) => ({
    id,
    channel: 'x1',
    geo: null,
    start: panel.dates[first],
    end: panel.dates[last],
    incrementalOutcome: 100,
    standardError: 50,
    spend: channelSpendTotals(panel, first, last + 1)[0],
    counterfactualSpend: 0,
  });

  it('leaves out the lift tests that end in the held-out weeks, and the backtest runs with the rest', async () => {
    const T = panel.dates.length;
    const training = leadingWeeks(panel, T - 13);
    const before = experiment('before', T - 30, T - 27);
    const straddling = experiment('straddling', T - 14, T - 12);
    const after = experiment('after', T - 8, T - 5);
    const withTests = { ...config, experiments: [before, straddling, after] };
    const trainingConfig = backtestTrainingConfig(withTests, training);
    if ('skipped' in trainingConfig) throw new Error(trainingConfig.skipped);
    expect(trainingConfig.experiments.map((e) => e.id)).toEqual(['before']);
    expect({ ...trainingConfig, experiments: [] }).toEqual({ ...config, experiments: [] });
    const withTest = await runForecastBacktest(panel, { ...config, experiments: [before, after] }, 'pass');
    expect(withTest.status).toBe('done');
  }, 180_000);

  it('refuses an ROI prior window reaching into the held-out weeks, naming the channel', () => {
    const T = panel.dates.length;
    const training = leadingWeeks(panel, T - 13);
    const window = { start: panel.dates[T - 20], end: panel.dates[T - 10] };
    const channels = config.data.channels.map((channel, c) =>
      c === 0 ? { ...channel, prior: { type: 'roi' as const, mu: 0.2, sigma: 0.9, window } } : channel,
    );
    const refused = backtestTrainingConfig({ ...config, data: { ...config.data, channels } }, training);
    expect(refused).toEqual({
      skipped: `channel '${channels[0].name}' has an ROI prior window (${window.start}..${window.end}) reaching into the held-out weeks after ${addDays(training.dates[T - 14], 6)}`,
    });
  });
});
