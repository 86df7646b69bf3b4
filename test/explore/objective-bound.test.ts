import { describe, expect, it } from 'vitest';
import { feasibleBounds } from '../../src/explore/constraints.ts';
import { envelopeOptimum, envelopeSegments } from '../../src/explore/objective-bound.ts';
import { describeObjective, objectiveValue, type Objective } from '../../src/explore/objective.ts';
import { optimize, planAtBudget } from '../../src/explore/optimizer.ts';
import { budgetGrid, spendOfUnits } from '../../src/explore/spend-grid.ts';
import { outcomeDraws } from '../../src/explore/score.ts';
import { createRng } from '../../src/math/rng.ts';
import { calibratedRun, FIVE_CHANNELS, KnownCurveSource, randomCurveSource } from '../support/known-curve-source.ts';

/** Every way of placing `units` units on channels of capacities `max` (brute force). */
function* plans(max: readonly number[], units: number, prefix: number[] = []): Generator<Int32Array> {
  const c = prefix.length;
  if (c === max.length - 1) {
    if (units <= max[c]) yield Int32Array.from([...prefix, units]);
    return;
  }
  for (let u = 0; u <= Math.min(units, max[c]); u++) yield* plans(max, units - u, [...prefix, u]);
}

describe('concave envelope', () => {
  const rng = createRng(5, 0);
  const randomTable = (length: number) => Float64Array.from({ length }, () => rng.normal());

  it('lies on or above every point, with decreasing slopes', () => {
    for (let trial = 0; trial < 50; trial++) {
      const table = randomTable(2 + trial);
      const { slopes, lengths } = envelopeSegments(table);
      expect(lengths.reduce((a, b) => a + b, 0)).toBe(table.length - 1);
      for (let i = 1; i < slopes.length; i++) expect(slopes[i]).toBeLessThan(slopes[i - 1]);
      let u = 0;
      let value = table[0];
      slopes.forEach((slope, i) => {
        for (let step = 1; step <= lengths[i]; step++) expect(value + step * slope).toBeGreaterThanOrEqual(table[u + step] - 1e-12);
        u += lengths[i];
        value += lengths[i] * slope;
        expect(value).toBeCloseTo(table[u], 12); // the envelope's vertices are points of the table
      });
    }
  });

  it('bounds the integer optimum from above, and equals it on concave tables', () => {
    for (let trial = 0; trial < 30; trial++) {
      const max = [4, 6, 5];
      const tables = max.map((m) => randomTable(m + 1));
      const concave = max.map((m) => Float64Array.from({ length: m + 1 }, (_, u) => Math.sqrt(u) * (1 + trial / 10) - 0.1 * u));
      for (const units of [0, 3, 9, 15]) {
        const best = (ts: Float64Array[]) =>
          Math.max(...[...plans(max, units)].map((plan) => ts.reduce((sum, t, c) => sum + t[plan[c]], 0)));
        expect(envelopeOptimum(tables, units)).toBeGreaterThanOrEqual(best(tables) - 1e-12);
        expect(envelopeOptimum(concave, units)).toBeCloseTo(best(concave), 10);
      }
    }
  });
});

