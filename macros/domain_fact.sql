{#- A domain fact is the published-figures fact restricted to one domain: same grain, same columns. -#}
{% macro domain_fact(domain) %}
select *
from {{ ref('fct_published_figures') }}
where domain = '{{ domain }}'
{% endmacro %}
