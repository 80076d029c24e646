{#-
    UK police financial years run 1 April to 31 March; Q1 is April-June. One definition, used by
    the date and period dimensions and the trend marts (and unit-tested through dim_date).
-#}
{% macro financial_year_start(date_expr) -%}
    (case when month({{ date_expr }}) >= 4 then year({{ date_expr }}) else year({{ date_expr }}) - 1 end)
{%- endmacro %}

{% macro financial_year_label(date_expr) -%}
    ({{ financial_year_start(date_expr) }}::string || '/' || right(({{ financial_year_start(date_expr) }} + 1)::string, 2))
{%- endmacro %}

{% macro financial_quarter(date_expr) -%}
    (cast(floor(((month({{ date_expr }}) + 8) % 12) / 3) as integer) + 1)
{%- endmacro %}

{#- The kind of period a (start, end) pair is, so that like is only compared with like. -#}
{% macro period_type(start_expr, end_expr) -%}
    case
        when {{ start_expr }} is null then 'unknown'
        when {{ start_expr }} = {{ end_expr }} then 'point'
        when
            day({{ start_expr }}) = 1 and {{ end_expr }} = last_day({{ start_expr }})
            then 'calendar_month'
        when
            day({{ start_expr }}) = 1 and month({{ start_expr }}) in (1, 4, 7, 10)
            and {{ end_expr }} = last_day({{ start_expr }} + interval 2 month)
            then 'financial_quarter'
        when
            day({{ start_expr }}) = 1 and month({{ start_expr }}) = 4
            and {{ end_expr }} = last_day({{ start_expr }} + interval 11 month)
            then 'financial_year'
        when
            day({{ start_expr }}) = 1 and month({{ start_expr }}) = 1
            and {{ end_expr }} = last_day({{ start_expr }} + interval 11 month)
            then 'calendar_year'
        when
            day({{ start_expr }}) = 1 and {{ end_expr }} = last_day({{ start_expr }} + interval 11 month)
            then 'rolling_12_months'
        when
            day({{ start_expr }}) = 1 and {{ end_expr }} = last_day({{ start_expr }} + interval 2 month)
            then 'rolling_3_months'
        else 'other'
    end
{%- endmacro %}

{#- A readable key for a period: 'YYYY-MM-DD_YYYY-MM-DD', or 'unknown'. -#}
{% macro period_key(start_expr, end_expr) -%}
    coalesce(cast({{ start_expr }} as string) || '_' || cast({{ end_expr }} as string), 'unknown')
{%- endmacro %}
