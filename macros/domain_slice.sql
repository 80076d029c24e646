{#-
    A compatibility view: the rows of one domain of a mart that holds every domain, with the same
    columns. Kept for BI tools that read the per-domain marts of earlier releases.
-#}
{% macro domain_slice(model_name, domain) %}
select *
from {{ ref(model_name) }}
where domain = '{{ domain }}'
{% endmacro %}
