-- TikTok: the day arrives as a midnight timestamp; the objective stands in for a campaign type.
select
    'tiktok_ads' as source,
    cast(cast(stat_time_day as {{ dbt.type_timestamp() }}) as date) as activity_date,
    cast(advertiser_id as {{ dbt.type_string() }}) as account_id,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    campaign_name,
    objective_type as campaign_type,
    country_code as source_geo,
    currency,
    cast(spend as {{ mmm.money_type() }}) as spend_local,
    cast(impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(clicks as {{ dbt.type_bigint() }}) as clicks,
    filename as export_file
from {{ source('raw', 'tiktok_ads') }}
