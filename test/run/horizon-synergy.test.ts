/**
 * Synergy pairs in the horizon, plan, timing and market decisions, on a real short NUTS fit of the PyMC
 * example with one pair (x1, x2) constrained to theta >= 0 (positive synergy in every draw): the horizon's
 * source answers the pair, so the plan's curves carry its 2-D grid and the plan, goal and forecast include the
 * term; timing a channel of the pair refuses, naming the pair; the optimiser by market plans with the pair (its
 * one geo's term), as the national optimiser does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { optimizeMarkets } from '../../src/explore/market-optimizer.ts';
import { optimize } from '../../src/explore/optimizer.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { forecastPlan, loadHorizon, type Horizon } from '../../src/run/horizon.ts';
import { HorizonResponseSource, horizonCurves } from '../../src/run/horizon-response-source.ts';
import { MarketResponseSource } from '../../src/run/market-response-source.ts';
import { loadResponseSource } from '../../src/run/mmm-response-source.ts';
import { answerPlan } from '../../src/run/plan-answer.ts';
import { writeFitRun } from '../../src/run/run-directory.ts';
import { TimingSynergyError } from '../../src/run/timing-plan.ts';
import { calibrate, calibrationBandSchema, type CalibratedCurves } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import type { ChannelResponseSource } from '../../src/surface/response-source.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const mean = (values: Float64Array): number => values.reduce((a, b) => a + b, 0) / values.length;
let dir: string;

beforeAll(async () => {
  const { panel, config } = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
  const withPair = {
    ...config,
    model: {
      ...config.model,
      interactions: [['x1', 'x2'] as [string, string]],
      priors: { ...config.model.priors, interaction: { scale: 0.5, sign: 'non_negative' as const } },
    },
  };
  const fit = await fitMmm(panel, { ...withPair, sampler: { ...config.sampler, chains: 2, warmup: 300, draws: 300, seed: 5 } });
  dir = await mkdtemp(join(tmpdir(), 'mmm-horizon-synergy-'));
  writeFitRun(dir, panel, fit);
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The source's channel curves without the pair's term, calibrated with `run`'s k: the plan's channels alone. */
function channelsOnly(source: HorizonResponseSource, run: CalibratedCurves): CalibratedCurves {
  const { channels, historicalSpend, nDraws, window, observedTotal } = source;
  const separable: ChannelResponseSource = {
    channels,
    historicalSpend,
    nDraws,
    window,
    observedTotal,
    baseline: (out) => source.baseline(out),
    channelContribution: (c, f, out) => source.channelContribution(c, f, out),
  };
  return { curves: new ResponseCurves(computeComponents(separable, factorGrid(factorGridSchema.parse({})))), calibration: run.calibration };
}

