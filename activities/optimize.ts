/**
 * The optimize workflow's activity: the optimizer answered from the current run's stored surface, its
 * plans written to mmm_recommendations with each channel's evidence and P(its move helps) in
 * mmm_recommendation_evidence (by market: mmm_geo_recommendations with each pair's in mmm_geo_recommendation_evidence)
 * under the request's id (a retry replaces them).
 */
import { diverseAlternatives } from '../src/explore/alternatives.ts';
import { constraintsFromFlags } from '../src/explore/constraints.ts';
import { MEAN_OBJECTIVE, parseObjective } from '../src/explore/objective.ts';
import { optimize } from '../src/explore/optimizer.ts';
import { geoRecommendationEvidenceRows, geoRecommendationRows } from '../src/explore/market-rows.ts';
import { channelMoves, pairEvidence } from '../src/explore/move-evidence.ts';
import { recommendationEvidenceRows, recommendationRows } from '../src/explore/rows.ts';
import { readChannelEvidence } from '../src/run/run-directory.ts';
import { runStore, type ActivityEnvironment } from './environment.ts';
import { withRunWorkspace } from '../src/run/storage/run-store.ts';
import { optimizeInputSchema, type OptimizeInput, type OptimizeResult } from '../src/workflow-contracts/contracts.ts';
import { loadSurfaceRun } from '../src/surface/surface-run.ts';
import { marketConstraintsFromFlags } from '../src/explore/market-constraints.ts';
import { optimizeMarkets } from '../src/explore/market-optimizer.ts';
import { loadMarketSource } from '../src/run/market-response-source.ts';
import type { z } from 'zod';
import { openWarehouse } from '../src/warehouse/open-warehouse.ts';

export class NoCurrentRunError extends Error {
  override readonly name = 'NoCurrentRunError';
  constructor(readonly modelId: string) {
    super(`model '${modelId}' has no current run: retrain it (mmm retrain --model ${modelId}) before optimizing`);
  }
}

export class MarketObjectiveError extends Error {
  override readonly name = 'MarketObjectiveError';
  constructor(readonly objective: string) {
    super(`objective '${objective}': plans by market optimise the posterior mean (objective 'mean')`);
  }
}

/** Diverse plans stored with the best one, within this share of its paid-media outcome. */
const ALTERNATIVES = 3;
const ALTERNATIVE_TOLERANCE = 0.01;

export function createOptimizeActivities(environment: ActivityEnvironment) {
  const store = runStore(environment);

  /** The plan per (geo, channel) pair (`mmm optimize --by geo`), written to mmm_geo_recommendations as rank 1. */
  async function optimizeByMarket(
    warehouse: Awaited<ReturnType<typeof openWarehouse>>,
    runId: string,
    request: z.infer<typeof optimizeInputSchema>,
    bound: (record: Record<string, number | string>) => string[],
  ): Promise<OptimizeResult> {
    if (request.objective !== 'mean') throw new MarketObjectiveError(request.objective);
    // The pairs' components are cached in the run's surface folder on first use; a workspace of object storage
    // is not saved, so there they are computed again per request.
    const { run, evidence } = await withRunWorkspace(store, runId, { save: false }, async (dir) => {
      const surface = await loadSurfaceRun(dir, { loadMarketSource });
      const markets = surface.curves.markets;
      if (!markets) throw new Error('market curves without a market index');
      return { run: surface, evidence: pairEvidence(markets, readChannelEvidence(dir, markets.channels)) };
    });
    const { curves } = run;
    const constraints = marketConstraintsFromFlags({
      geoMin: bound(request.geoMin),
      geoMax: bound(request.geoMax),
      min: bound(request.min),
      max: bound(request.max),
      lock: request.lock,
      grouping: request.group,
      geoGroups: request.geoGroups,
    });
    const budget = request.budget ?? curves.totalHistoricalSpend;
    const result = optimizeMarkets(run, { budget, constraints });
    const recommendation = {
      requestId: request.requestId,
      runId,
      requestedAt: new Date().toISOString(),
      constraints: { budget, by: 'geo', ...constraints },
    };
    const rows = geoRecommendationRows(recommendation, run, result);
    const moves = channelMoves(run, result.plan.spend, result.bounds.pairs, result.gridStep, evidence);
    await warehouse.writeGeoRecommendations(rows, geoRecommendationEvidenceRows(recommendation, run, moves));
    return {
      requestId: request.requestId,
      runId,
      table: 'mmm_geo_recommendations',
      rows: rows.length,
      expectedOutcome: result.plan.score.outcome.mean,
      currentOutcome: result.current.score.outcome.mean,
      pBeatsCurrent: result.plan.score.pBeatsCurrent,
      market: { method: result.method, gap: result.gap },
    };
  }

  return {
    async optimizeFromSurface(input: OptimizeInput): Promise<OptimizeResult> {
      const request = optimizeInputSchema.parse(input);
      const warehouse = await openWarehouse(environment.warehouse);
      try {
        const runId = await warehouse.currentRun(request.modelId);
        if (runId === null) throw new NoCurrentRunError(request.modelId);
        const bound = (record: Record<string, number | string>) => Object.entries(record).map(([channel, value]) => `${channel}=${value}`);
        if (request.by === 'geo') return await optimizeByMarket(warehouse, runId, request, bound);
        const { run, evidence } = await withRunWorkspace(store, runId, { save: false }, async (dir) => {
          const surface = await loadSurfaceRun(dir);
          return { run: surface, evidence: readChannelEvidence(dir, surface.curves.channels) };
        });
        const { curves } = run;
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
        const plans = [result.plan, ...alternatives.map((alt) => alt.plan)];
        const recommendation = {
          requestId: request.requestId,
          runId,
          requestedAt: new Date().toISOString(),
          constraints: { budget, channels, objective },
        };
        const rows = recommendationRows(recommendation, curves.channels, curves.historicalSpend, plans);
        const moves = plans.map((plan) => channelMoves(run, plan.spend, result.bounds, result.gridStep, evidence));
        await warehouse.writeRecommendations(rows, recommendationEvidenceRows(recommendation, moves));
        return {
          requestId: request.requestId,
          runId,
          table: 'mmm_recommendations',
          rows: rows.length,
          expectedOutcome: result.plan.score.outcome.mean,
          currentOutcome: result.current.score.outcome.mean,
          pBeatsCurrent: result.plan.score.pBeatsCurrent,
          optimality: result.optimality,
        };
      } finally {
        await warehouse.close();
      }
    },
  };
}
