{# Row-count sanity of a long-form panel: exactly one row per combination of its dimensions,
   i.e. count(*) = product of the distinct counts (no gaps left unfilled, no fan-out from joins). #}
{% test complete_panel(model, dimensions) %}
with counts as (
    select
        count(*) as row_count
        {%- for dimension in dimensions %},
        count(distinct {{ dimension }}) as distinct_{{ dimension }}
        {%- endfor %}
    from {{ model }}
)
select *
from counts
where row_count <> {% for dimension in dimensions %}distinct_{{ dimension }}{{ ' * ' if not loop.last }}{% endfor %}
   or row_count = 0
{% endtest %}
