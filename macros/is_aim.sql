{#-
    True for figures that state an aim rather than a result: targets, plans, forecasts and
    projections, and any figure about a period that starts after its report's data end (a result
    cannot be published before it happens). Scorecard and trends show results only.
-#}
{% macro is_aim(relation_alias) -%}
    (
        {{ regex_contains(relation_alias ~ '.breakdown', '(^|;)(target|planned|forecast|projection)(;|$)') }}
        or coalesce({{ relation_alias }}.period_start > {{ relation_alias }}.data_to_date, false)
    )
{%- endmacro %}
