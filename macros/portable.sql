{#-
    The few things DuckDB and Spark SQL spell differently, each behind one dispatched macro, so that
    every model runs on both engines (`make spark-check` proves the marts equal). dbt's own
    cross-database macros are used where they exist and give the same answer on both; these cover
    the rest. A regular expression is written once, as its pattern: Spark reads backslashes in a
    string literal as escapes, so its literal doubles them.
-#}

{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal')(pattern)) }}
{%- endmacro %}
{% macro default__regex_literal(pattern) -%}
    '{{ pattern }}'
{%- endmacro %}
{% macro spark__regex_literal(pattern) -%}
    '{{ pattern | replace("\\", "\\\\") }}'
{%- endmacro %}

{#- True when `string_expr` contains a match of `pattern` (not anchored). -#}
{% macro regex_contains(string_expr, pattern) -%}
    {{ return(adapter.dispatch('regex_contains')(string_expr, pattern)) }}
{%- endmacro %}
{% macro default__regex_contains(string_expr, pattern) -%}
    regexp_matches({{ string_expr }}, {{ regex_literal(pattern) }})
{%- endmacro %}
{% macro spark__regex_contains(string_expr, pattern) -%}
    ({{ string_expr }} rlike {{ regex_literal(pattern) }})
{%- endmacro %}

{#- The `group`th group of the first match of `pattern`, or '' when nothing matches (both engines). -#}
{% macro regex_extract(string_expr, pattern, group) -%}
    regexp_extract({{ string_expr }}, {{ regex_literal(pattern) }}, {{ group }})
{%- endmacro %}

{#- Every match of `pattern` replaced (DuckDB replaces the first unless told `g`). -#}
{% macro regex_replace_all(string_expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all')(string_expr, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regex_replace_all(string_expr, pattern, replacement) -%}
    regexp_replace({{ string_expr }}, {{ regex_literal(pattern) }}, '{{ replacement }}', 'g')
{%- endmacro %}
{% macro spark__regex_replace_all(string_expr, pattern, replacement) -%}
    regexp_replace({{ string_expr }}, {{ regex_literal(pattern) }}, '{{ replacement }}')
{%- endmacro %}

{#- The values of `expr` joined by `delimiter` in the order of `order_by` (an aggregate). -#}
{% macro string_agg_ordered(expr, delimiter, order_by) -%}
    {{ return(adapter.dispatch('string_agg_ordered')(expr, delimiter, order_by)) }}
{%- endmacro %}
{% macro default__string_agg_ordered(expr, delimiter, order_by) -%}
    string_agg({{ expr }}, '{{ delimiter }}' order by {{ order_by }})
{%- endmacro %}
{% macro spark__string_agg_ordered(expr, delimiter, order_by) -%}
    {#- Sort structs of the order keys (`order_by` may list several, comma-separated), then the item.
        Null when every value is null, as string_agg is (array_join of nothing is ''). -#}
    case when count({{ expr }}) > 0 then array_join(
        transform(
            array_sort(collect_list(named_struct(
                {%- for key in order_by.split(',') %}
                'sort_key_{{ loop.index }}', {{ key | trim }},
                {%- endfor %}
                'item', {{ expr }}
            ))),
            entry -> entry.item
        ),
        '{{ delimiter }}'
    ) end
{%- endmacro %}

{#- The distinct values of `expr`, sorted, joined by `delimiter` (an aggregate). -#}
{% macro string_agg_distinct_sorted(expr, delimiter) -%}
    {{ return(adapter.dispatch('string_agg_distinct_sorted')(expr, delimiter)) }}
{%- endmacro %}
{% macro default__string_agg_distinct_sorted(expr, delimiter) -%}
    string_agg(distinct {{ expr }}, '{{ delimiter }}' order by {{ expr }})
{%- endmacro %}
{% macro spark__string_agg_distinct_sorted(expr, delimiter) -%}
    case when count({{ expr }}) > 0 then array_join(array_sort(collect_set({{ expr }})), '{{ delimiter }}') end
{%- endmacro %}

{#-
    A sum or mean in a fixed order. DuckDB can order the inputs, so the same inputs give the same
    double to the last bit (the published content hash compares marts); Spark cannot, and the
    comparison with DuckDB allows for floating point.
-#}
{% macro sum_ordered(expr, order_by) -%}
    {{ return(adapter.dispatch('sum_ordered')(expr, order_by)) }}
{%- endmacro %}
{% macro default__sum_ordered(expr, order_by) -%}
    sum({{ expr }} order by {{ order_by }})
{%- endmacro %}
{% macro spark__sum_ordered(expr, order_by) -%}
    sum({{ expr }})
{%- endmacro %}
{% macro avg_ordered(expr, order_by) -%}
    {{ return(adapter.dispatch('avg_ordered')(expr, order_by)) }}
{%- endmacro %}
{% macro default__avg_ordered(expr, order_by) -%}
    avg({{ expr }} order by {{ order_by }})
{%- endmacro %}
{% macro spark__avg_ordered(expr, order_by) -%}
    avg({{ expr }})
{%- endmacro %}

{#- Three-letter English month name (`Jan`). -#}
{% macro month_abbreviation(date_expr) -%}
    {{ return(adapter.dispatch('month_abbreviation')(date_expr)) }}
{%- endmacro %}
{% macro default__month_abbreviation(date_expr) -%}
    strftime({{ date_expr }}, '%b')
{%- endmacro %}
{% macro spark__month_abbreviation(date_expr) -%}
    date_format({{ date_expr }}, 'MMM')
{%- endmacro %}

{#- Full English month name and year (`July 2018`). -#}
{% macro month_year_name(date_expr) -%}
    {{ return(adapter.dispatch('month_year_name')(date_expr)) }}
{%- endmacro %}
{% macro default__month_year_name(date_expr) -%}
    strftime({{ date_expr }}, '%B %Y')
{%- endmacro %}
{% macro spark__month_year_name(date_expr) -%}
    date_format({{ date_expr }}, 'MMMM yyyy')
{%- endmacro %}

{#- The whole numbers 1 to `n` as a relation with one column, `position` (a portable sequence). -#}
{% macro positions_up_to(n) -%}
    (
        values
        {%- for i in range(1, n + 1) %}
            ({{ i }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as positions (position)
{%- endmacro %}
