/**
 * Maximisation of sum_c table_c[u_c] + sum_p pair_p[u_c, u_d] subject to sum_c u_c = units: the
 * posterior-mean (or draw-weighted) objective of curves with synergy pairs (DESIGN.md section 4).
 *
 * The interaction graph has the channels as nodes and the pairs as edges. Where it is a forest the grid
 * optimum is found exactly by dynamic programming over each tree, rooted anywhere: with F_v(u, r) the best
 * value of v's subtree when v takes u units and its descendants r units, children w are merged one by one,
 *   G_w(u, s) = max_{u_w + r_w = s} F_w(u_w, r_w) + pair_vw[u, u_w]          (w's subtree takes s units),
 *   F_v(u, r) <- max_{r' + s = r} F_v(u, r') + G_w(u, s)                      (knapsack convolution over budget),
 * from F_v(u, 0) = table_v[u]. A tree's table T(b) = max_{u + r = b} F_root(u, r) is then one item of the
 * separable DP over trees (separable-dp.ts), a channel in no pair being a tree of one node. A merge costs
 * (U_v + 1)(r + 1)(s + 1) at most, O(units^3 / 6) on a full grid; a pair whose one channel is a leaf costs
 * (U_v + 1)(U_w + 1), so pairs sharing no channel cost what collapsing each pair into one item did.
 *
 * A graph with cycles: the pairs closing a cycle (those joining channels a spanning forest already connects)
 * are left out of the tree DP. Three tree DPs run on the spanning forest: one without those pairs, and two
 * with each such pair bounded by its largest value over the other channel's feasible units added to one of
 * its channels, table_c[u] + max_{u_d <= units - u} pair[u, u_d] >= table_c[u] + pair[u, u_d] (all on the
 * first channels, then all on the second); each relaxation's optimum is an upper bound on the grid optimum.
 * The best of the three plans under the full objective is refined by coordinate moves (s units from one
 * channel to another while that gains, s halving from units / 4 down to 1), and the gap reported is the
 * smaller upper bound minus the refined plan's value: the plan is at most `gap` below the grid optimum.
 */
import { maximizeSeparable, type SeparableOptimum } from './separable-dp.ts';

export interface PairTable {
  channels: readonly [number, number];
  /** pair_p[u_c, u_d] = values[u_c * (U_d + 1) + u_d], U the channels' tables' last unit. */
  values: Float64Array;
}

export interface PairOptimum {
  units: Int32Array;
  /** True when the plan is the exact optimum on the grid (the interaction graph is a forest, or the gap closed). */
  exact: boolean;
  /** Upper bound on (grid optimum - the plan's objective); 0 when exact. */
  gap: number;
}

/** The full objective of a plan: sum_c table_c[u_c] + sum_p pair_p[u_c, u_d]. */
export function pairObjective(tables: readonly Float64Array[], pairs: readonly PairTable[], units: Int32Array): number {
  let total = 0;
  tables.forEach((table, c) => (total += table[units[c]]));
  for (const { channels, values } of pairs) total += values[units[channels[0]] * tables[channels[1]].length + units[channels[1]]];
  return total;
}

/** The pairs split into a spanning forest of the interaction graph and the pairs that close a cycle. */
export function spanningForest(channels: number, pairs: readonly PairTable[]): { tree: PairTable[]; cycle: PairTable[] } {
  const parent = Int32Array.from({ length: channels }, (_, c) => c);
  const root = (c: number): number => {
    while (parent[c] !== c) c = parent[c] = parent[parent[c]];
    return c;
  };
  const tree: PairTable[] = [];
  const cycle: PairTable[] = [];
  for (const pair of pairs) {
    const [a, b] = pair.channels.map(root);
    if (a === b) cycle.push(pair);
    else {
      parent[a] = b;
      tree.push(pair);
    }
  }
  return { tree, cycle };
}

