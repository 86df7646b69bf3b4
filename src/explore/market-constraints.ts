/**
 * Constraints of a plan by market (DESIGN.md section 9, "Markets"), over curves whose series are (geo,
 * channel) pairs (src/surface/markets.ts): a total budget; bounds per pair (`pairs`, keyed `geo/channel`, as
 * planning constraints.ts resolves them per channel); and, across pairs, minimum / maximum totals per market
 * (a geo, or a group of geos under `grouping`) and per channel, absolute or relative to the market's or
 * channel's current spend. They resolve to spend bounds per pair and per member of each family; a name that
 * is not a market or channel of the run, or totals that cannot be met, are refused naming the constraint.
 */
import { z } from 'zod';
import type { ResponseCurves } from '../surface/response-curves.ts';
import { seriesByMember, type MarketIndex } from '../surface/markets.ts';
import {
  channelConstraintSchema,
  channelConstraintsSchema,
  checkBudget,
  constraintsFromFlags,
  InfeasibleConstraintError,
  resolveBounds,
  type SpendBounds,
} from './constraints.ts';
import { formatAmount } from './format.ts';
import { geoGroupRowSchema, groupingSchema, marketPartition, type GeoGroupRow, type Grouping, type MarketPartition } from './geo-groups.ts';

export const marketConstraintsSchema = z
  .object({
    /** Markets are geos, or the geos' countries or regions (from `geoGroups`). */
    grouping: groupingSchema.default('geo'),
    /** The geo groups (the `geo_groups` seed's rows); needed for a grouping other than 'geo'. */
    geoGroups: z.array(geoGroupRowSchema).default([]),
    /** Total spend per market, over its pairs. */
    markets: z.record(z.string(), channelConstraintSchema).default({}),
    /** Total spend per channel, over the markets. */
    channels: z.record(z.string(), channelConstraintSchema).default({}),
    /** Bounds per (geo, channel) pair, keyed `geo/channel`. */
    pairs: channelConstraintsSchema.default({}),
  })
  .strict();

export type MarketConstraints = z.input<typeof marketConstraintsSchema>;

/** Totals over a family of pair sets (markets or channels): spend bounds per member and the constraint behind each. */
export interface TotalBounds extends SpendBounds {
  /** `market`, `country`, `region` or `channel`: what a member is (messages name it). */
  kind: string;
  names: string[];
  /** Pair (series) indices of each member. */
  members: number[][];
  /** Current (historical) spend of each member. */
  current: Float64Array;
}

export interface MarketBounds {
  pairs: SpendBounds;
  partition: MarketPartition;
  markets: TotalBounds;
  channels: TotalBounds;
}

export class UnknownMarketError extends Error {
  constructor(
    readonly kind: string,
    readonly member: string,
    readonly known: readonly string[],
    readonly flag: string,
  ) {
    super(`unknown ${kind} '${member}' in ${flag}; the run's ${kind}s are ${known.map((m) => `'${m}'`).join(', ')}`);
    this.name = 'UnknownMarketError';
  }
}

export class NotByMarketError extends Error {
  constructor() {
    super('these curves are by channel, not by market (geo, channel): build the market components first');
    this.name = 'NotByMarketError';
  }
}

export const marketsOf = (curves: ResponseCurves): MarketIndex => {
  if (!curves.markets) throw new NotByMarketError();
  return curves.markets;
};

const kindOf = (grouping: Grouping): string => (grouping === 'geo' ? 'geo' : grouping);

