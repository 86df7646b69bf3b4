/**
 * `mmm plan --run DIR`: a budget for the weeks after the data's end, allocated across channels by the exact
 * DP on the plan horizon, with what it brings, the weekly forecast in both bands, the least budget reaching a
 * goal and the timing of channels' weekly spend (src/run/plan-answer.ts). `--model ID` runs it as
 * planWorkflow on the workers, which write the plan tables.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { horizonWeeksSchema, TREND_CONTINUATIONS, type HorizonSettingsInput } from '../../config/horizon-settings.ts';
import { constraintsFromFlags, DEFAULT_CAP } from '../../explore/constraints.ts';
import { toJsonText } from '../../explore/format.ts';
import { temporalSettingsFromEnv } from '../../orchestration/temporal-connection.ts';
import { buildHorizon } from '../../run/horizon.ts';
import { answerPlan, planGoalSchema } from '../../run/plan-answer.ts';
import { planSpendSource, readPlanInputs } from '../../run/plan-inputs.ts';
import { readChannelEvidence, readFitRun } from '../../run/run-directory.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { checkFlags, flagValue, parseFlags } from '../flags.ts';
import { formatPlan, planJson } from '../format-plan.ts';
import { planThroughWorkflow } from '../plan-through-workflow.ts';
import { warehouseOfFlag } from '../warehouse-flag.ts';
import { capFlagSchema, QUERY_FLAG_OPTIONS } from '../query-flags.ts';

const DEFAULT_PROBABILITY = planGoalSchema.shape.probability.parse(undefined);

const usage = `Usage: mmm plan --run DIR | --model ID [--horizon WEEKS] [--budget N]
                [--flighting even|historical|custom:FILE|custom:warehouse [--warehouse PATH]] [--controls FILE]
                [--goal TARGET [--goal-kind total|incremental] [--probability P]] [--timing CHANNEL|all]
                [--count-carryover] [--trend last-slope|flat] [--min CH=V|P%] [--max CH=V|P%] [--lock CH] [--cap X] [--json FILE]

A budget for the weeks after the data's end, answered from the fitted run's posterior without refitting:
its allocation across channels (the exact optimum on a spend grid of budget/1000 steps, each channel keeping
its flighting), what it brings against the reference plan (each channel's default budget with its flighting)
with the 90% interval, per channel moved from the reference the run's evidence label and P(the move helps),
and the weekly forecast. Decisions use the expected outcome (parameter uncertainty
only); the forecast is also given in the predictive band (observation noise included). Every figure is
calibrated by k of the data's last H weeks. The flags override the config's 'plan' section.

With TEMPORAL_ADDRESS set and --model instead of --run, the request runs as planWorkflow on the workers,
answered from the model's current run, and written to mmm_plan_scenarios, mmm_plan_allocations and
mmm_plan_weekly.

Options:
  --run DIR            a run directory written by 'mmm fit' (local answer)
  --model ID           the model whose current run answers (through planWorkflow)
  --horizon WEEKS      weeks after the data's end (default: the config's plan.weeks, 13; at most 52)
  --budget N           total budget over the horizon (default: the reference plan's, each channel's run rate)
  --flighting F        every channel's weekly spread: even, historical (the same weeks a year before, scaled),
                       custom:FILE (the weekly spend of FILE, a CSV in the fit's wide format: its date
                       column and the channels' spend columns; optionally media, controls, revenue per KPI)
                       or custom:warehouse (the planners' media plan in the warehouse table
                       mmm_input_plan_spend, summed over geos; controls stay at their seasonal average
                       unless --controls gives them; write custom:./warehouse for a file named warehouse)
  --warehouse PATH     with --run and custom:warehouse: a DuckDB warehouse file (default: the environment's
                       warehouse, MMM_WAREHOUSE, MMM_DUCKDB_PATH, MMM_BIGQUERY_*; with --model, the workers')
  --controls FILE      future controls: a CSV with the date column and every control column (default: each
                       control's seasonal average)
  --goal TARGET        also the least budget whose best plan reaches TARGET over the horizon with probability
                       --probability (on the expected outcome)
  --goal-kind KIND     total (default: the outcome over the horizon, baseline included) or incremental (paid media alone)
  --probability P      goal probability (default ${DEFAULT_PROBABILITY})
  --timing CH|all      also the weekly spend of a channel (repeatable, or all) maximising its expected outcome for
                       its planned budget, and the gain over even flighting
  --count-carryover    count the outcome the horizon's spend brings after its end (maxLag weeks without spend)
  --trend T            last-slope (default: the last knot segment's slope continued) or flat
  --min CH=V|P%        channel minimum over the horizon, absolute or percent of its reference spend (repeatable)
  --max CH=V|P%        channel maximum (repeatable)
  --lock CH            keep a channel at its reference spend (repeatable)
  --cap X              every channel at most X x its reference spend (default ${DEFAULT_CAP})
  --json FILE          write the answer as JSON, with forecast: [{ week, mean, p05, p95 }] the total outcome per
                       week in the predictive band ('-' for stdout only)`;

const options = {
  ...QUERY_FLAG_OPTIONS,
  model: { type: 'string' },
  horizon: { type: 'string' },
  budget: { type: 'string' },
  flighting: { type: 'string' },
  controls: { type: 'string' },
  goal: { type: 'string' },
  'goal-kind': { type: 'string' },
  probability: { type: 'string' },
  timing: { type: 'string', multiple: true },
  'count-carryover': { type: 'boolean' },
  trend: { type: 'string' },
  warehouse: { type: 'string' },
} as const;

const CUSTOM_PREFIX = 'custom:';
/** `--flighting custom:warehouse`: the custom spend is the warehouse's mmm_input_plan_spend. */
const FROM_WAREHOUSE = 'warehouse';

