-- Sales per geo and ISO week; days_reported counts the days the store export has, so that weeks
-- with a gap in the KPI are flagged rather than silently under-counted.
with daily as (
    select
        days.week_start,
        geos.geo,
        sales.net_sales_usd,
        sales.orders,
        case when sales.sales_date is null then 0 else 1 end as reported
    from {{ ref('int_calendar_days') }} as days
    cross join {{ ref('geos') }} as geos
    left join {{ ref('int_sales_daily_usd') }} as sales
        on sales.sales_date = days.date_day and sales.geo = geos.geo
)

select
    geo,
    week_start,
    cast(coalesce(sum(net_sales_usd), 0) as {{ mmm.money_type() }}) as revenue,
    coalesce(sum(orders), 0) as orders,
    cast(sum(reported) as {{ dbt.type_int() }}) as days_reported,
    cast(count(*) as {{ dbt.type_int() }}) as days_in_week
from daily
group by geo, week_start
