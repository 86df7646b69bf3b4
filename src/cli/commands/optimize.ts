/**
 * `mmm optimize --run DIR`: the optimizer's plan for a budget under constraints, against current spend,
 * with diverse alternatives within a tolerance of the best that beat the current mix with at least a given
 * probability; answered from the stored surface. The report says what the budget change buys against
 * current spend, with its 90% interval.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError, type CliCommand } from '../command.ts';
import { checkFlags, flagValue, parseFlags } from '../flags.ts';
import { describeOptimality, evidenceText, pMoveHelpsText, priorMovesNote } from '../optimize-format.ts';
import { capFlagSchema, loadQueryRun, QUERY_FLAG_OPTIONS, QUERY_FLAGS_HELP } from '../query-flags.ts';
import { allocationRecord } from '../../explore/allocation.ts';
import { alternativesWorthShowing, DEFAULT_MIN_P_BEATS_CURRENT, diverseAlternatives } from '../../explore/alternatives.ts';
import { describeChange, outcomeChange } from '../../explore/budget-change.ts';
import { constraintsFromFlags, describeCap } from '../../explore/constraints.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable, toJsonText } from '../../explore/format.ts';
import { marginalReturns } from '../../explore/marginal.ts';
import { describeObjective, MEAN_OBJECTIVE, parseObjective } from '../../explore/objective.ts';
import { channelMoves } from '../../explore/move-evidence.ts';
import { optimize } from '../../explore/optimizer.ts';
import { recommendationEvidenceRows, recommendationRows } from '../../explore/rows.ts';
import { readChannelEvidence } from '../../run/run-directory.ts';
import { score } from '../../explore/score.ts';
import { temporalSettingsFromEnv } from '../../orchestration/temporal-connection.ts';
import { boundEntries, optimizeThroughWorkflow } from '../optimize-through-workflow.ts';
import { byFlagSchema, MARKET_FLAG_OPTIONS, MARKET_FLAGS_HELP, marketConstraintFlags, optimizeByMarket } from '../optimize-by-market.ts';

const usage = `Usage: mmm optimize --run DIR | --model ID [--budget N] [--min CH=V|P%] [--max CH=V|P%] [--lock CH] [--cap X]
                    [--objective mean|qNN|mean-sd:LAMBDA] [--alternatives K] [--tolerance T] [--min-p-beats P] [--json FILE]
       mmm optimize --run DIR | --model ID --by geo [--budget N] [--geo-min M=V|P%] [--geo-max M=V|P%] [--group country|region
                    --geo-groups FILE] [--min/--max CH=V|P% or GEO/CH=V|P%] [--cap X] [--json FILE]

The plan that maximises the objective for a total budget, from DIR/surface/ (built by 'mmm surface').
For the mean objective it is the exact optimum on a spend grid of budget/1000 steps (dynamic programming;
S-shaped response curves included); risk objectives re-score candidate plans on every posterior draw.
The report says what the change against current spend buys, with its 90% interval, and per channel moved
the run's evidence label and P(the move helps): the share of posterior draws in which the plan beats the
same plan with that channel back at current spend and the money spread over the other channels. A risk
objective's report bounds how far its answer can be from the best plan on the grid.

With TEMPORAL_ADDRESS set and --model instead of --run, the request runs as optimizeWorkflow on the
workers, answered from the model's current surface, and its plans are written to mmm_recommendations
(with --by geo: mmm_geo_recommendations, per (geo, channel) pair with the method and gap).

With --by geo (a geo model) the plan is spend per (geo, channel) pair, from the run's components by market
(computed from the posterior on first use and cached in DIR/surface/markets/); totals per market and per
channel at once are solved by Lagrangian relaxation, and the report gives the optimality gap and, per pair
moved, its channel's evidence label and P(the move helps) (the money spread over the other pairs).

Options:
  --run DIR            a run directory (local answer)
  --model ID           the model whose current run answers (through optimizeWorkflow)
  --budget N           total budget over the reporting window (default: historical total)
${QUERY_FLAGS_HELP}
  --objective OBJ      mean (default), qNN: posterior percentile (q05 = outcome reached in 95% of draws),
                       mean-sd:LAMBDA: mean - LAMBDA x sd
  --alternatives K     also list up to K diverse plans within --tolerance of the best (default 3)
  --tolerance T        objective shortfall allowed for alternatives, fraction of the best plan's
                       paid-media outcome (default 0.01)
  --min-p-beats P      show only alternatives that beat the current mix with probability >= P (default ${DEFAULT_MIN_P_BEATS_CURRENT})
  --json FILE          write the plan, alternatives, mmm_recommendations and mmm_recommendation_evidence rows
                       as JSON ('-' for stdout only)
${MARKET_FLAGS_HELP}`;

const options = {
  ...QUERY_FLAG_OPTIONS,
  model: { type: 'string' },
  budget: { type: 'string' },
  objective: { type: 'string' },
  alternatives: { type: 'string' },
  tolerance: { type: 'string' },
  'min-p-beats': { type: 'string' },
  ...MARKET_FLAG_OPTIONS,
} as const;

/** Flag values after parseArgs: numbers checked here so messages name the flag. */
const flagsSchema = z.object({
  budget: z.coerce.number().nonnegative().optional(),
  alternatives: z.coerce.number().int().min(0).max(49).default(3),
  tolerance: z.coerce.number().min(0).max(1).default(0.01),
  'min-p-beats': z.coerce.number().min(0).max(1).default(DEFAULT_MIN_P_BEATS_CURRENT),
  cap: capFlagSchema,
  by: byFlagSchema,
});

