{#-
    The one incremental model of police.uk: rows of each street file counted by force, district, crime type and
    month. A run adds only the files (name and sha256 of their bytes) the table does not hold yet, first deleting
    any rows of the same file names, so a republished month replaces its counts; after it, the counts of files no
    longer loaded (gone from the archive, their rows dropped by the loader) are deleted (DuckDB; a Spark build is
    always a full one, spark/check.py). The list of new files is read
    first (a distinct over two columns) and inlined, so the row-level work touches only the new files' rows. The
    build file carries this table from the published warehouse (orchestration/lib/police_uk.py, CARRIED_TABLES);
    without it dbt builds it from every row. No load time is kept: a full and an incremental build are identical.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert' if target.type != 'spark' else 'insert_overwrite',
        unique_key='source_file',
        partition_by=['source_file'] if target.type == 'spark' else none,
        on_schema_change='fail',
        post_hook=[
            "{% if is_incremental() and target.type != 'spark' %}delete from {{ this }} where source_file not in"
            ~ " (select distinct source_file from {{ ref('stg_police_uk__street_crime') }}){% endif %}"
        ],
    )
}}

{% set new_files = [] %}
{% if is_incremental() and execute %}
    {% set new_files_query %}
        select source_file from (select distinct source_file, file_sha256 from {{ ref('stg_police_uk__street_crime') }})
        except
        select source_file from (select distinct source_file, file_sha256 from {{ this }})
    {% endset %}
    {% set new_files = run_query(new_files_query).columns[0].values() | list %}
{% endif %}

select
    source_file,
    file_sha256,
    force_name,
    coalesce(district_name, '(no location)') as district_name,
    crime_type,
    month_start,
    bool_or(is_synthetic) as is_synthetic,
    count(*) as incidents
from {{ ref('stg_police_uk__street_crime') }}
{% if is_incremental() %}
    where
        source_file in (
            {%- for f in new_files %}'{{ f | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor -%}
            {%- if not new_files %}null{% endif -%}
        )
{% endif %}
group by all
