{#- True for figures that state an aim rather than a result: targets, plans, forecasts, projections. -#}
{% macro is_aim(breakdown_expr) -%}
    regexp_matches({{ breakdown_expr }}, '(^|;)(target|planned|forecast|projection)(;|$)')
{%- endmacro %}
