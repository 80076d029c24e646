{#-
    A breakdown code in words for readers: `All` for the whole quantity, otherwise the code with a
    `theme_` prefix dropped, `;` read as ` · `, `_` as a space and the first letter capitalised
    (`theme_theft` -> `Theft`, `op_puffin;managed_by_dapst` -> `Op puffin · managed by dapst`).
-#}
{% macro breakdown_label(breakdown_expr) -%}
    case
        when coalesce({{ breakdown_expr }}, '') = '' then 'All'
        else
            upper(left(replace(replace(regexp_replace({{ breakdown_expr }}, '^theme_', ''), ';', ' · '), '_', ' '), 1))
            || substr(replace(replace(regexp_replace({{ breakdown_expr }}, '^theme_', ''), ';', ' · '), '_', ' '), 2)
    end
{%- endmacro %}
