/**
 * A fitted run's plan horizon on a real (short) NUTS fit of the PyMC example: the extended model keeps the
 * data's periods exactly, the horizon's response source adds up to the forecast draw by draw, k is the
 * latest window's, and the exact DP optimiser, frontier and goal seek answer a horizon plan.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodOutcomeDraws } from '../../src/analysis/horizon-forecast.ts';
import { observedOutcomeTotal } from '../../src/analysis/observed-totals.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import type { Panel } from '../../src/data/panel.ts';
import { resolveBounds } from '../../src/explore/constraints.ts';
import { optimize } from '../../src/explore/optimizer.ts';
import { goalSeek } from '../../src/explore/goal-seek.ts';
import { efficientFrontier } from '../../src/explore/frontier.ts';
import { fitMmm, type FitResult } from '../../src/fit/fit-mmm.ts';
import { DrawEvaluator } from '../../src/model/posterior-draws.ts';
import { buildHorizon, forecastPlan, loadHorizon, referenceSpend, type Horizon } from '../../src/run/horizon.ts';
import { HorizonResponseSource, horizonCurves } from '../../src/run/horizon-response-source.ts';
import { writeFitRun } from '../../src/run/run-directory.ts';
import { calibrate, calibrationBandSchema } from '../../src/surface/calibration.ts';
import { expectOptimalPlan, meanOutcome } from '../support/optimality.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const mean = (values: Float64Array): number => values.reduce((a, b) => a + b, 0) / values.length;

let panel: Panel;
let fit: FitResult;
let dir: string;

beforeAll(async () => {
  const inputs = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
  panel = inputs.panel;
  fit = await fitMmm(panel, { ...inputs.config, sampler: { ...inputs.config.sampler, chains: 2, warmup: 500, draws: 500, seed: 1 } });
  dir = await mkdtemp(join(tmpdir(), 'mmm-horizon-'));
  writeFitRun(dir, panel, fit);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the extended model', () => {
  it("keeps the data's periods: every draw's expected outcome there equals the fitted model's", () => {
    const horizon = buildHorizon({ panel, config: fit.config, posterior: fit.posterior, model: fit.model });
    const T = panel.dates.length;
    const draws = [0, 57, 999];
    const fitted = periodOutcomeDraws(fit.model, fit.posterior, draws, 0, T);
    const extended = periodOutcomeDraws(horizon.extended.model, fit.posterior, draws, 0, T);
    expect([...extended]).toEqual([...fitted]);
    const a = new DrawEvaluator(fit.model, fit.posterior).load(57);
    const beta = Float64Array.from(a.beta);
    const b = new DrawEvaluator(horizon.extended.model, fit.posterior).load(57);
    expect([...b.beta]).toEqual([...beta]);
  });
});

describe('a 13-week horizon, even flighting at the run rate', () => {
  let horizon: Horizon;
  let source: HorizonResponseSource;

  beforeAll(() => {
    horizon = loadHorizon(dir, {}, { maxDraws: 200 });
    source = new HorizonResponseSource(horizon);
  });

  it("covers the 13 weeks after the data, at k of the data's last 13 weeks", () => {
    const T = panel.dates.length;
    expect(horizon.window).toEqual({ start: '2021-09-06', end: '2021-11-29' });
    expect(source.window).toEqual(horizon.window);
    expect(source.nDraws).toBe(200);
    expect(horizon.calibration.window).toEqual({ start: panel.dates[T - 13], end: panel.dates[T - 1] });
    expect(horizon.calibration.observedTotal).toBe(observedOutcomeTotal(panel, T - 13, T));
    expect(horizon.calibration.factor).toBeGreaterThan(0.8);
    expect(horizon.calibration.factor).toBeLessThan(1.25);
    // The reference plan: even flighting at each channel's run rate over the last 52 weeks.
    const reference = referenceSpend(horizon);
    panel.channels.forEach((_, c) => {
      let lastYear = 0;
      for (let t = T - 52; t < T; t++) lastYear += panel.spend[t * panel.channels.length + c];
      expect(relative(reference[c], (13 / 52) * lastYear)).toBeLessThan(1e-12);
      expect(source.historicalSpend[c]).toBeCloseTo(reference[c], 6);
    });
  });

  it('adds up to the forecast per draw: baseline + sum_c g_c(1) is the expected outcome, baseline the no-spend forecast', () => {
    const forecast = forecastPlan(horizon);
    const k = horizon.calibration.factor;
    const outcome = new Float64Array(source.nDraws);
    const baseline = new Float64Array(source.nDraws);
    const g = new Float64Array(source.nDraws);
    source.baseline(baseline);
    outcome.set(baseline);
    source.channels.forEach((_, c) => {
      source.channelContribution(c, 1, g);
      outcome.forEach((v, d) => (outcome[d] = v + g[d]));
    });
    expect(relative(k * mean(outcome), forecast.total.expected.mean)).toBeLessThan(1e-10);
    expect(relative(k * mean(baseline), forecast.total.baseline.mean)).toBeLessThan(1e-10);
    expect(forecast.expected.map((w) => w.week)).toEqual(horizon.future.dates);
    // The predictive band holds the expected one and is wider.
    forecast.expected.forEach((w, j) => {
      const p = forecast.predictive[j];
      expect(p.p05).toBeLessThan(w.p05);
      expect(p.p95).toBeGreaterThan(w.p95);
      expect(relative(p.mean, w.mean)).toBeLessThan(0.05);
    });
    // observedTotal is the calibrated reference plan, so calibrating the horizon's components gives the latest window's k.
    const run = horizonCurves(source);
    expect(relative(calibrate(run.curves, calibrationBandSchema.parse({})).factor, k)).toBeLessThan(1e-6);
  });

  it('is answered by the exact DP optimiser, the frontier and goal seek', () => {
    const run = horizonCurves(source);
    const budget = run.curves.totalHistoricalSpend;
    const result = optimize(run, { budget });
    expect(result.exact).toBe(true);
    expect(result.plan.spend.reduce((a, b) => a + b, 0)).toBeCloseTo(budget, 6);
    // The optimum is at least as good as the reference mix at the same budget.
    expect(result.plan.score.outcome.mean).toBeGreaterThanOrEqual(
      result.current.score.outcome.mean - 1e-9 * Math.abs(result.current.score.outcome.mean),
    );
    // Scoring the recommended plan through the forecast agrees with the surface to interpolation accuracy.
    const forecast = forecastPlan(horizon, result.plan.spend);
    expect(relative(forecast.total.expected.mean, result.plan.score.outcome.mean)).toBeLessThan(0.005);
    const frontier = efficientFrontier(run, { levels: 3 });
    expect(frontier).toHaveLength(3);
    const goal = goalSeek(run, { target: 1.02 * result.plan.score.outcome.mean, probability: 0.5 });
    expect(goal.budget).toBeGreaterThan(budget);
    expect(goal.probability).toBeGreaterThanOrEqual(0.5);
  });
});

describe('the horizon DP (acceptance 3)', () => {
  it('is never worse than greedy or 10,000 random feasible plans, and on a 40-unit grid matches brute force', () => {
    const run = horizonCurves(new HorizonResponseSource(loadHorizon(dir, {}, { maxDraws: 200 })));
    for (const level of [0.6, 1, 1.5]) expectOptimalPlan(run, level * run.curves.totalHistoricalSpend);
    // Brute force over every split of a 40-unit grid of the budget between the two channels, within their bounds.
    const budget = run.curves.totalHistoricalSpend;
    const bounds = resolveBounds(run.curves, {});
    const dp = optimize(run, { budget, gridUnits: 40 });
    let best = -Infinity;
    for (let u = 0; u <= 40; u++) {
      const spend = Float64Array.of((budget * u) / 40, (budget * (40 - u)) / 40);
      if (spend.some((s, c) => s < bounds.lower[c] - 1e-9 || s > bounds.upper[c] + 1e-9)) continue;
      best = Math.max(best, meanOutcome(run, spend));
    }
    expect(meanOutcome(run, dp.plan.spend)).toBeCloseTo(best, 6);
  });
});

describe('carry-over and flighting conventions', () => {
  it('countCarryover adds maxLag weeks without spend whose outcome counts', () => {
    const counted = loadHorizon(dir, { settings: { countCarryover: true } }, { maxDraws: 50 });
    const plain = loadHorizon(dir, {}, { maxDraws: 50 });
    const maxLag = fit.config.model.maxLag;
    expect(counted.future.dates).toHaveLength(13 + maxLag);
    expect(counted.future.planWeeks).toBe(13);
    const C = panel.channels.length;
    expect(counted.future.spend.subarray(13 * C).every((v) => v === 0)).toBe(true);
    // The forecast covers the carry-over weeks too; the reference plan's media still earn there.
    const forecast = forecastPlan(counted);
    expect(forecast.expected.map((w) => w.week)).toEqual(counted.future.dates);
    const lastWeek = forecast.expected[13 + maxLag - 1];
    expect(lastWeek.mean).toBeGreaterThan(forecast.baseline[13 + maxLag - 1].mean);
    const withCarry = new HorizonResponseSource(counted);
    const without = new HorizonResponseSource(plain);
    expect([...withCarry.historicalSpend]).toEqual([...without.historicalSpend]);
    const a = new Float64Array(50);
    const b = new Float64Array(50);
    for (let c = 0; c < C; c++) {
      withCarry.channelContribution(c, 1, a);
      without.channelContribution(c, 1, b);
      // The same spend, credited with its carry-over past the 13th week too.
      expect(mean(a)).toBeGreaterThan(mean(b));
    }
  });

  it('historical flighting follows the same weeks a year before, scaled to the budget given', () => {
    const horizon = loadHorizon(dir, { settings: { flighting: 'historical', weeks: 8 }, budgets: { x1: 1000 } }, { maxDraws: 20 });
    const T = panel.dates.length;
    const C = panel.channels.length;
    let lastYear = 0;
    for (let j = 0; j < 8; j++) lastYear += panel.spend[(T - 52 + j) * C];
    for (let j = 0; j < 8; j++) {
      expect(horizon.future.spend[j * C]).toBeCloseTo((1000 * panel.spend[(T - 52 + j) * C]) / lastYear, 9);
    }
    expect(horizon.future.statements.some((s) => s.startsWith('x1: 1000 spread as in the same weeks a year before'))).toBe(true);
  });

  it('refuses a horizon past 52 weeks and channels the model does not have, naming them', () => {
    expect(() => loadHorizon(dir, { settings: { weeks: 60 } })).toThrow('a horizon of 60 weeks is past what the data can support');
    expect(() => loadHorizon(dir, { settings: { channelFlighting: { tv: 'even' } } })).toThrow(
      "names channel 'tv', which the model does not have",
    );
    expect(() => loadHorizon(dir, { settings: { flighting: 'custom' } })).toThrow(
      "channel 'x1' has custom flighting, but no plan spend file gives its spend",
    );
  });
});
