/**
 * Rows of an answered plan (`mmm plan`, planWorkflow; docs/warehouse.md), shaped as the warehouse tables
 * `mmm_plan_scenarios`, `mmm_plan_allocations` and `mmm_plan_weekly` (DESIGN.md section 5). One plan
 * request (plan_id) writes its scenarios — the plan for the budget, the reference plan at its own budget and,
 * with a goal, the least budget reaching it — their allocations, each recommended channel's evidence and P(its move
 * helps) against the reference plan (`mmm_plan_evidence`), and the plan's weekly spend and outcome.
 * Outcomes are calibrated expected outcomes over the horizon (k of the latest window), the predictive band
 * only where named so.
 */
import { z } from 'zod';
import { interval, isoDate, isoTimestamp } from '../io/table-columns.ts';
import { moveEvidenceColumns } from './rows.ts';

/** plan: the budget allocated by the exact DP; reference: each channel's default budget with its flighting; goal: the least budget reaching the goal. */
export const planScenarioSchema = z.enum(['plan', 'reference', 'goal']);

/** One plan request's id, the key every plan table starts with. */
export const planIdSchema = z.string().min(1);

export const planScenarioRowSchema = z
  .object({
    plan_id: planIdSchema,
    run_id: z.string().min(1),
    requested_at: isoTimestamp,
    scenario: planScenarioSchema,
    horizon_start: isoDate,
    horizon_end: isoDate,
    horizon_weeks: z.number().int().positive(),
    /** 'even', 'historical', 'custom', or per channel 'search=even, tv=custom' when they differ. */
    flighting: z.string().min(1),
    trend: z.string().min(1),
    count_carryover: z.boolean(),
    /** The assumptions the horizon made (budgets' basis, controls, cost per unit, trend), joined with '; '. */
    assumptions: z.string(),
    /** The request as JSON text (budget, bounds, cap, goal, timing, settings). */
    request: z.string(),
    calibration_factor: z.number().positive(),
    total_spend: z.number().nonnegative(),
    /** Expected outcome over the horizon, baseline included. */
    ...interval('outcome'),
    /** Expected outcome from paid media. */
    ...interval('incremental'),
    /** Share of draws in which the plan beats the reference mix at the same budget; null for the reference itself. */
    p_beats_reference: z.number().min(0).max(1).nullable(),
    /** The goal (scenario 'goal' only): target, 'total' or 'incremental', the probability asked and the one reached. */
    goal_target: z.number().nullable(),
    goal_kind: z.enum(['total', 'incremental']).nullable(),
    goal_probability: z.number().nullable(),
    goal_reached_probability: z.number().nullable(),
  })
  .strict();

export const planAllocationRowSchema = z
  .object({
    plan_id: planIdSchema,
    run_id: z.string().min(1),
    scenario: planScenarioSchema,
    channel: z.string().min(1),
    spend: z.number().nonnegative(),
    /** spend / the scenario's total spend; 0 at zero total. */
    share: z.number().min(0).max(1),
    /** The channel's spend in the reference plan. */
    reference_spend: z.number().nonnegative(),
    /** The channel's expected outcome over the horizon at this spend (relative to no spend in it). */
    ...interval('contribution'),
  })
  .strict();

/**
 * What a recommended scenario's (plan, goal) move of each channel from the reference plan rests on
 * (move-evidence.ts), keyed as its allocation row: the run's evidence label and P(the move helps).
 */
export const planEvidenceRowSchema = z
  .object({
    plan_id: planIdSchema,
    run_id: z.string().min(1),
    scenario: planScenarioSchema.exclude(['reference']),
    channel: z.string().min(1),
    ...moveEvidenceColumns,
  })
  .strict();

/** Weekly rows name a channel, or one of these series. */
export const PLAN_WEEKLY_SERIES = { baseline: 'baseline', total: 'total' } as const;

export const planWeeklyRowSchema = z
  .object({
    plan_id: planIdSchema,
    run_id: z.string().min(1),
    week: isoDate,
    /** A channel; 'baseline' (the expected outcome with no spend in the horizon); 'total' (baseline + every channel). */
    channel: z.string().min(1),
    /** The plan's spend in the week (the channels' sum on 'total', 0 on 'baseline'). */
    spend: z.number().nonnegative(),
    /** Expected outcome in the week (parameter uncertainty only). */
    ...interval('outcome'),
    /** The predictive band of the week's total outcome (observation noise included); 'total' rows only. */
    predictive_p05: z.number().nullable(),
    predictive_p95: z.number().nullable(),
  })
  .strict();

export type PlanScenarioRow = z.infer<typeof planScenarioRowSchema>;
export type PlanAllocationRow = z.infer<typeof planAllocationRowSchema>;
export type PlanWeeklyRow = z.infer<typeof planWeeklyRowSchema>;
export type PlanEvidenceRow = z.infer<typeof planEvidenceRowSchema>;
