{# Fails on every row where the column is negative (spend, media units, KPI values). #}
{% test non_negative(model, column_name) %}
select {{ column_name }} as negative_value
from {{ model }}
where {{ column_name }} < 0
{% endtest %}
