-- TV buys, one row per (week, market, network): agencies re-issue quarters with corrections, so the
-- row of the latest report file wins.
with ranked as (
    select
        source, week_commencing, source_geo, network, daypart, grps, cost_local, currency, export_file,
        row_number() over (
            partition by week_commencing, source_geo, network
            order by export_file desc
        ) as export_rank
    from {{ ref('stg_tv_buys') }}
)

select source, week_commencing, source_geo, network, daypart, grps, cost_local, currency, export_file
from ranked
where export_rank = 1
