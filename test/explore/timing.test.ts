/**
 * The timing optimiser on real response sources (simulated panels, draws scattered around their truth):
 * constraints met exactly, never below even flighting, and, where the objective is concave (Hill slope 1,
 * logistic), no random feasible plan beats it. The closed-form case is in test/run/timing-plan.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { projectCappedSimplex } from '../../src/math/capped-simplex.ts';
import { createRng, type Rng } from '../../src/math/rng.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { DrawEvaluator, type PosteriorDraws } from '../../src/model/posterior-draws.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { resolveWeeklyBounds, type ChannelTiming } from '../../src/explore/timing-constraints.ts';
import { evenFlighting, optimiseTiming } from '../../src/explore/timing.ts';
import { MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { WindowSpendResponse } from '../../src/run/window-spend-response.ts';

const mean = (values: Float64Array): number => values.reduce((a, b) => a + b, 0) / values.length;

/** A random timing question for a window of `weeks`: budget around the window's spend, some dark weeks, blanket and per-week bounds. */
function randomTiming(rng: Rng, weeks: readonly string[], windowSpend: number): ChannelTiming {
  const n = weeks.length;
  const budget = windowSpend * (0.2 + 2.8 * rng.uniform());
  const darkWeeks = weeks.filter(() => rng.uniform() < 0.2);
  const open = n - darkWeeks.length;
  if (open === 0) return { channel: 'c', budget };
  const perWeek = budget / open;
  const timing: ChannelTiming = { channel: 'c', budget, darkWeeks };
  if (rng.uniform() < 0.4) timing.minPerWeek = perWeek * 0.8 * rng.uniform();
  if (rng.uniform() < 0.4) timing.maxPerWeek = perWeek * (1.05 + 2 * rng.uniform());
  else if (rng.uniform() < 0.5) {
    const capped = weeks.filter((w) => !darkWeeks.includes(w) && rng.uniform() < 0.4);
    // Leave room: the capped weeks take at most half the budget between them.
    timing.maxPerWeek = Object.fromEntries(capped.map((w) => [w, (0.5 * budget * rng.uniform()) / capped.length]));
  }
  return timing;
}

describe('optimiseTiming over random panels, windows and constraints', () => {
  const cases = Array.from({ length: 48 }, (_, seed) => seed);
  const tally = { timed: 0, gained: 0 };

  it.each(cases)('case %i: meets the constraints exactly and never scores below even flighting', (seed) => {
    const rng = createRng(1000 + seed, 0);
    const concave = seed % 2 === 0;
    const { panel, config, theta } = simulateDataset({
      geos: seed % 3 === 0 ? 2 : 1,
      weeks: 60,
      channels: 2,
      controls: 1,
      seed,
      noiseSd: 0.3,
      model: {
        adstock: seed % 4 < 2 ? 'geometric' : 'binomial',
        saturation: concave && seed % 8 === 0 ? 'logistic' : 'hill',
        hillSlope: concave ? 'fixed' : 'learned',
        maxLag: 2 + (seed % 7),
      },
    });
    const model = createMmmModel(panel, config);
    const nDraws = 8;
    // Slope draws spread wide (log-scale sd 0.5) so that S-shaped curves (slope > 1) occur.
    const posterior: PosteriorDraws = {
      nChains: 1,
      drawsPerChain: nDraws,
      dim: model.dim,
      theta: Float64Array.from({ length: nDraws * model.dim }, (_, i) => theta[i % model.dim] + 0.3 * rng.normal()),
    };
    const weeks = 4 + Math.floor(rng.uniform() * 10);
    const tStart = 12 + Math.floor(rng.uniform() * (60 - 12 - weeks));
    const source = new MmmResponseSource(model, panel, posterior, {
      window: { start: panel.dates[tStart], end: panel.dates[tStart + weeks - 1] },
    });
    for (let c = 0; c < source.channels.length; c++) {
      if (!(source.historicalSpend[c] > 0)) continue;
      const timing = randomTiming(rng, source.weeks, source.historicalSpend[c]);
      let bounds;
      try {
        bounds = resolveWeeklyBounds(source.weeks, timing);
      } catch {
        continue; // an infeasible draw of constraints (e.g. every week dark): refusals are tested elsewhere
      }
      const response = new WindowSpendResponse(source, c, { countCarryover: rng.uniform() < 0.5 });
      const solution = optimiseTiming(response, bounds);
      const { spend } = solution;
      expect(Math.abs(spend.reduce((a, b) => a + b, 0) - bounds.budget)).toBeLessThanOrEqual(1e-9 * bounds.budget);
      spend.forEach((x, t) => {
        expect(x).toBeGreaterThanOrEqual(bounds.lower[t]);
        expect(x).toBeLessThanOrEqual(bounds.upper[t]);
        if (bounds.dark[t]) expect(x).toBe(0);
      });
      expect([...solution.even]).toEqual([...evenFlighting(bounds)]);
      const timed = mean(solution.outcome);
      const even = mean(solution.evenOutcome);
      expect(timed).toBeGreaterThanOrEqual(even);
      tally.timed++;
      if (timed > even * (1 + 1e-6)) tally.gained++;
      if (!concave) continue;
      // Concave objective: the optimiser's end point is the global optimum, so no feasible plan scores higher.
      const plan = new Float64Array(weeks);
      for (let trial = 0; trial < 100; trial++) {
        const raw = Float64Array.from({ length: weeks }, (_, t) => (bounds.dark[t] ? 0 : (bounds.budget / weeks) * 4 * rng.uniform() ** 2));
        projectCappedSimplex(raw, bounds.lower, bounds.upper, bounds.budget, plan);
        expect(response.evaluate(plan)).toBeLessThanOrEqual(timed + 1e-9 * Math.abs(timed));
      }
    }
  });

  // Runs after the cases above (a file's tests run in order): the guarantee is not met by standing still.
  it('times most of the random cases better than even flighting', () => {
    console.log(`random cases: ${tally.timed} channel timings, ${tally.gained} beat even flighting by more than 1e-6 of its outcome`);
    expect(tally.timed).toBeGreaterThan(60);
    expect(tally.gained).toBeGreaterThan(0.5 * tally.timed);
  });
});

