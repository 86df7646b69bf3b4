-- Evidence per channel and the lift tests of a run (issue 17). mmm_channel_evidence holds how far the data moved
-- each channel's ROI from its prior, as summary.json `channels[].evidence` gives it (src/analysis/evidence.ts); a
-- table of its own rather than columns added to mmm_channel_summary, because the BigQuery emulator the tests run
-- on does not update a table's schema after `alter table ... add column` (its load jobs then drop the column).
-- mmm_experiments holds one row per lift test the fit was calibrated with, as summary.json `experiments` gives
-- them. Columns and order are the contract of src/warehouse/tables.ts (RUN_TABLES) and src/warehouse/bi-views.ts;
-- docs/warehouse.md and docs/bi.md say what each holds.

-- Key (run_id, channel); none for runs fitted before evidence existed.
create table if not exists {{schema}}.mmm_channel_evidence (
    run_id {{string}} not null,
    channel {{string}} not null,
    contraction {{float}} not null,
    shift {{float}} not null,
    informed {{bool}} not null,
    label {{string}} not null
);

create or replace view {{schema}}.v_current_channel_evidence as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_channel_evidence as t on t.run_id = current_run.run_id;

-- Key (run_id, experiment_id).
create table if not exists {{schema}}.mmm_experiments (
    run_id {{string}} not null,
    experiment_id {{string}} not null,
    channel {{string}} not null,
    estimate {{float}} not null,
    standard_error {{float}} not null,
    implied_mean {{float}} not null,
    implied_p05 {{float}} not null,
    implied_p95 {{float}} not null
);

create or replace view {{schema}}.v_current_experiments as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_experiments as t on t.run_id = current_run.run_id;

-- V003's view with the channel's evidence at its end (null for runs published before it existed).
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
    cast(row_number() over (partition by summary.run_id order by summary.roi_mean desc, summary.channel) as {{int}}) as roi_rank,
    evidence.contraction as evidence_contraction,
    evidence.label as evidence_label
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_channel_summary as summary on summary.run_id = runs.run_id
left join {{schema}}.mmm_channel_evidence as evidence
    on evidence.run_id = summary.run_id and evidence.channel = summary.channel;
