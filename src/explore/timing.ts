/**
 * Timing (issue 14, scope 4): for one channel with a fixed budget over a window of weeks, the week-by-week
 * spend x that maximises the expected outcome E_d[F_d(x)] (mean over posterior draws), subject to
 * sum_t x_t = budget, lower_t <= x_t <= upper_t (dark weeks: 0). F_d is the channel's outcome in draw d
 * (seasonal outcome scale x saturation x carry-over); the caller supplies it with its gradient.
 *
 * Solver: spectral projected gradient (Birgin, Martinez & Raydan 2000, "Nonmonotone spectral projected
 * gradient methods on convex sets", SIAM J. Optim. 10) with a monotone Armijo search along the projected
 * direction, so every step improves the objective; projection onto the capped simplex by bisection on its
 * multiplier (src/math/capped-simplex.ts). Hill curves with slope > 1 are S-shaped and the objective is then
 * not concave (even flighting can be a stationary point far from the optimum), so the solver ascends from
 * even flighting and from the best-scoring few of a set of bursts (burstStarts) and keeps the best end point.
 * Starting from even flighting and only ever improving, the result never scores below even flighting on the
 * expected outcome.
 */
import { projectCappedSimplex } from '../math/capped-simplex.ts';
import type { WeeklyBounds } from './timing-constraints.ts';

/** A channel's outcome over the window as a function of its weekly spend, per posterior draw. */
export interface WeeklySpendResponse {
  readonly nDraws: number;
  /** Weeks of the window: the length of a spend vector. */
  readonly nWeeks: number;
  /**
   * Mean over draws of F_d(spend); F_d per draw into `perDraw` and d mean / d spend_t into `gradient`
   * when given.
   */
  evaluate(spend: Float64Array, perDraw?: Float64Array, gradient?: Float64Array): number;
}

export interface TimingSolution {
  /** The best weekly spend found. */
  spend: Float64Array;
  /** Even flighting under the same constraints. */
  even: Float64Array;
  /** F_d at `spend` and at `even`, per draw. */
  outcome: Float64Array;
  evenOutcome: Float64Array;
  /** The start the best end point came from ('even', 'best 3 weeks', 'burst weeks 1-4', 'alternate weeks'). */
  start: string;
}

/** Armijo's sufficient-increase constant and the step halvings tried before a start is declared converged. */
const ARMIJO = 1e-4;
const MAX_HALVINGS = 40;
const MAX_ITERATIONS = 300;
/** Converged when no coordinate moves more than this share of the mean open-week spend. */
const STEP_TOLERANCE = 1e-7;
/** ...or the objective improves by less than this share of itself. */
const VALUE_TOLERANCE = 1e-12;
/** End points of two starts closer than this share of the objective are the same optimum. */
const SAME_VALUE = 1e-9;
/** Bursts ascended besides even flighting, the best-scoring first. */
const BURST_ASCENTS = 3;

/**
 * Even flighting: the feasible plan nearest to the budget spread equally over the open weeks (the projection
 * of that spread onto the constraints: equal spend where no bound binds).
 */
export function evenFlighting(bounds: WeeklyBounds): Float64Array {
  const n = bounds.lower.length;
  const open = bounds.dark.filter((d) => !d).length;
  const spread = Float64Array.from({ length: n }, (_, t) => (bounds.dark[t] ? 0 : bounds.budget / open));
  const out = new Float64Array(n);
  projectCappedSimplex(spread, bounds.lower, bounds.upper, bounds.budget, out);
  return out;
}

/** A start of the ascent: a spend path with the name the answer reports. */
interface Start {
  label: string;
  spend: Float64Array;
}

/** The budget spread equally over `weeks` (dark ones skipped), projected onto the constraints. */
function burst(bounds: WeeklyBounds, label: string, weeks: readonly number[]): Start[] {
  const open = weeks.filter((t) => !bounds.dark[t]);
  if (open.length === 0) return [];
  const spread = new Float64Array(bounds.lower.length);
  for (const t of open) spread[t] = bounds.budget / open.length;
  const spend = new Float64Array(spread.length);
  projectCappedSimplex(spread, bounds.lower, bounds.upper, bounds.budget, spend);
  return [{ label, spend }];
}

/**
 * Bursts that seed the ascent besides even flighting: the budget on the k open weeks with the highest marginal
 * return at even flighting, for every k below the number of open weeks (on S-shaped curves the optimum spends
 * equally on some k weeks, but for at most one, when weeks are alike); on each quarter of the window (a
 * flighting burst); and on alternate open weeks (pulsing).
 */
function burstStarts(bounds: WeeklyBounds, marginalAtEven: Float64Array): Start[] {
  const n = bounds.lower.length;
  const openWeeks = bounds.dark.flatMap((dark, t) => (dark ? [] : [t]));
  const ranked = [...openWeeks].sort((s, t) => marginalAtEven[t] - marginalAtEven[s] || s - t);
  const best = ranked.slice(0, -1).flatMap((_, i) => burst(bounds, `best ${i + 1} week${i === 0 ? '' : 's'}`, ranked.slice(0, i + 1)));
  const quarter = Math.ceil(n / 4);
  const quarters = Array.from({ length: quarter < n ? Math.ceil(n / quarter) : 0 }, (_, q) => {
    const from = q * quarter;
    const to = Math.min(n, from + quarter);
    return burst(
      bounds,
      `burst weeks ${from + 1}-${to}`,
      Array.from({ length: to - from }, (_, i) => from + i),
    );
  }).flat();
  const alternate =
    openWeeks.length > 2
      ? burst(
          bounds,
          'alternate weeks',
          openWeeks.filter((_, i) => i % 2 === 0),
        )
      : [];
  return [...best, ...quarters, ...alternate];
}

