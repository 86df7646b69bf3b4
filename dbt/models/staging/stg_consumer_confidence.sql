-- Monthly index; months arrive as yyyy-mm.
select
    {{ mmm.parse_date(dbt.concat(['month', "'-01'"]), '%Y-%m-%d') }} as month_start,
    country_code as source_geo,
    cast(consumer_confidence as {{ mmm.double_type() }}) as consumer_confidence
from {{ source('raw', 'consumer_confidence') }}
