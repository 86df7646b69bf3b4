/**
 * Maximisation of sum_c table_c[u_c] + sum_p pair_p[u_c, u_d] subject to sum_c u_c = units: the
 * posterior-mean (or draw-weighted) objective of curves with synergy pairs (DESIGN.md section 4).
 *
 * Pairs that share no channel (the interaction graph is a matching: every connected component one pair or
 * one channel) are solved exactly on the grid: each pair is collapsed into one item whose table is
 *   T_p(b) = max_{u_c + u_d = b} table_c[u_c] + table_d[u_d] + pair_p[u_c, u_d]   (cost (U_c + 1)(U_d + 1)),
 * and the items and the remaining channels go through the separable DP (separable-dp.ts). Pairs that share a
 * channel with an earlier pair are left out of that DP; the plan it gives is then refined by coordinate
 * moves on the full objective: move s units from one channel to another while that gains, s halving from
 * units / 4 down to 1. That result is a local optimum under such moves, with no gap bound (exact = false).
 */
import { maximizeSeparable } from './separable-dp.ts';

export interface PairTable {
  channels: readonly [number, number];
  /** pair_p[u_c, u_d] = values[u_c * (U_d + 1) + u_d], U the channels' tables' last unit. */
  values: Float64Array;
}

export interface PairOptimum {
  units: Int32Array;
  /** True when the plan is the exact optimum on the grid (the pairs share no channel). */
  exact: boolean;
}

/** The full objective of a plan: sum_c table_c[u_c] + sum_p pair_p[u_c, u_d]. */
export function pairObjective(tables: readonly Float64Array[], pairs: readonly PairTable[], units: Int32Array): number {
  let total = 0;
  tables.forEach((table, c) => (total += table[units[c]]));
  for (const { channels, values } of pairs) total += values[units[channels[0]] * tables[channels[1]].length + units[channels[1]]];
  return total;
}

export function maximizeWithPairs(tables: readonly Float64Array[], pairs: readonly PairTable[], units: number): PairOptimum {
  const inPair = new Int32Array(tables.length).fill(-1);
  const collapsed: PairTable[] = [];
  for (const pair of pairs) {
    const [c, d] = pair.channels;
    if (inPair[c] >= 0 || inPair[d] >= 0) continue;
    inPair[c] = inPair[d] = collapsed.length;
    collapsed.push(pair);
  }
  // Items: each collapsed pair (its best split per total), then each channel in no collapsed pair.
  const itemTables: Float64Array[] = [];
  const splits: Int32Array[] = [];
  for (const { channels, values } of collapsed) {
    const [c, d] = channels;
    const width = tables[d].length;
    const top = tables[c].length - 1 + width - 1;
    const table = new Float64Array(top + 1).fill(-Infinity);
    const split = new Int32Array(top + 1);
    for (let uc = 0; uc < tables[c].length; uc++) {
      for (let ud = 0; ud < width; ud++) {
        const value = tables[c][uc] + tables[d][ud] + values[uc * width + ud];
        if (value > table[uc + ud]) {
          table[uc + ud] = value;
          split[uc + ud] = uc;
        }
      }
    }
    itemTables.push(table);
    splits.push(split);
  }
  const single = tables.map((_, c) => c).filter((c) => inPair[c] < 0);
  for (const c of single) itemTables.push(tables[c]);
  const itemUnits = maximizeSeparable(itemTables, units, { onlyTotal: true }).unitsFor(units);
  const plan = new Int32Array(tables.length);
  collapsed.forEach(({ channels }, p) => {
    plan[channels[0]] = splits[p][itemUnits[p]];
    plan[channels[1]] = itemUnits[p] - plan[channels[0]];
  });
  single.forEach((c, i) => (plan[c] = itemUnits[collapsed.length + i]));
  const exact = collapsed.length === pairs.length;
  if (!exact) refineByMoves(tables, pairs, plan, units);
  return { units: plan, exact };
}

/** Coordinate refinement in place: the best gaining move of s units between two channels, s halving to 1. */
function refineByMoves(tables: readonly Float64Array[], pairs: readonly PairTable[], plan: Int32Array, units: number): void {
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
}
