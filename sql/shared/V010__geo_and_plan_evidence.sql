-- Decisions that respect evidence for decisions by market and forward plans (issue 17, scope 4; V009 did it for
-- mmm_recommendations): per (geo, channel) pair of a request by market, and per channel of a plan's recommended
-- scenarios (plan, goal), the run's evidence label for the channel and P(the move helps) (src/explore/move-evidence.ts;
-- docs/decision-layer.md). Tables of their own keyed as the rows they annotate rather than columns added to
-- mmm_geo_recommendations and mmm_plan_allocations, because the BigQuery emulator the tests run on does not update a
-- table's schema after `alter table ... add column` (V007 and V009 say the same). Each is written with the rows it
-- annotates and replaced with them by a retry. Columns and order are the contract of src/warehouse/tables.ts
-- (OUTPUT_TABLES.mmm_geo_recommendation_evidence, PLAN_TABLES.mmm_plan_evidence); docs/warehouse.md says what each holds.

-- Key (request_id, rank, geo, channel); none for requests answered before it existed.
create table if not exists {{schema}}.mmm_geo_recommendation_evidence (
    request_id {{string}} not null,
    run_id {{string}} not null,
    rank {{int}} not null,
    geo {{string}} not null,
    channel {{string}} not null,
    moved {{bool}} not null,
    informed {{bool}},
    evidence_label {{string}},
    p_move_helps {{float}}
);

-- Key (plan_id, scenario, channel), scenario 'plan' or 'goal' (the reference plan moves nothing); none for plans
-- answered before it existed.
create table if not exists {{schema}}.mmm_plan_evidence (
    plan_id {{string}} not null,
    run_id {{string}} not null,
    scenario {{string}} not null,
    channel {{string}} not null,
    moved {{bool}} not null,
    informed {{bool}},
    evidence_label {{string}},
    p_move_helps {{float}}
);

-- V008's view with each pair's evidence at its end (null for requests answered before it was recorded, and
-- p_move_helps null where the pair did not move).
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
    recommendations.gap,
    evidence.moved,
    evidence.evidence_label,
    evidence.p_move_helps
from {{schema}}.v_bi_runs as runs
inner join {{schema}}.mmm_geo_recommendations as recommendations on recommendations.run_id = runs.run_id
inner join requests on requests.request_id = recommendations.request_id
left join {{schema}}.mmm_geo_recommendation_evidence as evidence
    on evidence.request_id = recommendations.request_id
    and evidence.rank = recommendations.rank
    and evidence.geo = recommendations.geo
    and evidence.channel = recommendations.channel;

-- V004's view with each recommended channel's evidence at its end (null for the reference scenario, for plans
-- answered before it was recorded, and p_move_helps null where the channel did not move).
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
    allocations.contribution_mean / nullif(allocations.spend, 0) as roi,
    evidence.moved,
    evidence.evidence_label,
    evidence.p_move_helps
from {{schema}}.v_bi_plan_scenarios as scenarios
inner join {{schema}}.mmm_plan_allocations as allocations
    on allocations.plan_id = scenarios.plan_id and allocations.scenario = scenarios.scenario
left join {{schema}}.mmm_plan_evidence as evidence
    on evidence.plan_id = allocations.plan_id
    and evidence.scenario = allocations.scenario
    and evidence.channel = allocations.channel;
