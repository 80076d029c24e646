{#- dbt_utils' equal_rowcount, same name and arguments: the model and compare_model have as many rows. -#}
{% test equal_rowcount(model, compare_model) %}
with counts as (
    select
        (select count(*) from {{ model }}) as model_rows,
        (select count(*) from {{ compare_model }}) as compare_model_rows
)

select *
from counts
where model_rows != compare_model_rows
{% endtest %}
