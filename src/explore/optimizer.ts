/**
 * The optimizer (DESIGN.md section 4). For the posterior-mean objective the outcome is separable over
 * channels, so dynamic programming over channels finds the exact global optimum on the spend grid
 * (S-shaped curves included). Quantile and mean - lambda x sd objectives are not separable: the plan
 * returned for them is the best, by the exact objective on every draw, of the mean optimum and of a
 * sequence of exact optima of separable draw-weighted means, the weights being the objective's gradient at
 * the previous plan (the lower-tail draws for a quantile; 1/n - lambda (x_d - mean) / ((n - 1) sd) for
 * mean - lambda x sd), up to 8 of them, ending when a plan repeats (from there the sequence only cycles).
 * It is never worse than the mean optimum under that objective, but not proven global: optimize() states how
 * far it can be from the best plan on the grid (objective-bound.ts).
 *
 * With synergy pairs (model.interactions) each DP is pair-dp.ts's: exact on the grid when the pairs form a
 * forest (the tree DP), otherwise the DP over a spanning forest refined by coordinate moves, with a bound on
 * its gap to the grid optimum.
 */
import { z } from 'zod';
import { quantileOfSorted } from '../inference/diagnostics/quantile.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';
import { currentMixAt } from './allocation.ts';
import { channelConstraintsSchema, feasibleBounds, type SpendBounds } from './constraints.ts';
import { greedyUnits } from './greedy.ts';
import { MEAN_OBJECTIVE, meanOf, objectiveSchema, objectiveValue, sampleSd, type Objective } from './objective.ts';
import { outcomeDraws, score, type ScoreResult } from './score.ts';
import type { WeightedCurves } from '../surface/response-curves.ts';
import { maximizeWithPairs, type PairOptimum, type PairTable } from './pair-dp.ts';
import { improveByMoves } from './local-search.ts';
import { boundMethod, optimalityOf, quantileBound, weightedOutcome, type Optimality } from './objective-bound.ts';
import { budgetGrid, spendAt, spendOfUnits, valueTables, type SpendGrid } from './spend-grid.ts';

export const optimizeRequestSchema = z
  .object({
    /** Total budget over the reporting window; default the historical total. */
    budget: z.number().nonnegative().optional(),
    channels: channelConstraintsSchema.default({}),
    objective: objectiveSchema.default(MEAN_OBJECTIVE),
    /** Steps the free budget is divided into (grid resolution: free budget / gridUnits). */
    gridUnits: z.number().int().min(10).max(20_000).default(1000),
  })
  .strict();

export type OptimizeRequest = z.input<typeof optimizeRequestSchema>;

export interface Plan {
  spend: Float64Array;
  objectiveValue: number;
  score: ScoreResult;
}

export interface OptimizationResult {
  budget: number;
  objective: Objective;
  /** True when `plan` is the exact optimum on the spend grid (mean objective; synergy pairs forming a forest). */
  exact: boolean;
  /**
   * Mean objective: at most this much calibrated outcome separates the plan from the grid optimum (0 when
   * exact; positive only when synergy pairs form a cycle). Null for the other objectives, whose search has no bound.
   */
  gap: number | null;
  /** Spend grid step in currency. */
  gridStep: number;
  plan: Plan;
  /** The current mix scaled to the same budget. */
  current: Plan;
  /** The per-channel bounds the plan was found within. */
  bounds: SpendBounds;
  /** Distinct plans scored by the exact objective. */
  candidates: number;
}

/** The optimizer's answer to one request, with how far it can be from the best plan on the grid. */
export interface OptimizeAnswer extends OptimizationResult {
  optimality: Optimality;
}

/** Re-weightings tried for non-separable objectives; each is one exact DP. */
const MAX_REWEIGHTINGS = 8;

export function planOf(run: CalibratedCurves, objective: Objective, spend: Float64Array): Plan {
  const result = score(run, spend);
  return { spend: result.spend, objectiveValue: objectiveValue(objective, result.draws), score: result };
}

/** Calibrated posterior-mean contribution tables of the grid. */
export function meanTables(run: CalibratedCurves, grid: SpendGrid): Float64Array[] {
  const k = run.calibration.factor;
  return valueTables(grid, (c, spend) => k * run.curves.mean.value(c, spend));
}

/**
 * Draw weights (summing to 1) of the separable surrogate at a plan: d objective / d outcome_d for the mean
 * and for mean - lambda x sd; for a quantile, whose own gradient sits on one draw, that of the mean of the
 * draws at or below it (the lower-tail mean).
 */
