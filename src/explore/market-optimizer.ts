/**
 * The optimiser by market (DESIGN.md section 9, "Markets"): an allocation is spend per (geo, channel) pair,
 * and the objective is the posterior-mean calibrated outcome: a sum over pairs, plus with synergy pairs
 * (model.interactions) one term per geo and synergy pair between that geo's two pairs (its 2-D grid,
 * market-response-source.ts). On the spend grid (spend-grid.ts) every pair p takes u_p units and the plan
 * places all of them. A synergy term joins two pairs of one geo, so it lies within a market (a geo, or a group
 * of geos) and across two channels.
 *
 * - A total budget and bounds per pair only: the DP over pairs (separable-dp.ts; with synergy pairs the tree DP
 *   of pair-dp.ts over the geos' pairs, each geo's synergy pairs a forest when the model's are) is exact on the grid.
 * - Totals of one family as well (per market, or per channel without synergy pairs): a DP over each member's
 *   pairs gives the member's best value for every total it may take (the tree DP with synergy pairs, which
 *   stay within a market), and a DP over the members places the budget; exact.
 * - Totals per market AND per channel, or per channel with synergy pairs (whose terms join channels): not
 *   separable by channel. Lagrangian relaxation of the channel totals lo_r <= U_r <= hi_r with multipliers
 *   lambda_r (free sign) leaves the DPs above (over markets when their totals bind, else over all pairs) on
 *   tables t_p[u] - lambda_r(p) u, the synergy terms unchanged, and
 *     D(lambda) = max_u sum_p (t_p[u_p] - lambda_r(p) u_p) + sum_q s_q + sum_r lambda_r (hi_r if lambda_r > 0 else lo_r)
 *   bounds the best plan's value from above for every lambda (weak duality). D is convex; it is minimised by
 *   subgradient steps of Polyak's length (the subgradient is hi_r - U_r, lo_r - U_r, or 0 inside [lo_r, hi_r]
 *   at lambda_r = 0). Each relaxed plan is made feasible by moving units between channels within a market, the
 *   move losing least value (synergy terms included) first, which keeps the market totals; the best feasible
 *   plan found is the answer, and (min D - its value) / its value the reported optimality gap (Fisher 1981;
 *   Bertsekas, Nonlinear Programming, 6.3). Both are on the grid: the gap bounds how far any plan on the grid
 *   could do better. With synergy pairs the best feasible plan is then polished by one-unit moves between pairs
 *   that keep every total in range, the best gaining move first, until none gains (polish).
 * - Synergy pairs forming a cycle: each DP above runs on a spanning forest with the pairs closing a cycle
 *   bounded by their largest value (pair-dp.ts, maximizeWithPairsUpTo), so its value is an upper bound and its
 *   plan, polished as above, is scored by the full objective; the gap reported is that bound (or min D) less the
 *   plan's value.
 */
import type { CalibratedCurves } from '../surface/calibration.ts';
import { currentMixAt } from './allocation.ts';
import { InfeasibleConstraintError } from './constraints.ts';
import { resolveMarketBounds, type MarketBounds, type MarketConstraints, type TotalBounds } from './market-constraints.ts';
import { MEAN_OBJECTIVE } from './objective.ts';
import { meanTables, pairTables, planOf, type Plan } from './optimizer.ts';
import { maximizeWithPairsUpTo, pairObjective, type PairTable } from './pair-dp.ts';
import { maximizeSeparable } from './separable-dp.ts';
import { budgetGrid, spendOfUnits, type SpendGrid } from './spend-grid.ts';

export interface MarketOptimizeRequest {
  /** Total budget over the window; default the historical total. */
  budget?: number;
  constraints?: MarketConstraints;
  /** Steps the free budget is divided into; default max(1,000, 10 x pairs). */
  gridUnits?: number;
  /** Dual iterations at most (Lagrangian case). */
  maxIterations?: number;
  /** Stop once the relative gap is at most this. */
  gapTolerance?: number;
}

