/**
 * `mmm explore --run DIR ...`: answers planning questions from a run's stored surface without re-running
 * inference — score an allocation, marginal returns, the efficient frontier, goal seek.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError, type CliCommand } from '../command.ts';
import { checkFlags, flagValue, parseFlags } from '../flags.ts';
import { allocationFromRecord, allocationInputSchema } from '../../explore/allocation.ts';
import { constraintsFromFlags } from '../../explore/constraints.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable, toJsonText } from '../../explore/format.ts';
import { efficientFrontier } from '../../explore/frontier.ts';
import { goalSeek } from '../../explore/goal-seek.ts';
import { marginalReturns } from '../../explore/marginal.ts';
import { parseObjective } from '../../explore/objective.ts';
import { score, type ScoreResult } from '../../explore/score.ts';
import { loadSurfaceRun, type SurfaceRun } from '../../surface/surface-run.ts';

const usage = `Usage: mmm explore --run DIR (--allocation JSON | --marginal | --frontier | --goal TARGET) [options]

Answers from DIR/surface/ (built by 'mmm surface'); outcomes are calibrated totals over the reporting window.

Modes:
  --allocation JSON    score an allocation, e.g. '{"tv":50000,"search":20000}' (channels left out keep current spend)
  --marginal           marginal return (d outcome / d spend) per channel, at --allocation or current spend
  --frontier           best plan per budget level with its 90% credible band
  --goal TARGET        least budget whose best plan reaches total outcome TARGET with probability --probability

Options:
  --from N, --to N     frontier budget range (default: channel minimums .. 2 x historical total)
  --levels N           frontier levels (default 41)
  --objective OBJ      frontier objective: mean (default), qNN (e.g. q05), mean-sd:LAMBDA
  --probability P      goal-seek probability (default 0.8)
  --min CH=V|P%        channel minimum, absolute or percent of current spend (repeatable)
  --max CH=V|P%        channel maximum (repeatable)
  --lock CH            keep a channel at current spend (repeatable)
  --json FILE          write the full result as JSON to FILE ('-' for stdout only)`;

const options = {
  run: { type: 'string' },
  allocation: { type: 'string' },
  marginal: { type: 'boolean' },
  frontier: { type: 'boolean' },
  goal: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  levels: { type: 'string' },
  objective: { type: 'string' },
  probability: { type: 'string' },
  min: { type: 'string', multiple: true },
  max: { type: 'string', multiple: true },
  lock: { type: 'string', multiple: true },
  json: { type: 'string' },
} as const;

/** Flag values after parseArgs: numbers checked here so messages name the flag. */
const flagsSchema = z.object({
  from: z.coerce.number().nonnegative().optional(),
  to: z.coerce.number().positive().optional(),
  levels: z.coerce.number().int().min(2).optional(),
  goal: z.coerce.number().optional(),
  probability: z.coerce.number().gt(0).lt(1).optional(),
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
  if (!parsed.success) throw new UsageError(`--allocation must be an object of non-negative spends per channel: ${text}`);
  return allocationFromRecord(run.curves.channels, parsed.data, run.curves.historicalSpend);
}

const band = (s: { mean: number; p05: number; p95: number }): string[] => [formatAmount(s.mean), formatAmount(s.p05), formatAmount(s.p95)];

function scoreReport(run: SurfaceRun, result: ScoreResult): string {
  const channels = formatTable(['channel', 'spend', 'contribution', 'p05', 'p95', 'ROI'],
    result.channels.map((ch) => [ch.channel, formatAmount(ch.spend), ...band(ch.contribution), ch.roi === null ? '-' : formatAmount(ch.roi)]));
  return `${channels}\n\n${formatKeyValues([
    ['total spend', formatAmount(result.totalSpend)],
    ['outcome', `${formatAmount(result.outcome.mean)} (p05 ${formatAmount(result.outcome.p05)}, p50 ${formatAmount(result.outcome.p50)}, p95 ${formatAmount(result.outcome.p95)})`],
    ['from paid media', `${formatAmount(result.incremental.mean)} (p05 ${formatAmount(result.incremental.p05)}, p95 ${formatAmount(result.incremental.p95)})`],
    ['ROI / mROI', `${result.roi === null ? '-' : formatAmount(result.roi)} / ${formatAmount(result.mroi)}`],
    ['P(beats current mix)', formatPercent(result.pBeatsCurrent)],
    ['window', `${run.calibration.window.start}..${run.calibration.window.end} (calibration k = ${run.calibration.factor.toFixed(4)})`],
  ])}`;
}

export const exploreCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, options);
    if (!values.run) throw new UsageError('--run DIR is required');
    const { from, to, levels, goal, probability } = checkFlags(flagsSchema, values);
    const modes = [values.allocation !== undefined && !values.marginal, values.marginal, values.frontier, values.goal !== undefined].filter(Boolean);
    if (modes.length !== 1) throw new UsageError('give exactly one of --allocation, --marginal, --frontier, --goal');
    const channels = flagValue('min/--max', () => constraintsFromFlags({ min: values.min, max: values.max, lock: values.lock }));
    const objective = values.objective ? flagValue('objective', () => parseObjective(values.objective as string)) : undefined;
    const run = await loadSurfaceRun(resolve(values.run));
    let result: unknown;
    let report: string;
    if (values.frontier) {
      const points = efficientFrontier(run, {
        from, to, levels,
        channels, objective,
      });
      result = points.map((p) => ({ budget: p.budget, exact: p.exact, objectiveValue: p.plan.objectiveValue, ...p.plan.score, draws: undefined }));
      report = formatTable(['budget', 'outcome', 'p05', 'p95', 'P(beats current)', ...run.curves.channels],
        points.map((p) => [formatAmount(p.budget), ...band(p.plan.score.outcome), formatPercent(p.plan.score.pBeatsCurrent), ...[...p.plan.spend].map(formatAmount)]));
    } else if (goal !== undefined) {
      const target = goal;
      const found = goalSeek(run, { target, probability, channels });
      result = { target, budget: found.budget, probability: found.probability, ...found.plan.score };
      report = `least budget ${formatAmount(found.budget)} reaches ${formatAmount(target)} with probability ${formatPercent(found.probability)}\n\n${scoreReport(run, found.plan.score)}`;
    } else if (values.marginal) {
      const marginal = marginalReturns(run, parseAllocation(run, values.allocation));
      result = marginal;
      report = formatTable(['channel', 'spend', 'mROI', 'p05', 'p95'], marginal.map((m) => [m.channel, formatAmount(m.spend), ...band(m.mroi)]));
    } else {
      const scored = score(run, parseAllocation(run, values.allocation));
      result = scored;
      report = scoreReport(run, scored);
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