export function objectiveGradient(objective: Objective, draws: Float64Array): Float64Array {
  const n = draws.length;
  if (objective.kind === 'quantile') {
    const cut = quantileOfSorted(Float64Array.from(draws).sort(), objective.q);
    const tail = draws.reduce((count, v) => count + (v <= cut ? 1 : 0), 0);
    return draws.map((v) => (v <= cut ? 1 / tail : 0));
  }
  if (objective.kind === 'meanMinusSd') {
    const mean = meanOf(draws);
    const sd = sampleSd(draws);
    return draws.map((v) => 1 / n - (sd > 0 ? (objective.lambda * (v - mean)) / ((n - 1) * sd) : 0));
  }
  return new Float64Array(n).fill(1 / n);
}

/** Per synergy pair, its table pair_p[u_c, u_d] = scale x weighted s_p at the two channels' grid spends. */
export function pairTables(run: CalibratedCurves, grid: SpendGrid, weighted: WeightedCurves, scale: number): PairTable[] {
  return (run.curves.pairGrids?.pairs ?? []).map(([c, d], p) => {
    const width = grid.maxUnits[d] + 1;
    const values = new Float64Array((grid.maxUnits[c] + 1) * width);
    for (let uc = 0; uc <= grid.maxUnits[c]; uc++) {
      for (let ud = 0; ud < width; ud++)
        values[uc * width + ud] = scale * weighted.pairValue(p, spendAt(grid, c, uc), spendAt(grid, d, ud));
    }
    return { channels: [c, d] as const, values };
  });
}

/** The grid plan maximising scale x the weighted curves' outcome, synergy pairs included. */
export function bestGridUnits(run: CalibratedCurves, grid: SpendGrid, weighted: WeightedCurves, scale: number): PairOptimum {
  const tables = valueTables(grid, (c, spend) => scale * weighted.value(c, spend));
  return maximizeWithPairs(tables, pairTables(run, grid, weighted, scale), grid.units);
}

const sameUnits = (a: Int32Array, b: Int32Array): boolean => a.every((u, c) => u === b[c]);

/** The best plan the search finds on one budget's grid, judged on its draws (not yet scored in full). */
export interface GridSearchResult {
  spend: Float64Array;
  /** Calibrated outcome per draw. */
  draws: Float64Array;
  objectiveValue: number;
  /** Spend grid step in currency. */
  gridStep: number;
  /** Distinct plans scored by the exact objective. */
  candidates: number;
  /** True when the plan is the exact optimum on the grid (mean objective, synergy pairs forming a forest). */
  exact: boolean;
  /** As OptimizationResult.gap. */
  gap: number | null;
  /** The grid searched, and the plan's units on it. */
  grid: SpendGrid;
  units: Int32Array;
  /** True when every DP of the search is exact on the grid (synergy pairs forming a forest). */
  exactDps: boolean;
  /**
   * For mean - lambda x sd with exact DPs: the least w.x over the search's weightings w at their DP's plan, an
   * upper bound on the objective of every plan of the grid (objective-bound.ts); null otherwise.
   */
  dualBound: number | null;
}

/** The search behind planAtBudget, for callers that need only the plan's draws (the goal seek's probes). */
export function searchAtBudget(
  run: CalibratedCurves,
  bounds: SpendBounds,
  budget: number,
  objective: Objective,
  gridUnits: number,
): GridSearchResult {
  const grid = budgetGrid(bounds, budget, Math.max(gridUnits, run.curves.channels.length));
  const meanOptimum = bestGridUnits(run, grid, run.curves.mean, run.calibration.factor);
  const meanUnits = meanOptimum.units;
  const candidate = (units: Int32Array) => {
    const draws = outcomeDraws(run, spendOfUnits(grid, units));
    return { units, draws, value: objectiveValue(objective, draws) };
  };
  let best = candidate(meanUnits);
  let candidates = 1;
  // mean - lambda x sd <= mean: the mean optimum's mean bounds it (the weighting v = 0).
  let dualBound = objective.kind === 'meanMinusSd' ? meanOf(best.draws) : null;
  if (objective.kind !== 'mean') {
    // Each round's plan depends only on the previous one, so once a plan repeats the rounds cycle through
    // plans already scored: stopping there returns what running every round would.
    const seen = [best];
    let latest = best;
    for (let round = 0; round < MAX_REWEIGHTINGS; round++) {
      const weights = objectiveGradient(objective, latest.draws);
      const next = bestGridUnits(run, grid, run.curves.weighted(weights), 1).units;
      const repeated = seen.find((plan) => sameUnits(next, plan.units));
      const reached = repeated ?? candidate(next);
      if (dualBound !== null) dualBound = Math.min(dualBound, weightedOutcome(weights, reached.draws));
      if (repeated) break;
      seen.push(reached);
      latest = reached;
      candidates++;
      if (latest.value > best.value) best = latest;
    }
  }
  return {
    spend: spendOfUnits(grid, best.units),
    units: best.units,
    draws: best.draws,
    objectiveValue: best.value,
    gridStep: grid.step,
    candidates,
    exact: objective.kind === 'mean' && meanOptimum.exact,
    gap: objective.kind === 'mean' ? meanOptimum.gap : null,
    grid,
    exactDps: meanOptimum.exact,
    dualBound: meanOptimum.exact ? dualBound : null,
  };
}