describe('a 13-week horizon of a run with a synergy pair (theta >= 0)', () => {
  let horizon: Horizon;
  let source: HorizonResponseSource;
  let run: CalibratedCurves;

  beforeAll(() => {
    horizon = loadHorizon(dir, {}, { maxDraws: 200 });
    source = new HorizonResponseSource(horizon);
    run = horizonCurves(source);
  }, 120_000);

  it("names the pair, and adds it to the forecast per draw: baseline + sum_c g_c(1) + s(1, 1) is the forecast's expected outcome", () => {
    expect(source.pairs).toEqual([[0, 1]]);
    expect(run.curves.pairGrids?.pairs).toEqual([[0, 1]]);
    const outcome = new Float64Array(source.nDraws);
    const term = new Float64Array(source.nDraws);
    source.baseline(outcome);
    source.channels.forEach((_, c) => {
      source.channelContribution(c, 1, term);
      outcome.forEach((v, d) => (outcome[d] = v + term[d]));
    });
    source.pairContribution(0, 1, 1, term);
    expect(Math.min(...term)).toBeGreaterThanOrEqual(0);
    expect(mean(term)).toBeGreaterThan(0);
    outcome.forEach((v, d) => (outcome[d] = v + term[d]));
    const k = horizon.calibration.factor;
    expect(relative(k * mean(outcome), forecastPlan(horizon).total.expected.mean)).toBeLessThan(1e-10);
    // The reference plan's outcome, pair included, is what calibration anchors: the latest window's k again.
    expect(relative(calibrate(run.curves, calibrationBandSchema.parse({})).factor, k)).toBeLessThan(1e-6);
  });

  it('plans with the pair term: the plan, its goal and its forecast include it, above the channels alone', () => {
    const answer = answerPlan(horizon, { goal: { target: 0, kind: 'incremental', probability: 0.5 } });
    const separable = channelsOnly(source, run);
    const planned = optimize(run, { budget: answer.budget });
    expect(planned.exact).toBe(true);
    const spend = Float64Array.from(answer.allocation, (a) => a.spend);
    expect([...spend]).toEqual([...planned.plan.spend]);
    const withoutPair = optimize(separable, { budget: answer.budget }).plan;
    const scoredWithout = new Float64Array(run.curves.nDraws);
    separable.curves.outcomeDraws(spend, scoredWithout);
    const channelsAlone = horizon.calibration.factor * mean(scoredWithout);
    console.log(
      `plan outcome ${answer.outcome.mean.toFixed(2)} (its channels alone ${channelsAlone.toFixed(2)}); forecast ${answer.forecast.total.expected.mean.toFixed(2)}`,
    );
    expect(answer.outcome.mean).toBeGreaterThan(channelsAlone);
    // The forecast runs the fitted model, interaction term and all; the plan's curves agree with it.
    expect(relative(answer.forecast.total.expected.mean, answer.outcome.mean)).toBeLessThan(0.005);
    expect(planned.plan.objectiveValue).toBeGreaterThanOrEqual(answer.outcome.mean - 1e-9 * answer.outcome.mean);
    // The separable model's plan scored with the pair does no better than the plan that knows the pair.
    const scoredWith = new Float64Array(run.curves.nDraws);
    run.curves.outcomeDraws(withoutPair.spend, scoredWith);
    expect(horizon.calibration.factor * mean(scoredWith)).toBeLessThanOrEqual(answer.outcome.mean * (1 + 1e-12));
    expect(answer.goal?.reached).not.toBeNull();
  });

  it('refuses to time a channel of the pair, naming the pair', () => {
    expect(() => answerPlan(horizon, { timing: ['x2'] })).toThrow(TimingSynergyError);
    expect(() => answerPlan(horizon, { timing: ['x2'] })).toThrow("channel 'x2' cannot be timed: it is in the synergy pair x2 x x1");
  });
});

describe('the optimiser by market on a run with a synergy pair', () => {
  it("plans the one geo's pairs with its synergy term: the national optimiser's plan, pair included", async () => {
    const national = await loadResponseSource(dir, { maxDraws: 100 });
    const markets = new MarketResponseSource(national);
    expect(markets.channels).toEqual(['national/x1', 'national/x2']);
    expect(markets.pairs).toEqual([[0, 1]]);
    const runOf = (source: ChannelResponseSource): CalibratedCurves => {
      const curves = new ResponseCurves(computeComponents(source, factorGrid(factorGridSchema.parse({}))));
      return { curves, calibration: calibrate(curves, calibrationBandSchema.parse({ lower: 0.01, upper: 100 })) };
    };
    const byMarket = optimizeMarkets(runOf(markets));
    const byChannel = optimize(runOf(national), {});
    expect(byMarket.method).toBe('dp');
    expect(byMarket.gap).toBeLessThan(1e-12);
    expect(byChannel.exact).toBe(true);
    expect([...byMarket.plan.spend]).toEqual([...byChannel.plan.spend]);
    expect(relative(byMarket.plan.score.incremental.mean, byChannel.plan.score.incremental.mean)).toBeLessThan(1e-12);
    console.log(
      `one geo by market: plan ${[...byMarket.plan.spend].map((v) => v.toFixed(0)).join(', ')}, paid media ${byMarket.paidMedia.toFixed(2)}; ` +
        `by channel ${[...byChannel.plan.spend].map((v) => v.toFixed(0)).join(', ')}`,
    );
  }, 120_000);
});