const signed = (value: number): string => (value > 0 ? `+${formatAmount(value)}` : formatAmount(value));

export const optimizeCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, options);
    const flags = checkFlags(flagsSchema, values);
    const temporal = temporalSettingsFromEnv();
    if (flags.by === 'geo') {
      if (values.objective && values.objective !== 'mean') throw new UsageError('--by geo optimises the posterior mean (--objective mean)');
      if (!values.run && temporal) {
        const market = marketConstraintFlags(values);
        return optimizeThroughWorkflow(temporal, {
          ...values,
          budget: flags.budget,
          market: {
            geoMin: Object.fromEntries(boundEntries('geo-min', values['geo-min'] ?? [])),
            geoMax: Object.fromEntries(boundEntries('geo-max', values['geo-max'] ?? [])),
            group: market.grouping,
            geoGroups: market.geoGroups,
          },
        });
      }
      if (!values.run) throw new UsageError('--by geo needs --run DIR (or TEMPORAL_ADDRESS and --model ID to run optimizeWorkflow)');
      return optimizeByMarket({ ...values, run: values.run }, flags.budget, flags.cap);
    }
    const marketFlag = (['geo-min', 'geo-max', 'group', 'geo-groups'] as const).find((flag) => values[flag] !== undefined);
    if (marketFlag) throw new UsageError(`--${marketFlag} plans by market: add --by geo`);
    if (!values.run && temporal) return optimizeThroughWorkflow(temporal, { ...values, budget: flags.budget });
    if (!values.run) throw new UsageError('--run DIR is required (or set TEMPORAL_ADDRESS and pass --model ID to run optimizeWorkflow)');
    const channels = flagValue('min/--max', () => constraintsFromFlags({ min: values.min, max: values.max, lock: values.lock }));
    const objective = values.objective ? flagValue('objective', () => parseObjective(values.objective as string)) : MEAN_OBJECTIVE;
    const run = await loadQueryRun(values.run, flags.cap);
    const { curves } = run;
    const evidence = readChannelEvidence(values.run, curves.channels);
    const minPBeats = flags['min-p-beats'];
    const budget = flags.budget ?? curves.totalHistoricalSpend;
    const result = optimize(run, { budget, channels, objective });
    const withinTolerance =
      flags.alternatives > 0
        ? diverseAlternatives(run, { budget, channels, objective, count: flags.alternatives + 1, tolerance: flags.tolerance }).slice(1)
        : [];
    const { shown: alternatives, hidden } = alternativesWorthShowing(withinTolerance, minPBeats);
    const marginal = marginalReturns(run, result.plan.spend);
    const { plan, current } = result;
    const currentSpend = curves.historicalSpend;
    const change = outcomeChange(score(run, currentSpend), plan.score);

    // A bound the plan sits on (within half a grid step) explains why that channel's mROI differs from the rest.
    const { bounds } = result;
    const movesOf = (spend: Float64Array) => channelMoves(run, spend, bounds, result.gridStep, evidence);
    const moves = movesOf(plan.spend);
    const limit = (c: number): string => {
      if (plan.spend[c] >= bounds.upper[c] - result.gridStep / 2) return bounds.upperReason[c];
      if (bounds.lower[c] > 0 && plan.spend[c] <= bounds.lower[c] + result.gridStep / 2) return bounds.lowerReason[c];
      return '';
    };
    const table = formatTable(
      ['channel', 'current', 'recommended', 'change', 'mROI', 'P(move helps)', 'evidence', 'limit'],
      [
        ...curves.channels.map((channel, c) => [
          channel,
          formatAmount(currentSpend[c]),
          formatAmount(plan.spend[c]),
          signed(plan.spend[c] - currentSpend[c]),
          formatAmount(marginal[c].mroi.mean),
          pMoveHelpsText(moves[c]),
          evidenceText(moves[c]),
          limit(c),
        ]),
        [
          'total',
          formatAmount(curves.totalHistoricalSpend),
          formatAmount(plan.score.totalSpend),
          signed(plan.score.totalSpend - curves.totalHistoricalSpend),
          formatAmount(plan.score.mroi),
          '',
          '',
          '',
        ],
      ],
      [0, 6, 7],
    );
    const outcome = (s: { mean: number; p05: number; p95: number }) =>
      `${formatAmount(s.mean)} (90% ${formatAmount(s.p05)}..${formatAmount(s.p95)})`;
    const weak =
      plan.score.pBeatsCurrent < minPBeats
        ? `\nThe recommended plan beats the current mix in only ${formatPercent(plan.score.pBeatsCurrent)} of posterior draws, below ${formatPercent(minPBeats)} (--min-p-beats): the data do not favour it over the current mix.`
        : '';
    const summary = `${describeChange(change)}${weak}${priorMovesNote(moves)}\n\n${formatKeyValues([
      [
        'objective',
        `${describeObjective(objective)}${
          result.exact
            ? ', exact optimum on the spend grid'
            : result.gap !== null
              ? ', DP over a spanning forest refined by coordinate moves (synergy pairs form a cycle)'
              : ', best of candidates re-scored on every draw'
        } (grid step ${formatAmount(result.gridStep)})`,
      ],
      ...(result.exact ? [] : [['optimality', describeOptimality(result.optimality)] as const]),
      ['outcome, recommended', outcome(plan.score.outcome)],
      ['outcome, current mix', outcome(current.score.outcome)],
      ['P(beats current mix)', formatPercent(plan.score.pBeatsCurrent)],
      ['cap', `${describeCap(curves.cap)} (--cap)`],
      ['window', `${run.calibration.window.start}..${run.calibration.window.end} (calibration k = ${run.calibration.factor.toFixed(4)})`],
    ])}`;
    const alternativeMoves = alternatives.map((alt) => movesOf(alt.plan.spend));
    const hiddenText =
      hidden === 0
        ? ''
        : `\n(${hidden} more within ${formatPercent(flags.tolerance)} of the best not shown: P(beats current mix) below ${formatPercent(minPBeats)})`;
    const alternativesText =
      withinTolerance.length === 0
        ? ''
        : alternatives.length === 0
          ? `\n\nNo alternative within ${formatPercent(flags.tolerance)} of the best beats the current mix with probability >= ${formatPercent(minPBeats)} (--min-p-beats).${hiddenText}`
          : `\n\nAlternatives within ${formatPercent(flags.tolerance)} of the best that beat the current mix with probability >= ${formatPercent(minPBeats)} (--min-p-beats):\n${formatTable(
              ['rank', 'shortfall', 'budget moved', 'outcome', 'P(beats current)', ...curves.channels],
              alternatives.map((alt, i) => [
                String(i + 2),
                formatPercent(alt.shortfall),
                formatPercent(alt.distance),
                formatAmount(alt.plan.score.outcome.mean),
                formatPercent(alt.plan.score.pBeatsCurrent),
                ...alternativeMoves[i].map((move) =>
                  move.moved ? `${formatAmount(move.recommended)} (${pMoveHelpsText(move)})` : formatAmount(move.recommended),
                ),
              ]),
            )}\n(each moved channel's spend with P(the move helps) in brackets)${hiddenText}`;

    const request = { budget, channels, objective };
    const recommendation = { requestId: randomUUID(), runId: run.runId, requestedAt: new Date().toISOString(), constraints: request };
    const json = {
      runId: run.runId,
      budget,
      objective: describeObjective(objective),
      exact: result.exact,
      gap: result.gap,
      optimality: result.optimality,
      gridStep: result.gridStep,
      window: run.calibration.window,
      calibrationFactor: run.calibration.factor,
      cap: curves.cap,
      change,
      channels: curves.channels.map((channel, c) => ({
        channel,
        current: currentSpend[c],
        recommended: plan.spend[c],
        change: plan.spend[c] - currentSpend[c],
        mroi: marginal[c].mroi,
        contribution: plan.score.channels[c].contribution,
        limit: limit(c) || null,
        moved: moves[c].moved,
        informed: moves[c].informed,
        evidenceLabel: moves[c].evidenceLabel,
        pMoveHelps: moves[c].pMoveHelps,
      })),
      outcome: { recommended: plan.score.outcome, currentMix: current.score.outcome },
      pBeatsCurrent: plan.score.pBeatsCurrent,
      minPBeatsCurrent: minPBeats,
      hiddenAlternatives: hidden,
      // Ranks as in the rows: 1 the plan, then the alternatives shown.
      alternatives: alternatives.map((alt, i) => ({
        rank: i + 2,
        shortfall: alt.shortfall,
        distance: alt.distance,
        spend: allocationRecord(curves.channels, alt.plan.spend),
        outcome: alt.plan.score.outcome,
        pBeatsCurrent: alt.plan.score.pBeatsCurrent,
        moves: alternativeMoves[i],
      })),
      rows: recommendationRows(recommendation, curves.channels, currentSpend, [plan, ...alternatives.map((alt) => alt.plan)]),
      evidenceRows: recommendationEvidenceRows(recommendation, [moves, ...alternativeMoves]),
    };
    if (values.json === '-') {
      process.stdout.write(toJsonText(json));
      return 0;
    }
    if (values.json) await writeFile(values.json, toJsonText(json));
    process.stdout.write(`${table}\n\n${summary}${alternativesText}\n`);
    return 0;
  },
};
