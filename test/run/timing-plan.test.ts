import { describe, expect, it } from 'vitest';
import { summarizeDraws } from '../../src/analysis/interval.ts';
import { UnknownChannelError } from '../../src/explore/allocation.ts';
import { InfeasibleConstraintError } from '../../src/explore/constraints.ts';
import { createRng } from '../../src/math/rng.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { DrawEvaluator, type PosteriorDraws } from '../../src/model/posterior-draws.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { planTiming } from '../../src/run/timing-plan.ts';

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const WEEKS = 13;

/**
 * A seasonal case with a closed-form optimum. National, no adstock (maxLag 0), Hill slope 1, and revenue per
 * KPI swinging +-60% over the 13-week window, so the outcome scale s_j differs by week. The draws differ only
 * in the channels' ROI, so beta_d varies and the Hill half-saturation ec does not: the expected outcome is
 * mean(beta) sum_j s_j h(a x_j), h(u) = u / (u + ec), a = scaled media per unit of spend. Equal marginal returns
 * s_j ec a / (a x_j + ec)^2 = lambda over the open weeks J with sum_J x_j = B give
 *   a x_j + ec = kappa sqrt(s_j),  kappa = (a B + |J| ec) / sum_J sqrt(s_j),
 *   F*_d = beta_d (sum_J s_j - ec sum_J sqrt(s_j) / kappa),   F_even,d = beta_d sum_J s_j (aB/|J|) / (aB/|J| + ec).
 */
