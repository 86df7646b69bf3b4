-- BI views over the current run of each model (mmm_current), DuckDB. A run's rows appear here only
-- once it is promoted, so a publish that fails half-way is never visible through them.

create or replace view {{schema}}.v_current_runs as
select runs.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_runs as runs on runs.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_channel_summary as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_channel_summary as t on t.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_contributions as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_contributions as t on t.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_response_curves as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_response_curves as t on t.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_surface_scenarios as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_surface_scenarios as t on t.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_surface_allocations as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_surface_allocations as t on t.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_frontier as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_frontier as t on t.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_posterior_summary as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_posterior_summary as t on t.run_id = current_run.run_id;

create or replace view {{schema}}.v_current_recommendations as
select current_run.model_id, t.*
from {{schema}}.mmm_current as current_run
inner join {{schema}}.mmm_recommendations as t on t.run_id = current_run.run_id;
