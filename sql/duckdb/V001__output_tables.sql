-- Output tables of the MMM product (DESIGN.md section 5), DuckDB. {{schema}} is the warehouse schema.
-- Keys are noted per table; publish enforces them (one copy of every row per run_id).

-- Key run_id. One row per model run; published_at is set once every table of the run is written.
create table if not exists {{schema}}.mmm_runs (
    run_id varchar not null,
    model_id varchar not null,
    status varchar not null,
    created_at timestamptz not null,
    finished_at timestamptz,
    data_start date not null,
    data_end date not null,
    config varchar not null,
    diagnostics varchar not null,
    fit_metrics varchar not null,
    calibration_factor double,
    calibration_window_start date,
    calibration_window_end date,
    published_at timestamptz
);

-- Key model_id. The run each model's BI views show.
create table if not exists {{schema}}.mmm_current (
    model_id varchar not null,
    run_id varchar not null,
    promoted_at timestamptz not null
);

-- Key (run_id, channel).
create table if not exists {{schema}}.mmm_channel_summary (
    run_id varchar not null,
    channel varchar not null,
    spend double not null,
    incremental_outcome_mean double not null,
    incremental_outcome_p05 double not null,
    incremental_outcome_p95 double not null,
    contribution_share_mean double not null,
    contribution_share_p05 double not null,
    contribution_share_p95 double not null,
    roi_mean double not null,
    roi_p05 double not null,
    roi_p95 double not null,
    mroi_mean double not null,
    mroi_p05 double not null,
    mroi_p95 double not null
);

-- Key (run_id, period_start, geo, component).
create table if not exists {{schema}}.mmm_contributions (
    run_id varchar not null,
    period_start date not null,
    geo varchar not null,
    component varchar not null,
    mean double not null,
    p05 double not null,
    p95 double not null
);

-- Key (run_id, channel, spend_multiplier).
create table if not exists {{schema}}.mmm_response_curves (
    run_id varchar not null,
    channel varchar not null,
    spend_multiplier double not null,
    spend double not null,
    outcome_mean double not null,
    outcome_p05 double not null,
    outcome_p95 double not null,
    mroi double not null
);

-- Key (run_id, scenario_id).
create table if not exists {{schema}}.mmm_surface_scenarios (
    run_id varchar not null,
    scenario_id integer not null,
    budget_level double not null,
    total_spend double not null,
    design varchar not null,
    mix_id integer not null,
    mix_label varchar not null,
    outcome_mean_raw double not null,
    outcome_p05_raw double not null,
    outcome_p50_raw double not null,
    outcome_p95_raw double not null,
    outcome_mean_calibrated double not null,
    outcome_p05_calibrated double not null,
    outcome_p50_calibrated double not null,
    outcome_p95_calibrated double not null,
    incremental_mean double not null,
    roi double,
    mroi double not null
);

-- Key (run_id, scenario_id, channel).
create table if not exists {{schema}}.mmm_surface_allocations (
    run_id varchar not null,
    scenario_id integer not null,
    channel varchar not null,
    spend double not null,
    share double not null,
    contribution_mean double not null
);

-- Key (run_id, total_spend, rank, channel).
create table if not exists {{schema}}.mmm_frontier (
    run_id varchar not null,
    total_spend double not null,
    rank integer not null,
    channel varchar not null,
    spend double not null,
    outcome_mean double not null,
    outcome_p05 double not null,
    outcome_p95 double not null,
    p_beats_current double not null
);

-- Key (request_id, rank, channel). Written per optimisation request, not per run.
create table if not exists {{schema}}.mmm_recommendations (
    request_id varchar not null,
    run_id varchar not null,
    requested_at timestamptz not null,
    constraints varchar not null,
    rank integer not null,
    channel varchar not null,
    spend double not null,
    delta_vs_current double not null,
    outcome_mean double not null,
    outcome_p05 double not null,
    outcome_p95 double not null,
    p_beats_current double not null
);

-- Key (run_id, parameter, index_labels).
create table if not exists {{schema}}.mmm_posterior_summary (
    run_id varchar not null,
    parameter varchar not null,
    index_labels varchar not null,
    mean double not null,
    sd double not null,
    p05 double not null,
    p50 double not null,
    p95 double not null,
    rhat double,
    ess_bulk double,
    ess_tail double
);
