/**
 * The optimize workflow's activity: the optimizer answered from the current run's stored surface, its
 * plans written to mmm_recommendations under the request's id (a retry replaces them).
 */
import { diverseAlternatives } from '../src/explore/alternatives.ts';
import { constraintsFromFlags } from '../src/explore/constraints.ts';
import { MEAN_OBJECTIVE, parseObjective } from '../src/explore/objective.ts';
import { optimize } from '../src/explore/optimizer.ts';
import { recommendationRows } from '../src/explore/rows.ts';
import { runStore, type ActivityEnvironment } from './environment.ts';
import { withRunWorkspace } from '../src/run/storage/run-store.ts';
import { optimizeInputSchema, type OptimizeInput, type OptimizeResult } from '../src/workflow-contracts/contracts.ts';
import { loadSurfaceRun } from '../src/surface/surface-run.ts';
import { openWarehouse } from '../src/warehouse/open-warehouse.ts';

export class NoCurrentRunError extends Error {
  override readonly name = 'NoCurrentRunError';
  constructor(readonly modelId: string) {
    super(`model '${modelId}' has no current run: retrain it (mmm retrain --model ${modelId}) before optimizing`);
  }
}

/** Diverse plans stored with the best one, within this share of its paid-media outcome. */
const ALTERNATIVES = 3;
const ALTERNATIVE_TOLERANCE = 0.01;

export function createOptimizeActivities(environment: ActivityEnvironment) {
  const store = runStore(environment);
  return {
    async optimizeFromSurface(input: OptimizeInput): Promise<OptimizeResult> {
      const request = optimizeInputSchema.parse(input);
      const warehouse = await openWarehouse(environment.warehouse);
      try {
        const runId = await warehouse.currentRun(request.modelId);
        if (runId === null) throw new NoCurrentRunError(request.modelId);
        const run = await withRunWorkspace(store, runId, { save: false }, (dir) => loadSurfaceRun(dir));
        const { curves } = run;
        const bound = (record: Record<string, number | string>) => Object.entries(record).map(([channel, value]) => `${channel}=${value}`);
        const channels = constraintsFromFlags({ min: bound(request.min), max: bound(request.max), lock: request.lock });
        const objective = request.objective === 'mean' ? MEAN_OBJECTIVE : parseObjective(request.objective);
        const budget = request.budget ?? curves.totalHistoricalSpend;
        const result = optimize(run, { budget, channels, objective });
        const alternatives = diverseAlternatives(run, {
          budget,
          channels,
          objective,
          count: ALTERNATIVES + 1,
          tolerance: ALTERNATIVE_TOLERANCE,
        }).slice(1);
        const rows = recommendationRows(
          { requestId: request.requestId, runId, requestedAt: new Date().toISOString(), constraints: { budget, channels, objective } },
          curves.channels,
          curves.historicalSpend,
          [result.plan, ...alternatives.map((alt) => alt.plan)],
        );
        await warehouse.writeRecommendations(rows);
        return {
          requestId: request.requestId,
          runId,
          table: 'mmm_recommendations',
          rows: rows.length,
          expectedOutcome: result.plan.score.outcome.mean,
          currentOutcome: result.current.score.outcome.mean,
          pBeatsCurrent: result.plan.score.pBeatsCurrent,
        };
      } finally {
        await warehouse.close();
      }
    },
  };
}
