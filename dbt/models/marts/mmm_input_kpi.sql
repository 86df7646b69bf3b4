-- Model input, KPIs in long form: one row per geo, ISO week and KPI (revenue in USD, orders).
-- is_complete is false for weeks whose sales export misses days; extract refuses such weeks.
{% for kpi in ['revenue', 'orders'] %}
select
    geo,
    week_start,
    '{{ kpi }}' as kpi,
    cast({{ kpi }} as {{ mmm.money_type() }}) as value,
    days_reported,
    days_reported = days_in_week and days_in_week = 7 as is_complete
from {{ ref('int_kpi_weekly') }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
