-- Each force's rate per 1,000 people beside the other forces of a comparison group, per month and crime type: its
-- rank, the group's rate over the forces it covers that month, its ratio to that rate, and the members absent.
with monthly as (
    select * from {{ ref('force_crime_monthly') }}
),

forces as (
    select * from {{ ref('police_forces') }}
),

-- The default group, then the groups a user defined (seeds/comparison_groups.csv).
groups as (
    select
        'all_forces_with_population' as group_key,
        'All forces with a population' as group_name,
        police_uk_force_name as force_name,
        'Every force whose area has an ONS population (the 39 English forces): the default group. Welsh forces, '
        || 'Northern Ireland and British Transport Police have none in this warehouse.' as group_note
    from forces
    where has_population
    union all
    select
        group_key,
        group_name,
        police_uk_force_name as force_name,
        group_note
    from {{ ref('comparison_groups') }}
),

group_keys as (
    select distinct group_key from groups
),

month_crime_types as (
    select distinct
        month_start,
        crime_type
    from monthly
),

group_months as (
    select
        g.group_key,
        m.month_start,
        m.crime_type
    from group_keys as g
    cross join month_crime_types as m
),

members as (
    select
        gm.group_key,
        g.group_name,
        g.group_note,
        gm.month_start,
        gm.crime_type,
        g.force_name,
        m.incidents,
        m.population,
        m.rate_per_1000_people,
        m.force_name is not null as is_published
    from group_months as gm
    inner join groups as g on gm.group_key = g.group_key
    left join monthly as m
        on g.force_name = m.force_name and gm.month_start = m.month_start and gm.crime_type = m.crime_type
),

group_totals as (
    select
        group_key,
        month_start,
        crime_type,
        cast(count(*) as integer) as group_forces,
        cast(sum(case when is_published then 1 else 0 end) as integer) as forces_covered,
        cast(sum(case when population is not null then 1 else 0 end) as integer) as forces_ranked,
        cast(sum(population) as bigint) as group_population,
        cast(sum(case when population is not null then incidents end) as double) * 1000
        / sum(population) as group_rate_per_1000_people,
        {{ string_agg_ordered("case when not is_published then force_name end", ", ", "force_name") }}
            as forces_absent
    from members
    group by group_key, month_start, crime_type
),

ranked as (
    select
        group_key,
        month_start,
        crime_type,
        force_name,
        cast(rank() over (
            partition by group_key, month_start, crime_type order by rate_per_1000_people desc
        ) as integer) as rank_in_group
    from members
    where population is not null
)

select
    m.group_key,
    m.group_name,
    m.group_note,
    m.month_start,
    left(cast(m.month_start as string), 7) as calendar_month_label,
    m.crime_type,
    m.force_name,
    m.force_name = '{{ var("home_force") }}' as is_home_force,
    -- a chart's colour: the home force by name, every other force as one
    case when m.force_name = '{{ var("home_force") }}' then m.force_name else 'Other forces' end as force_highlight,
    m.incidents,
    m.population,
    m.rate_per_1000_people,
    r.rank_in_group,
    t.forces_ranked,
    t.group_population,
    t.group_rate_per_1000_people,
    m.rate_per_1000_people / t.group_rate_per_1000_people as ratio_to_group_rate,
    t.group_forces,
    t.forces_covered,
    t.group_forces - t.forces_covered as forces_absent_count,
    t.forces_absent
from members as m
inner join group_totals as t
    on m.group_key = t.group_key and m.month_start = t.month_start and m.crime_type = t.crime_type
left join ranked as r
    on
        m.group_key = r.group_key
        and m.month_start = r.month_start
        and m.crime_type = r.crime_type
        and m.force_name = r.force_name
where m.is_published
