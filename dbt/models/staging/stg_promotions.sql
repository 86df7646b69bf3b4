select
    promo_id,
    promo_name,
    market as source_geo,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    cast(discount_pct as {{ dbt.type_numeric() }}) as discount_pct
from {{ source('raw', 'promotions') }}
