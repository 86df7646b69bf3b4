-- Display & Video 360: YYYY/MM/DD dates; insertion orders play the part of campaigns, line-item types of campaign types.
select
    'dv360' as source,
    {{ mmm.parse_date('date', '%Y/%m/%d') }} as activity_date,
    cast(advertiser_id as {{ dbt.type_string() }}) as account_id,
    cast(insertion_order_id as {{ dbt.type_string() }}) as campaign_id,
    insertion_order as campaign_name,
    line_item_type as campaign_type,
    country as source_geo,
    advertiser_currency as currency,
    cast(media_cost_advertiser_currency as {{ mmm.money_type() }}) as spend_local,
    cast(impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(clicks as {{ dbt.type_bigint() }}) as clicks,
    filename as export_file
from {{ source('raw', 'dv360') }}
