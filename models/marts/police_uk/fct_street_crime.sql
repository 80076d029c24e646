{#-
    A view: one row per published row, always exactly the loaded files, at no build cost. The incremental work
    (adding a month without touching the others) is int_street_crime_file_counts, which the marts read.
-#}
{{ config(materialized='view') }}

select
    street_crime_key,
    source_file,
    source_row,
    month_start,
    force_slug,
    force_name,
    crime_type,
    last_outcome_category,
    lsoa_code,
    lsoa_name,
    district_name,
    is_anti_social_behaviour,
    has_location,
    is_synthetic,
    file_sha256
from {{ ref('stg_police_uk__street_crime').include(database=False) }}  -- see the staging view
