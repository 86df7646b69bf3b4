/**
 * The enumerated scenario surface (DESIGN.md section 4): every budget level x allocation mix, scored on
 * every posterior draw, as rows of mmm_surface_scenarios and mmm_surface_allocations. At budget level 0
 * all mixes coincide, so that level holds the current mix only.
 */
import type { CalibratedCurves } from './calibration.ts';
import type { SurfaceAllocationRow, SurfaceScenarioRow } from './rows.ts';
import { evaluateScenario } from './scenario-outcome.ts';
import { budgetLevels, designMixes, spendForBudget, type SurfaceDesign } from './scenario-design.ts';

export interface SurfaceTables {
  scenarios: SurfaceScenarioRow[];
  allocations: SurfaceAllocationRow[];
}

export class SurfaceDesignError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SurfaceDesignError';
  }
}

/** Which budget levels to enumerate: indices [from, to) into `budgetLevels(design)` (default all). */
export interface LevelRange {
  from: number;
  to: number;
}

/**
 * The scenarios of the budget levels in `range`, numbered as in the whole surface, so that chunks
 * enumerated separately (the retrain workflow fans them out) concatenate into the same tables.
 */
export function enumerateSurface(
  run: CalibratedCurves,
  design: SurfaceDesign,
  runId: string,
  range?: LevelRange,
  onProgress?: (done: number, total: number) => void,
): SurfaceTables {
  const { curves } = run;
  const maxFactor = curves.factors[curves.factors.length - 1];
  if (design.budgetLevels.to > maxFactor) {
    throw new SurfaceDesignError(
      `budget level ${design.budgetLevels.to} exceeds the stored response range (${maxFactor} x the historical total)`,
    );
  }
  const allLevels = budgetLevels(design);
  const { from, to } = range ?? { from: 0, to: allLevels.length };
  const mixes = designMixes(curves.channels, curves.historicalSpend, design);
  const mixesAt = (level: number) => (level === 0 ? mixes.slice(0, 1) : mixes);
  const firstScenarioId = allLevels.slice(0, from).reduce((n, level) => n + mixesAt(level).length, 0);
  const levels = allLevels.slice(from, to);
  const maxSpend = Float64Array.from(curves.channels, (_, c) => curves.maxSpend(c));
  const historicalTotal = curves.totalHistoricalSpend;
  const draws = new Float64Array(curves.nDraws);
  const tables: SurfaceTables = { scenarios: [], allocations: [] };
  levels.forEach((level, levelIndex) => {
    for (const mix of mixesAt(level)) {
      const spend = spendForBudget(mix.shares, level * historicalTotal, maxSpend, curves.historicalSpend);
      const outcome = evaluateScenario(run, spend, draws);
      const scenarioId = firstScenarioId + tables.scenarios.length;
      tables.scenarios.push({
        run_id: runId,
        scenario_id: scenarioId,
        budget_level: level,
        total_spend: outcome.totalSpend,
        design: mix.design,
        mix_id: mix.mixId,
        mix_label: mix.label,
        outcome_mean_raw: outcome.outcomeRaw.mean,
        outcome_p05_raw: outcome.outcomeRaw.p05,
        outcome_p50_raw: outcome.outcomeRaw.p50,
        outcome_p95_raw: outcome.outcomeRaw.p95,
        outcome_mean_calibrated: outcome.outcome.mean,
        outcome_p05_calibrated: outcome.outcome.p05,
        outcome_p50_calibrated: outcome.outcome.p50,
        outcome_p95_calibrated: outcome.outcome.p95,
        incremental_mean: outcome.incrementalMean,
        roi: outcome.roi,
        mroi: outcome.mroi,
      });
      curves.channels.forEach((channel, c) => {
        tables.allocations.push({
          run_id: runId,
          scenario_id: scenarioId,
          channel,
          spend: spend[c],
          share: outcome.totalSpend > 0 ? Math.min(spend[c] / outcome.totalSpend, 1) : mix.shares[c],
          contribution_mean: outcome.contributionMeans[c],
        });
      });
    }
    onProgress?.(levelIndex + 1, levels.length);
  });
  return tables;
}
