-- The planners' media plan: one row per week (Monday, YYYY-MM-DD), market, media type and platform; planned
-- spend in the market's currency, planned media units when the plan states them (blank otherwise).
select
    'media_plan' as source,
    plan_name,
    cast(week_commencing as date) as week_commencing,
    market as source_geo,
    media_type,
    platform,
    currency,
    cast(planned_spend as {{ mmm.money_type() }}) as spend_local,
    cast(nullif(planned_units, '') as {{ mmm.double_type() }}) as planned_units,
    filename as export_file
from {{ source('raw', 'media_plan') }}
