/**
 * What a timing question fixes for one channel (issue 14, scope 4): its budget over the window, per-week
 * minimum and maximum spend, and dark weeks (no spend). They resolve to per-week bounds over the window's
 * weeks; a question no weekly plan can answer is an InfeasibleConstraintError naming what binds.
 */
import { z } from 'zod';
import { InfeasibleConstraintError } from './constraints.ts';
import { formatAmount } from './format.ts';

/** A per-week bound: one amount for every week, or amounts for named weeks (ISO start dates; weeks not named are unbounded). */
const weeklyBoundSchema = z.union([z.number().nonnegative(), z.record(z.iso.date(), z.number().nonnegative())]);

export const channelTimingSchema = z
  .object({
    channel: z.string().min(1),
    /** Spend over the window, in currency. */
    budget: z.number().nonnegative(),
    /** Least spend per week (dark weeks excepted); default 0. */
    minPerWeek: weeklyBoundSchema.optional(),
    /** Most spend per week; default unbounded. */
    maxPerWeek: weeklyBoundSchema.optional(),
    /** Weeks (ISO start dates) with no spend. */
    darkWeeks: z.array(z.iso.date()).default([]),
  })
  .strict();

export type ChannelTiming = z.input<typeof channelTimingSchema>;

/** Per-week bounds over the window's weeks; a dark week has lower = upper = 0. */
export interface WeeklyBounds {
  budget: number;
  lower: Float64Array;
  upper: Float64Array;
  dark: boolean[];
}

function weekIndex(weeks: readonly string[], week: string, channel: string, what: string): number {
  const i = weeks.indexOf(week);
  if (i === -1) {
    throw new InfeasibleConstraintError(`channel '${channel}': ${what} names week ${week}, which is not a week of the window`, [
      `weeks ${weeks[0]}..${weeks[weeks.length - 1]}`,
    ]);
  }
  return i;
}

/** The bounds a channel's timing question sets on `weeks` (the window's week start dates, in order). */
export function resolveWeeklyBounds(weeks: readonly string[], timing: ChannelTiming): WeeklyBounds {
  const { channel, budget, minPerWeek, maxPerWeek, darkWeeks } = channelTimingSchema.parse(timing);
  const n = weeks.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n).fill(Infinity);
  const dark = new Array<boolean>(n).fill(false);
  const apply = (bound: z.infer<typeof weeklyBoundSchema> | undefined, into: Float64Array, what: string) => {
    if (bound === undefined) return;
    if (typeof bound === 'number') into.fill(bound);
    else for (const [week, value] of Object.entries(bound)) into[weekIndex(weeks, week, channel, what)] = value;
  };
  apply(minPerWeek, lower, 'the weekly minimum');
  apply(maxPerWeek, upper, 'the weekly maximum');
  for (const week of darkWeeks) dark[weekIndex(weeks, week, channel, 'a dark week')] = true;

  const named = (i: number, what: string, value: number) => `${weeks[i]}: ${what} ${formatAmount(value)}`;
  for (let i = 0; i < n; i++) {
    if (dark[i]) {
      // A minimum given for this very week contradicts it being dark; a blanket minimum applies to open weeks only.
      if (typeof minPerWeek === 'object' && (minPerWeek[weeks[i]] ?? 0) > 0) {
        throw new InfeasibleConstraintError(`channel '${channel}': week ${weeks[i]} is dark but has a minimum`, [
          named(i, 'min', minPerWeek[weeks[i]]),
        ]);
      }
      lower[i] = 0;
      upper[i] = 0;
    } else if (lower[i] > upper[i]) {
      throw new InfeasibleConstraintError(`channel '${channel}': week ${weeks[i]} has its minimum above its maximum`, [
        named(i, 'min', lower[i]),
        named(i, 'max', upper[i]),
      ]);
    }
  }
  if (dark.every(Boolean)) {
    throw new InfeasibleConstraintError(`channel '${channel}': every week of the window is dark`, [
      `dark weeks ${weeks[0]}..${weeks[n - 1]}`,
    ]);
  }
  let least = 0;
  let most = 0;
  for (let i = 0; i < n; i++) {
    least += lower[i];
    most += upper[i];
  }
  if (budget < least) {
    const binding = weeks.flatMap((_, i) => (lower[i] > 0 ? [named(i, 'min', lower[i])] : []));
    throw new InfeasibleConstraintError(
      `channel '${channel}': budget ${formatAmount(budget)} is below the ${formatAmount(least)} the weekly minimums require`,
      binding,
    );
  }
  if (budget > most) {
    const binding = weeks.flatMap((_, i) => (dark[i] ? [`${weeks[i]}: dark`] : [named(i, 'max', upper[i])]));
    throw new InfeasibleConstraintError(
      `channel '${channel}': budget ${formatAmount(budget)} exceeds the ${formatAmount(most)} the weekly maximums allow`,
      binding,
    );
  }
  return { budget, lower, upper, dark };
}
