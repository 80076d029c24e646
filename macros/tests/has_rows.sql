{#-
    Fails when the model is empty. Why: BI tools break on an empty source (an Evidence page whose
    query returns no rows fails), and an empty mart means a lost upstream. Every mart carries it; a
    pytest checks that none is missed.
-#}
{% test has_rows(model) %}
select 'empty' as problem
where not exists (select 1 from {{ model }})
{% endtest %}
