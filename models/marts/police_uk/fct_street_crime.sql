-- One row per published row of the home force's street files, for readers of the published warehouse. Other
-- forces' rows stay in the lake (stg_police_uk__street_crime reads them there); their counts are in the marts.
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
from {{ ref('stg_police_uk__street_crime') }}
where force_name = '{{ var("home_force") }}'
