-- Each force's rate per 1,000 people beside the other forces of a comparison group, by month and crime type.
select
    group_name,
    calendar_month_label as month,
    month_start,
    crime_type,
    force_name as force,
    force_highlight,
    is_home_force,
    incidents,
    rate_per_1000_people,
    rank_in_group,
    forces_ranked,
    group_rate_per_1000_people,
    ratio_to_group_rate,
    forces_covered,
    group_forces,
    forces_absent_count,
    forces_absent
from marts.force_comparison
where rate_per_1000_people is not null
