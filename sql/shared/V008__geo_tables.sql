-- Decisions by market (issue 15): a geo model's channel summary per (geo, channel) pair, written by publish with the
-- run's other tables (none for a national model), and the plans of optimisation requests by market (`by: 'geo'`),
-- written under the request's id and replaced whole by a retry. Columns and order are the contract of
-- src/warehouse/tables.ts (RUN_TABLES.mmm_geo_channel_summary, OUTPUT_TABLES.mmm_geo_recommendations); docs/warehouse.md
-- says what each holds. Numbered V008: V007 is left to a concurrent change of another table's columns.

-- Key (run_id, geo, channel).
create table if not exists {{schema}}.mmm_geo_channel_summary (
    run_id {{string}} not null,
    geo {{string}} not null,
    channel {{string}} not null,
    spend {{float}} not null,
    incremental_outcome_mean {{float}} not null,
    incremental_outcome_p05 {{float}} not null,
    incremental_outcome_p95 {{float}} not null,
    roi_mean {{float}} not null,
    roi_p05 {{float}} not null,
    roi_p95 {{float}} not null,
    mroi_mean {{float}} not null,
    mroi_p05 {{float}} not null,
    mroi_p95 {{float}} not null
);

-- Key (request_id, rank, geo, channel).
create table if not exists {{schema}}.mmm_geo_recommendations (
    request_id {{string}} not null,
    run_id {{string}} not null,
    requested_at {{timestamp}} not null,
    constraints {{string}} not null,
    rank {{int}} not null,
    geo {{string}} not null,
    channel {{string}} not null,
    spend {{float}} not null,
    delta_vs_current {{float}} not null,
    outcome_mean {{float}} not null,
    outcome_p05 {{float}} not null,
    outcome_p95 {{float}} not null,
    p_beats_current {{float}} not null,
    method {{string}} not null,
    gap {{float}} not null
);

-- One row per (geo, channel) pair of each published geo run, with its share of the geo's spend and its rank by
-- posterior-mean mROI over the run's pairs (1 = where the next unit of spend returns most).
create or replace view {{schema}}.v_bi_geo_channel_summary as
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    summary.geo,
    summary.channel,
    summary.spend,
    summary.spend / nullif(sum(summary.spend) over (partition by summary.run_id, summary.geo), 0) as geo_spend_share,
    summary.incremental_outcome_mean,
    summary.incremental_outcome_p05,
    summary.incremental_outcome_p95,
    summary.roi_mean,
    summary.roi_p05,
    summary.roi_p95,
    summary.mroi_mean,
    summary.mroi_p05,
    summary.mroi_p95,
    cast(rank() over (partition by summary.run_id order by summary.mroi_mean desc) as {{int}}) as mroi_rank
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_geo_channel_summary as summary on summary.run_id = runs.run_id;

-- Every request by market of a published run, per (geo, channel) pair, the run's latest (by requested_at) flagged.
create or replace view {{schema}}.v_bi_geo_recommendations as
with requests as (
    select
        request_id,
        row_number() over (partition by run_id order by requested_at desc, request_id desc) = 1 as is_latest_request
    from (select distinct run_id, request_id, requested_at from {{schema}}.mmm_geo_recommendations) as requested
)
select
    runs.model_id,
    runs.run_id,
    runs.is_current,
    recommendations.request_id,
    recommendations.requested_at,
    requests.is_latest_request,
    recommendations.constraints,
    recommendations.rank,
    recommendations.geo,
    recommendations.channel,
    recommendations.spend - recommendations.delta_vs_current as current_spend,
    recommendations.spend as recommended_spend,
    recommendations.delta_vs_current,
    recommendations.delta_vs_current / nullif(recommendations.spend - recommendations.delta_vs_current, 0) as delta_share,
    recommendations.outcome_mean,
    recommendations.outcome_p05,
    recommendations.outcome_p95,
    recommendations.p_beats_current,
    recommendations.method,
    recommendations.gap
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_geo_recommendations as recommendations on recommendations.run_id = runs.run_id
inner join requests on requests.request_id = recommendations.request_id;
