/**
 * The optimiser's optimality checks, shared by every kind of response curves it answers on (known
 * curves, a fitted run's history, a plan horizon): the exact DP's plan spends the budget within the
 * bounds and is never worse in expected outcome than greedy or the best of 10,000 random feasible
 * allocations.
 */
import { expect } from 'vitest';
import { resolveBounds, type ChannelConstraints, type SpendBounds } from '../../src/explore/constraints.ts';
import { objectiveValue } from '../../src/explore/objective.ts';
import { greedyPlan, optimize, type OptimizationResult } from '../../src/explore/optimizer.ts';
import { outcomeDraws } from '../../src/explore/score.ts';
import { createRng } from '../../src/math/rng.ts';
import type { CalibratedCurves } from '../../src/surface/calibration.ts';
import { spendForBudget } from '../../src/surface/scenario-design.ts';

export const meanOutcome = (run: CalibratedCurves, spend: Float64Array): number =>
  objectiveValue({ kind: 'mean' }, outcomeDraws(run, spend));

/** Uniform shares on the simplex (Dirichlet(1)) placed within the bounds by water-filling the free budget. */
export function randomFeasible(bounds: SpendBounds, budget: number, count: number, seed: number): Float64Array[] {
  const rng = createRng(seed, 1);
  const room = bounds.upper.map((u, c) => u - bounds.lower[c]);
  const free = budget - bounds.lower.reduce((a, b) => a + b, 0);
  return Array.from({ length: count }, () => {
    const e = bounds.lower.map(() => -Math.log(1 - rng.uniform()));
    const sum = e.reduce((a, b) => a + b, 0);
    const extra = spendForBudget(
      e.map((v) => v / sum),
      free,
      room,
      room,
    );
    return extra.map((v, c) => bounds.lower[c] + v);
  });
}

/** optimize() at `budget`, checked against greedy and 10,000 random feasible allocations; returns its result. */
export function expectOptimalPlan(run: CalibratedCurves, budget: number, constraints: ChannelConstraints = {}): OptimizationResult {
  const result = optimize(run, { budget, channels: constraints });
  const best = meanOutcome(run, result.plan.spend);
  expect(result.exact).toBe(true);
  expect(result.plan.spend.reduce((a, b) => a + b, 0)).toBeCloseTo(budget, 6);
  expect(best).toBeCloseTo(result.plan.objectiveValue, 6);

  const greedy = greedyPlan(run, { budget, channels: constraints });
  expect(best).toBeGreaterThanOrEqual(greedy.objectiveValue);

  const bounds = resolveBounds(run.curves, constraints);
  let bestRandom = -Infinity;
  for (const spend of randomFeasible(bounds, budget, 10_000, 99)) {
    spend.forEach((s, c) => {
      expect(s).toBeGreaterThanOrEqual(bounds.lower[c] - 1e-9);
      expect(s).toBeLessThanOrEqual(bounds.upper[c] + 1e-9);
    });
    bestRandom = Math.max(bestRandom, meanOutcome(run, spend));
  }
  expect(best).toBeGreaterThanOrEqual(bestRandom);
  result.plan.spend.forEach((s, c) => {
    expect(s).toBeGreaterThanOrEqual(bounds.lower[c] - 1e-9);
    expect(s).toBeLessThanOrEqual(bounds.upper[c] + 1e-9);
  });
  return result;
}
