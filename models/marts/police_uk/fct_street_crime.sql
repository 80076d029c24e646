{#-
    Incremental: a run inserts only the rows of files (name and sha256 of their bytes) the table does not hold
    yet (the raw loader reads only new or changed files) and first deletes any rows of the same file names, so
    a republished month replaces its rows. No load time in the table: a full and an incremental build of the
    same files are identical. The build file carries this table from the published warehouse
    (orchestration/lib/police_uk.py, carried_tables); without it, dbt builds the whole table.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='source_file',
        on_schema_change='fail',
    )
}}

select
    street_crime_key,
    source_file,
    source_row,
    month_start,
    force_slug,
    force_name,
    reported_by,
    crime_id,
    crime_type,
    last_outcome_category,
    longitude,
    latitude,
    location,
    lsoa_code,
    lsoa_name,
    district_name,
    context,
    is_anti_social_behaviour,
    has_location,
    is_synthetic,
    file_sha256
from {{ ref('stg_police_uk__street_crime') }}
{% if is_incremental() %}
    -- only files (by name and content) the table does not hold yet
    where (source_file, file_sha256) not in (select distinct source_file, file_sha256 from {{ this }})  -- noqa: RF02
{% endif %}
