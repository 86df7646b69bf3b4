-- Model input, experiments: one row per lift test (key experiment_id). A null geo is a national test.
-- Each becomes a likelihood term of the retrain's fit (docs/model.md, "Experiments"); the checks against the
-- media mart (channel, geo, window, spend within tolerance) run in the extract, where they name the row.
select
    experiment_id,
    channel,
    geo,
    start_date,
    end_date,
    incremental_outcome,
    standard_error,
    spend,
    counterfactual_spend,
    outcome_type
from {{ ref('stg_experiments') }}