/** One child merged into a node's table: what the plan's reconstruction needs. */
interface Merge {
  child: number;
  /** Units the child's subtree can take, at most. */
  span: number;
  /** The node's descendants' units, at most, after this merge (the width of `split` is reach + 1). */
  reach: number;
  /** u_w of the child at (u, s): pick[u * (span + 1) + s]. */
  pick: Int32Array;
  /** s given to the child's subtree at (u, r): split[u * (reach + 1) + r]. */
  split: Int32Array;
}

/** F_v(u, r) of a solved subtree: value[u * (reach + 1) + r], -Infinity where u + r exceeds the units. */
interface Subtree {
  value: Float64Array;
  reach: number;
  merges: Merge[];
}

/**
 * The exact grid optima of sum_c table_c[u_c] + sum_p pair_p[u_c, u_d] over the forest `pairs` (no cycle):
 * best[b] for every b up to `units` (with `onlyTotal`, b = units alone) and a plan for each.
 */
export function maximizeOverForest(
  tables: readonly Float64Array[],
  pairs: readonly PairTable[],
  units: number,
  options: { onlyTotal?: boolean } = {},
): SeparableOptimum {
  const C = tables.length;
  if (spanningForest(C, pairs).cycle.length > 0) throw new RangeError('the synergy pairs form a cycle: the tree DP needs a forest');
  const neighbours: { to: number; pair: PairTable }[][] = tables.map(() => []);
  for (const pair of pairs) {
    const [c, d] = pair.channels;
    neighbours[c].push({ to: d, pair });
    neighbours[d].push({ to: c, pair });
  }
  const last = (c: number) => Math.min(tables[c].length - 1, units);
  const subtrees: Subtree[] = new Array(C);
  const roots: number[] = [];
  const seen = new Uint8Array(C);
  for (let start = 0; start < C; start++) {
    if (seen[start]) continue;
    roots.push(start);
    // Depth-first order from the root; children are solved before their parent (reverse order).
    const order: { node: number; parent: number; pair: PairTable | null }[] = [];
    const stack = [{ node: start, parent: -1, pair: null as PairTable | null }];
    seen[start] = 1;
    while (stack.length > 0) {
      const item = stack.pop()!;
      order.push(item);
      for (const { to, pair } of neighbours[item.node]) {
        if (seen[to]) continue;
        seen[to] = 1;
        stack.push({ node: to, parent: item.node, pair });
      }
    }
    const childrenOf = new Map<number, { node: number; pair: PairTable }[]>();
    for (const { node, parent, pair } of order) {
      if (parent >= 0) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), { node, pair: pair! }]);
    }
    for (let i = order.length - 1; i >= 0; i--) {
      const v = order[i].node;
      subtrees[v] = solveSubtree(v, childrenOf.get(v) ?? [], tables, subtrees, last, units);
    }
  }
  // Each tree is one item of the separable DP: T(b) = max_{u + r = b} F_root(u, r).
  const rootPick: Int32Array[] = [];
  const items = roots.map((root) => {
    const { value, reach } = subtrees[root];
    const U = last(root);
    const table = new Float64Array(Math.min(units, U + reach) + 1).fill(-Infinity);
    const pick = new Int32Array(table.length);
    for (let u = 0; u <= U; u++) {
      for (let r = 0; r <= reach && u + r <= units; r++) {
        const candidate = value[u * (reach + 1) + r];
        if (candidate > table[u + r]) {
          table[u + r] = candidate;
          pick[u + r] = u;
        }
      }
    }
    rootPick.push(pick);
    return table;
  });
  const separable = maximizeSeparable(items, units, options);
  const place = (plan: Int32Array, v: number, u: number, rest: number): void => {
    plan[v] = u;
    const { merges } = subtrees[v];
    for (let k = merges.length - 1; k >= 0; k--) {
      const { child, span, reach, pick, split } = merges[k];
      const s = split[u * (reach + 1) + rest];
      rest -= s;
      const uChild = pick[u * (span + 1) + s];
      place(plan, child, uChild, s - uChild);
    }
  };
  return {
    best: separable.best,
    unitsFor(b: number): Int32Array {
      const itemUnits = separable.unitsFor(b);
      const plan = new Int32Array(C);
      roots.forEach((root, i) => {
        const total = itemUnits[i];
        place(plan, root, rootPick[i][total], total - rootPick[i][total]);
      });
      return plan;
    },
  };
}

