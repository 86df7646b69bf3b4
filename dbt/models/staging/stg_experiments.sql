-- Lift tests as reported: typed, an empty geo read as a national test (null).
select
    experiment_id,
    channel,
    nullif(trim(geo), '') as geo,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    cast(incremental_outcome as {{ mmm.double_type() }}) as incremental_outcome,
    cast(standard_error as {{ mmm.double_type() }}) as standard_error,
    cast(spend as {{ mmm.money_type() }}) as spend,
    cast(coalesce(nullif(trim(counterfactual_spend), ''), '0') as {{ mmm.money_type() }}) as counterfactual_spend,
    nullif(trim(outcome_type), '') as outcome_type
from {{ source('raw', 'experiments') }}