/**
 * S-shaped curves: national, no adstock, the same outcome scale every week, Hill slope 3, draws differing in
 * ROI only. The budget puts even flighting low on the convex part of the curve (a x = 0.3 ec), where spreading
 * is worst and even flighting is a stationary point a gradient method cannot leave. With every week alike,
 * the plans that spend equally on k weeks are the candidates (at an optimum all spending weeks sit at one
 * point of the concave part, but for at most one); the best of them spends on 3 weeks
 * (k h(3.9 / k) is largest at k = 3). The timed plan must do at least as well as every one of them.
 */
describe('optimiseTiming on S-shaped curves', () => {
  it('leaves even flighting for the best concentrated plan', () => {
    const { panel, config, theta } = simulateDataset({
      geos: 1,
      weeks: 60,
      channels: 1,
      controls: 1,
      seed: 4,
      noiseSd: 0.3,
      model: { maxLag: 0, saturation: 'hill', hillSlope: 'learned' },
    });
    const model = createMmmModel(panel, config);
    theta[model.layout.slope] = Math.log(3);
    const nDraws = 20;
    const rng = createRng(8, 0);
    const posterior: PosteriorDraws = { nChains: 1, drawsPerChain: nDraws, dim: model.dim, theta: new Float64Array(nDraws * model.dim) };
    for (let d = 0; d < nDraws; d++) {
      posterior.theta.set(theta, d * model.dim);
      posterior.theta[d * model.dim + model.layout.mediaEffect] += 0.4 * rng.normal();
    }
    const weeks = 13;
    const source = new MmmResponseSource(model, panel, posterior, { window: { start: panel.dates[40], end: panel.dates[40 + weeks - 1] } });
    const state = new DrawEvaluator(model, posterior).load(0);
    expect(state.slope[0]).toBeCloseTo(3, 12);
    const a = 1 / model.data.scaling.mediaMedian[0];
    const budget = (0.3 * state.shape[0] * weeks) / a;
    const bounds = resolveWeeklyBounds(source.weeks, { channel: 'ch0', budget });
    const response = new WindowSpendResponse(source, 0, { countCarryover: false });
    const solution = optimiseTiming(response, bounds);
    const timed = mean(solution.outcome);
    const even = mean(solution.evenOutcome);
    const concentrated = Array.from({ length: weeks }, (_, i) => {
      const k = i + 1;
      return response.evaluate(Float64Array.from({ length: weeks }, (_, t) => (t < k ? budget / k : 0)));
    });
    const best = Math.max(...concentrated);
    expect(concentrated.indexOf(best) + 1).toBe(3);
    console.log(
      `S-shaped (slope 3): even ${even.toFixed(2)}, best of k equal weeks ${best.toFixed(2)} (k = 3), timed ${timed.toFixed(2)} (${solution.start}); spend ${[...solution.spend].map((x) => (x / (budget / weeks)).toFixed(2)).join(' ')} x even`,
    );
    expect(timed).toBeGreaterThanOrEqual(best * (1 - 1e-9));
    expect(timed).toBeGreaterThan(2 * even);
  });
});
