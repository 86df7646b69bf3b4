-- Microsoft Advertising: MM/DD/YYYY dates, spend in the account currency.
select
    'microsoft_ads' as source,
    {{ mmm.parse_date('TimePeriod', '%m/%d/%Y') }} as activity_date,
    cast(AccountId as {{ dbt.type_string() }}) as account_id,
    cast(CampaignId as {{ dbt.type_string() }}) as campaign_id,
    CampaignName as campaign_name,
    CampaignType as campaign_type,
    Country as source_geo,
    CurrencyCode as currency,
    cast(Spend as {{ mmm.money_type() }}) as spend_local,
    cast(Impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(Clicks as {{ dbt.type_bigint() }}) as clicks,
    filename as export_file
from {{ source('raw', 'microsoft_ads') }}
