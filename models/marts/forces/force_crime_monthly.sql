-- police.uk incidents per force, month and crime type (and all crime excluding anti-social behaviour), with the
-- force area's population and officers, the same month last year and the financial year to date. A month a force
-- did not publish has no row: unknown, never zero.
with counts as (
    select
        force_name,
        crime_type,
        month_start,
        bool_or(is_synthetic) as is_synthetic,
        cast(sum(incidents) as bigint) as incidents
    from {{ ref('int_street_crime_file_counts') }}
    group by force_name, crime_type, month_start
),

-- The months each force published: a zero is real only inside one of them.
force_months as (
    select
        force_name,
        month_start,
        bool_or(is_synthetic) as is_synthetic
    from counts
    group by force_name, month_start
),

lake_months as (
    select distinct month_start from force_months
),

crime_types as (
    select distinct crime_type from counts
),

filled as (
    select
        fm.force_name,
        fm.month_start,
        t.crime_type,
        fm.is_synthetic,
        coalesce(c.incidents, 0) as incidents
    from force_months as fm
    cross join crime_types as t
    left join counts as c
        on fm.force_name = c.force_name and fm.month_start = c.month_start and t.crime_type = c.crime_type
),

with_all_crime as (
    select
        force_name,
        month_start,
        crime_type,
        false as is_all_crime,
        is_synthetic,
        incidents
    from filled
    union all
    select
        force_name,
        month_start,
        '{{ var("all_crime_label") }}' as crime_type,
        true as is_all_crime,
        is_synthetic,
        cast(sum(incidents) as bigint) as incidents
    from filled
    where crime_type <> '{{ var("all_crime_excludes") }}'
    group by force_name, month_start, is_synthetic
),

forces as (
    select * from {{ ref('police_forces') }}
),

-- Officers: the latest Home Office count on or before the month's last day.
officers as (
    select
        fm.force_name,
        fm.month_start,
        fte.as_at as officer_fte_as_at,
        fte.officer_fte,
        row_number() over (partition by fm.force_name, fm.month_start order by fte.as_at desc) as recency
    from force_months as fm
    inner join forces as f on fm.force_name = f.police_uk_force_name
    inner join {{ ref('force_officer_fte') }} as fte
        on f.home_office_force_name = fte.force_name and fte.as_at <= last_day(fm.month_start)
),

measured as (
    select
        w.force_name,
        f.country,
        w.month_start,
        w.crime_type,
        w.is_all_crime,
        w.incidents,
        p.mid_year_population as population,
        p.year as population_year,
        o.officer_fte,
        o.officer_fte_as_at,
        w.is_synthetic,
        {{ financial_year_start('w.month_start') }} as financial_year_start,
        -- months since April: 1 for April, 12 for March
        cast(((month(w.month_start) + 8) % 12) + 1 as integer) as financial_year_month,
        cast(w.month_start - interval 12 month as date) as same_month_last_year
    from with_all_crime as w
    left join forces as f on w.force_name = f.police_uk_force_name
    left join {{ ref('force_area_population') }} as p
        on f.ons_force_name = p.force_name and year(w.month_start) = p.year
    left join officers as o
        on w.force_name = o.force_name and w.month_start = o.month_start and o.recency = 1
),

year_to_date as (
    select
        *,
        cast(sum(incidents) over financial_year_so_far as bigint) as ytd_incidents,
        cast(count(*) over financial_year_so_far as integer) as ytd_months
    from measured
    window financial_year_so_far as (
        partition by force_name, crime_type, financial_year_start
        order by month_start
        rows between unbounded preceding and current row
    )
)

select
    cur.force_name,
    cur.force_name = '{{ var("home_force") }}' as is_home_force,
    cur.country,
    cur.month_start,
    left(cast(cur.month_start as string), 7) as calendar_month_label,
    {{ financial_year_label('cur.month_start') }} as financial_year,
    cur.crime_type,
    cur.is_all_crime,
    cur.incidents,
    cur.population,
    cur.population_year,
    cast(cur.incidents as double) * 1000 / cur.population as rate_per_1000_people,
    cur.officer_fte,
    cur.officer_fte_as_at,
    cast(cur.incidents as double) / cur.officer_fte as incidents_per_officer,
    prev.incidents as same_month_last_year_incidents,
    cur.incidents - prev.incidents as change_on_same_month_last_year,
    cast(cur.incidents - prev.incidents as double) * 100 / nullif(prev.incidents, 0)
        as change_pct_on_same_month_last_year,
    case
        when prev.incidents is not null then null
        when lm.month_start is null
            then 'no police.uk month ' || left(cast(cur.same_month_last_year as string), 7) || ' in the lake'
        else 'no file from this force for ' || left(cast(cur.same_month_last_year as string), 7)
    end as same_month_last_year_note,
    cur.financial_year_month as financial_year_months_elapsed,
    cur.ytd_months as financial_year_months_published,
    case when cur.ytd_months = cur.financial_year_month then cur.ytd_incidents end as financial_year_to_date_incidents,
    case
        when cur.ytd_months = cur.financial_year_month and prev.ytd_months = prev.financial_year_month
            then prev.ytd_incidents
    end as previous_financial_year_to_date_incidents,
    case
        when cur.ytd_months = cur.financial_year_month and prev.ytd_months = prev.financial_year_month
            then cur.ytd_incidents - prev.ytd_incidents
    end as financial_year_to_date_change,
    case
        when cur.ytd_months < cur.financial_year_month
            then
                'this financial year to date is incomplete: ' || cast(cur.ytd_months as string) || ' of '
                || cast(cur.financial_year_month as string) || ' months published'
        when prev.incidents is null or prev.ytd_months < prev.financial_year_month
            then
                'the previous financial year''s same months are incomplete: '
                || cast(coalesce(prev.ytd_months, 0) as string) || ' of ' || cast(cur.financial_year_month as string)
                || ' months published'
    end as financial_year_to_date_note,
    cur.is_synthetic
from year_to_date as cur
left join year_to_date as prev
    on
        cur.force_name = prev.force_name
        and cur.crime_type = prev.crime_type
        and cur.same_month_last_year = prev.month_start
left join lake_months as lm on cur.same_month_last_year = lm.month_start
