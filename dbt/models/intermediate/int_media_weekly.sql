-- Media per geo, ISO week and channel: digital days summed into weeks plus weekly TV, then
-- zero-filled over geos x weeks x channels (a paused channel has no rows, but spent nothing).
with digital as (
    select
        geo,
        {{ mmm.iso_week_start('activity_date') }} as week_start,
        channel,
        sum(spend_usd) as spend,
        sum(cast(impressions as {{ mmm.double_type() }})) as media_units
    from {{ ref('int_ad_spend_usd') }}
    group by 1, 2, 3
),

tv as (
    select
        geo,
        {{ mmm.iso_week_start('week_commencing') }} as week_start,
        channel,
        sum(spend_usd) as spend,
        sum(cast(grps as {{ mmm.double_type() }})) as media_units
    from {{ ref('int_tv_buys_usd') }}
    group by 1, 2, 3
),

delivered as (
    select * from digital
    union all
    select * from tv
)

select
    panel.geo,
    panel.week_start,
    channels.channel,
    cast(coalesce(delivered.spend, 0) as {{ mmm.money_type() }}) as spend,
    coalesce(delivered.media_units, 0) as media_units,
    channels.media_unit,
    delivered.spend is null as zero_filled
from {{ ref('int_geo_weeks') }} as panel
cross join {{ ref('channels') }} as channels
left join delivered
    on delivered.geo = panel.geo and delivered.week_start = panel.week_start and delivered.channel = channels.channel