/** Flag values after parseArgs: numbers and names checked here so messages name the flag. */
const flagsSchema = z.object({
  horizon: z.coerce.number().pipe(horizonWeeksSchema).optional(),
  budget: z.coerce.number().nonnegative().optional(),
  flighting: z
    .string()
    .refine((f) => f === 'even' || f === 'historical' || (f.startsWith(CUSTOM_PREFIX) && f.length > CUSTOM_PREFIX.length), {
      error: 'one of even, historical, custom:FILE, custom:warehouse',
    })
    .optional(),
  goal: z.coerce.number().optional(),
  'goal-kind': planGoalSchema.shape.kind,
  probability: z.coerce.number().gt(0).lt(1).optional(),
  trend: z.enum(TREND_CONTINUATIONS).optional(),
  cap: capFlagSchema,
});

export type PlanFlags = z.infer<typeof flagsSchema>;

/**
 * The flags' overrides of the config's plan section, and where --flighting custom:... takes the spend from: the
 * file it names, or the warehouse (custom:warehouse).
 */
export function planSettingsFromFlags(
  flags: PlanFlags,
  countCarryover: boolean | undefined,
): { settings: HorizonSettingsInput; flightingFile?: string; flightingFromWarehouse: boolean } {
  const custom = flags.flighting?.startsWith(CUSTOM_PREFIX) ? flags.flighting.slice(CUSTOM_PREFIX.length) : undefined;
  const flighting = custom === undefined ? (flags.flighting as HorizonSettingsInput['flighting']) : 'custom';
  const settings: HorizonSettingsInput = Object.fromEntries(
    Object.entries({ weeks: flags.horizon, flighting, trend: flags.trend, countCarryover }).filter(([, v]) => v !== undefined),
  );
  const flightingFromWarehouse = custom === FROM_WAREHOUSE;
  return { settings, flightingFile: flightingFromWarehouse ? undefined : custom, flightingFromWarehouse };
}

export const planCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, options);
    const flags = checkFlags(flagsSchema, values);
    if (flags.goal === undefined && (values.probability !== undefined || values['goal-kind'] !== undefined))
      throw new UsageError('--probability and --goal-kind go with --goal TARGET');
    const timing = values.timing === undefined ? undefined : values.timing.includes('all') ? ('all' as const) : values.timing;
    const goal = flags.goal === undefined ? undefined : { target: flags.goal, kind: flags['goal-kind'], probability: flags.probability };
    const channels = flagValue('min/--max', () => constraintsFromFlags({ min: values.min, max: values.max, lock: values.lock }));
    const { settings, flightingFile, flightingFromWarehouse } = planSettingsFromFlags(flags, values['count-carryover']);
    if (values.warehouse !== undefined && !flightingFromWarehouse)
      throw new UsageError('--warehouse goes with --flighting custom:warehouse (the warehouse the plan is read from)');
    const temporal = temporalSettingsFromEnv();
    if (!values.run && temporal) {
      if (values.warehouse !== undefined)
        throw new UsageError("--warehouse goes with --run: through planWorkflow the plan is read from the workers' warehouse");
      return planThroughWorkflow(temporal, {
        model: values.model,
        settings,
        flightingFile: flightingFile && resolve(flightingFile),
        flightingFromWarehouse,
        controlsFile: values.controls && resolve(values.controls),
        budget: flags.budget,
        min: values.min,
        max: values.max,
        lock: values.lock,
        cap: flags.cap,
        goal,
        timing,
        json: values.json,
      });
    }
    if (!values.run) throw new UsageError('--run DIR is required (or set TEMPORAL_ADDRESS and pass --model ID to run planWorkflow)');

    const runDir = resolve(values.run);
    const fitRun = readFitRun(runDir);
    const flighting = planSpendSource({ flightingFile, flightingFromWarehouse }, () => warehouseOfFlag(values.warehouse));
    const planSpend = await readPlanInputs(fitRun, settings, { flighting, controls: values.controls });
    const horizon = buildHorizon(fitRun, { settings, planSpend });
    const evidence = readChannelEvidence(runDir, fitRun.panel.channels);
    const answer = answerPlan(horizon, { budget: flags.budget, channels, cap: flags.cap, goal, timing }, evidence);
    const json = planJson(answer, { planId: `cli-${randomUUID()}`, run: runDir });
    if (values.json === '-') {
      process.stdout.write(toJsonText(json));
      return 0;
    }
    if (values.json) await writeFile(values.json, toJsonText(json));
    process.stdout.write(formatPlan(answer, flags.cap));
    return 0;
  },
};
