select
    cast(date as date) as holiday_date,
    country_code as source_geo,
    holiday_name
from {{ source('raw', 'holidays') }}
