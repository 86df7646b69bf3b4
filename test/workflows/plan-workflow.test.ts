/**
 * planWorkflow on a real Temporal dev server with real activities and a real DuckDB file: a fit of the PyMC
 * example (4 chains x 300 + 300, seed 1) published as model 'pymc', then `mmm plan --model pymc` through the
 * workflow writes the plan tables, readable through the v_bi_plan_* views; a retry of a plan id replaces its
 * rows; custom flighting from the workers' warehouse (mmm_input_plan_spend) answers as the CSV file of the same spend; bad input fails the workflow with a typed, non-retryable failure and writes nothing; the history
 * replays against the workflow code.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLAN_WORKFLOW } from '../../src/orchestration/retrain-client.ts';
import { PLAN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import { planWorkflowId, TASK_QUEUES, type PlanInput, type PlanResult } from '../../src/workflow-contracts/contracts.ts';
import { fitPymcExample, runMmm } from '../support/run-mmm.ts';
import { writeMart } from '../warehouse/support/marts.ts';
import { inProcessWorkers, MMM_BIN, useTemporalHarness, WORKFLOW_TEST_TIMEOUT_MS, workflowFailure } from '../support/temporal-harness.ts';

const harness = useTemporalHarness('plan', inProcessWorkers());
const RUN_ID = 'pymc-run-1';
const WEEKS = 13;

const startPlan = (input: PlanInput) =>
  harness().env.client.workflow.start(PLAN_WORKFLOW, {
    workflowId: planWorkflowId(input.planId),
    taskQueue: TASK_QUEUES.io,
    args: [input],
  });

const rowsOfPlan = (planId: string) =>
  harness().withWarehouse(async (w) =>
    Object.fromEntries(
      await Promise.all(
        PLAN_TABLE_NAMES.map(
          async (table) =>
            [
              table,
              Number(
                (
                  await w.db
                    .selectFrom(table)
                    .select((eb) => eb.fn.countAll<number>().as('n'))
                    .where('plan_id', '=', planId)
                    .executeTakeFirstOrThrow()
                ).n,
              ),
            ] as const,
        ),
      ),
    ),
  );

describe('planWorkflow', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  beforeAll(async () => {
    const { environment } = harness();
    const runDir = join(environment.runsDir, RUN_ID);
    const fit = await fitPymcExample(runDir);
    expect(fit.status, fit.stderr).toBe(0);
    const warehousePath = environment.warehouse.engine === 'duckdb' ? environment.warehouse.path : '';
    const published = await runMmm(['publish', '--run', runDir, '--model', 'pymc', '--run-id', RUN_ID, '--warehouse', warehousePath]);
    expect(published.status, published.stderr).toBe(0);
  }, WORKFLOW_TEST_TIMEOUT_MS);

  it('answers `mmm plan --model` through planWorkflow and writes the plan tables, readable through the views', async () => {
    const { env, environment } = harness();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [MMM_BIN, 'plan', '--model', 'pymc', '--budget', '6', '--goal', '70000', '--timing', 'all', '--json', '-'],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: env.address,
          MMM_WAREHOUSE: 'duckdb',
          MMM_DUCKDB_PATH: environment.warehouse.engine === 'duckdb' ? environment.warehouse.path : '',
        },
      },
    );
    const answer = JSON.parse(stdout) as PlanResult & { forecast: { week: string; mean: number; p05: number; p95: number }[] };
    expect(answer.runId).toBe(RUN_ID);
    expect(answer.horizonStart).toBe('2021-09-06');
    expect(answer.horizonEnd).toBe('2021-11-29');
    expect(answer.budget).toBe(6);
    expect(answer.goalBudget).toBeGreaterThan(0);
    expect(answer.forecast).toHaveLength(WEEKS);
    for (const band of answer.forecast) expect(band.p05).toBeLessThan(band.p95);
    expect(await rowsOfPlan(answer.planId)).toEqual(answer.rows);
    // plan, reference and goal; two channels each; 13 weeks x (2 channels + baseline + total).
    // Evidence per channel of the two recommended scenarios (plan, goal).
    expect(answer.rows).toMatchObject({ mmm_plan_scenarios: 3, mmm_plan_allocations: 6, mmm_plan_evidence: 4, mmm_plan_weekly: WEEKS * 4 });
    // The enumerated horizon surface: two channels per scenario; its current mix at the reference budget is the reference plan.
    expect(answer.rows.mmm_plan_surface_scenarios).toBeGreaterThan(100);
    expect(answer.rows.mmm_plan_surface_allocations).toBe(2 * answer.rows.mmm_plan_surface_scenarios);
    const [reference, surfaceReference] = await harness().withWarehouse(async (w) =>
      Promise.all([
        w.db
          .selectFrom('mmm_plan_scenarios')
          .selectAll()
          .where('plan_id', '=', answer.planId)
          .where('scenario', '=', 'reference')
          .executeTakeFirstOrThrow(),
        w.db
          .selectFrom('mmm_plan_surface_scenarios')
          .selectAll()
          .where('plan_id', '=', answer.planId)
          .where('design', '=', 'current')
          .where('budget_level', '=', 1)
          .executeTakeFirstOrThrow(),
      ]),
    );
    expect(surfaceReference.total_spend).toBeCloseTo(reference.total_spend, 6);
    expect(surfaceReference.outcome_mean_calibrated).toBeCloseTo(reference.outcome_mean, 3);

    const views = await harness().withWarehouse(async (w) => ({
      scenarios: await w.db.selectFrom('v_bi_plan_scenarios').selectAll().where('plan_id', '=', answer.planId).execute(),
      allocations: await w.db.selectFrom('v_bi_plan_allocations').selectAll().where('plan_id', '=', answer.planId).execute(),
      weekly: await w.db.selectFrom('v_bi_plan_weekly').selectAll().where('plan_id', '=', answer.planId).execute(),
    }));
    const plan = views.scenarios.find((s) => s.scenario === 'plan');
    expect(plan).toMatchObject({ model_id: 'pymc', is_current: true, is_latest_plan: true, horizon_weeks: WEEKS, flighting: 'even' });
    expect(plan?.outcome_mean).toBeCloseTo(answer.outcomeMean, 6);
    expect(plan?.assumptions).toMatch(/controls \(event_1, event_2\): their seasonal average/);
    // The run `mmm fit` wrote carries its forecast backtest, which the plan states.
    expect(plan?.assumptions).toMatch(
      /forecast backtest: \d+ of 13 weeks \S+ inside the 90% predictive band of a forecast from the weeks before/,
    );
    const spent = views.allocations.filter((a) => a.scenario === 'plan').reduce((s, a) => s + a.spend, 0);
    expect(spent).toBeCloseTo(6, 6);
    // Each recommended channel with the run's evidence label and P(its move helps) where it moved; none on the reference.
    for (const row of views.allocations) {
      if (row.scenario === 'reference') expect([row.moved, row.evidence_label, row.p_move_helps], row.channel).toEqual([null, null, null]);
      else {
        expect(row.evidence_label, `${row.scenario} ${row.channel}`).toMatch(/^(informed by the data|not informed by the data)$/);
        expect(row.p_move_helps === null, `${row.scenario} ${row.channel}`).toBe(row.moved === false);
      }
    }
    const goal = views.scenarios.find((s) => s.scenario === 'goal');
    expect(goal?.goal_reached_probability).toBeGreaterThanOrEqual(0.8);
    const totals = views.weekly.filter((w) => w.series_type === 'total').sort((a, b) => a.week.localeCompare(b.week));
    expect(totals.map((w) => [w.week, w.outcome_mean, w.predictive_p05, w.predictive_p95])).toEqual(
      answer.forecast.map((f) => [f.week, f.mean, f.p05, f.p95]),
    );
  });

  it('a retry of a plan id replaces its rows; the history replays against the workflow code', async () => {
    const input: PlanInput = { modelId: 'pymc', planId: 'plan-retry', budget: 1.5, settings: { weeks: 4, trend: 'flat' } };
    const first = (await (await startPlan(input)).result()) as PlanResult;
    const handle = await startPlan(input);
    const second = (await handle.result()) as PlanResult;
    expect(second.rows).toEqual(first.rows);
    expect(await rowsOfPlan('plan-retry')).toEqual(second.rows);
    expect(second.rows.mmm_plan_weekly).toBe(4 * 4);
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: harness().workflowBundle }, history, handle.workflowId);
  });

  it("takes custom flighting from the workers' warehouse (mmm_input_plan_spend), as from the CSV file of the same spend", async () => {
    const weeks = ['2021-09-06', '2021-09-13', '2021-09-20', '2021-09-27'];
    // In cents, as the mart holds money.
    const spend = (channel: string, j: number) => (channel === 'x1' ? [0.5, 0.25, 0, 0.12][j] : [0, 0.25, 0.5, 0.25][j]);
    await harness().withWarehouse((w) =>
      writeMart(
        w,
        'main',
        'mmm_input_plan_spend',
        weeks.flatMap((week_start, j) =>
          ['x1', 'x2'].map((channel) => ({
            geo: 'national',
            week_start,
            channel,
            spend: spend(channel, j),
            media_units: null,
            media_unit: null,
          })),
        ),
      ),
    );
    const file = join(harness().dir, 'plan-of-the-mart.csv');
    writeFileSync(file, `date_week,x1,x2\n${weeks.map((w, j) => `${w},${spend('x1', j)},${spend('x2', j)}`).join('\n')}\n`);
    const settings = { weeks: 4, flighting: 'custom' } as const;
    const fromWarehouse = (await (
      await startPlan({ modelId: 'pymc', planId: 'plan-from-warehouse', settings, flightingFromWarehouse: true })
    ).result()) as PlanResult;
    const fromFile = (await (
      await startPlan({ modelId: 'pymc', planId: 'plan-from-file', settings, flightingFile: file })
    ).result()) as PlanResult;
    expect(fromWarehouse.budget).toBeCloseTo(1.87, 12);
    expect({ ...fromWarehouse, planId: '', rowsFile: '' }).toEqual({ ...fromFile, planId: '', rowsFile: '' });
    const weekly = (planId: string) =>
      harness().withWarehouse((w) =>
        w.db
          .selectFrom('mmm_plan_weekly')
          .select(['week', 'channel', 'spend', 'outcome_mean', 'outcome_p05', 'outcome_p95', 'predictive_p05', 'predictive_p95'])
          .where('plan_id', '=', planId)
          .orderBy('week')
          .orderBy('channel')
          .execute(),
      );
    const rows = await weekly('plan-from-warehouse');
    expect(rows).toHaveLength(4 * 4);
    expect(rows).toEqual(await weekly('plan-from-file'));
    const assumptions = await harness().withWarehouse((w) =>
      w.db
        .selectFrom('mmm_plan_scenarios')
        .select('assumptions')
        .where('plan_id', '=', 'plan-from-warehouse')
        .where('scenario', '=', 'plan')
        .executeTakeFirstOrThrow(),
    );
    expect(assumptions.assumptions).toContain('x1: spend per week from the warehouse table mmm_input_plan_spend (0.87 in total)');
  });

  it('refuses custom flighting from both a file and the warehouse before any activity runs', async () => {
    const failure = await workflowFailure(
      (
        await startPlan({
          modelId: 'pymc',
          planId: 'plan-both',
          settings: { flighting: 'custom' },
          flightingFile: '/x.csv',
          flightingFromWarehouse: true,
        })
      ).result(),
    );
    expect(failure.message).toMatch(/flightingFromWarehouse: custom flighting comes from flightingFile or from the warehouse/);
  });

  it('refuses a custom flighting row for a week outside the horizon with a typed failure, writing nothing', async () => {
    const file = join(harness().dir, 'plan-bad.csv');
    writeFileSync(file, 'date_week,x1,x2\n2021-09-06,1,1\n2030-01-07,1,1\n');
    const failure = await workflowFailure(
      (await startPlan({ modelId: 'pymc', planId: 'plan-bad', settings: { weeks: 2, flighting: 'custom' }, flightingFile: file })).result(),
    );
    expect(failure.type).toBe('DataValidationError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/week 2030-01-07 is not one of the horizon's weeks 2021-09-06\.\.2021-09-13/);
    expect(await rowsOfPlan('plan-bad')).toEqual({
      mmm_plan_scenarios: 0,
      mmm_plan_allocations: 0,
      mmm_plan_evidence: 0,
      mmm_plan_weekly: 0,
      mmm_plan_surface_scenarios: 0,
      mmm_plan_surface_allocations: 0,
    });
  });

  it('refuses a model without a current run, and a horizon past 52 weeks before any activity runs', async () => {
    const none = await workflowFailure((await startPlan({ modelId: 'nobody', planId: 'plan-none' })).result());
    expect(none.type).toBe('NoCurrentRunError');
    const long = await workflowFailure((await startPlan({ modelId: 'pymc', planId: 'plan-long', settings: { weeks: 60 } })).result());
    expect(long.message).toMatch(/a horizon of 60 weeks is past what the data can support/);
  });
});
