/**
 * `mmm optimize --model ID` when a Temporal cluster is configured (TEMPORAL_ADDRESS): the request runs
 * as optimizeWorkflow on the workers, which answer it from the model's current surface and write the
 * plans to mmm_recommendations (by market, `--by geo`: mmm_geo_recommendations) with their evidence rows; the best
 * plan is then read back from the warehouse and printed with each channel's (pair's) evidence and P(the move helps).
 */
import { randomUUID } from 'node:crypto';
import { UsageError } from './command.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable, toJsonText } from '../explore/format.ts';
import type { OptimizeInput } from '../workflow-contracts/contracts.ts';
import { runOptimize } from '../orchestration/retrain-client.ts';
import { connectClient, type TemporalSettings } from '../orchestration/temporal-connection.ts';
import { openWarehouse, warehouseConfigFromEnv } from '../warehouse/open-warehouse.ts';
import type {
  GeoRecommendationEvidenceRow,
  GeoRecommendationRow,
  RecommendationEvidenceRow,
  RecommendationRow,
} from '../warehouse/tables.ts';
import { describeOptimality, evidenceText, pMoveHelpsText } from './optimize-format.ts';

export interface OptimizeFlagValues {
  model?: string;
  budget?: number;
  min?: string[];
  max?: string[];
  lock?: string[];
  objective?: string;
  json?: string;
  /** By market (`--by geo`): the markets' bounds and grouping, the geo groups read from --geo-groups. */
  market?: Pick<OptimizeInput, 'geoMin' | 'geoMax' | 'group' | 'geoGroups'>;
}

/** 'tv=50%' -> ['tv', '50%'], 'tv=1000' -> ['tv', 1000]. */
export function boundEntries(flag: 'min' | 'max' | 'geo-min' | 'geo-max', texts: readonly string[]): [string, number | string][] {
  return texts.map((text) => {
    const [channel, value] = text.split('=');
    if (!channel || value === undefined || value === '')
      throw new UsageError(`--${flag} '${text}' is not CHANNEL=VALUE or CHANNEL=PERCENT%`);
    return [channel, value.endsWith('%') ? value : Number(value)];
  });
}

export async function optimizeThroughWorkflow(settings: TemporalSettings, values: OptimizeFlagValues): Promise<number> {
  if (!values.model) throw new UsageError('--model ID is required when TEMPORAL_ADDRESS is set (or pass --run DIR to optimize locally)');
  const request: OptimizeInput = {
    modelId: values.model,
    requestId: `cli-${randomUUID()}`,
    budget: values.budget,
    min: Object.fromEntries(boundEntries('min', values.min ?? [])),
    max: Object.fromEntries(boundEntries('max', values.max ?? [])),
    lock: values.lock ?? [],
    objective: values.objective ?? 'mean',
    ...(values.market ? { by: 'geo' as const, ...values.market } : {}),
  };
  const client = await connectClient(settings);
  const result = await runOptimize(client, request).finally(() => client.connection.close());
  const warehouse = await openWarehouse(warehouseConfigFromEnv());
  // The best plan as the workers stored it with its evidence: per channel, or by market per (geo, channel) pair,
  // both in the same order (a warehouse returns rows in no particular order unless asked).
  const byMarket = result.table === 'mmm_geo_recommendations';
  const rankOne = (
    table: 'mmm_recommendations' | 'mmm_recommendation_evidence' | 'mmm_geo_recommendations' | 'mmm_geo_recommendation_evidence',
  ) => warehouse.db.selectFrom(table).selectAll().where('request_id', '=', result.requestId).where('rank', '=', 1);
  const [plan, evidence]: [(RecommendationRow | GeoRecommendationRow)[], (RecommendationEvidenceRow | GeoRecommendationEvidenceRow)[]] =
    await Promise.all(
      byMarket
        ? [
            rankOne('mmm_geo_recommendations').orderBy('geo').orderBy('channel').execute(),
            rankOne('mmm_geo_recommendation_evidence').orderBy('geo').orderBy('channel').execute(),
          ]
        : [
            rankOne('mmm_recommendations').orderBy('channel').execute(),
            rankOne('mmm_recommendation_evidence').orderBy('channel').execute(),
          ],
    ).finally(() => warehouse.close());
  if (values.json === '-') {
    process.stdout.write(toJsonText({ ...result, plan, evidence }));
    return 0;
  }
  const geoOf = (row: object): string | null => ('geo' in row && typeof row.geo === 'string' ? row.geo : null);
  const evidenceOf = (row: RecommendationRow | GeoRecommendationRow) =>
    evidence.find((e) => e.channel === row.channel && geoOf(e) === geoOf(row));
  process.stdout.write(
    `${formatTable(
      [...(byMarket ? ['geo'] : []), 'channel', 'current', 'recommended', 'change', 'P(move helps)', 'evidence'],
      plan.map((row): string[] => {
        const moveEvidence = evidenceOf(row);
        return [
          ...('geo' in row ? [row.geo] : []),
          row.channel,
          formatAmount(row.spend - row.delta_vs_current),
          formatAmount(row.spend),
          formatAmount(row.delta_vs_current),
          pMoveHelpsText({ pMoveHelps: moveEvidence?.p_move_helps ?? null }),
          evidenceText({ evidenceLabel: moveEvidence?.evidence_label ?? null }),
        ];
      }),
      byMarket ? [0, 1, 6] : [0, 5, 6],
    )}\n\n${formatKeyValues([
      ['outcome, recommended', formatAmount(result.expectedOutcome)],
      ['outcome, current mix', formatAmount(result.currentOutcome)],
      ['P(beats current mix)', formatPercent(result.pBeatsCurrent)],
      ...(result.optimality && result.optimality.method !== 'exact'
        ? [['optimality', describeOptimality(result.optimality)] as [string, string]]
        : []),
      ['run', result.runId],
      ['rows', `${result.rows} in ${result.table} (request_id ${result.requestId})`],
      ...(result.market
        ? [
            ['optimality gap', `${formatPercent(result.market.gap)} of the paid-media outcome (${result.market.method})`] as [
              string,
              string,
            ],
          ]
        : []),
    ])}\n`,
  );
  return 0;
}
