-- TV agency report: one row per week (Monday, MM/DD/YYYY), market and network.
select
    'tv' as source,
    {{ mmm.parse_date('week_commencing', '%m/%d/%Y') }} as week_commencing,
    market as source_geo,
    network,
    daypart,
    cast(grps as {{ dbt.type_numeric() }}) as grps,
    cast(net_cost as {{ mmm.money_type() }}) as cost_local,
    currency,
    filename as export_file
from {{ source('raw', 'tv') }}
