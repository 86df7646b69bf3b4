/**
 * What a change of plan buys (issue 11, "plain answers"): the outcome of a plan minus the outcome of a
 * reference plan — the current spend unless said otherwise — per posterior draw. Both plans are scored on
 * the same draws, so the 90% interval is that of the difference, typically much narrower than the difference of the
 * two plans' intervals. Every explore and optimize report states it: "the extra 5.27M buys about 2.8M
 * [1.9M, 3.7M]".
 */
import { summarizeDraws, type IntervalWithMedian } from '../analysis/interval.ts';
import { formatCompact } from './format.ts';
import { probabilityBeats } from './score.ts';

/** A scored plan: its total spend and calibrated outcome per posterior draw. */
export interface ScoredSpend {
  totalSpend: number;
  draws: Float64Array;
}

export interface OutcomeChange {
  /** Total spend of the reference plan. */
  fromSpend: number;
  /** Total spend of the plan. */
  toSpend: number;
  /** toSpend - fromSpend. */
  extraSpend: number;
  /** outcome(plan) - outcome(reference) per draw, summarised (calibrated, over the reporting window). */
  extraOutcome: IntervalWithMedian;
  /** extraOutcome.mean / extraSpend: the return on the extra spend; null when the budget does not change. */
  returnOnExtraSpend: number | null;
  /** Share of draws in which the plan's outcome exceeds the reference's. */
  pGain: number;
}

/** Budgets closer than this fraction of the reference's are the same budget (a reallocation). */
const SAME_BUDGET = 1e-6;

const sameBudget = (change: OutcomeChange): boolean => Math.abs(change.extraSpend) <= SAME_BUDGET * Math.max(Math.abs(change.fromSpend), 1);

export function outcomeChange(reference: ScoredSpend, plan: ScoredSpend): OutcomeChange {
  const extraSpend = plan.totalSpend - reference.totalSpend;
  const extraOutcome = summarizeDraws(plan.draws.map((v, d) => v - reference.draws[d]));
  const change = {
    fromSpend: reference.totalSpend,
    toSpend: plan.totalSpend,
    extraSpend,
    extraOutcome,
    returnOnExtraSpend: null,
    pGain: probabilityBeats(plan.draws, reference.draws),
  };
  return sameBudget(change) ? change : { ...change, returnOnExtraSpend: extraOutcome.mean / extraSpend };
}

/** "about 2.8M [1.9M, 3.7M]" for a gain; a loss is stated as a positive amount with its interval flipped. */
function about(interval: IntervalWithMedian, loss: boolean): string {
  const [mean, low, high] = loss ? [-interval.mean, -interval.p95, -interval.p05] : [interval.mean, interval.p05, interval.p95];
  return `about ${formatCompact(mean)} [${formatCompact(low)}, ${formatCompact(high)}]`;
}

/**
 * One sentence: "The extra 5.27M (17.6M -> 22.9M) buys about 2.8M [1.9M, 3.7M] more outcome than current
 * spend (90% interval)."; "Spending 2M less (...) costs about 1.1M [...] of outcome against current spend ...";
 * at the same budget "Reallocating the same 17.6M gains about ..." (or "loses").
 */
export function describeChange(change: OutcomeChange, reference = 'current spend'): string {
  const loss = change.extraOutcome.mean < 0;
  const what = loss
    ? `${about(change.extraOutcome, true)} of outcome against ${reference}`
    : `${about(change.extraOutcome, false)} more outcome than ${reference}`;
  const budgets = `(${formatCompact(change.fromSpend)} -> ${formatCompact(change.toSpend)})`;
  const sentence = sameBudget(change)
    ? `reallocating the same ${formatCompact(change.toSpend)} ${loss ? 'loses' : 'gains'} ${what}`
    : change.extraSpend > 0
      ? `the extra ${formatCompact(change.extraSpend)} ${budgets} ${loss ? 'loses' : 'buys'} ${what}`
      : `spending ${formatCompact(-change.extraSpend)} less ${budgets} ${loss ? 'costs' : 'gains'} ${what}`;
  return `${sentence[0].toUpperCase()}${sentence.slice(1)} (90% interval).`;
}
