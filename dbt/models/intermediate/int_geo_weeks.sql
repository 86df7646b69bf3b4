-- The panel's rows: every geo of the geos seed for every ISO week of the modelling window.
select geos.geo, weeks.week_start
from (select distinct week_start from {{ ref('int_calendar_days') }}) as weeks
cross join {{ ref('geos') }} as geos
