/**
 * `mmm plan --model ID` when a Temporal cluster is configured (TEMPORAL_ADDRESS): the request runs as
 * planWorkflow on the workers, which answer it from the model's current run and write the plan tables; the
 * plan is then read back from the warehouse and printed.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { formatAmount, formatKeyValues, formatPercent, formatTable, toJsonText } from '../explore/format.ts';
import { runPlan } from '../orchestration/retrain-client.ts';
import { connectClient, type TemporalSettings } from '../orchestration/temporal-connection.ts';
import { openWarehouse, warehouseConfigFromEnv } from '../warehouse/open-warehouse.ts';
import type { PlanInput } from '../workflow-contracts/contracts.ts';
import { UsageError } from './command.ts';
import { EXPECTED_BAND, PREDICTIVE_BAND } from './format-plan.ts';
import { boundEntries } from './optimize-through-workflow.ts';

export interface PlanFlagValues {
  model?: string;
  settings: PlanInput['settings'];
  flightingFile?: string;
  flightingFromWarehouse: boolean;
  controlsFile?: string;
  budget?: number;
  min?: string[];
  max?: string[];
  lock?: string[];
  cap: number;
  goal?: PlanInput['goal'];
  timing?: PlanInput['timing'];
  json?: string;
}

const band = (mean: number, p05: number, p95: number): string => `${formatAmount(mean)} (90% ${formatAmount(p05)}..${formatAmount(p95)})`;

export async function planThroughWorkflow(settings: TemporalSettings, values: PlanFlagValues): Promise<number> {
  if (!values.model) throw new UsageError('--model ID is required when TEMPORAL_ADDRESS is set (or pass --run DIR to plan locally)');
  const request: PlanInput = {
    modelId: values.model,
    planId: `cli-${randomUUID()}`,
    settings: values.settings,
    flightingFile: values.flightingFile,
    flightingFromWarehouse: values.flightingFromWarehouse,
    controlsFile: values.controlsFile,
    budget: values.budget,
    min: Object.fromEntries(boundEntries('min', values.min ?? [])),
    max: Object.fromEntries(boundEntries('max', values.max ?? [])),
    lock: values.lock ?? [],
    cap: values.cap,
    goal: values.goal,
    timing: values.timing,
  };
  const client = await connectClient(settings);
  const result = await runPlan(client, request).finally(() => client.connection.close());
  const warehouse = await openWarehouse(warehouseConfigFromEnv());
  const [scenarios, allocations, weekly] = await Promise.all([
    warehouse.db.selectFrom('mmm_plan_scenarios').selectAll().where('plan_id', '=', result.planId).orderBy('scenario').execute(),
    warehouse.db.selectFrom('mmm_plan_allocations').selectAll().where('plan_id', '=', result.planId).orderBy('channel').execute(),
    warehouse.db
      .selectFrom('mmm_plan_weekly')
      .selectAll()
      .where('plan_id', '=', result.planId)
      .where('channel', '=', 'total')
      .orderBy('week')
      .execute(),
  ]).finally(() => warehouse.close());
  const json = {
    ...result,
    scenarios,
    allocations,
    forecast: weekly.map((w) => ({ week: w.week, mean: w.outcome_mean, p05: w.predictive_p05, p95: w.predictive_p95 })),
  };
  if (values.json === '-') {
    process.stdout.write(toJsonText(json));
    return 0;
  }
  if (values.json) await writeFile(values.json, toJsonText(json));
  const plan = scenarios.find((s) => s.scenario === 'plan');
  const goal = scenarios.find((s) => s.scenario === 'goal');
  const planAllocations = allocations.filter((a) => a.scenario === 'plan');
  process.stdout.write(
    `Plan for ${result.horizonStart}..${result.horizonEnd}: budget ${formatAmount(result.budget)}\n\n${formatTable(
      ['channel', 'reference', 'plan', 'outcome (90%)'],
      planAllocations.map((a) => [
        a.channel,
        formatAmount(a.reference_spend),
        formatAmount(a.spend),
        band(a.contribution_mean, a.contribution_p05, a.contribution_p95),
      ]),
    )}\n\nWeekly forecast of the plan (${EXPECTED_BAND}; ${PREDICTIVE_BAND}):\n${formatTable(
      ['week', 'spend', 'expected', 'predictive 90%'],
      weekly.map((w) => [
        w.week,
        formatAmount(w.spend),
        formatAmount(w.outcome_mean),
        `${formatAmount(w.predictive_p05 ?? 0)}..${formatAmount(w.predictive_p95 ?? 0)}`,
      ]),
    )}\n\n${formatKeyValues([
      ['outcome, plan', plan ? band(plan.outcome_mean, plan.outcome_p05, plan.outcome_p95) : ''],
      ['P(beats reference mix)', plan?.p_beats_reference == null ? '' : formatPercent(plan.p_beats_reference)],
      ...(goal ? ([['least budget reaching the goal', formatAmount(goal.total_spend)]] as const) : []),
      ['calibration k', plan ? plan.calibration_factor.toFixed(4) : ''],
      ['run', result.runId],
      [
        'rows',
        `${Object.entries(result.rows)
          .map(([table, n]) => `${n} in ${table}`)
          .join(', ')} (plan_id ${result.planId})`,
      ],
    ])}\n`,
  );
  return 0;
}
