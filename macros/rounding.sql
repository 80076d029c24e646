{#-
    `expr` rounded to `digits` places, never a signed zero: a difference of two equal printed values
    can come out as -2e-16 from binary arithmetic and round to -0.0, which prints as "-0" in an export and
    hashes apart from 0.0. Adding 0.0 turns -0.0 into 0.0 (IEEE 754, both engines) and changes nothing else.
-#}
{% macro round_unsigned(expr, digits) -%}
    (round({{ expr }}, {{ digits }}) + 0.0)
{%- endmacro %}
