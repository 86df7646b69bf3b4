-- Weekly controls per geo: share of days with a promotion, number of public holidays, and the
-- consumer confidence index averaged over the week's days (each day takes its month's value).
with days as (
    select days.date_day, days.week_start, days.month_start, geos.geo
    from {{ ref('int_calendar_days') }} as days
    cross join {{ ref('geos') }} as geos
),

promo_days as (
    select distinct days.geo, days.date_day
    from days
    inner join {{ ref('geo_mapping') }} as geo_map
        on geo_map.source = 'calendar' and geo_map.geo = days.geo
    inner join {{ ref('stg_promotions') }} as promotions
        on promotions.source_geo = geo_map.source_geo and days.date_day between promotions.start_date and promotions.end_date
),

holiday_days as (
    select distinct geo_map.geo, holidays.holiday_date
    from {{ ref('stg_holidays') }} as holidays
    inner join {{ ref('geo_mapping') }} as geo_map
        on geo_map.source = 'calendar' and geo_map.source_geo = holidays.source_geo
),

confidence as (
    select geo_map.geo, macro.month_start, macro.consumer_confidence
    from {{ ref('stg_consumer_confidence') }} as macro
    inner join {{ ref('geo_mapping') }} as geo_map
        on geo_map.source = 'calendar' and geo_map.source_geo = macro.source_geo
),

daily as (
    select
        days.geo,
        days.week_start,
        case when promo_days.date_day is null then 0 else 1 end as on_promotion,
        case when holiday_days.holiday_date is null then 0 else 1 end as is_holiday,
        confidence.consumer_confidence
    from days
    left join promo_days on promo_days.geo = days.geo and promo_days.date_day = days.date_day
    left join holiday_days on holiday_days.geo = days.geo and holiday_days.holiday_date = days.date_day
    left join confidence on confidence.geo = days.geo and confidence.month_start = days.month_start
)

select
    geo,
    week_start,
    sum(on_promotion) / {{ dbt.cast('count(*)', mmm.double_type()) }} as promo,
    {{ dbt.cast('sum(is_holiday)', mmm.double_type()) }} as holiday,
    avg(consumer_confidence) as macro
from daily
group by geo, week_start
