/**
 * Several good plans instead of one fragile optimum: the best plan, then up to count - 1 alternatives,
 * each within `tolerance` x the best plan's paid-media outcome of the best objective, and each as far as
 * possible from the plans before it.
 *
 * Plan distance is the share of the budget moved, d(x, y) = sum_c |x_c - y_c| / (2 B). On a spend grid of
 * `diversityUnits` steps the distance to earlier plans is a whole number of steps per channel, so one DP
 * with distance as a second resource (maximizeSeparableByDistance) gives the exact best objective at every
 * total distance from the earlier plans. Among those plans within tolerance, the alternative is the one
 * whose nearest earlier plan is farthest; a wider tolerance can therefore only move alternatives further.
 * The DP maximises the posterior mean; for risk objectives it maximises the objective linearised at the best
 * plan, and every alternative is checked against the tolerance with the exact objective on every draw.
 * Synergy pairs make the objective non-separable; the DP's tables then carry each pair term with the other
 * channel held at the best plan's spend, s_p(x_c, x*_d) in c's table and s_p(x*_c, x_d) in d's: exact at the
 * best plan and along every single channel's moves from it, so the search looks where the synergy pays.
 */
import { z } from 'zod';
import type { CalibratedCurves } from '../surface/calibration.ts';
import { channelConstraintsSchema, feasibleBounds } from './constraints.ts';
import { MEAN_OBJECTIVE, objectiveSchema } from './objective.ts';
import { objectiveGradient, planAtBudget, planOf, type Plan } from './optimizer.ts';
import { maximizeSeparableByDistance } from './separable-dp.ts';
import { budgetGrid, spendOfUnits, valueTables } from './spend-grid.ts';

export const alternativesRequestSchema = z
  .object({
    budget: z.number().nonnegative().optional(),
    channels: channelConstraintsSchema.default({}),
    objective: objectiveSchema.default(MEAN_OBJECTIVE),
    /** Plans returned, the best included. */
    count: z.number().int().min(1).max(20).default(5),
    /** Objective shortfall allowed, as a fraction of the best plan's mean paid-media outcome. */
    tolerance: z.number().min(0).max(1).default(0.01),
    /** Least share of the budget an alternative must move relative to every earlier plan. */
    minDistance: z.number().min(0).max(1).default(0.02),
    /** Grid resolution of the best plan. */
    gridUnits: z.number().int().min(10).default(1000),
    /** Grid resolution of the alternatives (steps of the free budget); distances are counted in these steps. */
    diversityUnits: z.number().int().min(10).max(400).default(100),
  })
  .strict();

export type AlternativesRequest = z.input<typeof alternativesRequestSchema>;

export interface Alternative {
  /** 1 = the best plan. */
  rank: number;
  plan: Plan;
  /** (best objective - this objective) / best plan's mean paid-media outcome. */
  shortfall: number;
  /** Share of the budget moved relative to the nearest better-ranked plan (0 for rank 1). */
  distance: number;
}

/** Alternatives are shown only when they beat the current mix in at least this share of posterior draws. */
export const DEFAULT_MIN_P_BEATS_CURRENT = 0.5;

/**
 * The alternatives worth showing: those whose P(beats the current mix) is at least `minPBeatsCurrent` (an
 * alternative that loses to the current mix in most draws is no alternative), and how many were left out.
 */
export function alternativesWorthShowing(
  alternatives: readonly Alternative[],
  minPBeatsCurrent = DEFAULT_MIN_P_BEATS_CURRENT,
): { shown: Alternative[]; hidden: number } {
  const shown = alternatives.filter((alt) => alt.plan.score.pBeatsCurrent >= minPBeatsCurrent);
  return { shown, hidden: alternatives.length - shown.length };
}

const shareMoved = (a: Float64Array, b: Float64Array, budget: number): number =>
  budget > 0 ? a.reduce((sum, v, c) => sum + Math.abs(v - b[c]), 0) / (2 * budget) : 0;

export function diverseAlternatives(run: CalibratedCurves, request: AlternativesRequest): Alternative[] {
  const options = alternativesRequestSchema.parse(request);
  const { curves } = run;
  const budget = options.budget ?? curves.totalHistoricalSpend;
  const bounds = feasibleBounds(curves, options.channels, budget);
  const { objective } = options;
  const best = planAtBudget(run, bounds, budget, objective, options.gridUnits).plan;
  const allowed = options.tolerance * Math.abs(best.score.incremental.mean);
  const chosen: Alternative[] = [{ rank: 1, plan: best, shortfall: 0, distance: 0 }];
  const grid = budgetGrid(bounds, budget, Math.max(options.diversityUnits, curves.channels.length));
  if (grid.units === 0) return chosen;

  // The objective linearised at the best plan (the posterior mean itself for the mean objective).
  const k = run.calibration.factor;
  const surrogate = curves.weighted(objectiveGradient(objective, best.score.draws));
  const pairs = curves.pairGrids?.pairs ?? [];
  const withPartnersAtBest = (c: number, spend: number): number =>
    pairs.reduce(
      (sum, [a, b], p) =>
        sum + (a === c ? surrogate.pairValue(p, spend, best.spend[b]) : b === c ? surrogate.pairValue(p, best.spend[a], spend) : 0),
      surrogate.value(c, spend),
    );
  const tables = valueTables(grid, (c, spend) => k * withPartnersAtBest(c, spend));
  const bestSurrogate = curves.channels.reduce((sum, _, c) => sum + k * withPartnersAtBest(c, best.spend[c]), 0);
  const within = (plan: Plan): boolean => best.objectiveValue - plan.objectiveValue <= allowed;

  while (chosen.length < options.count) {
    // Distance of each grid level to the earlier plans, in grid steps: sum_p |u - u_p|.
    const distances = tables.map((table, c) =>
      Int32Array.from(table, (_, u) =>
        Math.round(chosen.reduce((sum, alt) => sum + Math.abs(u - (grid.direction * (alt.plan.spend[c] - grid.base[c])) / grid.step), 0)),
      ),
    );
    const tradeOff = maximizeSeparableByDistance(tables, distances, grid.units);
    const candidates: { spend: Float64Array; nearest: number }[] = [];
    tradeOff.best.forEach((value, d) => {
      if (!(bestSurrogate - value <= allowed)) return;
      const spend = spendOfUnits(grid, tradeOff.unitsFor(d));
      const nearest = Math.min(...chosen.map((alt) => shareMoved(spend, alt.plan.spend, budget)));
      if (nearest >= Math.max(options.minDistance, 1e-12)) candidates.push({ spend, nearest });
    });
    candidates.sort((a, b) => b.nearest - a.nearest);
    let added = false;
    for (const candidate of candidates) {
      const plan = planOf(run, objective, candidate.spend);
      if (!within(plan)) continue;
      chosen.push({
        rank: chosen.length + 1,
        plan,
        shortfall: (best.objectiveValue - plan.objectiveValue) / Math.abs(best.score.incremental.mean),
        distance: candidate.nearest,
      });
      added = true;
      break;
    }
    if (!added) break;
  }
  return chosen;
}
