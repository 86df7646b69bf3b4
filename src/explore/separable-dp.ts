/**
 * Exact maximisation of a separable objective sum_c table_c[u_c] subject to sum_c u_c = b, for every
 * b up to `units` at once, by dynamic programming over channels:
 * V_c(b) = max_{0 <= u <= min(b, U_c)} V_{c-1}(b - u) + table_c[u], V_{-1}(0) = 0, V_{-1}(b > 0) = -inf.
 * Cost sum_c units x U_c; no concavity is assumed, so S-shaped curves are handled exactly.
 */

export interface SeparableOptimum {
  /** best[b] = V(b), -Infinity where b units cannot be placed (or, with `onlyTotal`, for every b but `units`). */
  best: Float64Array;
  /** Units per channel of an optimal plan placing b units (ties go to fewer units on later channels). */
  unitsFor(b: number): Int32Array;
}

/**
 * `onlyTotal`: the caller wants the plan placing exactly `units` and nothing else, so the last channel's
 * layer is evaluated at b = units alone (its cost falls from units x U_c to U_c); the plan is the same.
 */
export function maximizeSeparable(tables: readonly Float64Array[], units: number, options: { onlyTotal?: boolean } = {}): SeparableOptimum {
  let previous = new Float64Array(units + 1).fill(-Infinity);
  previous[0] = 0;
  // Largest b with V_{c-1}(b) > -Infinity: the channels so far cannot place more than the sum of their ranges.
  let reach = 0;
  const choices: Int32Array[] = [];
  for (let c = 0; c < tables.length; c++) {
    const table = tables[c];
    const prior = previous;
    const next = new Float64Array(units + 1).fill(-Infinity);
    const choice = new Int32Array(units + 1);
    const maxU = table.length - 1;
    const from = options.onlyTotal && c === tables.length - 1 ? units : 0;
    for (let b = from; b <= units; b++) {
      let bestValue = -Infinity;
      let bestU = 0;
      const top = Math.min(b, maxU);
      // u below b - reach leaves b - u units the earlier channels cannot place (V = -Infinity, never better).
      for (let u = Math.max(0, b - reach); u <= top; u++) {
        const value = prior[b - u] + table[u];
        if (value > bestValue) {
          bestValue = value;
          bestU = u;
        }
      }
      next[b] = bestValue;
      choice[b] = bestU;
    }
    reach = Math.min(reach + maxU, units);
    previous = next;
    choices.push(choice);
  }
  const best = previous;
  return {
    best,
    unitsFor(b: number): Int32Array {
      if (!(best[b] > -Infinity)) throw new RangeError(`${b} units cannot be placed within the channels' ranges`);
      const result = new Int32Array(tables.length);
      let rest = b;
      for (let c = tables.length - 1; c >= 0; c--) {
        result[c] = choices[c][rest];
        rest -= result[c];
      }
      return result;
    },
  };
}

export interface DistanceTradeOff {
  /** best[d] = max sum_c table_c[u_c] over plans with sum_c u_c = units and sum_c distance_c[u_c] = d; -Infinity if none. */
  best: Float64Array;
  /** Units per channel of the plan behind best[d]. */
  unitsFor(d: number): Int32Array;
}

/**
 * The same DP with the plan's distance as a second, integer resource: state (b, d), so one pass gives the
 * exact best objective for every distance d, including plans a Lagrangian reward for distance would miss.
 * V_c(b, d) = max_u V_{c-1}(b - u, d - distance_c[u]) + table_c[u]. Cost sum_c (units x D) x U_c.
 */
export function maximizeSeparableByDistance(
  tables: readonly Float64Array[],
  distances: readonly Int32Array[],
  units: number,
): DistanceTradeOff {
  const maxDistance = distances.reduce((sum, dist) => sum + Math.max(...dist), 0);
  const width = maxDistance + 1;
  let previous = new Float64Array((units + 1) * width).fill(-Infinity);
  previous[0] = 0;
  let reach = 0; // largest distance reachable so far
  const choices = tables.map((table, c) => {
    const dist = distances[c];
    const next = new Float64Array((units + 1) * width).fill(-Infinity);
    const choice = new Int32Array((units + 1) * width);
    for (let b = 0; b <= units; b++) {
      for (let d = 0; d <= reach; d++) {
        const value = previous[b * width + d];
        if (value === -Infinity) continue;
        const top = Math.min(units - b, table.length - 1);
        for (let u = 0; u <= top; u++) {
          const at = (b + u) * width + d + dist[u];
          const candidate = value + table[u];
          if (candidate > next[at]) {
            next[at] = candidate;
            choice[at] = u;
          }
        }
      }
    }
    reach += Math.max(...dist);
    previous = next;
    return choice;
  });
  const best = previous.subarray(units * width, (units + 1) * width);
  return {
    best,
    unitsFor(d: number): Int32Array {
      if (!(best[d] > -Infinity)) throw new RangeError(`no plan of ${units} units has distance ${d}`);
      const result = new Int32Array(tables.length);
      let b = units;
      let rest = d;
      for (let c = tables.length - 1; c >= 0; c--) {
        result[c] = choices[c][b * width + rest];
        b -= result[c];
        rest -= distances[c][result[c]];
      }
      return result;
    },
  };
}
