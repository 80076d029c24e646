{#-
    The one home of the words readers see for codes: `code_label('unit')` turns a code column into its label
    (`higher_is_better` -> `Higher is better`), with the few words a rule cannot make listed here. The marts
    carry these as `*_label` columns; the Evidence sources only select them (tests/test_report_sources.py).
-#}
{% macro code_label(code_expr) -%}
    case {{ code_expr }}
        when 'pct_change' then 'Percent change'
        when 'pp_change' then 'Percentage-point change'
        when 'gbp' then 'Pounds (£)'
        when 'percent' then 'Percent'
        when 'warn' then 'Warning'
        when 'info' then 'Information'
        when 'point' then 'Point in time'
        else upper(substring({{ code_expr }}, 1, 1)) || substring(replace({{ code_expr }}, '_', ' '), 2)
    end
{%- endmacro %}

{#- A flag in words, for tables that show it: `Yes` or `No`. -#}
{% macro yes_no(flag_expr) -%}
    case when {{ flag_expr }} then 'Yes' else 'No' end
{%- endmacro %}

{#- A month as readers see it in tables: `Dec 2015`. -#}
{% macro month_short_label(date_expr) -%}
    {{ month_abbreviation(date_expr) }} || ' ' || cast(year({{ date_expr }}) as string)
{%- endmacro %}
