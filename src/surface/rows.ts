/**
 * Rows of the enumerated scenario surface, shaped as the warehouse tables `mmm_surface_scenarios` and
 * `mmm_surface_allocations` (DESIGN.md section 5). The same schemas validate the JSON-lines files of a
 * run directory and the rows the warehouse publish writes. Outcomes are in outcome units over the
 * reporting window; `_raw` is the model's scale, `_calibrated` is k x raw. roi, mroi and contributions
 * are calibrated.
 */
import { z } from 'zod';
import { mixDesignSchema } from './scenario-design.ts';

export const surfaceScenarioRowSchema = z
  .object({
    run_id: z.string().min(1),
    scenario_id: z.number().int().nonnegative(),
    /** Total budget as a fraction of the historical total over the window (1 = history). */
    budget_level: z.number().nonnegative(),
    total_spend: z.number().nonnegative(),
    design: mixDesignSchema,
    /** Identifies the allocation mix across budget levels (same mix_id, same shares before capping). */
    mix_id: z.number().int().nonnegative(),
    mix_label: z.string().min(1),
    outcome_mean_raw: z.number(),
    outcome_p05_raw: z.number(),
    outcome_p50_raw: z.number(),
    outcome_p95_raw: z.number(),
    outcome_mean_calibrated: z.number(),
    outcome_p05_calibrated: z.number(),
    outcome_p50_calibrated: z.number(),
    outcome_p95_calibrated: z.number(),
    /** Posterior-mean outcome from paid media (relative to all channels off), calibrated. */
    incremental_mean: z.number(),
    /** incremental_mean / total_spend; null at zero spend. */
    roi: z.number().nullable(),
    /** Return on the next unit of budget spread in this scenario's mix: sum_c share_c g_c'(spend_c), calibrated. */
    mroi: z.number(),
  })
  .strict();

export const surfaceAllocationRowSchema = z
  .object({
    run_id: z.string().min(1),
    scenario_id: z.number().int().nonnegative(),
    channel: z.string().min(1),
    spend: z.number().nonnegative(),
    share: z.number().min(0).max(1),
    /** Posterior-mean incremental outcome of the channel at this spend, calibrated. */
    contribution_mean: z.number(),
  })
  .strict();

export type SurfaceScenarioRow = z.infer<typeof surfaceScenarioRowSchema>;
export type SurfaceAllocationRow = z.infer<typeof surfaceAllocationRowSchema>;
