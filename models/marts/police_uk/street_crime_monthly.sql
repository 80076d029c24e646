-- Incidents per force, district, crime type and month, zero-filled over the months each force published, with
-- financial-year and rolling 12-month totals.
with counts as (
    select
        force_name,
        district_name,
        crime_type,
        month_start,
        bool_or(is_synthetic) as is_synthetic,
        sum(incidents)::bigint as incidents
    from {{ ref('int_street_crime_file_counts') }}
    group by all
),

force_months as (
    select distinct
        force_name,
        month_start
    from counts
),

series as (
    select
        force_name,
        district_name,
        crime_type,
        bool_or(is_synthetic) as is_synthetic
    from counts
    group by all
),

filled as (
    select
        s.force_name,
        s.district_name,
        s.crime_type,
        m.month_start,
        s.is_synthetic,
        coalesce(c.incidents, 0) as incidents
    from series as s
    inner join force_months as m on s.force_name = m.force_name
    left join counts as c
        on
            s.force_name = c.force_name
            and s.district_name = c.district_name
            and s.crime_type = c.crime_type
            and m.month_start = c.month_start
)

select
    force_name,
    district_name,
    month_start,
    crime_type,
    incidents,
    {{ financial_year_label('month_start') }} as financial_year,
    (sum(incidents) over (
        partition by force_name, district_name, crime_type, {{ financial_year_start('month_start') }}
        order by month_start
    ))::bigint as financial_year_to_date_incidents,
    (sum(incidents) over (
        partition by force_name, district_name, crime_type, {{ financial_year_start('month_start') }}
    ))::bigint as financial_year_incidents,
    count(*) over (
        partition by force_name, district_name, crime_type, {{ financial_year_start('month_start') }}
    ) as financial_year_months,
    (sum(incidents) over twelve)::bigint as rolling_12_month_incidents,
    count(*) over twelve as rolling_12_month_months,
    is_synthetic
from filled
window twelve as (
    partition by force_name, district_name, crime_type
    order by month_start
    range between interval 11 month preceding and current row
)
