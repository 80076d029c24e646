-- The home force's police.uk counts by month and crime type, with the same month last year.
select
    calendar_month_label as month,
    month_start,
    financial_year,
    crime_type,
    is_all_crime,
    incidents,
    rate_per_1000_people,
    same_month_last_year_incidents,
    change_on_same_month_last_year,
    change_pct_on_same_month_last_year / 100 as change_on_same_month_last_year_pct,
    same_month_last_year_note,
    financial_year_to_date_incidents,
    financial_year_to_date_note
from marts.force_crime_monthly
where is_home_force
