/**
 * Timing plans (issue 14, scope 4) from a response source: per channel, the weekly spend over the source's
 * reporting window that maximises the expected outcome for a fixed budget (src/explore/timing.ts), with its
 * outcome and its gain over even flighting per posterior draw. Channels add up in the model, so each is timed
 * on its own; the total gain is summed per draw. This is the call `mmm plan --timing` and its workflow make.
 * A channel in a synergy pair (model.interactions) is refused: its outcome then depends on its partner's weekly
 * spend too, which timing one channel at a time cannot see.
 */
import { z } from 'zod';
import { interval, type Interval } from '../analysis/interval.ts';
import { channelIndex } from '../explore/allocation.ts';
import { outcomeChange, type OutcomeChange } from '../explore/budget-change.ts';
import { channelTimingSchema, resolveWeeklyBounds } from '../explore/timing-constraints.ts';
import { optimiseTiming } from '../explore/timing.ts';
import type { MmmResponseSource } from './mmm-response-source.ts';
import { WindowSpendResponse } from './window-spend-response.ts';

export const timingRequestSchema = z
  .object({
    channels: z
      .array(channelTimingSchema)
      .min(1)
      .superRefine((channels, context) => {
        const seen = new Set<string>();
        for (const { channel } of channels) {
          if (seen.has(channel))
            context.addIssue({ code: 'custom', message: `channel '${channel}' is timed twice; give each channel once` });
          seen.add(channel);
        }
      }),
    /** Count the outcome the window's spend brings in the maxLag periods after the window (no spend there). */
    countCarryover: z.boolean().default(false),
    /** Multiplies every reported outcome (the calibration factor k of the surface); the timing itself does not depend on it. */
    calibrationFactor: z.number().positive().default(1),
  })
  .strict();

export type TimingRequest = z.input<typeof timingRequestSchema>;

export interface TimingWeek {
  /** Start date of the week. */
  week: string;
  spend: number;
  evenSpend: number;
  /** The channel's outcome in this week (from its spend in the window up to this week), per draw summarised. */
  outcome: Interval;
  evenOutcome: Interval;
}

export interface ChannelTimingPlan {
  channel: string;
  budget: number;
  weeks: TimingWeek[];
  /** Outcome in the maxLag periods after the window, when counted. */
  carryover: { outcome: Interval; evenOutcome: Interval } | null;
  /** The channel's outcome over the summed periods (relative to no spend in the window). */
  outcome: Interval;
  evenOutcome: Interval;
  /** Timed plan against even flighting, per draw (same budget, same constraints). */
  gain: OutcomeChange;
  /** The solver start the plan came from ('even', 'best 3 weeks', 'burst weeks 1-4', ...). */
  start: string;
}

export interface TimingPlan {
  window: { start: string; end: string };
  countCarryover: boolean;
  calibrationFactor: number;
  nDraws: number;
  channels: ChannelTimingPlan[];
  /** All timed channels against all at even flighting, per draw. */
  gain: OutcomeChange;
}

/** A spend path's outcome per window week, and summed over the periods after the window (null when none are counted), scaled by k. */
function periodSummary(response: WindowSpendResponse, spend: Float64Array, k: number): { weeks: Interval[]; after: Interval | null } {
  const { nDraws, nWeeks, periods } = response;
  const byPeriod = new Float64Array(nDraws * periods);
  response.periodOutcomes(spend, byPeriod);
  const weeks = Array.from({ length: nWeeks }, (_, j) =>
    interval(Float64Array.from({ length: nDraws }, (_, d) => k * byPeriod[d * periods + j])),
  );
  if (periods === nWeeks) return { weeks, after: null };
  const after = Float64Array.from({ length: nDraws }, (_, d) => {
    let sum = 0;
    for (let j = nWeeks; j < periods; j++) sum += byPeriod[d * periods + j];
    return k * sum;
  });
  return { weeks, after: interval(after) };
}

/** Timing treats channels as adding up; a channel in a synergy pair does not. */
export class TimingSynergyError extends Error {
  override readonly name = 'TimingSynergyError';
  constructor(
    readonly channel: string,
    readonly partner: string,
  ) {
    super(
      `channel '${channel}' cannot be timed: it is in the synergy pair ${channel} x ${partner} (model.interactions), so its weekly outcome depends on ` +
        `'${partner}''s weekly spend too, which timing one channel at a time leaves out; time channels outside synergy pairs`,
    );
  }
}

export function planTiming(source: MmmResponseSource, request: TimingRequest): TimingPlan {
  const { channels, countCarryover, calibrationFactor: k } = timingRequestSchema.parse(request);
  // Every channel, its constraints and its spend in the window are checked before any is timed.
  const indices = channels.map(({ channel }) => channelIndex(source.channels, channel));
  for (const c of indices) {
    const pair = source.pairs.find(([a, b]) => a === c || b === c);
    if (pair) throw new TimingSynergyError(source.channels[c], source.channels[pair[0] === c ? pair[1] : pair[0]]);
  }
  const { nDraws } = source;
  const total = new Float64Array(nDraws);
  const evenTotal = new Float64Array(nDraws);
  const bounds = channels.map((timing) => resolveWeeklyBounds(source.weeks, timing));
  const responses = indices.map((c) => new WindowSpendResponse(source, c, { countCarryover }));
  const plans = channels.map((timing, i): ChannelTimingPlan => {
    const response = responses[i];
    const solution = optimiseTiming(response, bounds[i]);
    const outcome = solution.outcome.map((v) => k * v);
    const evenOutcome = solution.evenOutcome.map((v) => k * v);
    for (let d = 0; d < nDraws; d++) {
      total[d] += outcome[d];
      evenTotal[d] += evenOutcome[d];
    }
    const timed = periodSummary(response, solution.spend, k);
    const even = periodSummary(response, solution.even, k);
    return {
      channel: timing.channel,
      budget: bounds[i].budget,
      weeks: source.weeks.map((week, t) => ({
        week,
        spend: solution.spend[t],
        evenSpend: solution.even[t],
        outcome: timed.weeks[t],
        evenOutcome: even.weeks[t],
      })),
      carryover: timed.after && even.after && { outcome: timed.after, evenOutcome: even.after },
      outcome: interval(outcome),
      evenOutcome: interval(evenOutcome),
      gain: outcomeChange({ totalSpend: bounds[i].budget, draws: evenOutcome }, { totalSpend: bounds[i].budget, draws: outcome }),
      start: solution.start,
    };
  });
  const budget = plans.reduce((s, p) => s + p.budget, 0);
  return {
    window: source.window,
    countCarryover,
    calibrationFactor: k,
    nDraws,
    channels: plans,
    gain: outcomeChange({ totalSpend: budget, draws: evenTotal }, { totalSpend: budget, draws: total }),
  };
}
