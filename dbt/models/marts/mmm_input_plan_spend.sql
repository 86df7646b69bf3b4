-- Planned media for the weeks ahead, in mmm_input_media's long form: one row per geo, ISO week (Monday) and
-- channel over the plan's weeks; spend in USD, media units where the plan states them for every line of the
-- cell (else null). Zero-filled over geos x the plan's weeks x channels: a channel without plan lines in a
-- week is planned dark. `mmm plan --flighting custom:warehouse` reads it (src/warehouse/plan-spend.ts).
with planned as (
    select
        geo,
        {{ mmm.iso_week_start('week_commencing') }} as week_start,
        channel,
        sum(spend_usd) as spend,
        case when count(planned_units) = count(*) then sum(planned_units) end as media_units
    from {{ ref('int_media_plan_usd') }}
    group by 1, 2, 3
),

plan_weeks as (
    select distinct week_start from planned
)

select
    geos.geo,
    plan_weeks.week_start,
    channels.channel,
    cast(coalesce(planned.spend, 0) as {{ mmm.money_type() }}) as spend,
    case when planned.spend is null then 0 else planned.media_units end as media_units,
    channels.media_unit
from plan_weeks
cross join {{ ref('geos') }} as geos
cross join {{ ref('channels') }} as channels
left join planned
    on planned.geo = geos.geo and planned.week_start = plan_weeks.week_start and planned.channel = channels.channel