/** F_v of node v from its children's solved subtrees (see the module comment). */
function solveSubtree(
  v: number,
  children: readonly { node: number; pair: PairTable }[],
  tables: readonly Float64Array[],
  subtrees: readonly Subtree[],
  last: (c: number) => number,
  units: number,
): Subtree {
  const U = last(v);
  let reach = 0;
  let value = Float64Array.from({ length: U + 1 }, (_, u) => tables[v][u]);
  const merges: Merge[] = [];
  for (const { node: w, pair } of children) {
    const child = subtrees[w];
    const Uw = last(w);
    const span = Math.min(units, Uw + child.reach);
    // pair[u_v, u_w] whichever way round the pair names the two channels.
    const width = tables[pair.channels[1]].length;
    const vFirst = pair.channels[0] === v;
    const strideV = vFirst ? width : 1;
    const strideW = vFirst ? 1 : width;
    const G = new Float64Array((U + 1) * (span + 1)).fill(-Infinity);
    const pick = new Int32Array(G.length);
    const childWidth = child.reach + 1;
    const childValue = child.value;
    const pairValues = pair.values;
    const childReach = child.reach;
    for (let u = 0; u <= U; u++) {
      const rowV = u * strideV;
      const topS = Math.min(span, units - u);
      for (let s = 0; s <= topS; s++) {
        let best = -Infinity;
        let bestU = 0;
        const lowU = Math.max(0, s - childReach);
        const highU = Math.min(Uw, s);
        for (let uw = lowU; uw <= highU; uw++) {
          const candidate = childValue[uw * childWidth + s - uw] + pairValues[rowV + uw * strideW];
          if (candidate > best) {
            best = candidate;
            bestU = uw;
          }
        }
        G[u * (span + 1) + s] = best;
        pick[u * (span + 1) + s] = bestU;
      }
    }
    const nextReach = Math.min(units, reach + span);
    const next = new Float64Array((U + 1) * (nextReach + 1)).fill(-Infinity);
    const split = new Int32Array(next.length);
    const previous = value;
    for (let u = 0; u <= U; u++) {
      const at = u * (reach + 1);
      const gAt = u * (span + 1);
      const topR = Math.min(nextReach, units - u);
      for (let r = 0; r <= topR; r++) {
        let best = -Infinity;
        let bestS = 0;
        const highS = Math.min(span, r);
        for (let s = Math.max(0, r - reach); s <= highS; s++) {
          const candidate = previous[at + r - s] + G[gAt + s];
          if (candidate > best) {
            best = candidate;
            bestS = s;
          }
        }
        next[u * (nextReach + 1) + r] = best;
        split[u * (nextReach + 1) + r] = bestS;
      }
    }
    merges.push({ child: w, span, reach: nextReach, pick, split });
    value = next;
    reach = nextReach;
  }
  return { value, reach, merges };
}

/**
 * The tables with each pair of `cycle` bounded by its largest value over the other channel's feasible units
 * and added to its channel `side` (0: its first, 1: its second): table_c[u] + max_{u_d <= units - u} pair[u, u_d].
 */
function cycleBoundTables(tables: readonly Float64Array[], cycle: readonly PairTable[], units: number, side: 0 | 1): Float64Array[] {
  const bounded = tables.map((table) => Float64Array.from(table));
  for (const { channels, values } of cycle) {
    const width = tables[channels[1]].length;
    const kept = channels[side];
    const other = channels[1 - side];
    for (let u = 0; u < tables[kept].length; u++) {
      let most = -Infinity;
      for (let v = 0; v <= Math.min(tables[other].length - 1, units - u); v++) {
        most = Math.max(most, values[side === 0 ? u * width + v : v * width + u]);
      }
      bounded[kept][u] += most;
    }
  }
  return bounded;
}

