{#-
    A compatibility view: the rows of one domain of a mart that holds every domain, with the same
    columns. Kept for BI tools that read the per-domain marts of earlier releases. The view names its
    parent without the catalog, so it resolves in whatever file a reader opens (the build attaches
    the file as `warehouse`; a BI tool opens it under its own name).
-#}
{% macro domain_slice(model_name, domain) %}
select *
from {{ ref(model_name).include(database=False) }}
where domain = '{{ domain }}'
{% endmacro %}

{#-
    The contract check of a compatibility view runs the view's query on its own, where a parent named
    without the catalog resolves only in the default one: on DuckDB the build's catalog is attached as
    `target.database`, so make it the default first (a pre-hook). Other engines need nothing.
-#}
{% macro use_target_catalog() %}
    {%- if target.type == 'duckdb' -%} use {{ target.database }} {%- endif -%}
{% endmacro %}
