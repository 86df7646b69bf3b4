{# Fails on every row whose column lies after another column of the row (a window's start after its end). #}
{% test not_after(model, column_name, other) %}
select {{ column_name }} as first_value, {{ other }} as second_value
from {{ model }}
where {{ column_name }} > {{ other }}
{% endtest %}
