-- Monthly FX rates in USD per unit of currency, as exact decimals.
select
    currency,
    cast(month as date) as month_start,
    cast(usd_per_unit as {{ mmm.rate_type() }}) as usd_per_unit
from {{ ref('fx_rates') }}
