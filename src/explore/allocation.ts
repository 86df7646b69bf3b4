/**
 * Allocations as the explore API takes them: spend per channel in the order of the stored curves.
 * The JSON form is an object {channel: spend}; channels it leaves out keep a given base spend.
 */
import { z } from 'zod';
import type { ResponseCurves } from '../surface/response-curves.ts';

export class UnknownChannelError extends Error {
  constructor(
    readonly channel: string,
    readonly known: readonly string[],
  ) {
    super(`unknown channel '${channel}'; the run has ${known.map((c) => `'${c}'`).join(', ')}`);
    this.name = 'UnknownChannelError';
  }
}

export const allocationInputSchema = z.record(z.string(), z.number().nonnegative());

export function channelIndex(channels: readonly string[], channel: string): number {
  const index = channels.indexOf(channel);
  if (index < 0) throw new UnknownChannelError(channel, channels);
  return index;
}

/** Spend vector from {channel: spend}; channels not named keep `base`. */
export function allocationFromRecord(
  channels: readonly string[],
  record: z.infer<typeof allocationInputSchema>,
  base: Float64Array,
): Float64Array {
  const spend = Float64Array.from(base);
  for (const [channel, value] of Object.entries(allocationInputSchema.parse(record))) spend[channelIndex(channels, channel)] = value;
  return spend;
}

export const allocationRecord = (channels: readonly string[], spend: Float64Array): Record<string, number> =>
  Object.fromEntries(channels.map((channel, c) => [channel, spend[c]]));

export const totalOf = (spend: Float64Array): number => spend.reduce((sum, s) => sum + s, 0);

/** The current plan at another budget: the historical mix scaled to `budget`. */
export function currentMixAt(curves: ResponseCurves, budget: number): Float64Array {
  const scale = budget / curves.totalHistoricalSpend;
  return curves.historicalSpend.map((s) => s * scale);
}