export interface MarketOptimum {
  budget: number;
  /**
   * `dp`: exact on the grid (unless synergy pairs form a cycle: then with its gap); `lagrangian`: market and
   * channel totals together, or channel totals with synergy pairs, with its gap.
   */
  method: 'dp' | 'lagrangian';
  plan: Plan;
  /** The current mix of every pair scaled to the same budget. */
  current: Plan;
  /** Posterior-mean calibrated paid-media outcome of the plan (the objective on the grid). */
  paidMedia: number;
  /** Upper bound on the paid-media outcome of any plan on the grid (equal to paidMedia when exact). */
  bound: number;
  /** (bound - paidMedia) / paidMedia: how much better any plan on the grid could be, at most. */
  gap: number;
  /** Outcome per unit of currency of loosening each channel's total (the final multipliers; 0 when not binding). */
  channelPrices: Float64Array;
  iterations: number;
  gridStep: number;
  bounds: MarketBounds;
}

/** A family of totals on the grid: member of each pair, and unit bounds per member. */
interface UnitFamily {
  memberOf: Int32Array;
  members: number[][];
  lo: Int32Array;
  hi: Int32Array;
}

/** Member spend S = sum base + direction x step x U; the unit range [lo, hi] keeping S within the member's bounds. */
function unitFamily(totals: TotalBounds, grid: SpendGrid): UnitFamily {
  const memberOf = new Int32Array(grid.base.length);
  totals.members.forEach((set, m) => set.forEach((p) => (memberOf[p] = m)));
  const lo = new Int32Array(totals.members.length);
  const hi = new Int32Array(totals.members.length);
  totals.members.forEach((set, m) => {
    const base = set.reduce((sum, p) => sum + grid.base[p], 0);
    const capacity = Math.min(
      grid.units,
      set.reduce((sum, p) => sum + grid.maxUnits[p], 0),
    );
    if (grid.step === 0) {
      hi[m] = capacity;
      return;
    }
    const toward = (spend: number) => (grid.direction * (spend - base)) / grid.step;
    const [a, b] = [toward(totals.lower[m]), toward(totals.upper[m])];
    lo[m] = Math.max(0, Math.ceil(Math.min(a, b) - 1e-9));
    hi[m] = Math.min(capacity, Math.floor(Math.max(a, b) + 1e-9));
  });
  return { memberOf, members: totals.members, lo, hi };
}

/** True when some member's unit range is narrower than what its pairs can take anyway. */
function active(family: UnitFamily, grid: SpendGrid): boolean {
  return family.members.some((set, m) => {
    const capacity = Math.min(
      grid.units,
      set.reduce((sum, p) => sum + grid.maxUnits[p], 0),
    );
    return family.lo[m] > 0 || family.hi[m] < capacity;
  });
}

/** The synergy pairs whose two pairs both lie in `set`, on the set's own indices (its tables in set order). */
function pairsWithin(pairs: readonly PairTable[], set: readonly number[]): PairTable[] {
  const local = new Map(set.map((p, i) => [p, i]));
  return pairs.flatMap(({ channels: [c, d], values }) => {
    const [a, b] = [local.get(c), local.get(d)];
    return a !== undefined && b !== undefined ? [{ channels: [a, b] as const, values }] : [];
  });
}

/**
 * The best plan of tables t_p - price_{r(p)} u and the synergy pairs placing `units` units with each member
 * of `kept` (when given; synergy pairs must lie within its members) within its unit range: a DP over each
 * member's pairs, then over the members. `value` is the DPs' optimum, an upper bound on the best plan's value
 * when synergy pairs form a cycle. Null when no plan exists.
 */
