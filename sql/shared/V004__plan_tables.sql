-- The plan tables (issue 14): one answered plan (mmm plan, planWorkflow) per plan_id, written whole and
-- replaced whole by a retry; and their BI views over every published run. Columns and order are the
-- contract of src/warehouse/tables.ts (PLAN_TABLES) and src/warehouse/bi-views.ts; docs/warehouse.md and
-- docs/bi.md say what each holds.

create table if not exists {{schema}}.mmm_plan_scenarios (
    plan_id {{string}} not null,
    run_id {{string}} not null,
    requested_at {{timestamp}} not null,
    scenario {{string}} not null,
    horizon_start {{date}} not null,
    horizon_end {{date}} not null,
    horizon_weeks {{int}} not null,
    flighting {{string}} not null,
    trend {{string}} not null,
    count_carryover {{bool}} not null,
    assumptions {{string}} not null,
    request {{string}} not null,
    calibration_factor {{float}} not null,
    total_spend {{float}} not null,
    outcome_mean {{float}} not null,
    outcome_p05 {{float}} not null,
    outcome_p95 {{float}} not null,
    incremental_mean {{float}} not null,
    incremental_p05 {{float}} not null,
    incremental_p95 {{float}} not null,
    p_beats_reference {{float}},
    goal_target {{float}},
    goal_kind {{string}},
    goal_probability {{float}},
    goal_reached_probability {{float}}
);

create table if not exists {{schema}}.mmm_plan_allocations (
    plan_id {{string}} not null,
    run_id {{string}} not null,
    scenario {{string}} not null,
    channel {{string}} not null,
    spend {{float}} not null,
    share {{float}} not null,
    reference_spend {{float}} not null,
    contribution_mean {{float}} not null,
    contribution_p05 {{float}} not null,
    contribution_p95 {{float}} not null
);

create table if not exists {{schema}}.mmm_plan_weekly (
    plan_id {{string}} not null,
    run_id {{string}} not null,
    week {{date}} not null,
    channel {{string}} not null,
    spend {{float}} not null,
    outcome_mean {{float}} not null,
    outcome_p05 {{float}} not null,
    outcome_p95 {{float}} not null,
    predictive_p05 {{float}},
    predictive_p95 {{float}}
);

-- Every plan of a published run, the run's latest (by requested_at) flagged.
create or replace view {{schema}}.v_bi_plan_scenarios as
with plans as (
    select
        plan_id,
        row_number() over (partition by run_id order by requested_at desc, plan_id desc) = 1 as is_latest_plan
    from (select distinct run_id, plan_id, requested_at from {{schema}}.mmm_plan_scenarios) as requests
)
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    scenarios.plan_id,
    scenarios.requested_at,
    plans.is_latest_plan,
    scenarios.scenario,
    scenarios.horizon_start,
    scenarios.horizon_end,
    scenarios.horizon_weeks,
    scenarios.flighting,
    scenarios.trend,
    scenarios.count_carryover,
    scenarios.assumptions,
    scenarios.request,
    scenarios.calibration_factor,
    scenarios.total_spend,
    scenarios.outcome_mean,
    scenarios.outcome_p05,
    scenarios.outcome_p95,
    scenarios.incremental_mean,
    scenarios.incremental_p05,
    scenarios.incremental_p95,
    scenarios.incremental_mean / nullif(scenarios.total_spend, 0) as roi,
    scenarios.p_beats_reference,
    scenarios.goal_target,
    scenarios.goal_kind,
    scenarios.goal_probability,
    scenarios.goal_reached_probability
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_plan_scenarios as scenarios on scenarios.run_id = runs.run_id
inner join plans on plans.plan_id = scenarios.plan_id;

create or replace view {{schema}}.v_bi_plan_allocations as
select
    scenarios.model_id,
    scenarios.run_id,
    scenarios.is_current,
    scenarios.plan_id,
    scenarios.requested_at,
    scenarios.is_latest_plan,
    allocations.scenario,
    allocations.channel,
    allocations.spend,
    allocations.share,
    allocations.reference_spend,
    allocations.spend - allocations.reference_spend as delta_vs_reference,
    allocations.contribution_mean,
    allocations.contribution_p05,
    allocations.contribution_p95,
    allocations.contribution_mean / nullif(allocations.spend, 0) as roi
from {{schema}}.v_bi_plan_scenarios as scenarios
inner join {{schema}}.mmm_plan_allocations as allocations
    on allocations.plan_id = scenarios.plan_id and allocations.scenario = scenarios.scenario;

create or replace view {{schema}}.v_bi_plan_weekly as
select
    scenarios.model_id,
    scenarios.run_id,
    scenarios.is_current,
    scenarios.plan_id,
    scenarios.requested_at,
    scenarios.is_latest_plan,
    weekly.week,
    weekly.channel,
    case weekly.channel when 'baseline' then 'baseline' when 'total' then 'total' else 'channel' end as series_type,
    weekly.week > scenarios.horizon_end as is_carryover_week,
    weekly.spend,
    weekly.outcome_mean,
    weekly.outcome_p05,
    weekly.outcome_p95,
    weekly.predictive_p05,
    weekly.predictive_p95
from {{schema}}.v_bi_plan_scenarios as scenarios
inner join {{schema}}.mmm_plan_weekly as weekly on weekly.plan_id = scenarios.plan_id
where scenarios.scenario = 'plan';
