/** A small but complete answered plan's rows (the plan tables), whose values depend on `scale`, for warehouse and BI tests. */
import type { PlanTableRows } from '../../../src/warehouse/plans.ts';

export const PLAN_CHANNELS = ['search', 'tv'];
export const PLAN_WEEKS = ['2025-01-06', '2025-01-13'];
export const PLAN_SPEND = [3000, 1000];
export const REFERENCE_SPEND = [2000, 2000];
/** The plan's evidence per channel (mmm_plan_evidence). */
export const PLAN_EVIDENCE = [
  { informed: true, evidence_label: 'informed by the data', p_move_helps: 0.9 },
  { informed: false, evidence_label: 'not informed by the data', p_move_helps: 0.4 },
];

export function makePlanRows(planId: string, runId: string, options: { requestedAt?: string; scale?: number } = {}): PlanTableRows {
  const k = options.scale ?? 1;
  const requestedAt = options.requestedAt ?? '2025-01-02T09:00:00.000Z';
  const common = {
    plan_id: planId,
    run_id: runId,
    requested_at: requestedAt,
    horizon_start: PLAN_WEEKS[0],
    horizon_end: PLAN_WEEKS[PLAN_WEEKS.length - 1],
    horizon_weeks: PLAN_WEEKS.length,
    flighting: 'even',
    trend: 'last-slope',
    count_carryover: false,
    assumptions: 'horizon: 2 weeks; trend: the last knot segment continued',
    request: '{"budget":4000}',
    calibration_factor: 1.02,
    goal_target: null,
    goal_kind: null,
    goal_probability: null,
    goal_reached_probability: null,
  };
  const band = (name: string, mean: number) => ({ [`${name}_mean`]: mean, [`${name}_p05`]: 0.9 * mean, [`${name}_p95`]: 1.1 * mean });
  const contribution = (spend: number) => 2 * k * spend;
  return {
    mmm_plan_scenarios: [
      {
        ...common,
        scenario: 'plan',
        total_spend: 4000,
        outcome_mean: 20_000 * k,
        outcome_p05: 18_000 * k,
        outcome_p95: 22_000 * k,
        incremental_mean: 8000 * k,
        incremental_p05: 7000 * k,
        incremental_p95: 9000 * k,
        p_beats_reference: 0.7,
      },
      {
        ...common,
        scenario: 'reference',
        total_spend: 4000,
        outcome_mean: 19_000 * k,
        outcome_p05: 17_000 * k,
        outcome_p95: 21_000 * k,
        incremental_mean: 7000 * k,
        incremental_p05: 6000 * k,
        incremental_p95: 8000 * k,
        p_beats_reference: null,
      },
    ],
    mmm_plan_allocations: (['plan', 'reference'] as const).flatMap((scenario) =>
      PLAN_CHANNELS.map((channel, c) => {
        const spend = scenario === 'plan' ? PLAN_SPEND[c] : REFERENCE_SPEND[c];
        return {
          plan_id: planId,
          run_id: runId,
          scenario,
          channel,
          spend,
          share: spend / 4000,
          reference_spend: REFERENCE_SPEND[c],
          ...(band('contribution', contribution(spend)) as Record<'contribution_mean' | 'contribution_p05' | 'contribution_p95', number>),
        };
      }),
    ),
    // search moved up on the data, tv down on its prior (PLAN_EVIDENCE).
    mmm_plan_evidence: PLAN_CHANNELS.map((channel, c) => ({
      plan_id: planId,
      run_id: runId,
      scenario: 'plan' as const,
      channel,
      moved: true,
      ...PLAN_EVIDENCE[c],
    })),
    mmm_plan_weekly: PLAN_WEEKS.flatMap((week) => {
      const channels = PLAN_CHANNELS.map((channel, c) => ({ channel, spend: PLAN_SPEND[c] / 2, outcome: contribution(PLAN_SPEND[c]) / 2 }));
      const baseline = 6000 * k;
      const total = baseline + channels.reduce((s, c) => s + c.outcome, 0);
      return [
        ...channels.map((c) => ({ channel: c.channel, spend: c.spend, outcome: c.outcome, predictive: null })),
        { channel: 'baseline', spend: 0, outcome: baseline, predictive: null },
        { channel: 'total', spend: 2000, outcome: total, predictive: [0.8 * total, 1.2 * total] },
      ].map((row) => ({
        plan_id: planId,
        run_id: runId,
        week,
        channel: row.channel,
        spend: row.spend,
        outcome_mean: row.outcome,
        outcome_p05: 0.9 * row.outcome,
        outcome_p95: 1.1 * row.outcome,
        predictive_p05: row.predictive?.[0] ?? null,
        predictive_p95: row.predictive?.[1] ?? null,
      }));
    }),
    // The horizon surface: the reference mix and the plan's, both at the reference budget.
    ...horizonSurface(planId, runId, k),
  };
}

function horizonSurface(
  planId: string,
  runId: string,
  k: number,
): Pick<PlanTableRows, 'mmm_plan_surface_scenarios' | 'mmm_plan_surface_allocations'> {
  const mixes = [
    { label: 'current', design: 'current' as const, spend: REFERENCE_SPEND },
    { label: 'search-heavy', design: 'corner' as const, spend: PLAN_SPEND },
  ];
  return {
    mmm_plan_surface_scenarios: mixes.map((mix, id) => {
      const incremental = 2 * k * 4000 + 500 * id;
      const outcome = 12_000 * k + incremental;
      return {
        plan_id: planId,
        run_id: runId,
        scenario_id: id,
        budget_level: 1,
        total_spend: 4000,
        design: mix.design,
        mix_id: id,
        mix_label: mix.label,
        outcome_mean_raw: outcome / 1.02,
        outcome_p05_raw: (0.9 * outcome) / 1.02,
        outcome_p50_raw: outcome / 1.02,
        outcome_p95_raw: (1.1 * outcome) / 1.02,
        outcome_mean_calibrated: outcome,
        outcome_p05_calibrated: 0.9 * outcome,
        outcome_p50_calibrated: outcome,
        outcome_p95_calibrated: 1.1 * outcome,
        incremental_mean: incremental,
        roi: incremental / 4000,
        mroi: 0.5,
      };
    }),
    mmm_plan_surface_allocations: mixes.flatMap((mix, id) =>
      PLAN_CHANNELS.map((channel, c) => ({
        plan_id: planId,
        run_id: runId,
        scenario_id: id,
        channel,
        spend: mix.spend[c],
        share: mix.spend[c] / 4000,
        contribution_mean: 2 * k * mix.spend[c],
      })),
    ),
  };
}
