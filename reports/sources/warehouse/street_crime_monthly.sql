-- police.uk street-level crime by force, district, crime type and month, with the control chart's verdict.
select
    m.force_name as force,
    m.district_name as district,
    m.crime_type,
    m.month_start,
    strftime(m.month_start, '%b %Y') as month,
    m.incidents,
    m.financial_year,
    m.rolling_12_month_incidents,
    e.is_exception,
    coalesce(e.exception_rule, '') as exception_rule,
    m.is_synthetic
from marts.street_crime_monthly as m
left join marts.street_crime_exceptions as e
    on e.force_name = m.force_name and e.district_name = m.district_name
    and e.crime_type = m.crime_type and e.month_start = m.month_start
