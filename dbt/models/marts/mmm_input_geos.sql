-- Model input, geos: population (for per-capita scaling in geo models) and reporting currency.
select geo, population, currency
from {{ ref('geos') }}
