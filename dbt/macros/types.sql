{# Exact decimal types for money and FX rates (DuckDB DECIMAL, BigQuery NUMERIC), so that conversion and sums are exact
   to the cent. BigQuery's are parameterized NUMERIC(P, S) so that the scale is explicit wherever SQL is translated. #}

{% macro money_type() %}{{ return(adapter.dispatch('money_type', 'mmm')()) }}{% endmacro %}
{% macro default__money_type() %}decimal(18, 2){% endmacro %}
{% macro bigquery__money_type() %}numeric(20, 2){% endmacro %}

{% macro rate_type() %}{{ return(adapter.dispatch('rate_type', 'mmm')()) }}{% endmacro %}
{% macro default__rate_type() %}decimal(18, 6){% endmacro %}
{% macro bigquery__rate_type() %}numeric(20, 6){% endmacro %}

{# 64-bit floating point (dbt's type_float is single precision on DuckDB). #}
{% macro double_type() %}{{ return(adapter.dispatch('double_type', 'mmm')()) }}{% endmacro %}
{% macro default__double_type() %}double{% endmacro %}
{% macro bigquery__double_type() %}float64{% endmacro %}
