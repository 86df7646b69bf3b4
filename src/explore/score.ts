/**
 * score(allocation): the full posterior of an allocation's outcome from the stored components, without
 * re-running inference (DESIGN.md section 4). Every figure is calibrated (k x model scale) unless named raw.
 */
import { summarizeDraws, type IntervalWithMedian } from '../analysis/interval.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';
import { evaluateScenario } from '../surface/scenario-outcome.ts';
import { currentMixAt } from './allocation.ts';

export interface ChannelScore {
  channel: string;
  spend: number;
  /** Incremental outcome of the channel (relative to switching it off), with half of each synergy term it is part of. */
  contribution: IntervalWithMedian;
  /** Posterior-mean contribution / spend; null at zero spend. */
  roi: number | null;
}

export interface ScoreResult {
  spend: Float64Array;
  totalSpend: number;
  /** Total outcome over the reporting window. */
  outcome: IntervalWithMedian;
  outcomeRaw: IntervalWithMedian;
  /** Outcome from paid media (total minus baseline). */
  incremental: IntervalWithMedian;
  roi: number | null;
  mroi: number;
  channels: ChannelScore[];
  /** Share of draws in which this allocation's outcome exceeds the current mix at the same total budget. */
  pBeatsCurrent: number;
  /** Calibrated total outcome per posterior draw. */
  draws: Float64Array;
}

/** P(outcome_d(a) > outcome_d(b)) over draws: both allocations are scored on the same posterior draw. */
export function probabilityBeats(drawsA: Float64Array, drawsB: Float64Array): number {
  let wins = 0;
  for (let d = 0; d < drawsA.length; d++) if (drawsA[d] > drawsB[d]) wins++;
  return wins / drawsA.length;
}

/** Calibrated total outcome per draw. */
export function outcomeDraws(run: CalibratedCurves, spend: Float64Array): Float64Array {
  const draws = new Float64Array(run.curves.nDraws);
  run.curves.outcomeDraws(spend, draws);
  return draws.map((v) => v * run.calibration.factor);
}

export function score(run: CalibratedCurves, spend: Float64Array): ScoreResult {
  const { curves, calibration } = run;
  const k = calibration.factor;
  const raw = new Float64Array(curves.nDraws);
  const scenario = evaluateScenario(run, spend, raw);
  const draws = raw.map((v) => v * k);
  const perChannel = new Float64Array(curves.nDraws);
  const channels = curves.channels.map((channel, c): ChannelScore => {
    perChannel.fill(0);
    // Half of each synergy term the channel is part of, as scenario-outcome.ts splits the means.
    curves.addContribution(c, spend, perChannel);
    return {
      channel,
      spend: spend[c],
      contribution: summarizeDraws(perChannel.map((v) => v * k)),
      roi: spend[c] > 0 ? scenario.contributionMeans[c] / spend[c] : null,
    };
  });
  const incremental = summarizeDraws(draws.map((v, d) => v - k * curves.baseline[d]));
  return {
    spend: Float64Array.from(spend),
    totalSpend: scenario.totalSpend,
    outcome: scenario.outcome,
    outcomeRaw: scenario.outcomeRaw,
    incremental,
    roi: scenario.roi,
    mroi: scenario.mroi,
    channels,
    pBeatsCurrent: probabilityBeats(draws, outcomeDraws(run, currentMixAt(curves, scenario.totalSpend))),
    draws,
  };
}
