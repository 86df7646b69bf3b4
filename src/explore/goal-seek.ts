/**
 * Goal seek: the least total budget at which the optimizer's plan reaches an outcome target with
 * probability p, P(outcome >= target) >= p over the posterior draws. The target is either the total outcome
 * over the reporting window (baseline included) or the incremental outcome from paid media (total minus
 * baseline, per draw); the search then runs on the curves without their baseline. At each budget the plan
 * maximises the (1 - p) quantile, since P(outcome >= target) >= p exactly when that quantile reaches the
 * target. With increasing response curves the best attainable probability cannot fall as the budget grows,
 * so the budget is found by bisection between the channels' minimum and maximum totals.
 */
import { z } from 'zod';
import type { CalibratedCurves } from '../surface/calibration.ts';
import { channelConstraintsSchema, resolveBounds, type SpendBounds } from './constraints.ts';
import { formatAmount } from './format.ts';
import { planAtBudget, planOf, type Plan } from './optimizer.ts';

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

const reachProbability = (plan: Plan, target: number): number =>
  plan.score.draws.reduce((count, v) => count + (v >= target ? 1 : 0), 0) / plan.score.draws.length;

export function goalSeek(run: CalibratedCurves, request: GoalSeekRequest): GoalSeekResult {
  const options = goalSeekRequestSchema.parse(request);
  const { targetKind, probability: requestedProbability } = options;
  // Without the baseline every plan's outcome per draw is its incremental outcome, so one search serves both kinds.
  const measured: CalibratedCurves = targetKind === 'total' ? run : { curves: run.curves.withoutBaseline(), calibration: run.calibration };
  const bounds: SpendBounds = resolveBounds(run.curves, options.channels);
  const objective = { kind: 'quantile' as const, q: 1 - options.probability };
  const attempt = (budget: number): GoalSeekResult => {
    const plan = planAtBudget(measured, bounds, budget, objective, options.gridUnits).plan;
    return { budget, plan, targetKind, requestedProbability, probability: reachProbability(plan, options.target) };
  };
  const reported = (found: GoalSeekResult): GoalSeekResult =>
    targetKind === 'total' ? found : { ...found, plan: planOf(run, objective, found.plan.spend) };
  let low = bounds.lower.reduce((a, b) => a + b, 0);
  let high = bounds.upper.reduce((a, b) => a + b, 0);
  const atLow = attempt(low);
  if (atLow.probability >= options.probability) return reported(atLow);
  let best = attempt(high);
  if (best.probability < options.probability)
    throw new GoalUnreachableError(options.target, targetKind, options.probability, high, best.probability);
  const tolerance = options.budgetTolerance * run.curves.totalHistoricalSpend;
  while (high - low > tolerance) {
    const mid = (low + high) / 2;
    const result = attempt(mid);
    if (result.probability >= options.probability) {
      high = mid;
      best = result;
    } else low = mid;
  }
  return reported(best);
}
