/**
 * Goal seek: the least total budget at which the optimizer's plan reaches an outcome target with
 * probability p, P(outcome >= target) >= p over the posterior draws. The target is either the total outcome
 * over the reporting window (baseline included) or the incremental outcome from paid media (total minus
 * baseline, per draw); the search then runs on the curves without their baseline. At each budget the plan
 * maximises the (1 - p) quantile, since P(outcome >= target) >= p exactly when that quantile reaches the
 * target. With increasing response curves the best attainable probability cannot fall as the budget grows,
 * so the budget is bracketed between the channels' minimum and maximum totals (least-budget.ts): a guess from
 * a coarser grid, then probes at full resolution until the plan at the answer reaches the target and a plan
 * at most the tolerance below it falls short, the bracket bisection would end with.
 */
import { z } from 'zod';
import type { CalibratedCurves } from '../surface/calibration.ts';
import { channelConstraintsSchema, resolveBounds, type SpendBounds } from './constraints.ts';
import { formatAmount } from './format.ts';
import { leastPassingBudget, type Probe } from './least-budget.ts';
import { planOf, searchAtBudget, type Plan } from './optimizer.ts';
import { budgetGrid } from './spend-grid.ts';

export const goalSeekRequestSchema = z
  .object({
    /** Outcome over the reporting window (calibrated): total (baseline included) or incremental (paid media only), as `targetKind` says. */
    target: z.number(),
    targetKind: z.enum(['total', 'incremental']).default('total'),
    probability: z.number().gt(0).lt(1).default(0.8),
    channels: channelConstraintsSchema.default({}),
    /** Stop when the budget bracket is narrower than this fraction of the historical total. */
    budgetTolerance: z.number().positive().default(1e-4),
    gridUnits: z.number().int().min(10).default(1000),
  })
  .strict();

export type GoalSeekRequest = z.input<typeof goalSeekRequestSchema>;

export type GoalTargetKind = z.infer<typeof goalSeekRequestSchema>['targetKind'];

export interface GoalSeekResult {
  budget: number;
  /** The plan, scored as every plan is (total outcome, incremental, P(beats current)). */
  plan: Plan;
  targetKind: GoalTargetKind;
  /** The probability asked for. */
  requestedProbability: number;
  /** Share of draws whose outcome (total or incremental, per targetKind) reaches the target under the plan. */
  probability: number;
}

export class GoalUnreachableError extends Error {
  constructor(
    readonly target: number,
    readonly targetKind: GoalTargetKind,
    readonly probability: number,
    readonly budget: number,
    readonly achieved: number,
  ) {
    super(
      `${targetKind} outcome target ${formatAmount(target)} is not reached with probability ${probability}: the most the constraints allow, ` +
        `budget ${formatAmount(budget)}, reaches it with probability ${achieved.toFixed(3)}`,
    );
    this.name = 'GoalUnreachableError';
  }
}

/** How much coarser the grid is whose answer guesses the budget for the search at full resolution. */
const COARSENING = 10;

const reachProbability = (draws: Float64Array, target: number): number =>
  draws.reduce((count, v) => count + (v >= target ? 1 : 0), 0) / draws.length;

/**
 * The draw that decides the test, minus the target: with m the fewest draws of n that make probability p
 * (m / n >= p), the target is reached with probability p exactly when the m-th largest draw reaches it.
 */
function reachMargin(draws: Float64Array, target: number, probability: number): number {
  const n = draws.length;
  let m = Math.ceil(probability * n);
  while (m > 1 && (m - 1) / n >= probability) m--;
  while (m / n < probability) m++;
  return Float64Array.from(draws).sort()[n - m] - target;
}

interface GoalProbe extends Probe {
  spend: Float64Array;
  probability: number;
}

export function goalSeek(run: CalibratedCurves, request: GoalSeekRequest): GoalSeekResult {
  const options = goalSeekRequestSchema.parse(request);
  const { targetKind, probability: requestedProbability, target } = options;
  // Without the baseline every plan's outcome per draw is its incremental outcome, so one search serves both kinds.
  const measured: CalibratedCurves = targetKind === 'total' ? run : { curves: run.curves.withoutBaseline(), calibration: run.calibration };
  const bounds: SpendBounds = resolveBounds(run.curves, options.channels);
  const objective = { kind: 'quantile' as const, q: 1 - options.probability };
  const probeAt =
    (gridUnits: number) =>
    (budget: number): GoalProbe => {
      const found = searchAtBudget(measured, bounds, budget, objective, gridUnits);
      const probability = reachProbability(found.draws, target);
      const margin = reachMargin(found.draws, target, options.probability);
      return { budget, spend: found.spend, probability, passes: probability >= options.probability, margin };
    };
  const low = bounds.lower.reduce((a, b) => a + b, 0);
  const high = bounds.upper.reduce((a, b) => a + b, 0);
  const tolerance = options.budgetTolerance * run.curves.totalHistoricalSpend;
  // A guess from a grid COARSENING times coarser (a DP's cost is the square of its units), then the search
  // at full resolution from that guess, its first step the coarse grid's step there.
  const coarseUnits = Math.max(Math.ceil(options.gridUnits / COARSENING), run.curves.channels.length);
  const guess = leastPassingBudget(probeAt(coarseUnits), low, high, { tolerance: COARSENING * tolerance })?.budget ?? high;
  const step = Math.max(budgetGrid(bounds, guess, coarseUnits).step, tolerance);
  const found = leastPassingBudget(probeAt(options.gridUnits), low, high, { tolerance, guess, step });
  if (!found) {
    const atHigh = probeAt(options.gridUnits)(high);
    throw new GoalUnreachableError(target, targetKind, options.probability, high, atHigh.probability);
  }
  return {
    budget: found.budget,
    plan: planOf(run, objective, found.spend),
    targetKind,
    requestedProbability,
    probability: found.probability,
  };
}
