/**
 * Exploration results as rows of the warehouse tables `mmm_frontier` and `mmm_recommendations`
 * (DESIGN.md section 5): one row per plan and channel. Outcomes are calibrated totals over the reporting
 * window; p_beats_current compares with the current mix at the same budget, draw by draw.
 */
import { z } from 'zod';
import { interval, isoTimestamp } from '../io/table-columns.ts';
import type { FrontierPoint } from './frontier.ts';
import type { ChannelMove } from './move-evidence.ts';
import type { Plan } from './optimizer.ts';

export const frontierRowSchema = z
  .object({
    run_id: z.string().min(1),
    total_spend: z.number().nonnegative(),
    /** 1 = the optimizer's plan at this budget; 2.. = diverse alternatives within tolerance. */
    rank: z.number().int().positive(),
    channel: z.string().min(1),
    spend: z.number().nonnegative(),
    ...interval('outcome'),
    p_beats_current: z.number().min(0).max(1),
  })
  .strict();

export const recommendationRowSchema = z
  .object({
    request_id: z.string().min(1),
    run_id: z.string().min(1),
    requested_at: isoTimestamp,
    /** The request's constraints and objective as JSON text. */
    constraints: z.string(),
    rank: z.number().int().positive(),
    channel: z.string().min(1),
    spend: z.number().nonnegative(),
    delta_vs_current: z.number(),
    ...interval('outcome'),
    p_beats_current: z.number().min(0).max(1),
  })
  .strict();

/**
 * What each ranked plan's move of a channel rests on (move-evidence.ts), keyed as its recommendation row:
 * the run's evidence label for the channel and P(the move helps), null where the channel did not move.
 */
export const recommendationEvidenceRowSchema = z
  .object({
    request_id: z.string().min(1),
    run_id: z.string().min(1),
    rank: z.number().int().positive(),
    channel: z.string().min(1),
    moved: z.boolean(),
    /** Null for a run fitted before evidence was recorded. */
    informed: z.boolean().nullable(),
    evidence_label: z.string().nullable(),
    p_move_helps: z.number().min(0).max(1).nullable(),
  })
  .strict();

/** The columns of a move's evidence, shared by every evidence table (by channel, by market pair, by plan). */
export const moveEvidenceColumns = recommendationEvidenceRowSchema.pick({
  moved: true,
  informed: true,
  evidence_label: true,
  p_move_helps: true,
}).shape;

export type FrontierRow = z.infer<typeof frontierRowSchema>;
export type RecommendationRow = z.infer<typeof recommendationRowSchema>;
export type RecommendationEvidenceRow = z.infer<typeof recommendationEvidenceRowSchema>;

export function frontierRows(runId: string, channels: readonly string[], points: readonly FrontierPoint[]): FrontierRow[] {
  return points.flatMap(({ plan }) =>
    channels.map((channel, c) =>
      frontierRowSchema.parse({
        run_id: runId,
        total_spend: plan.score.totalSpend,
        rank: 1,
        channel,
        spend: plan.spend[c],
        outcome_mean: plan.score.outcome.mean,
        outcome_p05: plan.score.outcome.p05,
        outcome_p95: plan.score.outcome.p95,
        p_beats_current: plan.score.pBeatsCurrent,
      }),
    ),
  );
}

export interface RecommendationRequest {
  requestId: string;
  runId: string;
  requestedAt: string;
  /** Constraints and objective as given, serialised into the `constraints` column. */
  constraints: unknown;
}

/** Rows for ranked plans; delta_vs_current is against current (historical) spend per channel. */
export function recommendationRows(
  request: RecommendationRequest,
  channels: readonly string[],
  currentSpend: Float64Array,
  plans: readonly Plan[],
): RecommendationRow[] {
  const constraints = JSON.stringify(request.constraints);
  return plans.flatMap((plan, i) =>
    channels.map((channel, c) =>
      recommendationRowSchema.parse({
        request_id: request.requestId,
        run_id: request.runId,
        requested_at: request.requestedAt,
        constraints,
        rank: i + 1,
        channel,
        spend: plan.spend[c],
        delta_vs_current: plan.spend[c] - currentSpend[c],
        outcome_mean: plan.score.outcome.mean,
        outcome_p05: plan.score.outcome.p05,
        outcome_p95: plan.score.outcome.p95,
        p_beats_current: plan.score.pBeatsCurrent,
      }),
    ),
  );
}

/** Evidence rows for ranked plans' channel moves (`moves[i]` the moves of rank i + 1), keyed as recommendationRows. */
export function recommendationEvidenceRows(
  request: Pick<RecommendationRequest, 'requestId' | 'runId'>,
  moves: readonly (readonly ChannelMove[])[],
): RecommendationEvidenceRow[] {
  return moves.flatMap((planMoves, i) =>
    planMoves.map((move) =>
      recommendationEvidenceRowSchema.parse({
        request_id: request.requestId,
        run_id: request.runId,
        rank: i + 1,
        channel: move.channel,
        moved: move.moved,
        informed: move.informed,
        evidence_label: move.evidenceLabel,
        p_move_helps: move.pMoveHelps,
      }),
    ),
  );
}
