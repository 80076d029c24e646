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

{#- The first day of the financial quarter (April, July, October, January) or year (April) holding a date;
    grain_expr is 'financial_quarter' or 'financial_year', as a quoted literal or a column. -#}
{% macro financial_period_start(grain_expr, date_expr) -%}
    case {{ grain_expr }}
        when 'financial_quarter' then cast(date_trunc('quarter', {{ date_expr }}) as date)
        else make_date({{ financial_year_start(date_expr) }}, 4, 1)
    end
{%- endmacro %}

{#- Whether a date is the last day of a financial quarter or, for the year grain, of a financial year. -#}
{% macro is_financial_period_end(grain_expr, date_expr) -%}
    (
        {{ date_expr }} = last_day({{ date_expr }})
        and month({{ date_expr }}) in (3, 6, 9, 12)
        and ({{ grain_expr }} = 'financial_quarter' or month({{ date_expr }}) = 3)
    )
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
