/**
 * `mmm explore --run DIR ...`: answers planning questions from a run's stored surface without re-running
 * inference — score an allocation, marginal returns, the efficient frontier, goal seek. Every report says
 * what its budget change buys against current spend, with the 90% interval (src/explore/budget-change.ts).
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError, type CliCommand } from '../command.ts';
import { checkFlags, flagValue, parseFlags } from '../flags.ts';
import { capFlagSchema, loadQueryRun, QUERY_FLAG_OPTIONS, QUERY_FLAGS_HELP } from '../query-flags.ts';
import { allocationFromRecord, allocationInputSchema } from '../../explore/allocation.ts';
import { describeChange, outcomeChange, type OutcomeChange } from '../../explore/budget-change.ts';
import { constraintsFromFlags, describeCap } from '../../explore/constraints.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable, toJsonText } from '../../explore/format.ts';
import { efficientFrontier } from '../../explore/frontier.ts';
import { goalSeek, goalSeekRequestSchema } from '../../explore/goal-seek.ts';
import { marginalReturns } from '../../explore/marginal.ts';
import { parseObjective } from '../../explore/objective.ts';
import { score, type ScoreResult } from '../../explore/score.ts';
import type { SurfaceRun } from '../../surface/surface-run.ts';
import { byFlagSchema, loadMarketQueryRun } from '../optimize-by-market.ts';

const DEFAULT_PROBABILITY = goalSeekRequestSchema.shape.probability.parse(undefined);
/** The step `--marginal` prices: the next 1% of each channel's spend (Meridian's mROI step). */
const MARGINAL_STEP = 0.01;

const usage = `Usage: mmm explore --run DIR (--allocation JSON | --marginal | --frontier | --goal TARGET) [options]

Answers from DIR/surface/ (built by 'mmm surface'); outcomes are calibrated totals over the reporting window.
Every report states what the change against current spend buys, with its 90% interval.

Modes:
  --allocation JSON    score an allocation, e.g. '{"tv":50000,"search":20000}' (channels left out keep current spend)
  --marginal           marginal return (d outcome / d spend) per channel and what the next 1% of its spend buys,
                       at --allocation or current spend
  --frontier           best plan per budget level with its 90% credible band and what it buys against current spend
  --goal TARGET        least budget whose best plan reaches outcome TARGET with probability --probability

Options:
  --goal-kind KIND     what --goal targets: total (default: the outcome over the window, baseline included)
                       or incremental (the outcome from paid media alone)
  --probability P      goal-seek probability (default ${DEFAULT_PROBABILITY})
  --from N, --to N     frontier budget range (default: channel minimums .. 2 x historical total)
  --levels N           frontier levels (default 41)
  --objective OBJ      frontier objective: mean (default), qNN (e.g. q05), mean-sd:LAMBDA
${QUERY_FLAGS_HELP}
  --json FILE          write the full result as JSON to FILE ('-' for stdout only)
  --by geo             answer per (geo, channel) pair of a geo model: allocations, bounds and the report name
                       pairs as GEO/CHANNEL, e.g. '{"CA/search":50000}' (components by market, cached in
                       DIR/surface/markets/ on first use)`;

const options = {
  ...QUERY_FLAG_OPTIONS,
  allocation: { type: 'string' },
  marginal: { type: 'boolean' },
  frontier: { type: 'boolean' },
  goal: { type: 'string' },
  'goal-kind': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  levels: { type: 'string' },
  objective: { type: 'string' },
  probability: { type: 'string' },
  by: { type: 'string' },
} as const;

/** Flag values after parseArgs: numbers checked here so messages name the flag. */
const flagsSchema = z.object({
  from: z.coerce.number().nonnegative().optional(),
  to: z.coerce.number().positive().optional(),
  levels: z.coerce.number().int().min(2).optional(),
  goal: z.coerce.number().optional(),
  'goal-kind': goalSeekRequestSchema.shape.targetKind,
  probability: z.coerce.number().gt(0).lt(1).default(DEFAULT_PROBABILITY),
  cap: capFlagSchema,
  by: byFlagSchema,
});

