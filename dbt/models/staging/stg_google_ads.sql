-- Google Ads: one row per day, campaign and country as exported; cost from micros to currency units.
select
    'google_ads' as source,
    cast(segments_date as date) as activity_date,
    cast(customer_id as {{ dbt.type_string() }}) as account_id,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    campaign_name,
    campaign_advertising_channel_type as campaign_type,
    geographic_view_country_criterion_id as source_geo,
    customer_currency_code as currency,
    cast(cast(metrics_cost_micros as {{ dbt.type_bigint() }}) / 1000000 as {{ mmm.money_type() }}) as spend_local,
    cast(metrics_impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(metrics_clicks as {{ dbt.type_bigint() }}) as clicks,
    filename as export_file
from {{ source('raw', 'google_ads') }}
