-- police.uk street-level crime by force, district, crime type and month; each running total with the months it covers.
select
    force_name as force,
    district_name as district,
    crime_type,
    month_start,
    incidents,
    financial_year,
    financial_year_to_date_incidents,
    financial_year_months,
    rolling_12_month_incidents,
    rolling_12_month_months,
    is_synthetic
from marts.street_crime_monthly