/**
 * The grid optima of sum_c table_c[u_c] + sum_p pair_p[u_c, u_d] for every total b up to `units` (with
 * `onlyTotal`, b = units alone) and a plan for each: the separable DP without pairs, the tree DP over a
 * forest (both exact), and with a cycle the tree DP over the spanning forest with each pair closing a cycle
 * bounded on its first channel (cycleBoundTables), whose best[b] are then upper bounds and whose plans are
 * not optimal (`exact` false: score them with pairObjective). The optimiser by market's DP per market.
 */
export function maximizeWithPairsUpTo(
  tables: readonly Float64Array[],
  pairs: readonly PairTable[],
  units: number,
  options: { onlyTotal?: boolean } = {},
): SeparableOptimum & { exact: boolean } {
  if (pairs.length === 0) return { ...maximizeSeparable(tables, units, options), exact: true };
  const { tree, cycle } = spanningForest(tables.length, pairs);
  if (cycle.length === 0) return { ...maximizeOverForest(tables, tree, units, options), exact: true };
  return { ...maximizeOverForest(cycleBoundTables(tables, cycle, units, 0), tree, units, options), exact: false };
}

export function maximizeWithPairs(tables: readonly Float64Array[], pairs: readonly PairTable[], units: number): PairOptimum {
  const { tree, cycle } = spanningForest(tables.length, pairs);
  const forest = maximizeOverForest(tables, tree, units, { onlyTotal: true }).unitsFor(units);
  if (cycle.length === 0) return { units: forest, exact: true, gap: 0 };
  // Each pair closing a cycle bounded by its largest value over the other channel's feasible units, added to
  // one of its channels: an upper bound on the optimum for either choice, so the smaller of the two is kept.
  const relaxations = ([0, 1] as const).map((side) => {
    const relaxed = maximizeOverForest(cycleBoundTables(tables, cycle, units, side), tree, units, { onlyTotal: true });
    return { bound: relaxed.best[units], plan: relaxed.unitsFor(units) };
  });
  const plan = [forest, ...relaxations.map((r) => r.plan)].reduce((best, candidate) =>
    pairObjective(tables, pairs, candidate) > pairObjective(tables, pairs, best) ? candidate : best,
  );
  const value = refineByMoves(tables, pairs, plan, units);
  const bound = Math.min(...relaxations.map((r) => r.bound));
  // Below rounding (the two values are summed in different orders) the bound has closed.
  const gap = bound - value > 1e-12 * Math.abs(value) ? bound - value : 0;
  return { units: plan, exact: gap === 0, gap };
}

/** Coordinate refinement in place: the best gaining move of s units between two channels, s halving to 1; returns the plan's objective. */
function refineByMoves(tables: readonly Float64Array[], pairs: readonly PairTable[], plan: Int32Array, units: number): number {
  let value = pairObjective(tables, pairs, plan);
  for (let s = Math.max(1, Math.floor(units / 4)); s >= 1; s = Math.floor(s / 2)) {
    for (;;) {
      let best = { gain: 0, from: -1, to: -1 };
      for (let from = 0; from < tables.length; from++) {
        if (plan[from] < s) continue;
        for (let to = 0; to < tables.length; to++) {
          if (to === from || plan[to] + s >= tables[to].length) continue;
          plan[from] -= s;
          plan[to] += s;
          const gain = pairObjective(tables, pairs, plan) - value;
          plan[from] += s;
          plan[to] -= s;
          if (gain > best.gain) best = { gain, from, to };
        }
      }
      if (best.from < 0) break;
      plan[best.from] -= s;
      plan[best.to] += s;
      value += best.gain;
    }
    if (s === 1) break;
  }
  // Summed afresh: the running sum of gains carries their rounding.
  return pairObjective(tables, pairs, plan);
}