/** Projected-gradient ascent from the feasible `x`, in place; returns the end point's objective. */
function ascend(response: WeeklySpendResponse, bounds: WeeklyBounds, x: Float64Array): number {
  const n = x.length;
  const open = bounds.dark.filter((d) => !d).length;
  const typical = bounds.budget / open;
  const g = new Float64Array(n);
  const gNext = new Float64Array(n);
  const trial = new Float64Array(n);
  const target = new Float64Array(n);
  const direction = new Float64Array(n);
  let value = response.evaluate(x, undefined, g);
  if (!(typical > 0)) return value;
  // First step: the steepest week moves by about one typical week's spend; later steps by Barzilai-Borwein.
  let gMax = 0;
  for (let t = 0; t < n; t++) gMax = Math.max(gMax, Math.abs(g[t]));
  if (!(gMax > 0)) return value;
  const stepMin = 1e-12 * (typical / gMax);
  const stepMax = 1e12 * (typical / gMax);
  let step = typical / gMax;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let t = 0; t < n; t++) target[t] = x[t] + step * g[t];
    projectCappedSimplex(target, bounds.lower, bounds.upper, bounds.budget, direction);
    let slope = 0;
    let largest = 0;
    for (let t = 0; t < n; t++) {
      direction[t] -= x[t];
      slope += g[t] * direction[t];
      largest = Math.max(largest, Math.abs(direction[t]));
    }
    if (largest <= STEP_TOLERANCE * typical || !(slope > 0)) break;
    let lambda = 1;
    let accepted = false;
    let next = value;
    for (let halving = 0; halving < MAX_HALVINGS; halving++) {
      // x + lambda d lies between two feasible points; clamping keeps rounding from stepping past a bound.
      for (let t = 0; t < n; t++) trial[t] = Math.min(Math.max(x[t] + lambda * direction[t], bounds.lower[t]), bounds.upper[t]);
      next = response.evaluate(trial, undefined, gNext);
      if (next >= value + ARMIJO * lambda * slope) {
        accepted = true;
        break;
      }
      lambda *= 0.5;
    }
    if (!accepted) break;
    // Barzilai-Borwein for the minimisation of -F: s = step taken, y = change of -gradient.
    let ss = 0;
    let sy = 0;
    let moved = 0;
    for (let t = 0; t < n; t++) {
      const s = trial[t] - x[t];
      ss += s * s;
      sy -= s * (gNext[t] - g[t]);
      moved = Math.max(moved, Math.abs(s));
    }
    const improvement = next - value;
    x.set(trial);
    g.set(gNext);
    value = next;
    if (moved <= STEP_TOLERANCE * typical || improvement <= VALUE_TOLERANCE * Math.abs(value)) break;
    step = sy > 0 ? Math.min(stepMax, Math.max(stepMin, ss / sy)) : stepMax;
  }
  return value;
}

/** The weekly spend maximising the expected outcome within `bounds` (feasible: see resolveWeeklyBounds). */
export function optimiseTiming(response: WeeklySpendResponse, bounds: WeeklyBounds): TimingSolution {
  if (bounds.lower.length !== response.nWeeks) {
    throw new Error(`timing bounds cover ${bounds.lower.length} weeks but the response covers ${response.nWeeks}`);
  }
  const even = evenFlighting(bounds);
  // Even flighting is always ascended; of the bursts, the BURST_ASCENTS that score best as they stand.
  const marginalAtEven = new Float64Array(bounds.lower.length);
  response.evaluate(even, undefined, marginalAtEven);
  const bursts = burstStarts(bounds, marginalAtEven)
    .map((start) => ({ ...start, value: response.evaluate(start.spend) }))
    .sort((s, t) => t.value - s.value);
  let best: Start & { value: number } = { label: 'even', spend: Float64Array.from(even), value: -Infinity };
  for (const [index, { label, spend }] of [best, ...bursts.slice(0, BURST_ASCENTS)].entries()) {
    const value = ascend(response, bounds, spend);
    // A burst must do better by more than rounding: in concave cases every start ends at the same optimum.
    if (index === 0 || value > best.value + SAME_VALUE * Math.abs(best.value)) best = { label, spend, value };
  }
  const outcome = new Float64Array(response.nDraws);
  const evenOutcome = new Float64Array(response.nDraws);
  const evenValue = response.evaluate(even, evenOutcome);
  const timedValue = response.evaluate(best.spend, outcome);
  // Near a flat optimum an Armijo step can be accepted on rounding noise: even flighting stands unless the plan beats it.
  if (!(timedValue > evenValue)) {
    return { spend: Float64Array.from(even), even, outcome: Float64Array.from(evenOutcome), evenOutcome, start: 'even' };
  }
  return { spend: best.spend, even, outcome, evenOutcome, start: best.label };
}