function bestWithin(
  tables: readonly Float64Array[],
  pairs: readonly PairTable[],
  units: number,
  kept: UnitFamily | null,
): { units: Int32Array; value: number } | null {
  if (!kept) {
    const optimum = maximizeWithPairsUpTo(tables, pairs, units, { onlyTotal: true });
    return optimum.best[units] > -Infinity ? { units: optimum.unitsFor(units), value: optimum.best[units] } : null;
  }
  const inner = kept.members.map((set, m) => {
    const capacity = Math.min(
      kept.hi[m],
      set.reduce((sum, p) => sum + tables[p].length - 1, 0),
    );
    const optimum = maximizeWithPairsUpTo(
      set.map((p) => tables[p]),
      pairsWithin(pairs, set),
      capacity,
    );
    const table = Float64Array.from(optimum.best);
    table.fill(-Infinity, 0, Math.min(kept.lo[m], table.length));
    return { optimum, table };
  });
  const outer = maximizeSeparable(
    inner.map((i) => i.table),
    units,
    { onlyTotal: true },
  );
  if (!(outer.best[units] > -Infinity)) return null;
  const totals = outer.unitsFor(units);
  const result = new Int32Array(tables.length);
  kept.members.forEach((set, m) => {
    const pairUnits = inner[m].optimum.unitsFor(totals[m]);
    set.forEach((p, i) => (result[p] = pairUnits[i]));
  });
  return { units: result, value: outer.best[units] };
}

const familyTotals = (family: UnitFamily, units: Int32Array): Int32Array => {
  const totals = new Int32Array(family.members.length);
  units.forEach((u, p) => (totals[family.memberOf[p]] += u));
  return totals;
};

/**
 * The change in cost (value lost) of moving one unit from pair p to pair q of `units` (which it reads as it
 * changes): the tables' steps and every synergy term of p or q (a term joining them counted once); Infinity
 * when q has no unit left.
 */
function unitMoves(tables: readonly Float64Array[], pairs: readonly PairTable[], units: Int32Array): (p: number, q: number) => number {
  const touching: PairTable[][] = tables.map(() => []);
  for (const pair of pairs) pair.channels.forEach((p) => touching[p].push(pair));
  const termOf = ({ channels: [c, d], values }: PairTable) => values[units[c] * tables[d].length + units[d]];
  const termsOf = (p: number, q: number): number => {
    let sum = 0;
    for (const pair of touching[p]) sum += termOf(pair);
    for (const pair of touching[q]) if (!pair.channels.includes(p)) sum += termOf(pair);
    return sum;
  };
  const termsChange = (p: number, q: number): number => {
    if (touching[p].length === 0 && touching[q].length === 0) return 0;
    const before = termsOf(p, q);
    units[p]--;
    units[q]++;
    const after = termsOf(p, q);
    units[p]++;
    units[q]--;
    return after - before;
  };
  return (p, q) => {
    if (units[q] + 1 >= tables[q].length) return Infinity;
    const loss = tables[p][units[p]] - tables[p][units[p] - 1];
    const gain = tables[q][units[q] + 1] - tables[q][units[q]];
    return loss - gain - termsChange(p, q);
  };
}

/**
 * Moves units between pairs of the same kept member (so its totals stay) and different relaxed members until
 * every relaxed total lies in its range, each move the one losing least value (tables and synergy terms). Null
 * when stuck.
 */
function repair(
  tables: readonly Float64Array[],
  pairs: readonly PairTable[],
  start: Int32Array,
  kept: UnitFamily | null,
  relaxed: UnitFamily,
): Int32Array | null {
  const units = Int32Array.from(start);
  const totals = familyTotals(relaxed, units);
  const moveCost = unitMoves(tables, pairs, units);
  const sameKept = (p: number, q: number) => !kept || kept.memberOf[p] === kept.memberOf[q];
  const limit = units.reduce((a, b) => a + b, 0) * 4 + 16;
  for (let step = 0; step < limit; step++) {
    const over = relaxed.members.findIndex((_, r) => totals[r] > relaxed.hi[r]);
    const under = over >= 0 ? -1 : relaxed.members.findIndex((_, r) => totals[r] < relaxed.lo[r]);
    if (over < 0 && under < 0) return units;
    let best: [number, number] | null = null;
    let bestCost = Infinity;
    // From a pair of the over-full member to any pair whose member has room; or into the short member from one with slack.
    const sources =
      over >= 0
        ? relaxed.members[over]
        : units.map((_, p) => p).filter((p) => totals[relaxed.memberOf[p]] > relaxed.lo[relaxed.memberOf[p]]);
    const targets = over >= 0 ? null : relaxed.members[under];
    for (const p of sources) {
      if (units[p] === 0 || (over < 0 && relaxed.memberOf[p] === under)) continue;
      const candidates = targets ?? units.map((_, q) => q);
      for (const q of candidates) {
        const r = relaxed.memberOf[q];
        if (r === relaxed.memberOf[p] || !sameKept(p, q)) continue;
        if (over >= 0 && totals[r] >= relaxed.hi[r]) continue;
        const cost = moveCost(p, q);
        if (cost < bestCost) {
          bestCost = cost;
          best = [p, q];
        }
      }
    }
    if (!best || bestCost === Infinity) return null;
    const [p, q] = best;
    units[p]--;
    units[q]++;
    totals[relaxed.memberOf[p]]--;
    totals[relaxed.memberOf[q]]++;
  }
  return null;
}

