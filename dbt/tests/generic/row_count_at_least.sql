{# Row-count sanity of a source or model: fails when it holds fewer than min_rows rows (e.g. an empty export folder). #}
{% test row_count_at_least(model, min_rows) %}
select row_count
from (select count(*) as row_count from {{ model }}) as counted
where row_count < {{ min_rows }}
{% endtest %}
