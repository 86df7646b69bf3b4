-- De-duplicated TV buys mapped to geos and converted to USD per row (left joins: the not_null tests
-- fail loudly on an unknown market or a missing FX month).
select
    buys.week_commencing,
    geo_map.geo,
    'tv' as channel,
    buys.network,
    buys.grps,
    buys.currency,
    buys.cost_local,
    fx.usd_per_unit,
    {{ mmm.to_usd('buys.cost_local', 'fx.usd_per_unit') }} as spend_usd
from {{ ref('int_tv_buys_deduplicated') }} as buys
left join {{ ref('geo_mapping') }} as geo_map
    on geo_map.source = buys.source and geo_map.source_geo = buys.source_geo
left join {{ ref('stg_fx_rates') }} as fx
    on fx.currency = buys.currency and fx.month_start = {{ mmm.month_start('buys.week_commencing') }}
