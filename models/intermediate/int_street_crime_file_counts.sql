-- police.uk rows counted per street file, force, district, crime type and month: the one pass over the lake's rows
-- that every police.uk mart above builds from. Rebuilt from the lake every run.
{{ config(materialized='table') }}

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
group by all
