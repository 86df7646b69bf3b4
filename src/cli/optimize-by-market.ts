/**
 * `mmm optimize --run DIR --by geo`: spend per (geo, channel) pair maximising the posterior-mean outcome at a
 * budget, under totals per market (`--geo-min/--geo-max`, a market being a geo or, with `--group`, a country or
 * region of the geo groups file) and per channel (`--min/--max` naming a channel), and bounds per pair
 * (`--min/--max CA/search=...`); answered from the run's components by market (src/surface/market-store.ts),
 * with the optimiser's method and its optimality gap (src/explore/market-optimizer.ts), and per pair moved its
 * channel's evidence label and P(the pair's move helps) (src/explore/move-evidence.ts).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { describeChange, outcomeChange } from '../explore/budget-change.ts';
import { describeCap } from '../explore/constraints.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable, toJsonText } from '../explore/format.ts';
import { groupingSchema, readGeoGroups } from '../explore/geo-groups.ts';
import { marketConstraintsFromFlags } from '../explore/market-constraints.ts';
import { optimizeMarkets } from '../explore/market-optimizer.ts';
import { marginalReturns } from '../explore/marginal.ts';
import { geoRecommendationEvidenceRows, geoRecommendationRows } from '../explore/market-rows.ts';
import { channelMoves, pairEvidence } from '../explore/move-evidence.ts';
import { score } from '../explore/score.ts';
import { loadMarketSource } from '../run/market-response-source.ts';
import { readChannelEvidence } from '../run/run-directory.ts';
import { loadSurfaceRun, type SurfaceRun } from '../surface/surface-run.ts';
import { UsageError } from './command.ts';
import { flagValue } from './flags.ts';
import { evidenceText, pMoveHelpsText, priorMovesNote } from './optimize-format.ts';

export const MARKET_FLAG_OPTIONS = {
  by: { type: 'string' },
  'geo-min': { type: 'string', multiple: true },
  'geo-max': { type: 'string', multiple: true },
  group: { type: 'string' },
  'geo-groups': { type: 'string' },
} as const;

export const MARKET_FLAGS_HELP = `  --by geo             plan spend per (geo, channel) pair of a geo model (--min/--max then name a channel's
                       total over the geos, or a pair as GEO/CHANNEL=V|P%)
  --geo-min M=V|P%     a market's minimum total, absolute or percent of its current spend (repeatable)
  --geo-max M=V|P%     a market's maximum total (repeatable)
  --group KIND         markets are geos (default), or their country or region from --geo-groups
  --geo-groups FILE    CSV geo,country,region (the dbt seed geo_groups' layout)`;

export const byFlagSchema = z.enum(['channel', 'geo']).default('channel');

const signed = (value: number): string => (value > 0 ? `+${formatAmount(value)}` : formatAmount(value));

export interface MarketFlagValues {
  run: string;
  min?: string[];
  max?: string[];
  lock?: string[];
  'geo-min'?: string[];
  'geo-max'?: string[];
  group?: string;
  'geo-groups'?: string;
  json?: string;
}

/** The run's calibrated curves by market, capped at `cap` x each pair's current spend. */
export function loadMarketQueryRun(runDir: string, cap: number): Promise<SurfaceRun> {
  return loadSurfaceRun(resolve(runDir), { cap, loadMarketSource });
}

/** Constraints by market from the flags (the geo groups read when --group asks for them). */
export function marketConstraintFlags(values: Omit<MarketFlagValues, 'run' | 'json'>) {
  const grouping = flagValue('group', () => groupingSchema.parse(values.group ?? 'geo'));
  if (grouping !== 'geo' && !values['geo-groups']) {
    throw new UsageError(`--group ${grouping} needs --geo-groups FILE (geo,country,region: the dbt seed geo_groups' layout)`);
  }
  const geoGroups = values['geo-groups'] ? readGeoGroups(values['geo-groups']) : [];
  return flagValue('geo-min/--geo-max/--min/--max', () =>
    marketConstraintsFromFlags({
      geoMin: values['geo-min'],
      geoMax: values['geo-max'],
      min: values.min,
      max: values.max,
      lock: values.lock,
      grouping,
      geoGroups,
    }),
  );
}

