-- Every digital platform's rows in one shape, de-duplicated on the natural key
-- (source, account, campaign id, country, day): overlapping exports repeat days and may restate
-- them, so the row of the latest export file wins. Campaign names are not part of the key: a
-- platform reports a renamed campaign's current name for every day, old days included.
with unioned as (
    {% for platform in ['google_ads', 'microsoft_ads', 'meta_ads', 'tiktok_ads', 'dv360'] %}
    select
        source, activity_date, account_id, campaign_id, campaign_name, campaign_type,
        source_geo, currency, spend_local, impressions, clicks, export_file
    from {{ ref('stg_' ~ platform) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

ranked as (
    select
        unioned.*,
        row_number() over (
            partition by source, account_id, campaign_id, source_geo, activity_date
            order by export_file desc
        ) as export_rank
    from unioned
)

select
    source, activity_date, account_id, campaign_id, campaign_name, campaign_type,
    source_geo, currency, spend_local, impressions, clicks, export_file
from ranked
where export_rank = 1
