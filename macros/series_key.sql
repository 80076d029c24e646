{#-
    The default key of a series: metric, split (breakdown; left out when empty) and area, joined by
    dots (`specials_headcount.essex`, `recorded_crime.theme_knife_crime.essex`). A row whose metric,
    split and area are an alias in `series_aliases` belongs to that alias's series instead.
-#}
{% macro series_key(metric_expr, breakdown_expr, geography_expr) -%}
    concat_ws('.', {{ metric_expr }}, nullif({{ breakdown_expr }}, ''), {{ geography_expr }})
{%- endmacro %}
