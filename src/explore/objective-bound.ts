/**
 * How far a risk objective's answer can be from the best plan on the spend grid (docs/decision-layer.md,
 * "How far a risk objective's answer can be from the optimum"): an upper bound B on the objective of every
 * plan of the grid, so no plan on the grid beats the answer by more than B - its value.
 *
 * mean - lambda x sd (duality). With sd(x) = max { v.x : |v| <= 1, sum v = 0 } / sqrt(n - 1) (Cauchy-Schwarz),
 *   mean(x) - lambda sd(x) = min_v w_v.x,   w_v = 1/n - lambda v / sqrt(n - 1),
 * so for every such weight vector and every plan s, objective(s) <= w_v.x(s) <= max_s' w_v.x(s'), the last
 * the exact separable DP on the w_v-weighted curves. The optimizer's re-weighting rounds use exactly these
 * weights (its gradient at a plan is w_v with v = (x - mean) / |x - mean|), and v = 0 gives the mean
 * optimum, so B = min over the rounds' DPs and the mean optimum of w.x at the DP's plan costs nothing extra.
 *
 * Quantile (per-draw optima). If x_d(s) <= V_d for every draw d then every order statistic of x(s) is at
 * most that of V, and so is the interpolated quantile (monotone in each order statistic): with V_d the
 * draw's own best outcome over the grid, Q_q(x(s)) <= Q_q(V) for every plan s. V_d is itself bounded from
 * above, without a DP per draw, by the continuous relaxation on each channel's concave envelope (the
 * Lagrangian dual of the budget constraint, exact for concave curves): the envelope segments of every
 * channel taken steepest first until the grid's units are placed (each channel's segments are in
 * decreasing slope order, so a merge of the channels' lists is that order).
 *
 * Either bound is over plans of the grid with its synergy pairs when they form a forest (the DPs are then
 * exact, pair-dp.ts); with a cycle the DPs are heuristic and the quantile bound would need the pairs per draw:
 * no bound. The mean's answer with a cycle is bounded by pair-dp.ts's relaxation (method 'pair relaxation').
 */
import { quantileOfSorted } from '../inference/diagnostics/quantile.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';
import type { Objective } from './objective.ts';
import { spendAt, type SpendGrid } from './spend-grid.ts';

export interface Optimality {
  /**
   * How the bound was found: the answer is exact, duality (mean - lambda x sd), per-draw optima (quantile), the
   * spanning-forest relaxation of synergy pairs forming a cycle (the mean; pair-dp.ts), or none.
   */
  method: 'exact' | 'duality' | 'per-draw optima' | 'pair relaxation' | 'none';
  /** No plan on the spend grid has a higher objective; null when no bound is known (overlapping synergy pairs). */
  bound: number | null;
  /** bound - the answer's objective value: how much better the best plan on the grid can be (0 when exact). */
  gap: number | null;
  /** gap / the answer's posterior-mean outcome from paid media (the total would make it look smaller). */
  relativeGap: number | null;
  /**
   * A risk objective's local search around the best of the candidates (local-search.ts): the moves it took, the
   * plans it scored and how much it raised the objective (also relative to the paid-media outcome); null when
   * the answer is exact.
   */
  localSearch: LocalSearchReport | null;
}

export interface LocalSearchReport {
  moves: number;
  evaluations: number;
  improvement: number;
  relativeImprovement: number | null;
}

/** The optimality statement of an answer with objective value `value`, paid-media mean `paidMedia` and bound `bound`. */
export function optimalityOf(
  method: Optimality['method'],
  bound: number | null,
  value: number,
  paidMedia: number,
  localSearch: LocalSearchReport | null,
): Optimality {
  if (bound === null) return { method: 'none', bound: null, gap: null, relativeGap: null, localSearch };
  // The bound is never below the answer's own value; rounding of the two sums can put it a hair below.
  const gap = Math.max(bound - value, 0);
  return { method, bound: Math.max(bound, value), gap, relativeGap: paidMedia > 0 ? gap / paidMedia : null, localSearch };
}

