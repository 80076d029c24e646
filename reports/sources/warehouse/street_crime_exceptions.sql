-- The exceptions of the XmR charts (points beyond the limits, runs on one side), in words.
select
    force_name as force,
    district_name as district,
    crime_type,
    month_start,
    strftime(month_start, '%b %Y') as month,
    incidents,
    round(centre_line, 1) as centre_line,
    round(lower_limit, 1) as lower_limit,
    round(upper_limit, 1) as upper_limit,
    strftime(baseline_start, '%b %Y') || ' to ' || strftime(baseline_end, '%b %Y') as baseline,
    exception_rule
from marts.street_crime_exceptions
where is_exception
