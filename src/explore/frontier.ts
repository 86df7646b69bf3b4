/**
 * The efficient frontier: the optimizer's plan at each budget level over a range, with the posterior's
 * credible band of each plan's outcome. For the mean objective one DP pass over a grid anchored at the
 * channels' minimums yields the exact grid optimum at every budget on that grid; a level that does not
 * fall on the grid (minimums or locks offset it, or it is within rounding of the channels' maximums) is
 * optimized on its own grid, so every level spends exactly its budget. Synergy pairs forming a forest keep
 * the one pass (the tree DP of pair-dp.ts gives the optimum at every budget too); pairs forming a cycle send
 * every level to the optimizer on its own grid, with its gap bound.
 */
import { z } from 'zod';
import type { CalibratedCurves } from '../surface/calibration.ts';
import { channelConstraintsSchema, checkBudget, InfeasibleConstraintError, resolveBounds } from './constraints.ts';
import { formatAmount } from './format.ts';
import { MEAN_OBJECTIVE, objectiveSchema } from './objective.ts';
import { meanTables, pairTables, planAtBudget, planOf, type Plan } from './optimizer.ts';
import { maximizeOverForest, spanningForest } from './pair-dp.ts';
import { lowerAnchoredGrid, spendOfUnits } from './spend-grid.ts';

export const frontierRequestSchema = z
  .object({
    /** Lowest budget; default the channels' minimum total (0 without minimums). */
    from: z.number().nonnegative().optional(),
    /** Highest budget; default 2 x the historical total, or what the channels can take if less. */
    to: z.number().positive().optional(),
    levels: z.number().int().min(2).default(41),
    channels: channelConstraintsSchema.default({}),
    objective: objectiveSchema.default(MEAN_OBJECTIVE),
    /** Grid resolution: steps over the range on the shared grid (rounded up to whole steps per level), steps of the budget on a level's own grid. */
    gridUnits: z.number().int().min(10).default(1000),
  })
  .strict();

export type FrontierRequest = z.input<typeof frontierRequestSchema>;

export interface FrontierPoint {
  budget: number;
  plan: Plan;
  /** True when the plan is the exact optimum on its spend grid (mean objective). */
  exact: boolean;
}

export function efficientFrontier(run: CalibratedCurves, request: FrontierRequest): FrontierPoint[] {
  const { curves } = run;
  const options = frontierRequestSchema.parse(request);
  const bounds = resolveBounds(curves, options.channels);
  const least = bounds.lower.reduce((a, b) => a + b, 0);
  const most = bounds.upper.reduce((a, b) => a + b, 0);
  const from = options.from ?? least;
  const to = options.to ?? Math.min(2 * curves.totalHistoricalSpend, most);
  if (!(from < to))
    throw new InfeasibleConstraintError(`frontier range ${formatAmount(from)}..${formatAmount(to)} is empty`, [
      `from ${formatAmount(from)}`,
      `to ${formatAmount(to)}`,
    ]);
  checkBudget(curves, bounds, from);
  checkBudget(curves, bounds, to);
  const budgets = Array.from({ length: options.levels }, (_, i) => from + ((to - from) * i) / (options.levels - 1));
  const { objective, gridUnits } = options;
  const ownGrid = (budget: number): FrontierPoint => {
    const result = planAtBudget(run, bounds, budget, objective, gridUnits);
    return { budget, plan: result.plan, exact: result.exact };
  };
  if (objective.kind !== 'mean') return budgets.map(ownGrid);
  const step = (to - from) / ((options.levels - 1) * Math.ceil(gridUnits / (options.levels - 1)));
  const grid = lowerAnchoredGrid(bounds, step, Math.round((to - least) / step));
  const pairs = pairTables(run, grid, curves.mean, run.calibration.factor);
  if (spanningForest(curves.channels.length, pairs).cycle.length > 0) return budgets.map(ownGrid);
  const optimum = maximizeOverForest(meanTables(run, grid), pairs, grid.units);
  return budgets.map((budget) => {
    const position = (budget - least) / step;
    const units = Math.round(position);
    if (Math.abs(position - units) <= 1e-6 && units <= grid.units && optimum.best[units] > -Infinity) {
      return { budget, plan: planOf(run, objective, spendOfUnits(grid, optimum.unitsFor(units))), exact: true };
    }
    return ownGrid(budget);
  });
}
