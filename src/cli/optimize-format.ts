/**
 * What `mmm optimize` (by channel and by market) and `mmm plan` print beside a plan, locally and through the workflows:
 * evidence, P(the move helps), optimality.
 */
import { formatAmount, formatPercent } from '../explore/format.ts';
import type { ChannelMove } from '../explore/move-evidence.ts';
import type { Optimality } from '../explore/objective-bound.ts';

/** The evidence column: the run's label, or why there is none. */
export const evidenceText = (move: Pick<ChannelMove, 'evidenceLabel'>): string => move.evidenceLabel ?? 'unknown (fitted before evidence)';

/** The P(move helps) column: blank where the channel did not move. */
export const pMoveHelpsText = (move: Pick<ChannelMove, 'pMoveHelps'>): string =>
  move.pMoveHelps === null ? '' : formatPercent(move.pMoveHelps);

/** Channels moved on their prior alone, named under the table (a channel once, however many of its pairs moved). */
export function priorMovesNote(moves: readonly Pick<ChannelMove, 'channel' | 'moved' | 'informed'>[]): string {
  const prior = [...new Set(moves.filter((move) => move.moved && move.informed === false).map((move) => move.channel))];
  return prior.length === 0
    ? ''
    : `\n${prior.join(', ')} ${prior.length === 1 ? 'is' : 'are'} moved but not informed by the data: the move rests on the ROI prior.`;
}

/** How far a best-of-candidates answer can be from the best plan on the grid (objective-bound.ts), for the report. */
export function describeOptimality(optimality: Optimality): string {
  if (optimality.method === 'exact') return 'exact optimum on the spend grid';
  const ofPaidMedia = (share: number | null) => (share === null ? '' : ` (${formatPercent(share)} of the paid-media outcome)`);
  const search = optimality.localSearch;
  const searched = search
    ? `local search around the best candidate gained ${formatAmount(search.improvement)}${ofPaidMedia(search.relativeImprovement)} in ${search.moves} moves; `
    : '';
  if (optimality.bound === null || optimality.gap === null) return `${searched}no bound (synergy pairs form a cycle)`;
  return `${searched}the best plan on the grid scores at most ${formatAmount(optimality.gap)}${ofPaidMedia(optimality.relativeGap)} more: no plan exceeds ${formatAmount(optimality.bound)} (bound by ${optimality.method})`;
}
