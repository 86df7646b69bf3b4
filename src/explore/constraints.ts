/**
 * Planning constraints (DESIGN.md section 4): a total budget and, per channel, minimum / maximum spend
 * (absolute, or relative to current spend) or a lock at current spend. They resolve to per-channel
 * bounds within the query's per-channel cap (ResponseCurves.cap x current spend); anything that cannot be met is an InfeasibleConstraintError
 * that names the constraints that bind.
 */
import { z } from 'zod';
import { factorGridSchema } from '../surface/factor-grid.ts';
import type { ResponseCurves } from '../surface/response-curves.ts';
import { channelIndex } from './allocation.ts';
import { formatAmount } from './format.ts';

/**
 * The per-channel cap queries use unless told otherwise (`--cap`): each channel at most this multiple of its
 * current spend. It is the stored factor grid's default largest factor, so a default query needs no extension.
 */
export const DEFAULT_CAP = factorGridSchema.parse({}).maxFactor;

export const describeCap = (cap: number): string => `each channel at most ${cap} x its current spend`;

export const channelConstraintSchema = z
  .object({
    min: z.number().nonnegative().optional(),
    max: z.number().nonnegative().optional(),
    /** Minimum as a multiple of current (historical) spend, e.g. 0.8. */
    minRelative: z.number().nonnegative().optional(),
    maxRelative: z.number().nonnegative().optional(),
    /** Keep the channel at its current spend. */
    locked: z.boolean().optional(),
  })
  .strict();

export const channelConstraintsSchema = z.record(z.string(), channelConstraintSchema);

export type ChannelConstraint = z.infer<typeof channelConstraintSchema>;
export type ChannelConstraints = z.infer<typeof channelConstraintsSchema>;

/** Per-channel spend bounds and the constraint that sets each bound (e.g. "min 500", "locked at current 20,000"). */
export interface SpendBounds {
  lower: Float64Array;
  upper: Float64Array;
  lowerReason: string[];
  upperReason: string[];
}

/** "tv: min 500": a bound's reason with its channel, as error messages list them. */
const named = (curves: ResponseCurves, reasons: string[], c: number): string => `${curves.channels[c]}: ${reasons[c]}`;

export class InfeasibleConstraintError extends Error {
  constructor(
    message: string,
    readonly binding: readonly string[],
  ) {
    super(`${message}: ${binding.join('; ')}`);
    this.name = 'InfeasibleConstraintError';
  }
}

export function resolveBounds(curves: ResponseCurves, constraints: ChannelConstraints): SpendBounds {
  const C = curves.channels.length;
  const bounds: SpendBounds = {
    lower: new Float64Array(C),
    upper: Float64Array.from(curves.channels, (_, c) => curves.maxSpend(c)),
    lowerReason: curves.channels.map(() => 'no minimum'),
    upperReason: curves.channels.map((_, c) => `cap ${formatAmount(curves.maxSpend(c))} (${curves.cap} x current)`),
  };
  for (const [channel, constraint] of Object.entries(channelConstraintsSchema.parse(constraints))) {
    const c = channelIndex(curves.channels, channel);
    const current = curves.historicalSpend[c];
    const raise = (value: number, reason: string) => {
      if (value > bounds.lower[c]) {
        bounds.lower[c] = value;
        bounds.lowerReason[c] = reason;
      }
    };
    const cap = (value: number, reason: string) => {
      if (value < bounds.upper[c]) {
        bounds.upper[c] = value;
        bounds.upperReason[c] = reason;
      }
    };
    if (constraint.min !== undefined) raise(constraint.min, `min ${formatAmount(constraint.min)}`);
    if (constraint.minRelative !== undefined)
      raise(constraint.minRelative * current, `min ${formatAmount(constraint.minRelative * 100)}% of current ${formatAmount(current)}`);
    if (constraint.max !== undefined) cap(constraint.max, `max ${formatAmount(constraint.max)}`);
    if (constraint.maxRelative !== undefined)
      cap(constraint.maxRelative * current, `max ${formatAmount(constraint.maxRelative * 100)}% of current ${formatAmount(current)}`);
    if (constraint.locked) {
      if (current < bounds.lower[c] || current > bounds.upper[c]) {
        const conflict = named(curves, current < bounds.lower[c] ? bounds.lowerReason : bounds.upperReason, c);
        throw new InfeasibleConstraintError(`channel '${channel}' cannot be locked`, [
          `${channel}: locked at current ${formatAmount(current)}`,
          conflict,
        ]);
      }
      bounds.lower[c] = current;
      bounds.upper[c] = current;
      bounds.lowerReason[c] = `locked at current ${formatAmount(current)}`;
      bounds.upperReason[c] = bounds.lowerReason[c];
    }
    if (bounds.lower[c] > bounds.upper[c]) {
      throw new InfeasibleConstraintError(`channel '${channel}' has no feasible spend`, [
        named(curves, bounds.lowerReason, c),
        named(curves, bounds.upperReason, c),
      ]);
    }
  }
  return bounds;
}

const sum = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);

/** Throws when no allocation within `bounds` spends exactly `budget`, naming the bounds that bind. */
export function checkBudget(curves: ResponseCurves, bounds: SpendBounds, budget: number): void {
  const least = sum(bounds.lower);
  const most = sum(bounds.upper);
  if (budget < least * (1 - 1e-12)) {
    const binding = curves.channels.flatMap((_, c) => (bounds.lower[c] > 0 ? [named(curves, bounds.lowerReason, c)] : []));
    throw new InfeasibleConstraintError(
      `budget ${formatAmount(budget)} is below the ${formatAmount(least)} the channel minimums require`,
      binding,
    );
  }
  if (budget > most * (1 + 1e-12)) {
    throw new InfeasibleConstraintError(
      `budget ${formatAmount(budget)} exceeds the ${formatAmount(most)} the channels can take`,
      curves.channels.map((_, c) => named(curves, bounds.upperReason, c)),
    );
  }
}

/** Bounds plus a budget that they can meet. */
export function feasibleBounds(curves: ResponseCurves, constraints: ChannelConstraints, budget: number): SpendBounds {
  const bounds = resolveBounds(curves, constraints);
  checkBudget(curves, bounds, budget);
  return bounds;
}

export class ConstraintSyntaxError extends Error {
  constructor(readonly text: string) {
    super(`'${text}' is not CHANNEL=AMOUNT or CHANNEL=PERCENT% (percent of current spend)`);
    this.name = 'ConstraintSyntaxError';
  }
}

/** Adds a `tv=5000` / `tv=120%` style bound to `constraints`. */
function addBoundFlag(constraints: ChannelConstraints, side: 'min' | 'max', text: string): void {
  const match = /^([^=]+)=(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(%?)$/i.exec(text.trim());
  if (!match) throw new ConstraintSyntaxError(text);
  const [, channel, amount, percent] = match;
  const entry = (constraints[channel] ??= {});
  if (percent) entry[side === 'min' ? 'minRelative' : 'maxRelative'] = Number(amount) / 100;
  else entry[side] = Number(amount);
}

/** Constraints from command-line flags: --min / --max CHANNEL=AMOUNT|PERCENT%, --lock CHANNEL. */
export function constraintsFromFlags(flags: {
  min?: readonly string[];
  max?: readonly string[];
  lock?: readonly string[];
}): ChannelConstraints {
  const constraints: ChannelConstraints = {};
  for (const text of flags.min ?? []) addBoundFlag(constraints, 'min', text);
  for (const text of flags.max ?? []) addBoundFlag(constraints, 'max', text);
  for (const channel of flags.lock ?? []) (constraints[channel] ??= {}).locked = true;
  return constraints;
}
