-- The plan in force (the rows of the latest plan export: each export is the whole plan, so a line a later
-- export drops is dropped), mapped to model channels and geos and converted to USD per row at the month's
-- rate. Left joins keep unmapped rows so that the not_null tests fail loudly on an unknown media type, market
-- or a month fx_rates does not cover yet.
with latest as (
    select *
    from {{ ref('stg_media_plan') }}
    where export_file = (select max(export_file) from {{ ref('stg_media_plan') }})
)

select
    latest.week_commencing,
    geo_map.geo,
    channel_map.channel,
    latest.media_type,
    latest.platform,
    latest.currency,
    latest.spend_local,
    fx.usd_per_unit,
    {{ mmm.to_usd('latest.spend_local', 'fx.usd_per_unit') }} as spend_usd,
    latest.planned_units,
    latest.export_file
from latest
left join {{ ref('channel_mapping') }} as channel_map
    on channel_map.source = latest.source and channel_map.campaign_type = latest.media_type
left join {{ ref('geo_mapping') }} as geo_map
    on geo_map.source = latest.source and geo_map.source_geo = latest.source_geo
left join {{ ref('stg_fx_rates') }} as fx
    on fx.currency = latest.currency and fx.month_start = {{ mmm.month_start('latest.week_commencing') }}
