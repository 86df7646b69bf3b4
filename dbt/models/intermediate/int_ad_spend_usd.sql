-- De-duplicated digital spend mapped to model channels and geos and converted to USD per row.
-- Inner joins would drop unmapped rows silently; left joins keep them so that the not_null tests
-- on channel, geo and usd_per_unit fail loudly on an unknown campaign type, country or currency month.
select
    spend.source,
    spend.activity_date,
    spend.account_id,
    spend.campaign_id,
    spend.campaign_name,
    spend.campaign_type,
    channel_map.channel,
    geo_map.geo,
    spend.currency,
    spend.spend_local,
    fx.usd_per_unit,
    {{ mmm.to_usd('spend.spend_local', 'fx.usd_per_unit') }} as spend_usd,
    spend.impressions,
    spend.clicks
from {{ ref('int_ad_spend_deduplicated') }} as spend
left join {{ ref('channel_mapping') }} as channel_map
    on channel_map.source = spend.source and channel_map.campaign_type = spend.campaign_type
left join {{ ref('geo_mapping') }} as geo_map
    on geo_map.source = spend.source and geo_map.source_geo = spend.source_geo
left join {{ ref('stg_fx_rates') }} as fx
    on fx.currency = spend.currency and fx.month_start = {{ mmm.month_start('spend.activity_date') }}
