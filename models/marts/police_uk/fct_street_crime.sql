{#-
    Incremental: a run inserts only the rows loaded since the last build (the raw loader reads only new or
    changed files, stamping their rows with the load time) and first deletes any rows of the same files, so a
    republished month replaces its rows. The build file carries this table from the published warehouse
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
    loaded_at
from {{ ref('stg_police_uk__street_crime') }}
{% if is_incremental() %}
    where loaded_at > (select coalesce(max(loaded_at), '1900-01-01'::timestamp) from {{ this }})  -- noqa: RF02
{% endif %}
