-- Model input, controls in long form: one row per geo, ISO week and control.
{% for control in ['promo', 'holiday', 'macro'] %}
select geo, week_start, '{{ control }}' as control, {{ control }} as value
from {{ ref('int_controls_weekly') }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
