/**
 * The decision layer by market as rows of the warehouse tables `mmm_geo_channel_summary` and
 * `mmm_geo_recommendations` (DESIGN.md section 5): one row per (geo, channel) pair of a geo model's curves by
 * market (src/surface/markets.ts), calibrated as every output of the stored surface.
 *
 * Per pair p at its historical spend s_p over the reporting window, per draw d:
 *   incremental outcome  k c_pd(s)          (the pair's component, with half of each synergy term by geo it is
 *                                            part of: ResponseCurves.addContribution, as the national summary)
 *   ROI                  k c_pd(s) / s_p
 *   mROI                 k d outcome_d / d s_p  (marginal.ts, the limit of Meridian's mROI; synergy terms' slopes included)
 * each summarised by its posterior mean and central 90% interval (analysis/interval.ts).
 */
import { z } from 'zod';
import { summarizeDraws } from '../analysis/interval.ts';
import { interval } from '../io/table-columns.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';
import type { MarketIndex } from '../surface/markets.ts';
import { marginalReturns } from './marginal.ts';
import type { MarketOptimum } from './market-optimizer.ts';
import type { ChannelMove } from './move-evidence.ts';
import { moveEvidenceColumns, recommendationEvidenceRowSchema, recommendationRowSchema, type RecommendationRequest } from './rows.ts';

export const geoChannelSummaryRowSchema = z
  .object({
    run_id: z.string().min(1),
    geo: z.string().min(1),
    channel: z.string().min(1),
    spend: z.number().nonnegative(),
    ...interval('incremental_outcome'),
    ...interval('roi'),
    ...interval('mroi'),
  })
  .strict();

const { request_id, run_id, requested_at, constraints, rank, ...planColumns } = recommendationRowSchema.shape;

/** mmm_recommendations' row with the pair's geo before its channel, and how the answer was found. */
export const geoRecommendationRowSchema = z
  .object({
    request_id,
    run_id,
    requested_at,
    constraints,
    rank,
    geo: z.string().min(1),
    ...planColumns,
    /** 'dp' (exact on the spend grid) or 'lagrangian' (market and channel totals together). */
    method: z.enum(['dp', 'lagrangian']),
    /** The answer's optimality gap, relative to the paid-media outcome (market-optimizer.ts). */
    gap: z.number().nonnegative(),
  })
  .strict();

const evidenceColumns = recommendationEvidenceRowSchema.shape;

/**
 * What the plan's move of each (geo, channel) pair rests on (move-evidence.ts), keyed as its row of
 * mmm_geo_recommendations: its channel's evidence label from the run and P(the pair's move helps).
 */
export const geoRecommendationEvidenceRowSchema = z
  .object({
    request_id: evidenceColumns.request_id,
    run_id: evidenceColumns.run_id,
    rank: evidenceColumns.rank,
    geo: z.string().min(1),
    channel: z.string().min(1),
    ...moveEvidenceColumns,
  })
  .strict();

export type GeoChannelSummaryRow = z.infer<typeof geoChannelSummaryRowSchema>;
export type GeoRecommendationRow = z.infer<typeof geoRecommendationRowSchema>;
export type GeoRecommendationEvidenceRow = z.infer<typeof geoRecommendationEvidenceRowSchema>;

export class NotByMarketError extends Error {
  override readonly name = 'NotByMarketError';
  constructor() {
    super('curves without a market index: rows by market need the run loaded by market (loadSurfaceRun with loadMarketSource)');
  }
}

function indexOf(run: CalibratedCurves): MarketIndex {
  const index = run.curves.markets;
  if (!index) throw new NotByMarketError();
  return index;
}

/** One row per (geo, channel) pair with spend in the window: incremental outcome, ROI and mROI at its historical spend. */
export function geoChannelSummaryRows(runId: string, run: CalibratedCurves): GeoChannelSummaryRow[] {
  const index = indexOf(run);
  const { curves, calibration } = run;
  const spend = curves.historicalSpend;
  const marginal = marginalReturns(run, spend);
  const draws = new Float64Array(curves.nDraws);
  return curves.channels.map((_, p) => {
    draws.fill(0);
    curves.addContribution(p, spend, draws);
    const incremental = summarizeDraws(draws.map((v) => v * calibration.factor));
    const roi = summarizeDraws(draws.map((v) => (v * calibration.factor) / spend[p]));
    return geoChannelSummaryRowSchema.parse({
      run_id: runId,
      geo: index.geos[index.geoOf[p]],
      channel: index.channels[index.channelOf[p]],
      spend: spend[p],
      incremental_outcome_mean: incremental.mean,
      incremental_outcome_p05: incremental.p05,
      incremental_outcome_p95: incremental.p95,
      roi_mean: roi.mean,
      roi_p05: roi.p05,
      roi_p95: roi.p95,
      mroi_mean: marginal[p].mroi.mean,
      mroi_p05: marginal[p].mroi.p05,
      mroi_p95: marginal[p].mroi.p95,
    });
  });
}

/** The optimiser's plan by market as rank 1, one row per pair; delta_vs_current is against the pair's historical spend. */
export function geoRecommendationRows(
  request: RecommendationRequest,
  run: CalibratedCurves,
  result: MarketOptimum,
): GeoRecommendationRow[] {
  const index = indexOf(run);
  const { plan } = result;
  const constraints = JSON.stringify(request.constraints);
  return run.curves.channels.map((_, p) =>
    geoRecommendationRowSchema.parse({
      request_id: request.requestId,
      run_id: request.runId,
      requested_at: request.requestedAt,
      constraints,
      rank: 1,
      geo: index.geos[index.geoOf[p]],
      channel: index.channels[index.channelOf[p]],
      spend: plan.spend[p],
      delta_vs_current: plan.spend[p] - run.curves.historicalSpend[p],
      outcome_mean: plan.score.outcome.mean,
      outcome_p05: plan.score.outcome.p05,
      outcome_p95: plan.score.outcome.p95,
      p_beats_current: plan.score.pBeatsCurrent,
      method: result.method,
      gap: result.gap,
    }),
  );
}

/** The plan's pair moves (`moves[p]` of series p, move-evidence.ts) as rank 1's evidence rows, keyed as geoRecommendationRows. */
export function geoRecommendationEvidenceRows(
  request: Pick<RecommendationRequest, 'requestId' | 'runId'>,
  run: CalibratedCurves,
  moves: readonly ChannelMove[],
): GeoRecommendationEvidenceRow[] {
  const index = indexOf(run);
  return moves.map((move, p) =>
    geoRecommendationEvidenceRowSchema.parse({
      request_id: request.requestId,
      run_id: request.runId,
      rank: 1,
      geo: index.geos[index.geoOf[p]],
      channel: index.channels[index.channelOf[p]],
      moved: move.moved,
      informed: move.informed,
      evidence_label: move.evidenceLabel,
      p_move_helps: move.pMoveHelps,
    }),
  );
}
