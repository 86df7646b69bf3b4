/**
 * The optimiser's optimality checks, shared by every kind of response curves it answers on (known
 * curves, a fitted run's history, a plan horizon): the exact DP's plan spends the budget within the
 * bounds and is never worse in expected outcome than greedy or the best of 10,000 random feasible
 * allocations.
 */
import { expect } from 'vitest';
import { resolveBounds, type ChannelConstraints, type SpendBounds } from '../../src/explore/constraints.ts';
import { objectiveValue } from '../../src/explore/objective.ts';
import type { MarketBounds, TotalBounds } from '../../src/explore/market-constraints.ts';
import { optimizeMarkets, type MarketOptimizeRequest, type MarketOptimum } from '../../src/explore/market-optimizer.ts';
import { greedyPlan, meanTables, optimize, pairTables, type OptimizationResult } from '../../src/explore/optimizer.ts';
import { pairObjective } from '../../src/explore/pair-dp.ts';
import { budgetGrid, spendOfUnits } from '../../src/explore/spend-grid.ts';
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
  // The DP is exact on its grid of the budget; an off-grid random plan can edge past it on a flat optimum by the
  // grid's resolution (seen: 7e-9 of the outcome), far below any real shortfall.
  expect(best).toBeGreaterThanOrEqual(bestRandom * (1 - 1e-6));
  result.plan.spend.forEach((s, c) => {
    expect(s).toBeGreaterThanOrEqual(bounds.lower[c] - 1e-9);
    expect(s).toBeLessThanOrEqual(bounds.upper[c] + 1e-9);
  });
  return result;
}

/** Whether spend per pair meets the pair bounds and the market and channel totals of `bounds` (to rounding). */
export function meetsMarketBounds(bounds: MarketBounds, spend: Float64Array): boolean {
  const slack =
    1e-10 *
    Math.max(
      1,
      spend.reduce((a, b) => a + b, 0),
    );
  const within = (value: number, lower: number, upper: number) => value >= lower - slack && value <= upper + slack;
  const family = (totals: TotalBounds) =>
    totals.members.every((set, m) =>
      within(
        set.reduce((sum, p) => sum + spend[p], 0),
        totals.lower[m],
        totals.upper[m],
      ),
    );
  return (
    spend.every((s, p) => within(s, bounds.pairs.lower[p], bounds.pairs.upper[p])) && family(bounds.markets) && family(bounds.channels)
  );
}

/**
 * `count` feasible allocations by market: a random walk from `start` (feasible) whose moves keep the budget — a
 * random amount from one pair to another — taken when the result meets every bound; one allocation every 20 moves.
 */
export function randomFeasibleMarketPlans(bounds: MarketBounds, start: Float64Array, count: number, seed: number): Float64Array[] {
  if (!meetsMarketBounds(bounds, start)) throw new Error('the random walk needs a feasible start');
  const rng = createRng(seed, 2);
  const n = start.length;
  const spend = Float64Array.from(start);
  const scale = start.reduce((a, b) => a + b, 0) / n;
  const plans: Float64Array[] = [];
  while (plans.length < count) {
    for (let move = 0; move < 20; move++) {
      const from = Math.floor(n * rng.uniform());
      const to = Math.floor(n * rng.uniform());
      if (from === to) continue;
      const amount = Math.min(spend[from], scale * 2 * rng.uniform());
      spend[from] -= amount;
      spend[to] += amount;
      if (!meetsMarketBounds(bounds, spend)) {
        spend[from] += amount;
        spend[to] -= amount;
      }
    }
    plans.push(Float64Array.from(spend));
  }
  return plans;
}

/**
 * Greedy by market on the optimiser's grid and tables, synergy terms included (coordinate-wise): from the grid's
 * anchor each unit goes to the pair gaining most whose pair, market and channel maxima leave room (minimums are
 * not sought: use with maxima only).
 */
export function greedyMarketPlan(run: CalibratedCurves, bounds: MarketBounds, budget: number, gridUnits: number): Float64Array {
  const grid = budgetGrid(bounds.pairs, budget, gridUnits);
  if (grid.direction !== 1) throw new Error('greedyMarketPlan places units upward from the minimums');
  const tables = meanTables(run, grid);
  const pairs = pairTables(run, grid, run.curves.mean, run.calibration.factor);
  const units = new Int32Array(tables.length);
  const spendOf = (set: number[]) => set.reduce((sum, p) => sum + grid.base[p] + units[p] * grid.step, 0);
  const room = (totals: TotalBounds, p: number) => {
    const m = totals.members.findIndex((set) => set.includes(p));
    return spendOf(totals.members[m]) + grid.step <= totals.upper[m] * (1 + 1e-12);
  };
  for (let step = 0; step < grid.units; step++) {
    let best = -1;
    let bestGain = -Infinity;
    tables.forEach((table, p) => {
      if (units[p] + 1 >= table.length || !room(bounds.markets, p) || !room(bounds.channels, p)) return;
      const before = pairObjective(tables, pairs, units);
      units[p]++;
      const gain = pairObjective(tables, pairs, units) - before;
      units[p]--;
      if (gain > bestGain) {
        bestGain = gain;
        best = p;
      }
    });
    if (best < 0) throw new Error(`greedy by market placed ${step} of ${grid.units} units`);
    units[best]++;
  }
  return spendOfUnits(grid, units);
}

/** optimizeMarkets() checked against greedy by market (maxima only) and 10,000 random feasible allocations; returns its result. */
export function expectOptimalMarketPlan(run: CalibratedCurves, request: MarketOptimizeRequest, start: Float64Array): MarketOptimum {
  const result = optimizeMarkets(run, request);
  const best = meanOutcome(run, result.plan.spend);
  expect(meetsMarketBounds(result.bounds, result.plan.spend)).toBe(true);
  expect(result.plan.spend.reduce((a, b) => a + b, 0)).toBeCloseTo(result.budget, 6);
  const units = Math.max(request.gridUnits ?? Math.max(1000, 10 * run.curves.channels.length), run.curves.channels.length);
  const greedy = meanOutcome(run, greedyMarketPlan(run, result.bounds, result.budget, units));
  expect(best).toBeGreaterThanOrEqual(greedy);
  let bestRandom = -Infinity;
  for (const spend of randomFeasibleMarketPlans(result.bounds, start, 10_000, 99))
    bestRandom = Math.max(bestRandom, meanOutcome(run, spend));
  expect(best).toBeGreaterThanOrEqual(bestRandom);
  console.log(
    `market plan (${result.method}, ${result.iterations} iterations): mean outcome ${best.toFixed(1)}, greedy ${greedy.toFixed(1)}, ` +
      `best of 10,000 random feasible ${bestRandom.toFixed(1)}, reported gap ${(100 * result.gap).toFixed(4)}%`,
  );
  return result;
}