/** The result of a search at a budget: its plan and the current mix at that budget, scored in full. */
function resultOf(
  run: CalibratedCurves,
  bounds: SpendBounds,
  budget: number,
  objective: Objective,
  found: GridSearchResult,
): OptimizationResult {
  return {
    budget,
    objective,
    exact: found.exact,
    gap: found.gap,
    gridStep: found.gridStep,
    plan: planOf(run, objective, found.spend),
    current: planOf(run, objective, currentMixAt(run.curves, budget)),
    bounds,
    candidates: found.candidates,
  };
}

/** The optimizer's plan for one budget within bounds that admit it. */
export function planAtBudget(
  run: CalibratedCurves,
  bounds: SpendBounds,
  budget: number,
  objective: Objective,
  gridUnits: number,
): OptimizationResult {
  return resultOf(run, bounds, budget, objective, searchAtBudget(run, bounds, budget, objective, gridUnits));
}

/** An upper bound on the objective over every plan of the searched grid (objective-bound.ts), or null. */
function gridBound(run: CalibratedCurves, objective: Objective, found: GridSearchResult): number | null {
  if (found.exact || found.grid.units === 0) return found.objectiveValue;
  switch (objective.kind) {
    case 'mean':
      return found.gap === null ? null : found.objectiveValue + found.gap;
    case 'meanMinusSd':
      return found.exactDps ? found.dualBound : null;
    case 'quantile':
      return found.exactDps && !(run.curves.pairGrids && run.curves.pairGrids.pairs.length > 0)
        ? quantileBound(run, found.grid, objective.q)
        : null;
  }
}

/**
 * The optimizer's answer to a request. A risk objective's best-of-candidates plan is then improved by local
 * search (local-search.ts), and the answer says how far it can still be from the best plan on the grid.
 */
export function optimize(run: CalibratedCurves, request: OptimizeRequest): OptimizeAnswer {
  const { budget = run.curves.totalHistoricalSpend, channels, objective, gridUnits } = optimizeRequestSchema.parse(request);
  const bounds = feasibleBounds(run.curves, channels, budget);
  const found = searchAtBudget(run, bounds, budget, objective, gridUnits);
  const exact = found.exact || found.grid.units === 0;
  const refined = exact ? null : improveByMoves(run, found.grid, objective, found.units);
  const answer =
    refined && refined.moves > 0
      ? { ...found, units: refined.units, spend: spendOfUnits(found.grid, refined.units), objectiveValue: refined.value }
      : found;
  const result = resultOf(run, bounds, budget, objective, answer);
  const paidMedia = result.plan.score.incremental.mean;
  const localSearch = refined && {
    moves: refined.moves,
    evaluations: refined.evaluations,
    improvement: refined.value - found.objectiveValue,
    relativeImprovement: paidMedia > 0 ? (refined.value - found.objectiveValue) / paidMedia : null,
  };
  const method = exact ? 'exact' : boundMethod(objective);
  return {
    ...result,
    optimality: optimalityOf(method, gridBound(run, objective, found), result.plan.objectiveValue, paidMedia, localSearch),
  };
}

/** The greedy baseline on the same grid and posterior-mean tables as optimize() (for comparison only). */
export function greedyPlan(run: CalibratedCurves, request: OptimizeRequest): Plan {
  const { budget = run.curves.totalHistoricalSpend, channels, objective, gridUnits } = optimizeRequestSchema.parse(request);
  const grid = budgetGrid(feasibleBounds(run.curves, channels, budget), budget, Math.max(gridUnits, run.curves.channels.length));
  return planOf(run, objective, spendOfUnits(grid, greedyUnits(meanTables(run, grid), grid.units)));
}
