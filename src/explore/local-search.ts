/**
 * Local search around a risk objective's answer (docs/decision-layer.md, "How far a risk objective's answer
 * can be from the optimum"): from the best-of-candidates plan, move s grid units from one channel to another,
 * each move scored by the exact objective on every draw; take the best improving move until none improves,
 * s halving from a quarter of the grid's units to 1 (pair-dp.ts refines plans with synergy pairs the same way
 * on the mean). The plan never gets worse; the improvement found says how far the candidates' best was from a
 * local optimum under such moves, and the optimality bound still applies to the plan found.
 */
import type { CalibratedCurves } from '../surface/calibration.ts';
import { objectiveValue, type Objective } from './objective.ts';
import { outcomeDraws } from './score.ts';
import { spendOfUnits, type SpendGrid } from './spend-grid.ts';

/** Objective evaluations the search may spend (each one scoring of every draw): about a second for 1,000 draws. */
export const MAX_EVALUATIONS = 4000;

export interface LocalSearchResult {
  units: Int32Array;
  value: number;
  /** Moves taken. */
  moves: number;
  /** Plans scored. */
  evaluations: number;
}

export function improveByMoves(run: CalibratedCurves, grid: SpendGrid, objective: Objective, start: Int32Array): LocalSearchResult {
  const plan = Int32Array.from(start);
  const valueOf = (units: Int32Array) => objectiveValue(objective, outcomeDraws(run, spendOfUnits(grid, units)));
  let value = valueOf(plan);
  let evaluations = 1;
  let moves = 0;
  const C = plan.length;
  for (let s = Math.max(1, Math.floor(grid.units / 4)); s >= 1 && evaluations < MAX_EVALUATIONS; s = Math.floor(s / 2)) {
    for (;;) {
      let best = { value, from: -1, to: -1 };
      for (let from = 0; from < C && evaluations < MAX_EVALUATIONS; from++) {
        if (plan[from] < s) continue;
        for (let to = 0; to < C && evaluations < MAX_EVALUATIONS; to++) {
          if (to === from || plan[to] + s > grid.maxUnits[to]) continue;
          plan[from] -= s;
          plan[to] += s;
          const moved = valueOf(plan);
          evaluations++;
          plan[from] += s;
          plan[to] -= s;
          if (moved > best.value) best = { value: moved, from, to };
        }
      }
      if (best.from < 0) break;
      plan[best.from] -= s;
      plan[best.to] += s;
      value = best.value;
      moves++;
    }
    if (s === 1) break;
  }
  return { units: plan, value, moves, evaluations };
}
