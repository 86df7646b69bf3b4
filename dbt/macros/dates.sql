{# Calendar helpers whose SQL differs between engines. #}

{# Monday of the ISO week of a DATE expression. On BigQuery (DAYOFWEEK: Sunday = 1 ... Saturday = 7) the
   day is stepped back (dayofweek + 5) mod 7 days; same result as DATE_TRUNC(d, ISOWEEK), which the
   local BigQuery emulator of the tests does not translate. #}
{% macro iso_week_start(date_expr) %}{{ return(adapter.dispatch('iso_week_start', 'mmm')(date_expr)) }}{% endmacro %}
{% macro default__iso_week_start(date_expr) %}cast(date_trunc('week', {{ date_expr }}) as date){% endmacro %}
{% macro bigquery__iso_week_start(date_expr) %}date_sub({{ date_expr }}, interval mod(extract(dayofweek from {{ date_expr }}) + 5, 7) day){% endmacro %}

{# First day of the month of a DATE expression, as a DATE. #}
{% macro month_start(date_expr) %}{{ return(adapter.dispatch('month_start', 'mmm')(date_expr)) }}{% endmacro %}
{% macro default__month_start(date_expr) %}cast(date_trunc('month', {{ date_expr }}) as date){% endmacro %}
{% macro bigquery__month_start(date_expr) %}date_trunc({{ date_expr }}, month){% endmacro %}

{# Parses text in a strftime-style format (e.g. '%m/%d/%Y') into a DATE. #}
{% macro parse_date(text_expr, format) %}{{ return(adapter.dispatch('parse_date', 'mmm')(text_expr, format)) }}{% endmacro %}
{% macro default__parse_date(text_expr, format) %}cast(strptime({{ text_expr }}, '{{ format }}') as date){% endmacro %}
{% macro bigquery__parse_date(text_expr, format) %}parse_date('{{ format }}', {{ text_expr }}){% endmacro %}