/** Bounds per member of a family from `constraints`, within the sums of its pairs' bounds. */
function resolveTotals(
  kind: string,
  flag: string,
  names: string[],
  members: number[][],
  pairs: SpendBounds,
  historical: Float64Array,
  constraints: Record<string, z.infer<typeof channelConstraintSchema>>,
): TotalBounds {
  const sumOver = (values: Float64Array, set: number[]) => set.reduce((sum, p) => sum + values[p], 0);
  const totals: TotalBounds = {
    kind,
    names,
    members,
    current: Float64Array.from(members, (set) => sumOver(historical, set)),
    lower: Float64Array.from(members, (set) => sumOver(pairs.lower, set)),
    upper: Float64Array.from(members, (set) => sumOver(pairs.upper, set)),
    lowerReason: names.map((name) => `${name}: its pairs' minimums`),
    upperReason: names.map((name) => `${name}: its pairs' caps`),
  };
  for (const [name, constraint] of Object.entries(constraints)) {
    const m = names.indexOf(name);
    if (m < 0) throw new UnknownMarketError(kind, name, names, flag);
    const current = totals.current[m];
    const bounds: [number, string][] = [];
    const raise: [number, string][] = [];
    if (constraint.min !== undefined) raise.push([constraint.min, `min ${formatAmount(constraint.min)}`]);
    if (constraint.minRelative !== undefined)
      raise.push([
        constraint.minRelative * current,
        `min ${formatAmount(constraint.minRelative * 100)}% of current ${formatAmount(current)}`,
      ]);
    if (constraint.locked) raise.push([current, `locked at current ${formatAmount(current)}`]);
    if (constraint.max !== undefined) bounds.push([constraint.max, `max ${formatAmount(constraint.max)}`]);
    if (constraint.maxRelative !== undefined)
      bounds.push([
        constraint.maxRelative * current,
        `max ${formatAmount(constraint.maxRelative * 100)}% of current ${formatAmount(current)}`,
      ]);
    if (constraint.locked) bounds.push([current, `locked at current ${formatAmount(current)}`]);
    const pairsLower = totals.lower[m];
    const pairsUpper = totals.upper[m];
    for (const [value, reason] of raise) {
      if (value > pairsUpper * (1 + 1e-12)) {
        throw new InfeasibleConstraintError(`${kind} '${name}' cannot spend ${formatAmount(value)}`, [
          `${name}: ${reason} (${flag})`,
          `${totals.upperReason[m]} sum to ${formatAmount(pairsUpper)}`,
        ]);
      }
      if (value > totals.lower[m]) {
        totals.lower[m] = value;
        totals.lowerReason[m] = `${name}: ${reason} (${flag})`;
      }
    }
    for (const [value, reason] of bounds) {
      if (value < pairsLower * (1 - 1e-12)) {
        throw new InfeasibleConstraintError(`${kind} '${name}' cannot spend as little as ${formatAmount(value)}`, [
          `${name}: ${reason} (${flag})`,
          `${totals.lowerReason[m]} sum to ${formatAmount(pairsLower)}`,
        ]);
      }
      if (value < totals.upper[m]) {
        totals.upper[m] = value;
        totals.upperReason[m] = `${name}: ${reason} (${flag})`;
      }
    }
    if (totals.lower[m] > totals.upper[m] * (1 + 1e-12)) {
      throw new InfeasibleConstraintError(`${kind} '${name}' has no feasible total`, [totals.lowerReason[m], totals.upperReason[m]]);
    }
  }
  return totals;
}

/** Throws unless the family's totals admit `budget`, naming the totals that bind. */
function checkFamilyBudget(totals: TotalBounds, budget: number): void {
  const least = totals.lower.reduce((a, b) => a + b, 0);
  const most = totals.upper.reduce((a, b) => a + b, 0);
  if (budget < least * (1 - 1e-12)) {
    throw new InfeasibleConstraintError(
      `budget ${formatAmount(budget)} is below the ${formatAmount(least)} the ${totals.kind} minimums require`,
      totals.names.flatMap((_, m) => (totals.lower[m] > 0 ? [totals.lowerReason[m]] : [])),
    );
  }
  if (budget > most * (1 + 1e-12)) {
    throw new InfeasibleConstraintError(`budget ${formatAmount(budget)} exceeds the ${formatAmount(most)} the ${totals.kind}s can take`, [
      ...totals.upperReason,
    ]);
  }
}

/** The bounds of a plan by market at `budget`; refuses unknown names and totals that cannot be met. */
export function resolveMarketBounds(curves: ResponseCurves, constraints: MarketConstraints, budget: number): MarketBounds {
  const index = marketsOf(curves);
  const parsed = marketConstraintsSchema.parse(constraints);
  const pairs = resolveBounds(curves, parsed.pairs);
  checkBudget(curves, pairs, budget);
  const partition = marketPartition(index.geos, parsed.grouping, parsed.geoGroups);
  const marketOfPair = index.geoOf.map((g) => partition.marketOfGeo[g]);
  const markets = resolveTotals(
    kindOf(parsed.grouping),
    '--geo-min/--geo-max',
    partition.names,
    seriesByMember(marketOfPair, partition.names.length),
    pairs,
    curves.historicalSpend,
    parsed.markets,
  );
  const channels = resolveTotals(
    'channel',
    '--min/--max',
    [...index.channels],
    seriesByMember(index.channelOf, index.channels.length),
    pairs,
    curves.historicalSpend,
    parsed.channels,
  );
  checkFamilyBudget(markets, budget);
  checkFamilyBudget(channels, budget);
  return { pairs, partition, markets, channels };
}

/**
 * Constraints by market from command-line flags: `--geo-min/--geo-max MARKET=AMOUNT|PERCENT%` (a geo, or a group
 * under `--group`), `--min/--max/--lock` naming a channel (its total over the markets) or a `geo/channel` pair.
 */
export function marketConstraintsFromFlags(flags: {
  geoMin?: readonly string[];
  geoMax?: readonly string[];
  min?: readonly string[];
  max?: readonly string[];
  lock?: readonly string[];
  grouping?: Grouping;
  geoGroups?: GeoGroupRow[];
}): MarketConstraints {
  const markets = constraintsFromFlags({ min: flags.geoMin, max: flags.geoMax });
  const byName = constraintsFromFlags({ min: flags.min, max: flags.max, lock: flags.lock });
  const isPair = (name: string) => name.includes('/');
  return {
    grouping: flags.grouping ?? 'geo',
    geoGroups: flags.geoGroups ?? [],
    markets,
    channels: Object.fromEntries(Object.entries(byName).filter(([name]) => !isPair(name))),
    pairs: Object.fromEntries(Object.entries(byName).filter(([name]) => isPair(name))),
  };
}