/**
 * Slopes and lengths (in units) of the segments of the upper concave envelope of the points (u, table[u]),
 * u = 0..U, left to right (slopes decreasing): Andrew's monotone chain, upper half.
 */
export function envelopeSegments(table: Float64Array): { slopes: Float64Array; lengths: Int32Array } {
  const hull: number[] = [];
  for (let u = 0; u < table.length; u++) {
    // Drop the last vertex while it lies on or below the chord from the one before it to u.
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      if ((table[b] - table[a]) * (u - a) <= (table[u] - table[a]) * (b - a)) hull.pop();
      else break;
    }
    hull.push(u);
  }
  const slopes = new Float64Array(hull.length - 1);
  const lengths = new Int32Array(hull.length - 1);
  for (let i = 1; i < hull.length; i++) {
    lengths[i - 1] = hull[i] - hull[i - 1];
    slopes[i - 1] = (table[hull[i]] - table[hull[i - 1]]) / lengths[i - 1];
  }
  return { slopes, lengths };
}

/**
 * max sum_c env_c(u_c) subject to sum_c u_c = units, 0 <= u_c <= U_c (continuous), env_c the concave
 * envelope of table_c: sum_c table_c[0] plus the steepest segments, merged across channels, up to `units`.
 */
export function envelopeOptimum(tables: readonly Float64Array[], units: number): number {
  const envelopes = tables.map(envelopeSegments);
  const next = new Int32Array(tables.length);
  let value = tables.reduce((sum, table) => sum + table[0], 0);
  let left = units;
  while (left > 0) {
    let best = -1;
    for (let c = 0; c < envelopes.length; c++) {
      if (next[c] < envelopes[c].slopes.length && (best < 0 || envelopes[c].slopes[next[c]] > envelopes[best].slopes[next[best]])) best = c;
    }
    // The grid lets the channels place every unit (spend-grid.ts), so a segment is always left.
    if (best < 0) throw new RangeError(`the channels' ranges cannot place ${units} units`);
    const { slopes, lengths } = envelopes[best];
    const take = Math.min(left, lengths[next[best]]);
    value += take * slopes[next[best]];
    left -= take;
    next[best]++;
  }
  return value;
}

/**
 * Q_q(V), V_d the envelope bound on draw d's best calibrated outcome over the grid (baseline included): an
 * upper bound on the quantile objective of every plan of the grid (module comment). Cost: one curve
 * evaluation per (draw, channel, unit) and a merge of the envelopes per draw.
 */
export function quantileBound(run: CalibratedCurves, grid: SpendGrid, q: number): number {
  const { curves } = run;
  const k = run.calibration.factor;
  const n = curves.nDraws;
  const best = new Float64Array(n);
  const oneDraw = new Float64Array(n);
  for (let d = 0; d < n; d++) {
    oneDraw[d] = 1;
    const draw = curves.weighted(oneDraw);
    oneDraw[d] = 0;
    const tables = Array.from(grid.maxUnits, (max, c) =>
      Float64Array.from({ length: max + 1 }, (_, u) => draw.value(c, spendAt(grid, c, u))),
    );
    best[d] = k * (curves.baseline[d] + envelopeOptimum(tables, grid.units));
  }
  return quantileOfSorted(best.sort(), q);
}

/** The weighted sum w.x of a plan's outcome draws. */
export const weightedOutcome = (weights: Float64Array, draws: Float64Array): number => weights.reduce((sum, w, d) => sum + w * draws[d], 0);

/** Which bound applies to an objective's inexact answer (the mean's is inexact only when synergy pairs form a cycle). */
export function boundMethod(objective: Objective): Optimality['method'] {
  switch (objective.kind) {
    case 'mean':
      return 'pair relaxation';
    case 'meanMinusSd':
      return 'duality';
    case 'quantile':
      return 'per-draw optima';
  }
}
