{#-
    How a stated figure is judged against its recomputation: consistent when the difference is
    within half a unit of the last digit printed ("42 per cent" +-0.5, "+60.2%" +-0.05).
-#}
{#- Digits after the point, less the multiplier: "£4.93m" is printed to the nearest £10,000 (-4). -#}
{% macro printed_decimals(value_as_printed_expr) -%}
    (
        coalesce(length({{ regex_extract(value_as_printed_expr, '\\d\\.(\\d+)', 1) }}), 0)
        - case
            when {{ regex_contains('lower(' ~ value_as_printed_expr ~ ')', '\\d\\s*(bn|billion)\\b') }} then 9
            when {{ regex_contains('lower(' ~ value_as_printed_expr ~ ')', '\\d\\s*(m|million)\\b') }} then 6
            when {{ regex_contains('lower(' ~ value_as_printed_expr ~ ')', '\\d\\s*(k|thousand)\\b') }} then 3
            else 0
        end
    )
{%- endmacro %}

{#-
    A stated figure with a qualifier is a bound: "more than 500" holds for anything above 500;
    "almost 900" for 90-100% of 900; "around 50" within 5% either side.
-#}
{% macro claim_verdict(stated_expr, recomputed_expr, decimals_expr, qualifier_expr="null") -%}
    case
        when {{ recomputed_expr }} is null or {{ stated_expr }} is null then 'not_checkable'
        when {{ qualifier_expr }} in ('more than', 'over', 'at least')
            then case when abs({{ recomputed_expr }}) >= abs({{ stated_expr }}) then 'consistent' else 'inconsistent' end
        when {{ qualifier_expr }} in ('less than', 'under', 'up to')
            then case when abs({{ recomputed_expr }}) <= abs({{ stated_expr }}) then 'consistent' else 'inconsistent' end
        when {{ qualifier_expr }} in ('almost', 'nearly')
            then case
                when abs({{ recomputed_expr }}) between 0.9 * abs({{ stated_expr }}) and abs({{ stated_expr }})
                    then 'consistent'
                else 'inconsistent'
            end
        when {{ qualifier_expr }} in ('around', 'about', 'approximately', 'roughly', 'some')
            then case
                when abs({{ recomputed_expr }} - {{ stated_expr }}) <= 0.05 * abs({{ stated_expr }}) then 'consistent'
                else 'inconsistent'
            end
        when abs({{ stated_expr }} - {{ recomputed_expr }}) <= 0.5 * pow(10, -{{ decimals_expr }}) + 1e-9
            then 'consistent'
        else 'inconsistent'
    end
{%- endmacro %}