export async function optimizeByMarket(values: MarketFlagValues, budgetFlag: number | undefined, cap: number): Promise<number> {
  const constraints = marketConstraintFlags(values);
  const run = await loadMarketQueryRun(values.run, cap);
  const { curves } = run;
  const budget = budgetFlag ?? curves.totalHistoricalSpend;
  const result = optimizeMarkets(run, { budget, constraints });
  const { plan, bounds } = result;
  const markets = bounds.markets;
  const index = curves.markets;
  if (!index) throw new Error('market curves without a market index');
  const current = curves.historicalSpend;
  const marginal = marginalReturns(run, plan.spend);
  // Per pair: its channel's evidence from the run, and P(its move helps) on the same curves by market.
  const moves = channelMoves(
    run,
    plan.spend,
    bounds.pairs,
    result.gridStep,
    pairEvidence(index, readChannelEvidence(values.run, index.channels)),
  );
  const change = outcomeChange(score(run, current), plan.score);
  const sumOf = (spend: Float64Array, set: number[]) => set.reduce((sum, p) => sum + spend[p], 0);
  const limit = (totals: typeof markets, m: number): string => {
    const spent = sumOf(plan.spend, totals.members[m]);
    if (spent >= totals.upper[m] - result.gridStep / 2 && !totals.upperReason[m].endsWith("its pairs' caps")) return totals.upperReason[m];
    if (totals.lower[m] > 0 && spent <= totals.lower[m] + result.gridStep / 2) return totals.lowerReason[m];
    return '';
  };
  const familyTable = (totals: typeof markets) =>
    formatTable(
      [totals.kind, 'current', 'recommended', 'change', 'limit'],
      totals.names.map((name, m) => [
        name,
        formatAmount(totals.current[m]),
        formatAmount(sumOf(plan.spend, totals.members[m])),
        signed(sumOf(plan.spend, totals.members[m]) - totals.current[m]),
        limit(totals, m),
      ]),
      [0, 4],
    );
  const pairs = curves.channels.map((label, p) => ({
    pair: label,
    market: markets.names[bounds.partition.marketOfGeo[index.geoOf[p]]],
    geo: index.geos[index.geoOf[p]],
    channel: index.channels[index.channelOf[p]],
    current: current[p],
    recommended: plan.spend[p],
    change: plan.spend[p] - current[p],
    mroi: marginal[p].mroi,
    contribution: plan.score.channels[p].contribution,
    moved: moves[p].moved,
    informed: moves[p].informed,
    evidenceLabel: moves[p].evidenceLabel,
    pMoveHelps: moves[p].pMoveHelps,
  }));
  const pairTable = formatTable(
    ['geo', 'channel', 'current', 'recommended', 'change', 'mROI', 'P(move helps)', 'evidence'],
    pairs.map((row) => [
      row.geo,
      row.channel,
      formatAmount(row.current),
      formatAmount(row.recommended),
      signed(row.change),
      formatAmount(row.mroi.mean),
      pMoveHelpsText(row),
      evidenceText(row),
    ]),
    [0, 1, 7],
  );
  // Each synergy term by geo (model.interactions): its calibrated posterior-mean outcome at the plan and at current spend.
  const k = run.calibration.factor;
  const synergies = (curves.pairGrids?.pairs ?? []).map(([a, b], q) => ({
    geo: index.geos[index.geoOf[a]],
    channels: [index.channels[index.channelOf[a]], index.channels[index.channelOf[b]]],
    recommended: k * curves.mean.pairValue(q, plan.spend[a], plan.spend[b]),
    current: k * curves.mean.pairValue(q, current[a], current[b]),
  }));
  const sumTerms = (key: 'recommended' | 'current') => synergies.reduce((sum, term) => sum + term[key], 0);
  const withinGap = `within ${formatPercent(result.gap)} of the best plan on the spend grid`;
  const method =
    result.method === 'lagrangian'
      ? `Lagrangian relaxation of the channel totals (${result.iterations} dual steps): ${withinGap}`
      : result.gap > 1e-12
        ? `dynamic programming over pairs and markets, the synergy pairs forming a cycle bounded on a spanning forest: ${withinGap}`
        : `exact optimum on the spend grid (dynamic programming over pairs and markets${synergies.length > 0 ? ", each geo's synergy pairs by the tree DP" : ''})`;
  const outcome = (s: { mean: number; p05: number; p95: number }) =>
    `${formatAmount(s.mean)} (90% ${formatAmount(s.p05)}..${formatAmount(s.p95)})`;
  const summary = `${describeChange(change)}${priorMovesNote(pairs)}\nP(move helps): the share of posterior draws in which the plan beats the same plan with that pair back at current spend and the money spread over the other pairs.\n\n${formatKeyValues(
    [
      ['objective', `mean, ${method} (grid step ${formatAmount(result.gridStep)})`],
      [
        'optimality gap',
        `${formatPercent(result.gap)} of the paid-media outcome (bound ${formatAmount(result.bound)}, plan ${formatAmount(result.paidMedia)})`,
      ],
      ['outcome, recommended', outcome(plan.score.outcome)],
      ['outcome, current mix', outcome(result.current.score.outcome)],
      ['P(beats current mix)', formatPercent(plan.score.pBeatsCurrent)],
      [
        'markets',
        `${markets.names.length} ${markets.kind}s, ${curves.channels.length} (geo, channel) pairs with spend${index.withoutSpend.length > 0 ? ` (${index.withoutSpend.length} without spend in the window left out)` : ''}`,
      ],
      ...(synergies.length > 0
        ? [
            [
              'synergy terms',
              `${synergies.length} by geo (model.interactions), ${formatAmount(sumTerms('recommended'))} of the recommended outcome (current spend ${formatAmount(sumTerms('current'))})`,
            ] as [string, string],
          ]
        : []),
      ['cap', `${describeCap(curves.cap).replace('each channel', 'each (geo, channel) pair')} (--cap)`],
      ['window', `${run.calibration.window.start}..${run.calibration.window.end} (calibration k = ${run.calibration.factor.toFixed(4)})`],
    ],
  )}`;
  const recommendation = {
    requestId: randomUUID(),
    runId: run.runId,
    requestedAt: new Date().toISOString(),
    constraints: { budget, by: 'geo', ...constraints },
  };
  const json = {
    runId: run.runId,
    by: 'geo',
    grouping: bounds.partition.grouping,
    budget,
    method: result.method,
    gap: result.gap,
    bound: result.bound,
    paidMedia: result.paidMedia,
    iterations: result.iterations,
    gridStep: result.gridStep,
    window: run.calibration.window,
    calibrationFactor: run.calibration.factor,
    cap: curves.cap,
    change,
    markets: markets.names.map((name, m) => ({
      market: name,
      current: markets.current[m],
      recommended: sumOf(plan.spend, markets.members[m]),
      limit: limit(markets, m) || null,
    })),
    channels: bounds.channels.names.map((name, r) => ({
      channel: name,
      current: bounds.channels.current[r],
      recommended: sumOf(plan.spend, bounds.channels.members[r]),
      limit: limit(bounds.channels, r) || null,
    })),
    pairs,
    synergies,
    outcome: { recommended: plan.score.outcome, currentMix: result.current.score.outcome },
    pBeatsCurrent: plan.score.pBeatsCurrent,
    withoutSpend: index.withoutSpend,
    // The rows optimizeWorkflow would write for this request (mmm_geo_recommendations, mmm_geo_recommendation_evidence).
    rows: geoRecommendationRows(recommendation, run, result),
    evidenceRows: geoRecommendationEvidenceRows(recommendation, run, moves),
  };
  if (values.json === '-') {
    process.stdout.write(toJsonText(json));
    return 0;
  }
  if (values.json) await writeFile(values.json, toJsonText(json));
  process.stdout.write(`${familyTable(markets)}\n\n${familyTable(bounds.channels)}\n\n${pairTable}\n\n${summary}\n`);
  return 0;
}
