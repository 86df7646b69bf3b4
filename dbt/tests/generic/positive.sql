{# Fails on every row where the column is zero or negative (an experiment's standard error). #}
{% test positive(model, column_name) %}
select {{ column_name }} as non_positive_value
from {{ model }}
where {{ column_name }} <= 0
{% endtest %}