describe('risk objectives: how far the answer can be from the best plan on the grid', () => {
  const objectives: Objective[] = [
    { kind: 'quantile', q: 0.05 },
    { kind: 'quantile', q: 0.25 },
    { kind: 'meanMinusSd', lambda: 1 },
    { kind: 'meanMinusSd', lambda: 3 },
  ];

  // A grid small enough to score every plan: 3 channels, 24 units.
  it.each([1, 2, 3, 4])('bound >= the brute-force best on the grid >= the answer, on random curves (seed %i)', (seed) => {
    const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS.slice(0, 3), nDraws: 200, seed, spread: 0.4 }));
    const budget = run.curves.totalHistoricalSpend;
    for (const objective of objectives) {
      const answer = optimize(run, { budget, objective, gridUnits: 24 });
      const grid = budgetGrid(feasibleBounds(run.curves, {}, budget), budget, 24);
      let best = -Infinity;
      for (const units of plans([...grid.maxUnits], grid.units))
        best = Math.max(best, objectiveValue(objective, outcomeDraws(run, spendOfUnits(grid, units))));
      const { bound, gap, relativeGap, method } = answer.optimality;
      expect(method).toBe(objective.kind === 'quantile' ? 'per-draw optima' : 'duality');
      expect(bound).not.toBeNull();
      expect(bound!).toBeGreaterThanOrEqual(best - 1e-9 * Math.abs(best));
      expect(best).toBeGreaterThanOrEqual(answer.plan.objectiveValue - 1e-9 * Math.abs(best));
      // The reported gap covers the true one.
      expect(gap!).toBeGreaterThanOrEqual(best - answer.plan.objectiveValue - 1e-9 * Math.abs(best));
      expect(relativeGap!).toBeCloseTo(gap! / answer.plan.score.incremental.mean, 12);
    }
  });

  it('is tight where every draw has the same best plan (draws differ by a common scale)', () => {
    // g_{c,d} = a_d x g_c with concave g_c: every draw's best plan is the mean's, so the bound is the answer's value.
    const nDraws = 300;
    const rng = createRng(8, 0);
    const scale = Float64Array.from({ length: nDraws }, () => Math.exp(0.3 * rng.normal()));
    const spec = [
      { name: 'search', spend: 30_000, beta: 80_000, shape: 0.6 },
      { name: 'social', spend: 20_000, beta: 50_000, shape: 1.2 },
      { name: 'display', spend: 10_000, beta: 30_000, shape: 0.9 },
    ].map((c) => ({
      name: c.name,
      spend: c.spend,
      kind: 'hill' as const,
      beta: scale.map((a) => a * c.beta),
      shape: new Float64Array(nDraws).fill(c.shape),
      slope: new Float64Array(nDraws).fill(1),
    }));
    const run = calibratedRun(new KnownCurveSource(spec, new Float64Array(nDraws).fill(200_000)));
    for (const objective of objectives) {
      const { optimality, plan } = optimize(run, { objective });
      expect(optimality.relativeGap!).toBeLessThan(1e-6);
      expect(optimality.bound!).toBeGreaterThanOrEqual(plan.objectiveValue);
    }
  });

  it('is exact for the mean objective, with no gap', () => {
    const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 100, seed: 3 }));
    const answer = optimize(run, {});
    expect(answer.optimality).toEqual({ method: 'exact', bound: answer.plan.objectiveValue, gap: 0, relativeGap: 0, localSearch: null });
  });

  it('improves the best of the candidates by local search and reports the gap left, on five S-shaped and concave channels with a wide posterior (printed)', () => {
    const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 1000, seed: 12, spread: 0.35 }));
    const budget = run.curves.totalHistoricalSpend;
    for (const objective of objectives) {
      const candidates = planAtBudget(run, feasibleBounds(run.curves, {}, budget), budget, objective, 1000).plan;
      const started = performance.now();
      const { optimality, plan } = optimize(run, { objective });
      const seconds = (performance.now() - started) / 1000;
      const search = optimality.localSearch!;
      console.log(
        `${describeObjective(objective)}: best of candidates ${candidates.objectiveValue.toFixed(0)}, after local search ${plan.objectiveValue.toFixed(0)} ` +
          `(+${((search.relativeImprovement ?? NaN) * 100).toFixed(3)}% of paid media, ${search.moves} moves, ${search.evaluations} plans scored), ` +
          `bound ${optimality.bound?.toFixed(0)}, gap ${((optimality.relativeGap ?? NaN) * 100).toFixed(3)}% of paid media, ${seconds.toFixed(2)} s`,
      );
      expect(plan.objectiveValue).toBeGreaterThanOrEqual(candidates.objectiveValue);
      expect(search.improvement).toBeCloseTo(plan.objectiveValue - candidates.objectiveValue, 6);
      expect(optimality.bound!).toBeGreaterThanOrEqual(plan.objectiveValue);
      expect(optimality.relativeGap!).toBeGreaterThanOrEqual(0);
    }
  });
});
