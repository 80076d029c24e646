-- An individuals (XmR) control chart for every monthly series of street_crime_monthly, one row per point, with
-- the exceptions flagged. Method: doc block spc_method (models/docs/police_uk.md).
with points as (
    select
        force_name,
        district_name,
        crime_type,
        month_start,
        incidents,
        is_synthetic,
        row_number() over series_order as point_number,
        abs(incidents - lag(incidents) over series_order) as moving_range
    from {{ ref('street_crime_monthly') }}
    window series_order as (partition by force_name, district_name, crime_type order by month_start)
),

baseline as (
    select
        force_name,
        district_name,
        crime_type,
        count(*) as baseline_points,
        min(month_start) as baseline_start,
        max(month_start) as baseline_end,
        avg(incidents) as centre_line,
        -- moving ranges inside the baseline: the first point has none
        avg(moving_range) filter (where point_number > 1) as mean_moving_range
    from points
    where point_number <= {{ var('spc_baseline_months') }}
    group by all
),

limits as (
    select
        *,
        case
            when
                baseline_points >= {{ var('spc_min_baseline_points') }}
                and mean_moving_range > 0
                and centre_line >= {{ var('spc_min_centre_line') }}
                then centre_line + 2.66 * mean_moving_range
        end as upper_limit,
        case
            when
                baseline_points >= {{ var('spc_min_baseline_points') }}
                and mean_moving_range > 0
                and centre_line >= {{ var('spc_min_centre_line') }}
                then greatest(centre_line - 2.66 * mean_moving_range, 0)
        end as lower_limit
    from baseline
),

sided as (
    select
        p.*,
        l.baseline_points,
        l.baseline_start,
        l.baseline_end,
        l.centre_line,
        l.mean_moving_range,
        l.upper_limit,
        l.lower_limit,
        case
            when l.upper_limit is null then 0
            else sign(p.incidents - l.centre_line)::integer
        end as side
    from points as p
    inner join limits as l
        on
            p.force_name = l.force_name
            and p.district_name = l.district_name
            and p.crime_type = l.crime_type
),

runs as (
    select
        *,
        -- gaps and islands: consecutive points on the same side share a run number
        point_number - row_number() over (
            partition by force_name, district_name, crime_type, side order by month_start
        ) as run_number
    from sided
),

flagged as (
    select
        *,
        case
            when side = 0 then 0
            else count(*) over (partition by force_name, district_name, crime_type, side, run_number)
        end as run_length,
        coalesce(incidents > upper_limit, false) as is_above_upper_limit,
        coalesce(incidents < lower_limit, false) as is_below_lower_limit
    from runs
)

select
    force_name,
    district_name,
    crime_type,
    month_start,
    incidents,
    baseline_start,
    baseline_end,
    baseline_points,
    centre_line,
    mean_moving_range,
    moving_range,
    upper_limit,
    lower_limit,
    is_above_upper_limit,
    is_below_lower_limit,
    run_length >= {{ var('spc_run_length') }} as is_in_run,
    case when run_length >= {{ var('spc_run_length') }} then side end as run_side,
    (
        is_above_upper_limit
        or is_below_lower_limit
        or run_length >= {{ var('spc_run_length') }}
    ) as is_exception,
    case
        when is_above_upper_limit then 'above upper limit'
        when is_below_lower_limit then 'below lower limit'
        when run_length >= {{ var('spc_run_length') }} and side > 0
            then 'run of ' || run_length::string || ' above centre line'
        when run_length >= {{ var('spc_run_length') }} and side < 0
            then 'run of ' || run_length::string || ' below centre line'
    end as exception_rule,
    upper_limit is not null as has_limits,
    is_synthetic
from flagged
