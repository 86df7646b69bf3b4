-- Meta: daily insights (date_start = date_stop), the campaign objective stands in for a campaign type.
select
    'meta_ads' as source,
    cast(date_start as date) as activity_date,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    campaign_name,
    objective as campaign_type,
    country as source_geo,
    account_currency as currency,
    cast(spend as {{ mmm.money_type() }}) as spend_local,
    cast(impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(clicks as {{ dbt.type_bigint() }}) as clicks,
    filename as export_file
from {{ source('raw', 'meta_ads') }}
