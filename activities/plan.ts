/**
 * The plan workflow's activities: the model's current run (io), the plan answered over its horizon with the
 * rows written to a file in run storage the workers share (cpu; custom flighting from the warehouse is read there,
 * from the workers' warehouse), and those rows written to the plan tables under the plan's id (io; a retry
 * replaces them). Inputs and outputs are ids and paths, never arrays of data.
 */
import { buildHorizon } from '../src/run/horizon.ts';
import { answerPlan } from '../src/run/plan-answer.ts';
import { planSpendSource, readPlanInputs } from '../src/run/plan-inputs.ts';
import { planRows } from '../src/run/plan-rows.ts';
import { readChannelEvidence, readFitRun } from '../src/run/run-directory.ts';
import { openWarehouse } from '../src/warehouse/open-warehouse.ts';
import { parsePlanRows } from '../src/warehouse/plans.ts';
import { constraintsFromFlags } from '../src/explore/constraints.ts';
import { planInputSchema, type PlanAnswered, type PlanInput, type PlanResult } from '../src/workflow-contracts/contracts.ts';
import { withRunWorkspace } from '../src/run/storage/run-store.ts';
import { runStore, type ActivityEnvironment } from './environment.ts';
import { NoCurrentRunError } from './optimize.ts';

/** Where answered plans' rows wait for the warehouse, in the run storage the workers share. */
const planRowsPath = (planId: string): string => `plan-answers/${planId}.json`;

export function createPlanActivities(environment: ActivityEnvironment) {
  const store = runStore(environment);
  return {
    async currentRunOf(modelId: string): Promise<string> {
      const warehouse = await openWarehouse(environment.warehouse);
      try {
        const runId = await warehouse.currentRun(modelId);
        if (runId === null) throw new NoCurrentRunError(modelId);
        return runId;
      } finally {
        await warehouse.close();
      }
    },

    async answerPlanOfRun(input: { request: PlanInput; runId: string }): Promise<PlanAnswered> {
      const request = planInputSchema.parse(input.request);
      const { runId } = input;
      const { run, evidence } = await withRunWorkspace(store, runId, { save: false }, (dir) => {
        const fit = readFitRun(dir);
        return { run: fit, evidence: readChannelEvidence(dir, fit.panel.channels) };
      });
      const flighting = planSpendSource(request, () => environment.warehouse);
      const planSpend = await readPlanInputs(run, request.settings, { flighting, controls: request.controlsFile });
      const horizon = buildHorizon(run, { settings: request.settings, planSpend });
      const bound = (record: Record<string, number | string>) => Object.entries(record).map(([channel, value]) => `${channel}=${value}`);
      const channels = constraintsFromFlags({ min: bound(request.min), max: bound(request.max), lock: request.lock });
      const answer = answerPlan(
        horizon,
        {
          budget: request.budget,
          channels,
          cap: request.cap,
          goal: request.goal,
          timing: request.timing,
        },
        evidence,
      );
      const rows = planRows(answer, { planId: request.planId, runId, requestedAt: new Date().toISOString(), request });
      const rowsFile = await store.writeShared(planRowsPath(request.planId), JSON.stringify(rows));
      return {
        planId: request.planId,
        runId,
        rowsFile,
        horizonStart: answer.horizon.start,
        horizonEnd: answer.horizon.end,
        budget: answer.budget,
        outcomeMean: answer.outcome.mean,
        outcomeP05: answer.outcome.p05,
        outcomeP95: answer.outcome.p95,
        goalBudget: answer.goal?.reached?.budget ?? null,
      };
    },

    async writePlanRows(rowsFile: string): Promise<PlanResult['rows']> {
      const rows = parsePlanRows(JSON.parse(await store.readShared(rowsFile)));
      const warehouse = await openWarehouse(environment.warehouse);
      try {
        await warehouse.writePlan(rows);
      } finally {
        await warehouse.close();
      }
      return {
        mmm_plan_scenarios: rows.mmm_plan_scenarios.length,
        mmm_plan_allocations: rows.mmm_plan_allocations.length,
        mmm_plan_evidence: rows.mmm_plan_evidence.length,
        mmm_plan_weekly: rows.mmm_plan_weekly.length,
        mmm_plan_surface_scenarios: rows.mmm_plan_surface_scenarios.length,
        mmm_plan_surface_allocations: rows.mmm_plan_surface_allocations.length,
      };
    },
  };
}
