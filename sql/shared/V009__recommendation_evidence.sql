-- Decisions that respect evidence (issue 17, scope 4): per recommendation row, the run's evidence label for the
-- channel and P(the channel's move helps) (src/explore/move-evidence.ts; docs/decision-layer.md). A table of its
-- own keyed as mmm_recommendations rather than columns added to it, because the BigQuery emulator the tests run on
-- does not update a table's schema after `alter table ... add column` (V007 says the same). Written with the
-- request's mmm_recommendations rows and replaced with them by a retry. Columns and order are the contract of
-- src/warehouse/tables.ts (OUTPUT_TABLES.mmm_recommendation_evidence); docs/warehouse.md says what each holds.

-- Key (request_id, rank, channel); none for requests answered before it existed.
create table if not exists {{schema}}.mmm_recommendation_evidence (
    request_id {{string}} not null,
    run_id {{string}} not null,
    rank {{int}} not null,
    channel {{string}} not null,
    moved {{bool}} not null,
    informed {{bool}},
    evidence_label {{string}},
    p_move_helps {{float}}
);

-- V003's view with each row's evidence at its end (null for requests answered before it was recorded, and
-- p_move_helps null where the channel did not move).
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
    cast(recommendations.rank as {{int}}) as rank,
    recommendations.channel,
    recommendations.spend - recommendations.delta_vs_current as current_spend,
    recommendations.spend as recommended_spend,
    recommendations.delta_vs_current,
    recommendations.delta_vs_current / nullif(recommendations.spend - recommendations.delta_vs_current, 0) as delta_share,
    recommendations.outcome_mean,
    recommendations.outcome_p05,
    recommendations.outcome_p95,
    recommendations.p_beats_current,
    evidence.moved,
    evidence.evidence_label,
    evidence.p_move_helps
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_recommendations as recommendations on recommendations.run_id = runs.run_id
inner join latest_request on latest_request.request_id = recommendations.request_id
left join {{schema}}.mmm_recommendation_evidence as evidence
    on evidence.request_id = recommendations.request_id
    and evidence.rank = recommendations.rank
    and evidence.channel = recommendations.channel;
