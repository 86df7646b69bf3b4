-- Every day of the modelling window (the span of the sales data), with its ISO week and month.
-- dbt's date_spine excludes its end date, hence the day after the last sale.
{% set sales = ref('int_sales_daily_usd') %}
with days as (
    {{ dbt.date_spine(
        'day',
        '(select min(sales_date) from ' ~ sales ~ ')',
        dbt.dateadd('day', 1, '(select max(sales_date) from ' ~ sales ~ ')')
    ) }}
)

select
    cast(date_day as date) as date_day,
    {{ mmm.iso_week_start('cast(date_day as date)') }} as week_start,
    {{ mmm.month_start('cast(date_day as date)') }} as month_start
from days
