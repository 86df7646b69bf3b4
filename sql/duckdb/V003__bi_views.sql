-- BI views (docs/bi.md lists every column), DuckDB. Unlike v_current_*, these cover every published
-- run and carry is_current, so a BI tool can compare runs and still default to the current one.
-- Unpublished runs (a publish that failed half-way) never appear. Same names and columns as
-- sql/bigquery/V003__bi_views.sql.

-- One row per published run.
create or replace view {{schema}}.v_bi_runs as
select
    runs.model_id,
    runs.run_id,
    runs.status,
    current_run.run_id is not null as is_current,
    current_run.promoted_at,
    runs.created_at,
    runs.finished_at,
    runs.published_at,
    runs.data_start,
    runs.data_end,
    -- data_start and data_end are week starts, so the window holds (days between) / 7 + 1 weeks.
    cast(date_diff('day', runs.data_start, runs.data_end) // 7 + 1 as bigint) as data_weeks,
    runs.calibration_factor,
    runs.calibration_window_start,
    runs.calibration_window_end
from {{schema}}.mmm_runs as runs
left join {{schema}}.mmm_current as current_run
    on current_run.run_id = runs.run_id and current_run.model_id = runs.model_id
where runs.published_at is not null;

-- One row per model: its current run with headline totals over the data window.
create or replace view {{schema}}.v_bi_current_run as
with totals as (
    select
        run_id,
        cast(count(*) as bigint) as channels,
        sum(spend) as total_spend,
        sum(incremental_outcome_mean) as media_incremental_outcome_mean,
        sum(contribution_share_mean) as media_contribution_share_mean
    from {{schema}}.mmm_channel_summary
    group by run_id
)
select
    runs.model_id,
    runs.run_id,
    runs.status,
    runs.promoted_at,
    runs.created_at,
    runs.finished_at,
    runs.data_start,
    runs.data_end,
    runs.data_weeks,
    runs.calibration_factor,
    runs.calibration_window_start,
    runs.calibration_window_end,
    totals.channels,
    totals.total_spend,
    totals.media_incremental_outcome_mean,
    totals.media_contribution_share_mean,
    -- Ratio of sums: the posterior mean of total media ROI (spend is fixed across draws).
    totals.media_incremental_outcome_mean / nullif(totals.total_spend, 0) as media_roi_mean
from {{schema}}.v_bi_runs as runs
inner join totals on totals.run_id = runs.run_id
where runs.is_current;

-- One row per run and channel: spend, incremental outcome, contribution share, ROI and mROI with
-- 90% intervals.
create or replace view {{schema}}.v_bi_channel_summary as
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    summary.channel,
    summary.spend,
    summary.spend / nullif(sum(summary.spend) over (partition by summary.run_id), 0) as spend_share,
    summary.incremental_outcome_mean,
    summary.incremental_outcome_p05,
    summary.incremental_outcome_p95,
    summary.contribution_share_mean,
    summary.contribution_share_p05,
    summary.contribution_share_p95,
    summary.roi_mean,
    summary.roi_p05,
    summary.roi_p95,
    summary.mroi_mean,
    summary.mroi_p05,
    summary.mroi_p95,
    cast(row_number() over (partition by summary.run_id order by summary.roi_mean desc, summary.channel) as bigint) as roi_rank
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_channel_summary as summary on summary.run_id = runs.run_id;

-- One row per run, week, geo and component: baseline or a channel's media contribution.
create or replace view {{schema}}.v_bi_contributions as
with run_geos as (
    select run_id, count(distinct geo) as geos
    from {{schema}}.mmm_contributions
    where geo <> 'all'
    group by run_id
)
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    contributions.period_start,
    contributions.geo,
    -- The analysis adds geo 'all' (the sum over geos) when a model has several geos; a national
    -- model's only geo is its total. Filter on this to avoid double counting.
    (contributions.geo = 'all' or run_geos.geos = 1) as is_all_geos,
    contributions.component,
    case
        when contributions.component = 'baseline' then 'baseline'
        when channels.channel is not null then 'media'
        else 'control'
    end as component_type,
    contributions.mean,
    contributions.p05,
    contributions.p95
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_contributions as contributions on contributions.run_id = runs.run_id
inner join run_geos on run_geos.run_id = runs.run_id
left join {{schema}}.mmm_channel_summary as channels
    on channels.run_id = contributions.run_id and channels.channel = contributions.component;

-- One row per run, channel and spend multiplier: total incremental outcome over the data window
-- had the channel spent multiplier x its historical spend.
create or replace view {{schema}}.v_bi_response_curves as
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    curves.channel,
    curves.spend_multiplier,
    curves.spend,
    curves.outcome_mean,
    curves.outcome_p05,
    curves.outcome_p95,
    curves.outcome_mean / nullif(curves.spend, 0) as roi_mean,
    curves.mroi,
    abs(curves.spend_multiplier - 1) < 1e-9 as is_current_spend
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_response_curves as curves on curves.run_id = runs.run_id;

-- One row per run and plan: the efficient frontier (optimal plan per budget), diverse alternatives at
-- the current budget, the current mix scaled to every budget level of the surface (the current plan
-- is its row at budget level 1) and the latest recommendation. Outcomes are calibrated totals.
create or replace view {{schema}}.v_bi_frontier as
with current_budget as (
    select run_id, total_spend
    from {{schema}}.mmm_surface_scenarios
    where design = 'current' and abs(budget_level - 1) < 1e-9
),
latest_request as (
    select run_id, request_id
    from (
        select
            run_id,
            request_id,
            row_number() over (partition by run_id order by requested_at desc, request_id desc) as recency
        from (select distinct run_id, request_id, requested_at from {{schema}}.mmm_recommendations) as requests
    ) as ranked
    where recency = 1
),
plans as (
    select
        run_id,
        case when rank = 1 then 'optimal' else 'alternative' end as plan_type,
        rank,
        total_spend,
        any_value(outcome_mean) as outcome_mean,
        any_value(outcome_p05) as outcome_p05,
        any_value(outcome_p95) as outcome_p95,
        any_value(p_beats_current) as p_beats_current
    from {{schema}}.mmm_frontier
    group by run_id, rank, total_spend
    union all
    select
        run_id,
        'current_mix' as plan_type,
        1 as rank,
        total_spend,
        outcome_mean_calibrated as outcome_mean,
        outcome_p05_calibrated as outcome_p05,
        outcome_p95_calibrated as outcome_p95,
        null as p_beats_current
    from {{schema}}.mmm_surface_scenarios
    where design = 'current'
    union all
    select
        recommendations.run_id,
        'recommended' as plan_type,
        recommendations.rank,
        sum(recommendations.spend) as total_spend,
        any_value(recommendations.outcome_mean) as outcome_mean,
        any_value(recommendations.outcome_p05) as outcome_p05,
        any_value(recommendations.outcome_p95) as outcome_p95,
        any_value(recommendations.p_beats_current) as p_beats_current
    from {{schema}}.mmm_recommendations as recommendations
    inner join latest_request on latest_request.request_id = recommendations.request_id
    group by recommendations.run_id, recommendations.rank
)
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    plans.plan_type,
    cast(plans.rank as bigint) as rank,
    plans.total_spend,
    plans.total_spend / nullif(current_budget.total_spend, 0) as budget_level,
    plans.outcome_mean,
    plans.outcome_p05,
    plans.outcome_p95,
    cast(plans.p_beats_current as double) as p_beats_current,
    (plans.plan_type = 'current_mix' and abs(plans.total_spend - current_budget.total_spend) <= 1e-9 * current_budget.total_spend) as is_current_plan
from {{schema}}.v_bi_runs as runs
inner join plans on plans.run_id = runs.run_id
left join current_budget on current_budget.run_id = runs.run_id;

-- One row per run, plan (as in v_bi_frontier, recommendations excepted) and channel: the plan's spend
-- on the channel and its change against the current plan.
create or replace view {{schema}}.v_bi_frontier_allocations as
with current_budget as (
    select run_id, total_spend
    from {{schema}}.mmm_surface_scenarios
    where design = 'current' and abs(budget_level - 1) < 1e-9
),
current_allocation as (
    select allocations.run_id, allocations.channel, allocations.spend
    from {{schema}}.mmm_surface_allocations as allocations
    inner join {{schema}}.mmm_surface_scenarios as scenarios
        on scenarios.run_id = allocations.run_id and scenarios.scenario_id = allocations.scenario_id
    where scenarios.design = 'current' and abs(scenarios.budget_level - 1) < 1e-9
),
plan_channels as (
    select
        run_id,
        case when rank = 1 then 'optimal' else 'alternative' end as plan_type,
        rank,
        total_spend,
        channel,
        spend
    from {{schema}}.mmm_frontier
    union all
    select
        scenarios.run_id,
        'current_mix' as plan_type,
        1 as rank,
        scenarios.total_spend,
        allocations.channel,
        allocations.spend
    from {{schema}}.mmm_surface_scenarios as scenarios
    inner join {{schema}}.mmm_surface_allocations as allocations
        on allocations.run_id = scenarios.run_id and allocations.scenario_id = scenarios.scenario_id
    where scenarios.design = 'current'
)
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    plan_channels.plan_type,
    cast(plan_channels.rank as bigint) as rank,
    plan_channels.total_spend,
    plan_channels.total_spend / nullif(current_budget.total_spend, 0) as budget_level,
    plan_channels.channel,
    plan_channels.spend,
    plan_channels.spend / nullif(plan_channels.total_spend, 0) as share,
    plan_channels.spend - current_allocation.spend as delta_vs_current
from {{schema}}.v_bi_runs as runs
inner join plan_channels on plan_channels.run_id = runs.run_id
left join current_budget on current_budget.run_id = runs.run_id
left join current_allocation
    on current_allocation.run_id = plan_channels.run_id and current_allocation.channel = plan_channels.channel;

-- One row per run, ranked plan and channel of the run's latest optimisation request.
create or replace view {{schema}}.v_bi_recommendations as
with latest_request as (
    select run_id, request_id
    from (
        select
            run_id,
            request_id,
            row_number() over (partition by run_id order by requested_at desc, request_id desc) as recency
        from (select distinct run_id, request_id, requested_at from {{schema}}.mmm_recommendations) as requests
    ) as ranked
    where recency = 1
)
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    recommendations.request_id,
    recommendations.requested_at,
    recommendations.constraints,
    cast(recommendations.rank as bigint) as rank,
    recommendations.channel,
    recommendations.spend - recommendations.delta_vs_current as current_spend,
    recommendations.spend as recommended_spend,
    recommendations.delta_vs_current,
    recommendations.delta_vs_current / nullif(recommendations.spend - recommendations.delta_vs_current, 0) as delta_share,
    recommendations.outcome_mean,
    recommendations.outcome_p05,
    recommendations.outcome_p95,
    recommendations.p_beats_current
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_recommendations as recommendations on recommendations.run_id = runs.run_id
inner join latest_request on latest_request.request_id = recommendations.request_id;

-- One row per published run: sampler diagnostics, fit metrics, data window and calibration.
create or replace view {{schema}}.v_bi_model_health as
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    runs.status,
    runs.created_at,
    runs.finished_at,
    runs.data_start,
    runs.data_end,
    runs.data_weeks,
    json_extract_string(detail.diagnostics, '$.verdict') as verdict,
    cast(json_extract_string(detail.diagnostics, '$.maxRhat') as double) as max_rhat,
    cast(json_extract_string(detail.diagnostics, '$.minEssBulk') as double) as min_ess_bulk,
    cast(json_extract_string(detail.diagnostics, '$.minEssTail') as double) as min_ess_tail,
    cast(json_extract_string(detail.diagnostics, '$.divergences') as bigint) as divergences,
    array_to_string(json_extract_string(detail.diagnostics, '$.reasons[*]'), '; ') as reasons,
    cast(json_extract_string(detail.fit_metrics, '$.r2') as double) as r2,
    cast(json_extract_string(detail.fit_metrics, '$.mape') as double) as mape,
    cast(json_extract_string(detail.fit_metrics, '$.wmape') as double) as wmape,
    cast(json_extract_string(detail.fit_metrics, '$.holdout.r2') as double) as holdout_r2,
    cast(json_extract_string(detail.fit_metrics, '$.holdout.mape') as double) as holdout_mape,
    cast(json_extract_string(detail.fit_metrics, '$.holdout.wmape') as double) as holdout_wmape,
    runs.calibration_factor,
    runs.calibration_window_start,
    runs.calibration_window_end
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_runs as detail on detail.run_id = runs.run_id;
