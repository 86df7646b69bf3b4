/**
 * Markets as a dimension of the decision layer (DESIGN.md sections 4 and 9, "Markets"): a response source
 * or a component store whose series are (geo, channel) pairs rather than channels. Every part that works on
 * series — components, their store, ResponseCurves, the DP, scoring — runs on pairs unchanged; this index
 * says which geo and channel each series is, so that totals per geo (or group of geos) and per channel can
 * be formed. A national run is the case without an index (one series per channel, every geo summed).
 *
 * Only pairs with spend in the reporting window are series: the counterfactual scales a pair's historical
 * spend series, so a pair without one has no curve to scale (listed in `withoutSpend`).
 */
import { z } from 'zod';

export const marketIndexSchema = z
  .object({
    geos: z.array(z.string().min(1)).min(1),
    channels: z.array(z.string().min(1)).min(1),
    /** Geo index (into `geos`) of each series. */
    geoOf: z.array(z.number().int().nonnegative()),
    /** Channel index (into `channels`) of each series. */
    channelOf: z.array(z.number().int().nonnegative()),
    /** Labels of the (geo, channel) pairs left out for having no spend in the window. */
    withoutSpend: z.array(z.string()),
  })
  .strict()
  .refine((m) => m.geoOf.length === m.channelOf.length, 'geoOf and channelOf must have one entry per series')
  .refine(
    (m) => m.geoOf.every((g) => g < m.geos.length) && m.channelOf.every((c) => c < m.channels.length),
    'series indices must name a geo and a channel of the index',
  );

export type MarketIndex = z.infer<typeof marketIndexSchema>;

/** The series label of a (geo, channel) pair, as constraints (`--min CA/tv=50%`) and outputs name it. */
export const pairLabel = (geo: string, channel: string): string => `${geo}/${channel}`;

/** The index of the pairs with positive spend, geo-major; `spend` is G x C over the window. */
export function marketIndex(geos: readonly string[], channels: readonly string[], spend: Float64Array): MarketIndex {
  const index: MarketIndex = { geos: [...geos], channels: [...channels], geoOf: [], channelOf: [], withoutSpend: [] };
  geos.forEach((geo, g) =>
    channels.forEach((channel, c) => {
      if (spend[g * channels.length + c] > 0) {
        index.geoOf.push(g);
        index.channelOf.push(c);
      } else index.withoutSpend.push(pairLabel(geo, channel));
    }),
  );
  return index;
}

/** The series labels of an index, in series order. */
export const pairLabels = (index: MarketIndex): string[] =>
  index.geoOf.map((g, p) => pairLabel(index.geos[g], index.channels[index.channelOf[p]]));

/** Series indices per member of a partition: `memberOf[p]` is the member of series p. */
export function seriesByMember(memberOf: readonly number[], members: number): number[][] {
  const out = Array.from({ length: members }, (): number[] => []);
  memberOf.forEach((m, p) => out[m].push(p));
  return out;
}