function parseAllocation(run: SurfaceRun, text: string | undefined): Float64Array {
  if (text === undefined) return Float64Array.from(run.curves.historicalSpend);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--allocation is not JSON: ${text}`);
  }
  const parsed = allocationInputSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(`--allocation must be an object of non-negative spends per channel (or GEO/CHANNEL pair): ${text}`);
  return allocationFromRecord(run.curves.channels, parsed.data, run.curves.historicalSpend);
}

const band = (s: { mean: number; p05: number; p95: number }): string[] => [formatAmount(s.mean), formatAmount(s.p05), formatAmount(s.p95)];
const signed = (value: number): string => (value > 0 ? `+${formatAmount(value)}` : formatAmount(value));
/** A change's extra outcome: signed mean, p05, p95. */
const changeBand = (change: OutcomeChange): string[] => [
  signed(change.extraOutcome.mean),
  formatAmount(change.extraOutcome.p05),
  formatAmount(change.extraOutcome.p95),
];

function scoreReport(run: SurfaceRun, result: ScoreResult, change: OutcomeChange): string {
  const channels = formatTable(
    ['channel', 'spend', 'contribution', 'p05', 'p95', 'ROI'],
    result.channels.map((ch) => [
      ch.channel,
      formatAmount(ch.spend),
      ...band(ch.contribution),
      ch.roi === null ? '-' : formatAmount(ch.roi),
    ]),
  );
  return `${channels}\n\n${describeChange(change)}\n\n${formatKeyValues([
    ['total spend', formatAmount(result.totalSpend)],
    [
      'outcome',
      `${formatAmount(result.outcome.mean)} (p05 ${formatAmount(result.outcome.p05)}, p50 ${formatAmount(result.outcome.p50)}, p95 ${formatAmount(result.outcome.p95)})`,
    ],
    [
      'from paid media',
      `${formatAmount(result.incremental.mean)} (p05 ${formatAmount(result.incremental.p05)}, p95 ${formatAmount(result.incremental.p95)})`,
    ],
    ['ROI / mROI', `${result.roi === null ? '-' : formatAmount(result.roi)} / ${formatAmount(result.mroi)}`],
    ['P(beats current mix)', formatPercent(result.pBeatsCurrent)],
    ...footer(run),
  ])}`;
}

/** The lines every report ends with: the cap in force and the window. */
const footer = (run: SurfaceRun): [string, string][] => [
  ['cap', `${describeCap(run.curves.cap)} (--cap)`],
  ['window', `${run.calibration.window.start}..${run.calibration.window.end} (calibration k = ${run.calibration.factor.toFixed(4)})`],
];

/** JSON of a score without its per-draw outcomes. */
const scoreJson = ({ draws: _draws, ...rest }: ScoreResult) => rest;

export const exploreCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, options);
    if (!values.run) throw new UsageError('--run DIR is required');
    const flags = checkFlags(flagsSchema, values);
    const { from, to, levels, goal, probability, cap } = flags;
    const modes = [values.allocation !== undefined && !values.marginal, values.marginal, values.frontier, values.goal !== undefined].filter(
      Boolean,
    );
    if (modes.length !== 1) throw new UsageError('give exactly one of --allocation, --marginal, --frontier, --goal');
    const channels = flagValue('min/--max', () => constraintsFromFlags({ min: values.min, max: values.max, lock: values.lock }));
    const objective = values.objective ? flagValue('objective', () => parseObjective(values.objective as string)) : undefined;
    const run = flags.by === 'geo' ? await loadMarketQueryRun(values.run, cap) : await loadQueryRun(values.run, cap);
    const current = score(run, run.curves.historicalSpend);
    const common = { cap, window: run.calibration.window, calibrationFactor: run.calibration.factor, currentSpend: current.totalSpend };
    let result: unknown;
    let report: string;
    if (values.frontier) {
      const points = efficientFrontier(run, {
        from,
        to,
        levels,
        channels,
        objective,
      }).map((p) => ({ ...p, change: outcomeChange(current, p.plan.score) }));
      result = {
        ...common,
        points: points.map((p) => ({
          budget: p.budget,
          exact: p.exact,
          objectiveValue: p.plan.objectiveValue,
          change: p.change,
          ...scoreJson(p.plan.score),
        })),
      };
      const table = formatTable(
        ['budget', 'vs current', 'outcome', 'p05', 'p95', 'buys', 'p05', 'p95', 'P(beats current mix)', ...run.curves.channels],
        points.map((p) => [
          formatAmount(p.budget),
          signed(p.change.extraSpend),
          ...band(p.plan.score.outcome),
          ...changeBand(p.change),
          formatPercent(p.plan.score.pBeatsCurrent),
          ...[...p.plan.spend].map(formatAmount),
        ]),
      );
      report = `${table}\n\n'buys' is each plan's outcome minus that of current spend (${formatAmount(current.totalSpend)}), per draw, with its 90% interval.\n\n${formatKeyValues(footer(run))}`;
    } else if (goal !== undefined) {
      const targetKind = flags['goal-kind'];
      const found = goalSeek(run, { target: goal, targetKind, probability, channels });
      const change = outcomeChange(current, found.plan.score);
      result = {
        ...common,
        target: goal,
        targetKind,
        requestedProbability: probability,
        budget: found.budget,
        probability: found.probability,
        change,
        ...scoreJson(found.plan.score),
      };
      const what = targetKind === 'total' ? 'total outcome (baseline included)' : 'incremental outcome (from paid media alone)';
      report =
        `least budget ${formatAmount(found.budget)} reaches ${what} ${formatAmount(goal)} with probability ${formatPercent(found.probability)} ` +
        `(asked: at least ${formatPercent(probability)}; --goal-kind, --probability)\n\n${scoreReport(run, found.plan.score, change)}`;
    } else if (values.marginal) {
      const spend = parseAllocation(run, values.allocation);
      const at = score(run, spend);
      const steps = marginalReturns(run, spend).map((m, c) => {
        const step = MARGINAL_STEP * (spend[c] > 0 ? spend[c] : run.curves.historicalSpend[c]);
        if (spend[c] + step > run.curves.maxSpend(c)) return { ...m, nextStep: null };
        const next = Float64Array.from(spend);
        next[c] += step;
        return { ...m, nextStep: outcomeChange(at, score(run, next)) };
      });
      const change = outcomeChange(current, at);
      result = { ...common, change, channels: steps };
      report = `${formatTable(
        ['channel', 'spend', 'mROI', 'p05', 'p95', 'next 1% of spend', 'buys', 'p05', 'p95'],
        steps.map((m) => [
          m.channel,
          formatAmount(m.spend),
          ...band(m.mroi),
          ...(m.nextStep === null ? ['at the cap', '-', '-', '-'] : [formatAmount(m.nextStep.extraSpend), ...changeBand(m.nextStep)]),
        ]),
      )}\n\n${
        values.allocation === undefined
          ? "At current spend; 'buys' is what the next 1% of each channel's spend adds, per draw, with its 90% interval."
          : describeChange(change)
      }\n\n${formatKeyValues(footer(run))}`;
    } else {
      const scored = score(run, parseAllocation(run, values.allocation));
      const change = outcomeChange(current, scored);
      result = { ...common, change, ...scoreJson(scored) };
      report = scoreReport(run, scored, change);
    }
    if (values.json === '-') {
      process.stdout.write(toJsonText(result));
      return 0;
    }
    if (values.json) await writeFile(values.json, toJsonText(result));
    process.stdout.write(`${report}\n`);
    return 0;
  },
};
