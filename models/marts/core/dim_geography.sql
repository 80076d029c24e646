select
    geography_code,
    geography_name,
    geography_level,
    parent_geography_code,
    ons_code,
    notes
from {{ ref('geographies') }}
