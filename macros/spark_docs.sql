{#-
    dbt's docs on Spark (persist_docs), within what a Hive metastore holds. A column comment is stored in
    COLUMNS_V2.COMMENT, 256 characters in Hive's metastore schema (Derby, MySQL, Postgres alike). A longer one
    makes the metastore refuse the table, and it retries ten times 2 s apart before Spark falls back to its own
    table format: 20 s a table. Spark passes a column's comment on to every table selected from it, so the
    comment is cut where dbt first writes it, the column list of a view (staging, compatibility marts). A cut
    comment ends with where the whole text is: the dbt docs (`make docs`). Table comments stay whole.
-#}

{#- A column's description as a Spark comment: whole when it fits, else cut at a word, with the pointer. -#}
{% macro spark_column_comment(description, model_name, column_name) -%}
    {%- set limit = 255 -%}
    {%- if description | length <= limit -%}
        {{- description -}}
    {%- else -%}
        {%- set pointer = " ... (cut; full text in the dbt docs: " ~ model_name ~ "." ~ column_name ~ ")" -%}
        {%- set opening = description[:limit - pointer | length].rsplit(" ", 1)[0] -%}
        {{- opening.rstrip(" ,;:") ~ pointer -}}
    {%- endif -%}
{%- endmacro %}

{#- dbt-spark's macro for a view's column list, with the comment cut to fit. -#}
{% macro get_column_comment_sql(column_name, column_dict) -%}
    {%- set comment_clause = "" -%}
    {%- if column_name in column_dict and column_dict[column_name]["description"] -%}
        {%- set comment = spark_column_comment(column_dict[column_name]["description"], model.name, column_name) -%}
        {%- set comment_clause = "comment '" ~ (comment | replace("'", "\\'")) ~ "'" -%}
    {%- endif -%}
    {{ adapter.quote(column_name) }} {{ comment_clause }}
{%- endmacro %}

{#-
    dbt-spark alters column comments only on Delta, Hudi and Iceberg tables; it still describes every other
    table first, for nothing. These models are Parquet: no describe. Other formats keep dbt-spark's way.
-#}
{% macro spark__persist_docs(relation, model, for_relation, for_columns) -%}
    {%- if config.get("file_format") in ["delta", "hudi", "iceberg"] -%}
        {% do dbt.spark__persist_docs(relation, model, for_relation, for_columns) %}
    {%- endif -%}
{%- endmacro %}
