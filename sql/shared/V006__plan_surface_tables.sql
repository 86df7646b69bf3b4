-- The enumerated horizon surface of each answered plan (issue 14): every budget level x allocation mix of the
-- run config's surface design, scored over the plan's horizon, its outcomes calibrated by the latest window's k;
-- the same columns as mmm_surface_scenarios and mmm_surface_allocations with the plan's id in front. Written
-- with the plan's other rows under its plan_id and replaced whole by a retry. Columns and order are the contract
-- of src/warehouse/tables.ts (PLAN_TABLES); docs/warehouse.md says what each holds.

-- Key (plan_id, scenario_id).
create table if not exists {{schema}}.mmm_plan_surface_scenarios (
    plan_id {{string}} not null,
    run_id {{string}} not null,
    scenario_id {{int}} not null,
    budget_level {{float}} not null,
    total_spend {{float}} not null,
    design {{string}} not null,
    mix_id {{int}} not null,
    mix_label {{string}} not null,
    outcome_mean_raw {{float}} not null,
    outcome_p05_raw {{float}} not null,
    outcome_p50_raw {{float}} not null,
    outcome_p95_raw {{float}} not null,
    outcome_mean_calibrated {{float}} not null,
    outcome_p05_calibrated {{float}} not null,
    outcome_p50_calibrated {{float}} not null,
    outcome_p95_calibrated {{float}} not null,
    incremental_mean {{float}} not null,
    roi {{float}},
    mroi {{float}} not null
);

-- Key (plan_id, scenario_id, channel).
create table if not exists {{schema}}.mmm_plan_surface_allocations (
    plan_id {{string}} not null,
    run_id {{string}} not null,
    scenario_id {{int}} not null,
    channel {{string}} not null,
    spend {{float}} not null,
    share {{float}} not null,
    contribution_mean {{float}} not null
);
