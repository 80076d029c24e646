{#- Fails with the rows for which `expression` is not true (dbt_utils is unreachable here). -#}
{% test expression_is_true(model, expression, where_clause=none) %}
select *
from {{ model }}
where not ({{ expression }}){% if where_clause %} and ({{ where_clause }}){% endif %}
{% endtest %}