describe('planTiming on a seasonal case with a closed-form optimum', () => {
  const { panel, config, theta } = simulateDataset({
    geos: 1,
    weeks: 70,
    channels: 2,
    controls: 1,
    seed: 7,
    noiseSd: 0.3,
    model: { maxLag: 0, saturation: 'hill', hillSlope: 'fixed' },
  });
  const T = panel.dates.length;
  panel.revenuePerKpi = Float64Array.from({ length: T }, (_, t) => 1 + 0.6 * Math.sin((2 * Math.PI * t) / WEEKS));
  const model = createMmmModel(panel, config);
  const nDraws = 200;
  const rng = createRng(17, 0);
  const theta0 = Float64Array.from(theta);
  const posterior: PosteriorDraws = { nChains: 1, drawsPerChain: nDraws, dim: model.dim, theta: new Float64Array(nDraws * model.dim) };
  for (let d = 0; d < nDraws; d++) {
    posterior.theta.set(theta0, d * model.dim);
    for (let c = 0; c < 2; c++) posterior.theta[d * model.dim + model.layout.mediaEffect + c] += 0.4 * rng.normal();
  }
  const tStart = T - WEEKS;
  const source = new MmmResponseSource(model, panel, posterior, { window: { start: panel.dates[tStart], end: panel.dates[T - 1] } });

  /** The closed form for channel c over the open weeks, from the model's own constants and draws. */
  function closedForm(c: number, budget: number, dark: ReadonlySet<number>) {
    const evaluator = new DrawEvaluator(model, posterior);
    const beta = Float64Array.from({ length: nDraws }, (_, d) => evaluator.load(d).beta[c]);
    const ec = evaluator.load(0).shape[c];
    for (let d = 1; d < nDraws; d++) expect(evaluator.load(d).shape[c]).toBe(ec);
    const a = 1 / model.data.scaling.mediaMedian[c]; // national, population 1, media = spend
    const open = Array.from({ length: WEEKS }, (_, j) => j).filter((j) => !dark.has(j));
    const scale = (j: number) => model.data.outcomeScale[tStart + j];
    const sumScale = open.reduce((s, j) => s + scale(j), 0);
    const sumRoot = open.reduce((s, j) => s + Math.sqrt(scale(j)), 0);
    const kappa = (a * budget + open.length * ec) / sumRoot;
    const spend = Array.from({ length: WEEKS }, (_, j) => (dark.has(j) ? 0 : (kappa * Math.sqrt(scale(j)) - ec) / a));
    const evenMedia = (a * budget) / open.length;
    const optimum = sumScale - (ec * sumRoot) / kappa;
    const even = (sumScale * evenMedia) / (evenMedia + ec);
    return {
      spend,
      timed: beta.map((b) => b * optimum),
      even: beta.map((b) => b * even),
      gain: beta.map((b) => b * (optimum - even)),
    };
  }

  it('finds the closed-form weekly spend and beats even flighting by the known margin, per draw', () => {
    const darkWeeks = [2, 3, 9];
    // Twice the window's spend: enough that the closed form gives every open week some spend.
    const budgets = source.historicalSpend.map((v) => 2 * v);
    const plan = planTiming(source, {
      channels: [
        { channel: 'ch0', budget: budgets[0] },
        { channel: 'ch1', budget: budgets[1], darkWeeks: darkWeeks.map((j) => source.weeks[j]) },
      ],
    });
    expect(plan.window).toEqual(source.window);
    expect(plan.nDraws).toBe(nDraws);
    const known = [closedForm(0, budgets[0], new Set()), closedForm(1, budgets[1], new Set(darkWeeks))];
    plan.channels.forEach((channel, c) => {
      const expected = known[c];
      // The closed form holds when every open week gets spend; the case is built so that it does.
      expected.spend.forEach((x, j) => expect(x > 0 || darkWeeks.includes(j)).toBe(true));
      const perWeek = budgets[c] / WEEKS;
      channel.weeks.forEach((week, j) => {
        expect(week.week).toBe(source.weeks[j]);
        expect(Math.abs(week.spend - expected.spend[j])).toBeLessThan(1e-5 * perWeek);
      });
      const gain = summarizeDraws(expected.gain);
      const margin = gain.mean / summarizeDraws(expected.even).mean;
      console.log(
        `${channel.channel}: known gain ${gain.mean.toFixed(4)} [${gain.p05.toFixed(4)}, ${gain.p95.toFixed(4)}] (${(100 * margin).toFixed(2)}% of even), timed ${channel.gain.extraOutcome.mean.toFixed(4)} [${channel.gain.extraOutcome.p05.toFixed(4)}, ${channel.gain.extraOutcome.p95.toFixed(4)}]`,
      );
      expect(margin).toBeGreaterThan(0.01);
      expect(relative(channel.gain.extraOutcome.mean, gain.mean)).toBeLessThan(1e-8);
      expect(relative(channel.gain.extraOutcome.p05, gain.p05)).toBeLessThan(1e-8);
      expect(relative(channel.gain.extraOutcome.p95, gain.p95)).toBeLessThan(1e-8);
      expect(channel.gain.pGain).toBe(1);
      expect(relative(channel.outcome.mean, summarizeDraws(expected.timed).mean)).toBeLessThan(1e-10);
      expect(relative(channel.evenOutcome.mean, summarizeDraws(expected.even).mean)).toBeLessThan(1e-10);
      // Weekly outcomes add up to the window's; no carry-over is counted.
      expect(
        relative(
          channel.weeks.reduce((s, w) => s + w.outcome.mean, 0),
          channel.outcome.mean,
        ),
      ).toBeLessThan(1e-12);
      expect(channel.carryover).toBeNull();
    });
    expect(plan.channels[1].weeks.filter((_, j) => darkWeeks.includes(j)).map((w) => [w.spend, w.evenSpend])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(
      relative(plan.gain.extraOutcome.mean, plan.channels[0].gain.extraOutcome.mean + plan.channels[1].gain.extraOutcome.mean),
    ).toBeLessThan(1e-12);
  });

  it('scales every outcome by the calibration factor and times the same', () => {
    const plain = planTiming(source, { channels: [{ channel: 'ch0', budget: 1000 }] });
    const calibrated = planTiming(source, { channels: [{ channel: 'ch0', budget: 1000 }], calibrationFactor: 1.25 });
    expect(calibrated.channels[0].weeks.map((w) => w.spend)).toEqual(plain.channels[0].weeks.map((w) => w.spend));
    expect(relative(calibrated.channels[0].gain.extraOutcome.mean, 1.25 * plain.channels[0].gain.extraOutcome.mean)).toBeLessThan(1e-12);
  });

  it('refuses an unknown channel, a channel given twice, and infeasible constraints before timing anything', () => {
    expect(() => planTiming(source, { channels: [{ channel: 'radio', budget: 10 }] })).toThrow(UnknownChannelError);
    expect(() =>
      planTiming(source, {
        channels: [
          { channel: 'ch0', budget: 10 },
          { channel: 'ch0', budget: 20 },
        ],
      }),
    ).toThrow("channel 'ch0' is timed twice");
    expect(() => planTiming(source, { channels: [{ channel: 'ch1', budget: 10, minPerWeek: 1 }] })).toThrow(InfeasibleConstraintError);
    expect(() => planTiming(source, { channels: [{ channel: 'ch1', budget: 10, maxPerWeek: 0.5 }] })).toThrow(
      "channel 'ch1': budget 10 exceeds the 6.5 the weekly maximums allow",
    );
    expect(() => planTiming(source, { channels: [{ channel: 'ch0', budget: 10, darkWeeks: [...source.weeks] }] })).toThrow(
      "channel 'ch0': every week of the window is dark",
    );
  });
});

describe('planTiming with carry-over counted', () => {
  it('reports the outcome after the window apart, and counting it moves spend later', () => {
    const { panel, config, theta } = simulateDataset({
      geos: 1,
      weeks: 70,
      channels: 1,
      controls: 1,
      seed: 3,
      noiseSd: 0.3,
      model: { maxLag: 6 },
    });
    const model = createMmmModel(panel, config);
    // A slow decay, so that carry-over past the window is material.
    theta[model.layout.adstock] = 2;
    const posterior: PosteriorDraws = { nChains: 1, drawsPerChain: 1, dim: model.dim, theta };
    const T = panel.dates.length;
    const source = new MmmResponseSource(model, panel, posterior, { window: { start: panel.dates[T - 20], end: panel.dates[T - 8] } });
    const request = { channels: [{ channel: 'ch0', budget: source.historicalSpend[0] }] };
    const within = planTiming(source, request).channels[0];
    const counted = planTiming(source, { ...request, countCarryover: true }).channels[0];
    expect(counted.carryover).not.toBeNull();
    const weekly = counted.weeks.reduce((s, w) => s + w.outcome.mean, 0);
    expect(relative(weekly + counted.carryover!.outcome.mean, counted.outcome.mean)).toBeLessThan(1e-12);
    expect(counted.carryover!.outcome.mean).toBeGreaterThan(0);
    const lastWeeks = (plan: typeof within) => plan.weeks.slice(-3).reduce((s, w) => s + w.spend, 0);
    expect(lastWeeks(counted)).toBeGreaterThan(lastWeeks(within));
  });
});
