-- Store sales de-duplicated on (store, day), latest export winning, mapped to geos and converted to USD.
with ranked as (
    select
        stg_commerce_sales.*,
        row_number() over (partition by source_geo, sales_date order by export_file desc) as export_rank
    from {{ ref('stg_commerce_sales') }}
)

select
    ranked.sales_date,
    geo_map.geo,
    ranked.currency,
    ranked.orders,
    ranked.net_sales as net_sales_local,
    fx.usd_per_unit,
    {{ mmm.to_usd('ranked.net_sales', 'fx.usd_per_unit') }} as net_sales_usd
from ranked
left join {{ ref('geo_mapping') }} as geo_map
    on geo_map.source = ranked.source and geo_map.source_geo = ranked.source_geo
left join {{ ref('stg_fx_rates') }} as fx
    on fx.currency = ranked.currency and fx.month_start = {{ mmm.month_start('ranked.sales_date') }}
where ranked.export_rank = 1