/**
 * A feasible plan improved in place by the best gaining one-unit move between two pairs that keeps every total
 * of `families` in its range, until none gains: with synergy pairs the relaxed DPs price channels but their
 * plans' repair moves see the terms one unit at a time, so a few moves often gain more.
 */
function polish(tables: readonly Float64Array[], pairs: readonly PairTable[], units: Int32Array, families: readonly UnitFamily[]): void {
  const moveCost = unitMoves(tables, pairs, units);
  const totals = families.map((family) => familyTotals(family, units));
  const keeps = (p: number, q: number) =>
    families.every((family, i) => {
      const [a, b] = [family.memberOf[p], family.memberOf[q]];
      return a === b || (totals[i][a] > family.lo[a] && totals[i][b] < family.hi[b]);
    });
  // A gain below rounding of the objective is no gain: it would let moves cycle.
  const least = 1e-12 * Math.abs(pairObjective(tables, pairs, units));
  const limit = units.reduce((a, b) => a + b, 0) * 4 + 16;
  for (let step = 0; step < limit; step++) {
    let best: [number, number] | null = null;
    let bestCost = -least;
    for (let p = 0; p < units.length; p++) {
      if (units[p] === 0) continue;
      for (let q = 0; q < units.length; q++) {
        if (q === p || !keeps(p, q)) continue;
        const cost = moveCost(p, q);
        if (cost < bestCost) {
          bestCost = cost;
          best = [p, q];
        }
      }
    }
    if (!best) return;
    const [p, q] = best;
    units[p]--;
    units[q]++;
    families.forEach((family, i) => {
      totals[i][family.memberOf[p]]--;
      totals[i][family.memberOf[q]]++;
    });
  }
}

