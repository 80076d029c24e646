-- Each force-wide chart point is the force's whole count for the crime type and month, rows snapped outside the
-- force area and rows without a location included (they have no district chart of their own), and the all-crime
-- chart is every crime type but anti-social behaviour: a force-month whose chart disagrees with
-- street_crime_monthly shows here.
with monthly as (
    select
        force_name,
        month_start,
        crime_type,
        sum(incidents) as incidents
    from {{ ref('street_crime_monthly') }}
    group by force_name, month_start, crime_type
    union all
    select
        force_name,
        month_start,
        '{{ var("all_crime_label") }}' as crime_type,
        sum(incidents) as incidents
    from {{ ref('street_crime_monthly') }}
    where crime_type <> '{{ var("all_crime_excludes") }}'
    group by force_name, month_start
),

charted as (
    select
        force_name,
        month_start,
        crime_type,
        incidents
    from {{ ref('street_crime_exceptions') }}
    where chart_level = 'force'
)

select
    coalesce(m.force_name, c.force_name) as force_name,
    coalesce(m.month_start, c.month_start) as month_start,
    coalesce(m.crime_type, c.crime_type) as crime_type,
    m.incidents as monthly_incidents,
    c.incidents as charted_incidents
from monthly as m
full outer join charted as c
    on
        m.force_name = c.force_name
        and m.month_start = c.month_start
        and m.crime_type = c.crime_type
where m.incidents is null or c.incidents is null or m.incidents <> c.incidents
