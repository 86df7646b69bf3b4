-- Store sales per day in the store's currency; net sales (after discounts and returns, before tax) is the revenue KPI.
select
    'commerce' as source,
    cast(day as date) as sales_date,
    store as source_geo,
    currency,
    cast(orders as {{ dbt.type_bigint() }}) as orders,
    cast(gross_sales as {{ mmm.money_type() }}) as gross_sales,
    cast(discounts as {{ mmm.money_type() }}) as discounts,
    cast(returns as {{ mmm.money_type() }}) as returns,
    cast(net_sales as {{ mmm.money_type() }}) as net_sales,
    cast(taxes as {{ mmm.money_type() }}) as taxes,
    cast(total_sales as {{ mmm.money_type() }}) as total_sales,
    filename as export_file
from {{ source('raw', 'commerce') }}
