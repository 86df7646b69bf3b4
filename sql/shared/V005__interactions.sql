-- Channel synergies (issue 16): one row per synergy pair of a run's model.interactions, as summary.json
-- `interactions` gives them, and its view over the current run of each model. Columns and order are the
-- contract of src/warehouse/tables.ts (RUN_TABLES.mmm_interactions); docs/warehouse.md says what each holds.

create table if not exists {{schema}}.mmm_interactions (
    run_id {{string}} not null,
    channel_a {{string}} not null,
    channel_b {{string}} not null,
    theta_mean {{float}} not null,
    theta_p05 {{float}} not null,
    theta_p95 {{float}} not null,
    incremental_outcome_mean {{float}} not null,
    incremental_outcome_p05 {{float}} not null,
    incremental_outcome_p95 {{float}} not null,
    p_positive {{float}} not null
);

create or replace view {{schema}}.v_current_interactions as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_interactions as t on t.run_id = current_run.run_id;