/** Spend per pair maximising the posterior-mean outcome at the budget within the market constraints (see above). */
export function optimizeMarkets(run: CalibratedCurves, request: MarketOptimizeRequest = {}): MarketOptimum {
  const { curves } = run;
  const budget = request.budget ?? curves.totalHistoricalSpend;
  const bounds = resolveMarketBounds(curves, request.constraints ?? {}, budget);
  const series = curves.channels.length;
  const grid = budgetGrid(bounds.pairs, budget, Math.max(request.gridUnits ?? Math.max(1000, 10 * series), series));
  const tables = meanTables(run, grid);
  const pairs = pairTables(run, grid, curves.mean, run.calibration.factor);
  const valueOf = (units: Int32Array) => pairObjective(tables, pairs, units);
  const markets = unitFamily(bounds.markets, grid);
  const channels = unitFamily(bounds.channels, grid);
  const marketsActive = active(markets, grid);
  const channelsActive = active(channels, grid);
  const infeasible = () =>
    new InfeasibleConstraintError(`no allocation on the spend grid meets the ${bounds.markets.kind} and channel totals together`, [
      ...bounds.markets.names.flatMap((_, m) =>
        markets.lo[m] > 0 || markets.hi[m] < grid.units ? [bounds.markets.lowerReason[m], bounds.markets.upperReason[m]] : [],
      ),
      ...bounds.channels.names.flatMap((_, r) =>
        channels.lo[r] > 0 || channels.hi[r] < grid.units ? [bounds.channels.lowerReason[r], bounds.channels.upperReason[r]] : [],
      ),
    ]);

  const finish = (
    units: Int32Array,
    bound: number,
    method: MarketOptimum['method'],
    iterations: number,
    prices: Float64Array,
  ): MarketOptimum => {
    const paidMedia = valueOf(units);
    const spend = spendOfUnits(grid, units);
    return {
      budget,
      method,
      plan: planOf(run, MEAN_OBJECTIVE, spend),
      current: planOf(run, MEAN_OBJECTIVE, currentMixAt(curves, budget)),
      paidMedia,
      bound: Math.max(bound, paidMedia),
      gap: Math.max(0, bound - paidMedia) / Math.abs(paidMedia),
      channelPrices: prices,
      iterations,
      gridStep: grid.step,
      bounds,
    };
  };

  // Synergy terms join channels, so channel totals then go through the Lagrangian (markets kept when they bind).
  if (!channelsActive || (!marketsActive && pairs.length === 0)) {
    const kept = marketsActive ? markets : channelsActive ? channels : null;
    const found = bestWithin(tables, pairs, grid.units, kept);
    if (!found) throw infeasible();
    // Exact over a forest (no move gains); with a cycle the relaxed DP's plan is polished under the whole objective.
    if (pairs.length > 0) polish(tables, pairs, found.units, kept ? [kept] : []);
    return finish(found.units, found.value, 'dp', 1, new Float64Array(bounds.channels.names.length));
  }

  const maxIterations = request.maxIterations ?? 200;
  const tolerance = request.gapTolerance ?? 1e-4;
  const nRelaxed = channels.members.length;
  const lambda = new Float64Array(nRelaxed);
  let bestPrimal: Int32Array | null = null;
  let bestPrimalValue = -Infinity;
  let bestDual = Infinity;
  let bestLambda = Float64Array.from(lambda);
  let theta = 1;
  let sinceImprovement = 0;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const adjusted = tables.map((table, p) => {
      const price = lambda[channels.memberOf[p]];
      return price === 0 ? table : table.map((v, u) => v - price * u);
    });
    const relaxedPlan = bestWithin(adjusted, pairs, grid.units, marketsActive ? markets : null);
    if (!relaxedPlan) throw infeasible();
    const totals = familyTotals(channels, relaxedPlan.units);
    let dual = relaxedPlan.value;
    const subgradient = new Float64Array(nRelaxed);
    for (let r = 0; r < nRelaxed; r++) {
      dual += lambda[r] * (lambda[r] > 0 ? channels.hi[r] : channels.lo[r]);
      const U = totals[r];
      subgradient[r] =
        lambda[r] > 0
          ? channels.hi[r] - U
          : lambda[r] < 0
            ? channels.lo[r] - U
            : U > channels.hi[r]
              ? channels.hi[r] - U
              : U < channels.lo[r]
                ? channels.lo[r] - U
                : 0;
    }
    if (dual < bestDual - 1e-12 * Math.abs(dual)) {
      bestDual = dual;
      bestLambda = Float64Array.from(lambda);
      sinceImprovement = 0;
    } else if (++sinceImprovement >= 5) {
      theta /= 2;
      sinceImprovement = 0;
    }
    const feasible = repair(tables, pairs, relaxedPlan.units, marketsActive ? markets : null, channels);
    if (feasible) {
      const value = valueOf(feasible);
      if (value > bestPrimalValue) {
        bestPrimalValue = value;
        bestPrimal = feasible;
      }
    }
    const norm = subgradient.reduce((sum, g) => sum + g * g, 0);
    if (norm === 0 || (bestPrimal && bestDual - bestPrimalValue <= tolerance * Math.abs(bestPrimalValue)) || theta < 1e-6) {
      iterations++;
      break;
    }
    const target = bestPrimal ? bestPrimalValue : dual - 0.05 * Math.abs(dual);
    const stepLength = (theta * Math.max(dual - target, 1e-12 * Math.abs(dual))) / norm;
    for (let r = 0; r < nRelaxed; r++) lambda[r] -= stepLength * subgradient[r];
  }
  if (!bestPrimal) throw infeasible();
  if (pairs.length > 0) polish(tables, pairs, bestPrimal, marketsActive ? [markets, channels] : [channels]);
  const perCurrency = grid.step > 0 ? bestLambda.map((l) => (grid.direction * l) / grid.step) : new Float64Array(nRelaxed);
  return finish(bestPrimal, bestDual, 'lagrangian', iterations, perCurrency);
}
