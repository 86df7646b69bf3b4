/**
 * The market view's figures (issue 15): the choices of its geo group selector (all geos, each country and
 * region of the geo groups, each geo), the channels' totals over a choice's geos, and the recommended shifts
 * between geos of the latest request by market. Pure functions of the dashboard data.
 */
import { GROUPINGS, type Grouping } from '../explore/geo-groups.ts';
import type { BiGeoChannelSummaryRow, BiGeoRecommendationRow } from '../warehouse/bi-views.ts';
import type { MarketView } from './dashboard-data.ts';

/** One choice of the geo group selector. */
export interface MarketSelection {
  /** 'all', or `<grouping>:<name>` (country:US, region:North America, geo:CA): the selector's value. */
  key: string;
  kind: 'all' | Grouping;
  name: string;
  /** The run's geos in the choice, in the run's order. */
  geos: string[];
}

/** A channel over the geos of a selection. */
export interface ChannelAggregate {
  channel: string;
  spend: number;
  /** Posterior mean of the channel's incremental outcome, summed over the geos. */
  incrementalOutcomeMean: number;
  /** sum_g E[incremental outcome_gc] / sum_g spend_gc; null without spend. */
  roiMean: number | null;
  /** sum_g spend_gc mROI_gc / sum_g spend_gc (the channel's spend scaled pro rata in every geo); null without spend. */
  mroiMean: number | null;
}

/** A geo's spend in the latest request by market: current and recommended, over its channels. */
export interface MarketShift {
  geo: string;
  currentSpend: number;
  recommendedSpend: number;
  delta: number;
  /** delta / currentSpend; null when the geo spent nothing. */
  deltaShare: number | null;
}

export const ALL_GEOS = 'all';

/** The run's geos in first-seen order of its (geo, channel) rows. */
export const marketGeos = (view: MarketView): string[] => [...new Set(view.pairs.map((p) => p.geo))];

/** All geos, then each country and region of the geo groups (first-seen order), then each geo. */
export function marketSelections(view: MarketView): MarketSelection[] {
  const geos = marketGeos(view);
  const groupOf = new Map(view.groups.map((row) => [row.geo, row]));
  const grouped = GROUPINGS.filter((g): g is Exclude<Grouping, 'geo'> => g !== 'geo').flatMap((grouping) => {
    const members = new Map<string, string[]>();
    for (const geo of geos) {
      const name = groupOf.get(geo)?.[grouping];
      if (name !== undefined) members.set(name, [...(members.get(name) ?? []), geo]);
    }
    return [...members].map(([name, inGroup]) => ({ key: `${grouping}:${name}`, kind: grouping, name, geos: inGroup }));
  });
  return [
    { key: ALL_GEOS, kind: 'all', name: 'All geos', geos },
    ...grouped,
    ...geos.map((geo) => ({ key: `geo:${geo}`, kind: 'geo' as const, name: geo, geos: [geo] })),
  ];
}

/** The keys of the selections holding each geo (what a chart's rows are filtered by). */
export function selectionKeysOfGeo(selections: readonly MarketSelection[]): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const selection of selections) for (const geo of selection.geos) keys.set(geo, [...(keys.get(geo) ?? []), selection.key]);
  return keys;
}

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

/**
 * Each channel over the geos of a selection, in the order the channels first appear. Means add over geos, so
 * these are exact posterior means; their intervals would need the draws, which the warehouse does not hold.
 */
export function channelAggregates(pairs: readonly BiGeoChannelSummaryRow[], geos: readonly string[]): ChannelAggregate[] {
  const inSelection = new Set(geos);
  const byChannel = new Map<string, { spend: number; outcome: number; weightedMroi: number }>();
  for (const pair of pairs) {
    if (!inSelection.has(pair.geo)) continue;
    const sums = byChannel.get(pair.channel) ?? { spend: 0, outcome: 0, weightedMroi: 0 };
    sums.spend += pair.spend;
    sums.outcome += pair.incremental_outcome_mean;
    sums.weightedMroi += pair.spend * pair.mroi_mean;
    byChannel.set(pair.channel, sums);
  }
  return [...byChannel].map(([channel, sums]) => ({
    channel,
    spend: sums.spend,
    incrementalOutcomeMean: sums.outcome,
    roiMean: ratio(sums.outcome, sums.spend),
    mroiMean: ratio(sums.weightedMroi, sums.spend),
  }));
}

/** Each geo's current and recommended spend over its channels in a request's plan, in the order the geos first appear. */
export function marketShifts(plan: readonly BiGeoRecommendationRow[]): MarketShift[] {
  const byGeo = new Map<string, { current: number; recommended: number }>();
  for (const row of plan) {
    const sums = byGeo.get(row.geo) ?? { current: 0, recommended: 0 };
    sums.current += row.current_spend;
    sums.recommended += row.recommended_spend;
    byGeo.set(row.geo, sums);
  }
  return [...byGeo].map(([geo, { current, recommended }]) => ({
    geo,
    currentSpend: current,
    recommendedSpend: recommended,
    delta: recommended - current,
    deltaShare: ratio(recommended - current, current),
  }));
}
