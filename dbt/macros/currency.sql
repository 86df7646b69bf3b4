{# Converts a local-currency amount to US dollars at a rate in USD per unit, rounded to the cent per row
   (halves away from zero on both engines). The demo generator (src/demo-data/money.ts) follows the same rule. #}
{% macro to_usd(amount_expr, rate_expr) -%}
    cast(round(cast({{ amount_expr }} as {{ mmm.money_type() }}) * cast({{ rate_expr }} as {{ mmm.rate_type() }}), 2) as {{ mmm.money_type() }})
{%- endmacro %}
