-- One row per published row of a police.uk street file in the lake, named and typed for the marts; nothing dropped.
select
    _source_file || ':' || _row_number::string as street_crime_key,
    _source_file as source_file,
    _row_number as source_row,
    _month as month_start,
    _force_slug as force_slug,
    falls_within as force_name,
    reported_by,
    crime_id,
    crime_type,
    last_outcome_category,
    -- published as text; the loader has checked that each is a number or empty
    longitude::double as longitude,
    latitude::double as latitude,
    location,
    lsoa_code,
    lsoa_name,
    -- LSOA names are the local authority district's name, a space and a code such as "012A".
    nullif(regexp_extract(lsoa_name, '^(.*) [0-9]{3}[A-Z]$', 1), '') as district_name,
    context,
    crime_type = 'Anti-social behaviour' as is_anti_social_behaviour,
    (
        longitude is not null and latitude is not null and lsoa_code is not null
    ) as has_location,
    (
        _source_file ilike '%synthetic%' or coalesce(context ilike '%synthetic%', false)
    ) as is_synthetic,
    _file_sha256 as file_sha256
from {{ source('lake', 'police_uk_street_crime') }}
