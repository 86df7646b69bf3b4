-- Output tables of the MMM product (DESIGN.md section 5), BigQuery. {{schema}} is the dataset.
-- Most queries select one run (or the current run via mmm_current), so the run tables are clustered
-- by run_id first; tables with a natural time column are also partitioned by it.
-- Keys are noted per table; publish enforces them (one copy of every row per run_id).

-- Key run_id. One row per model run; published_at is set once every table of the run is written.
create table if not exists {{schema}}.mmm_runs (
    run_id string not null,
    model_id string not null,
    status string not null,
    created_at timestamp not null,
    finished_at timestamp,
    data_start date not null,
    data_end date not null,
    config string not null,
    diagnostics string not null,
    fit_metrics string not null,
    calibration_factor float64,
    calibration_window_start date,
    calibration_window_end date,
    published_at timestamp
)
partition by date(created_at)
cluster by model_id, run_id;

-- Key model_id. The run each model's BI views show.
create table if not exists {{schema}}.mmm_current (
    model_id string not null,
    run_id string not null,
    promoted_at timestamp not null
)
cluster by model_id;

-- Key (run_id, channel).
create table if not exists {{schema}}.mmm_channel_summary (
    run_id string not null,
    channel string not null,
    spend float64 not null,
    incremental_outcome_mean float64 not null,
    incremental_outcome_p05 float64 not null,
    incremental_outcome_p95 float64 not null,
    contribution_share_mean float64 not null,
    contribution_share_p05 float64 not null,
    contribution_share_p95 float64 not null,
    roi_mean float64 not null,
    roi_p05 float64 not null,
    roi_p95 float64 not null,
    mroi_mean float64 not null,
    mroi_p05 float64 not null,
    mroi_p95 float64 not null
)
cluster by run_id, channel;

-- Key (run_id, period_start, geo, component).
create table if not exists {{schema}}.mmm_contributions (
    run_id string not null,
    period_start date not null,
    geo string not null,
    component string not null,
    mean float64 not null,
    p05 float64 not null,
    p95 float64 not null
)
partition by date_trunc(period_start, month)
cluster by run_id, geo, component;

-- Key (run_id, channel, spend_multiplier).
create table if not exists {{schema}}.mmm_response_curves (
    run_id string not null,
    channel string not null,
    spend_multiplier float64 not null,
    spend float64 not null,
    outcome_mean float64 not null,
    outcome_p05 float64 not null,
    outcome_p95 float64 not null,
    mroi float64 not null
)
cluster by run_id, channel;

-- Key (run_id, scenario_id).
create table if not exists {{schema}}.mmm_surface_scenarios (
    run_id string not null,
    scenario_id int64 not null,
    budget_level float64 not null,
    total_spend float64 not null,
    design string not null,
    mix_id int64 not null,
    mix_label string not null,
    outcome_mean_raw float64 not null,
    outcome_p05_raw float64 not null,
    outcome_p50_raw float64 not null,
    outcome_p95_raw float64 not null,
    outcome_mean_calibrated float64 not null,
    outcome_p05_calibrated float64 not null,
    outcome_p50_calibrated float64 not null,
    outcome_p95_calibrated float64 not null,
    incremental_mean float64 not null,
    roi float64,
    mroi float64 not null
)
cluster by run_id, budget_level;

-- Key (run_id, scenario_id, channel).
create table if not exists {{schema}}.mmm_surface_allocations (
    run_id string not null,
    scenario_id int64 not null,
    channel string not null,
    spend float64 not null,
    share float64 not null,
    contribution_mean float64 not null
)
cluster by run_id, scenario_id, channel;

-- Key (run_id, total_spend, rank, channel).
create table if not exists {{schema}}.mmm_frontier (
    run_id string not null,
    total_spend float64 not null,
    rank int64 not null,
    channel string not null,
    spend float64 not null,
    outcome_mean float64 not null,
    outcome_p05 float64 not null,
    outcome_p95 float64 not null,
    p_beats_current float64 not null
)
cluster by run_id, total_spend;

-- Key (request_id, rank, channel). Written per optimisation request, not per run.
create table if not exists {{schema}}.mmm_recommendations (
    request_id string not null,
    run_id string not null,
    requested_at timestamp not null,
    constraints string not null,
    rank int64 not null,
    channel string not null,
    spend float64 not null,
    delta_vs_current float64 not null,
    outcome_mean float64 not null,
    outcome_p05 float64 not null,
    outcome_p95 float64 not null,
    p_beats_current float64 not null
)
partition by date(requested_at)
cluster by run_id, request_id;

-- Key (run_id, parameter, index_labels).
create table if not exists {{schema}}.mmm_posterior_summary (
    run_id string not null,
    parameter string not null,
    index_labels string not null,
    mean float64 not null,
    sd float64 not null,
    p05 float64 not null,
    p50 float64 not null,
    p95 float64 not null,
    rhat float64,
    ess_bulk float64,
    ess_tail float64
)
cluster by run_id, parameter;
