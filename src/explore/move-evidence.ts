/**
 * What a recommendation's move of each channel rests on (docs/decision-layer.md, "Decisions that respect
 * evidence"): the channel's evidence label from the run's fit (src/analysis/evidence.ts) and P(the move
 * helps), over the posterior draws of the stored components.
 *
 * For a plan R and current (historical) spend c0, channel c's move is R_c - c0_c. Its counterfactual R^(c) is
 * R with channel c back at c0_c and the rest at the recommendation, the budget kept: the money the move took
 * is given back to the other channels (or, for a cut, the money it freed is taken from them) in proportion
 * to their recommended spend, each within its bounds (water-filling; what the others cannot absorb is left
 * unspent). Then
 *
 *   P(move of c helps) = (1 / n) sum_d 1[ outcome_d(R) > outcome_d(R^(c)) ],
 *
 * both plans scored on the same draw d (calibrated expected outcome, baseline and synergy pairs included).
 * Keeping the budget makes a cut comparable with an increase: with the other channels frozen instead, a
 * cut would never raise the expected outcome of curves that increase with spend. A channel moves when its
 * spend changes by more than half a grid step (a plan staying at current spend lies within that of it).
 *
 * The unit moved is a series of the curves: a channel of the national surface or of the plan horizon (whose
 * current spend is the reference plan's), a (geo, channel) pair of the curves by market. A pair carries its
 * channel's evidence (the fit's evidence is per channel: the ROI prior and its contraction are national), and its
 * counterfactual spreads the money over the other pairs within their own bounds; totals per market or per channel
 * are constraints of the search, not of this comparison, which asks whether the money does better where the rest
 * of the plan puts it.
 */
import { z } from 'zod';
import type { ChannelEvidence } from '../analysis/evidence.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';
import type { MarketIndex } from '../surface/markets.ts';
import type { SpendBounds } from './constraints.ts';
import { outcomeDraws, probabilityBeats } from './score.ts';

export const channelMoveSchema = z
  .object({
    channel: z.string().min(1),
    current: z.number(),
    recommended: z.number(),
    /** The spend changed by more than half a grid step. */
    moved: z.boolean(),
    /** The run's evidence for the channel; null for a run fitted before evidence was recorded. */
    informed: z.boolean().nullable(),
    evidenceLabel: z.string().nullable(),
    /** P(the move helps) over the posterior draws; null when the channel did not move. */
    pMoveHelps: z.number().min(0).max(1).nullable(),
  })
  .strict();
export type ChannelMove = z.infer<typeof channelMoveSchema>;

/**
 * `recommended` with channel c back at `current[c]` and the difference spread over the other channels in
 * proportion to their recommended spend (equally when none spends), each kept within [lower, upper].
 */
export function counterfactualWithout(recommended: Float64Array, current: Float64Array, bounds: SpendBounds, c: number): Float64Array {
  const spend = Float64Array.from(recommended);
  spend[c] = current[c];
  // > 0: money to give to the others; < 0: money to take from them.
  let left = recommended[c] - current[c];
  const room = (j: number) => (left > 0 ? bounds.upper[j] - spend[j] : spend[j] - bounds.lower[j]);
  const tolerance = 1e-12 * Math.max(1, Math.abs(left));
  for (let round = 0; round < spend.length && Math.abs(left) > tolerance; round++) {
    const open = [...spend.keys()].filter((j) => j !== c && room(j) > tolerance);
    if (open.length === 0) break;
    const weightOf = (j: number) => recommended[j];
    const total = open.reduce((sum, j) => sum + weightOf(j), 0);
    const amount = left;
    for (const j of open) {
      const share = total > 0 ? weightOf(j) / total : 1 / open.length;
      const change = Math.sign(amount) * Math.min(Math.abs(amount * share), room(j));
      spend[j] += change;
      left -= change;
    }
  }
  return spend;
}

/** Each (geo, channel) pair's evidence: its channel's, `byChannel` in the order of `index.channels`. */
export function pairEvidence(index: MarketIndex, byChannel: readonly (ChannelEvidence | null)[]): (ChannelEvidence | null)[] {
  return index.channelOf.map((c) => byChannel[c]);
}

/** The evidence and P(the move helps) of each channel of plan `recommended` (module comment). */
export function channelMoves(
  run: CalibratedCurves,
  recommended: Float64Array,
  bounds: SpendBounds,
  gridStep: number,
  evidence: readonly (ChannelEvidence | null)[],
): ChannelMove[] {
  const { curves } = run;
  const current = curves.historicalSpend;
  const planDraws = outcomeDraws(run, recommended);
  return curves.channels.map((channel, c) => {
    const moved = Math.abs(recommended[c] - current[c]) > gridStep / 2 + 1e-9 * Math.max(1, current[c]);
    const pMoveHelps = moved
      ? probabilityBeats(planDraws, outcomeDraws(run, counterfactualWithout(recommended, current, bounds, c)))
      : null;
    return channelMoveSchema.parse({
      channel,
      current: current[c],
      recommended: recommended[c],
      moved,
      informed: evidence[c]?.informed ?? null,
      evidenceLabel: evidence[c]?.label ?? null,
      pMoveHelps,
    });
  });
}
