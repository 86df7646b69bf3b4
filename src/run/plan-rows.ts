/**
 * An answered plan (plan-answer.ts) as rows of the plan tables (src/explore/plan-rows.ts, src/warehouse/tables.ts):
 * what planWorkflow writes, the horizon's enumerated surface among them.
 */
import type { Interval } from '../analysis/interval.ts';
import {
  PLAN_WEEKLY_SERIES,
  type PlanAllocationRow,
  type PlanEvidenceRow,
  type PlanScenarioRow,
  type PlanWeeklyRow,
} from '../explore/plan-rows.ts';
import { enumerateSurface } from '../surface/enumerate.ts';
import { parsePlanRows, type PlanTableRows } from '../warehouse/plans.ts';
import type { PlanAnswer, PlanMoveEvidence } from './plan-answer.ts';

export interface PlanRowsMeta {
  planId: string;
  runId: string;
  requestedAt: string;
  /** The request as given, serialised into the `request` column. */
  request: unknown;
}

const columns = <N extends string>(name: N, s: Interval) =>
  ({ [`${name}_mean`]: s.mean, [`${name}_p05`]: s.p05, [`${name}_p95`]: s.p95 }) as Record<`${N}_${'mean' | 'p05' | 'p95'}`, number>;

/** 'even' when every channel shares a flighting, else 'search=even, tv=custom'. */
function describeFlighting(flighting: Record<string, string>): string {
  const kinds = new Set(Object.values(flighting));
  return kinds.size === 1
    ? [...kinds][0]
    : Object.entries(flighting)
        .map(([channel, kind]) => `${channel}=${kind}`)
        .join(', ');
}

/** The plan's rows, validated as the warehouse takes them (one plan_id, keys unique). */
export function planRows(answer: PlanAnswer, meta: PlanRowsMeta): PlanTableRows {
  const { planId, runId } = meta;
  const common = {
    plan_id: planId,
    run_id: runId,
    requested_at: meta.requestedAt,
    horizon_start: answer.horizon.start,
    horizon_end: answer.horizon.end,
    horizon_weeks: answer.horizon.weeks,
    flighting: describeFlighting(answer.flighting),
    trend: answer.settings.trend,
    count_carryover: answer.settings.countCarryover,
    assumptions: answer.statements.join('; '),
    request: JSON.stringify(meta.request),
    calibration_factor: answer.calibration.factor,
  };
  const noGoal = { goal_target: null, goal_kind: null, goal_probability: null, goal_reached_probability: null };
  const reference = answer.allocation.map((c) => c.reference);
  const referenceTotal = reference.reduce((a, b) => a + b, 0);
  const scenarios: PlanScenarioRow[] = [
    {
      ...common,
      scenario: 'plan',
      total_spend: answer.budget,
      ...columns('outcome', answer.outcome),
      ...columns('incremental', answer.incremental),
      p_beats_reference: answer.pBeatsReference,
      ...noGoal,
    },
    {
      ...common,
      scenario: 'reference',
      total_spend: referenceTotal,
      ...columns('outcome', answer.referencePlan.outcome),
      ...columns('incremental', answer.referencePlan.incremental),
      p_beats_reference: null,
      ...noGoal,
    },
  ];
  const share = (spend: number, total: number) => (total > 0 ? Math.min(1, spend / total) : 0);
  const allocations: PlanAllocationRow[] = answer.allocation.flatMap((c) => [
    {
      plan_id: planId,
      run_id: runId,
      scenario: 'plan' as const,
      channel: c.channel,
      spend: c.spend,
      share: share(c.spend, answer.budget),
      reference_spend: c.reference,
      ...columns('contribution', c.contribution),
    },
    {
      plan_id: planId,
      run_id: runId,
      scenario: 'reference' as const,
      channel: c.channel,
      spend: c.reference,
      share: share(c.reference, referenceTotal),
      reference_spend: c.reference,
      ...columns('contribution', answer.referencePlan.contributions[c.channel]),
    },
  ]);
  const evidenceRow = (scenario: PlanEvidenceRow['scenario'], channel: string, move: PlanMoveEvidence): PlanEvidenceRow => ({
    plan_id: planId,
    run_id: runId,
    scenario,
    channel,
    moved: move.moved,
    informed: move.informed,
    evidence_label: move.evidenceLabel,
    p_move_helps: move.pMoveHelps,
  });
  const evidence: PlanEvidenceRow[] = answer.allocation.map((c) => evidenceRow('plan', c.channel, c));
  const reached = answer.goal?.reached;
  if (answer.goal && reached) {
    scenarios.push({
      ...common,
      scenario: 'goal',
      total_spend: reached.budget,
      ...columns('outcome', reached.outcome),
      ...columns('incremental', reached.incremental),
      p_beats_reference: reached.pBeatsReference,
      goal_target: answer.goal.target,
      goal_kind: answer.goal.kind,
      goal_probability: answer.goal.probability,
      goal_reached_probability: reached.probability,
    });
    allocations.push(
      ...answer.allocation.map((c) => ({
        plan_id: planId,
        run_id: runId,
        scenario: 'goal' as const,
        channel: c.channel,
        spend: reached.allocation[c.channel],
        share: share(reached.allocation[c.channel], reached.budget),
        reference_spend: c.reference,
        ...columns('contribution', reached.contributions[c.channel]),
      })),
    );
    evidence.push(...reached.moves.map((move) => evidenceRow('goal', move.channel, move)));
  }
  const { forecast } = answer;
  const weekSpend = new Map<string, number>();
  for (const row of answer.weekly) weekSpend.set(row.week, (weekSpend.get(row.week) ?? 0) + row.spend);
  const weekly: PlanWeeklyRow[] = [
    ...answer.weekly.map((row) => ({
      plan_id: planId,
      run_id: runId,
      week: row.week,
      channel: row.channel,
      spend: row.spend,
      ...columns('outcome', row.outcome),
      predictive_p05: null,
      predictive_p95: null,
    })),
    ...forecast.baseline.map((band) => ({
      plan_id: planId,
      run_id: runId,
      week: band.week,
      channel: PLAN_WEEKLY_SERIES.baseline,
      spend: 0,
      ...columns('outcome', band),
      predictive_p05: null,
      predictive_p95: null,
    })),
    ...forecast.expected.map((band, j) => ({
      plan_id: planId,
      run_id: runId,
      week: band.week,
      channel: PLAN_WEEKLY_SERIES.total,
      spend: weekSpend.get(band.week) ?? 0,
      ...columns('outcome', band),
      predictive_p05: forecast.predictive[j].p05,
      predictive_p95: forecast.predictive[j].p95,
    })),
  ];
  const surface = enumerateSurface(answer.curves, answer.surfaceDesign, runId);
  return parsePlanRows({
    mmm_plan_scenarios: scenarios,
    mmm_plan_allocations: allocations,
    mmm_plan_evidence: evidence,
    mmm_plan_weekly: weekly,
    mmm_plan_surface_scenarios: surface.scenarios.map((row) => ({ plan_id: planId, ...row })),
    mmm_plan_surface_allocations: surface.allocations.map((row) => ({ plan_id: planId, ...row })),
  });
}
