-- NHS England "Making Data Count" XmR charts of police.uk street-level crime, force-wide and by district, one row
-- per point, computed as NHSRplotthedots does (ptd_spc_standard, ptd_special_cause_type). Method and parameters:
-- doc block spc_method (models/docs/police_uk.md) and the spc_ vars of dbt_project.yml.
{%- set limit_factor = var('spc_limit_factor') %}
{%- set trend_length = var('spc_trend_length') %}
{%- set shift_length = var('spc_shift_length') %}
{%- set chart_key = 'force_name, chart_level, area_name, crime_type' %}
{%- set segment = chart_key ~ ', limits_from, segment_number' %}

with monthly as (
    select
        force_name,
        district_name,
        crime_type,
        month_start,
        incidents,
        is_synthetic
    from {{ ref('street_crime_monthly') }}
),

with_all_crime as (
    select
        force_name,
        district_name,
        crime_type,
        month_start,
        incidents,
        is_synthetic
    from monthly
    union all
    select
        force_name,
        district_name,
        '{{ var("all_crime_label") }}' as crime_type,
        month_start,
        cast(sum(incidents) as bigint) as incidents,
        bool_or(is_synthetic) as is_synthetic
    from monthly
    where crime_type <> '{{ var("all_crime_excludes") }}'
    group by force_name, district_name, month_start
),

force_districts as (
    select
        f.police_uk_force_name as force_name,
        g.geography_name as district_name
    from {{ ref('police_forces') }} as f
    inner join {{ ref('geographies') }} as g on f.geography_code = g.parent_geography_code
    where g.geography_level = 'district'
),

charts as (
    -- Force-wide: every row the force published, the out-of-area and unlocated ones included.
    select
        force_name,
        'force' as chart_level,
        force_name as area_name,
        crime_type,
        month_start,
        cast(sum(incidents) as bigint) as incidents,
        bool_or(is_synthetic) as is_synthetic
    from with_all_crime
    group by force_name, crime_type, month_start
    union all
    -- Districts inside the force area only: a snapped out-of-area district or "(no location)" is no chart.
    select
        c.force_name,
        'district' as chart_level,
        c.district_name as area_name,
        c.crime_type,
        c.month_start,
        c.incidents,
        c.is_synthetic
    from with_all_crime as c
    inner join force_districts as d
        on
            c.force_name = d.force_name
            and c.district_name = d.district_name
),

rebased as (
    -- The latest recalculation point at or before the month starts the point's limit group (its "rebase").
    select
        c.force_name,
        c.chart_level,
        c.area_name,
        c.crime_type,
        c.month_start,
        c.incidents,
        c.is_synthetic,
        max(r.recalculate_from) as recalculated_from
    from charts as c
    left join {{ ref('police_uk_spc_recalculations') }} as r
        on
            c.force_name = r.force_name
            and c.crime_type = r.crime_type
            and c.month_start >= r.recalculate_from
    group by c.force_name, c.chart_level, c.area_name, c.crime_type, c.month_start, c.incidents, c.is_synthetic
),

grouped as (
    select
        *,
        coalesce(
            recalculated_from, min(month_start) over (partition by {{ chart_key }}, recalculated_from)
        ) as limits_from,
        extract(year from month_start) * 12 + extract(month from month_start) as month_index
    from rebased
),

adjacency as (
    select
        *,
        row_number() over limit_group as point_number,
        coalesce(month_index - lag(month_index) over limit_group = 1, false) as follows_previous_month,
        incidents - lag(incidents) over limit_group as change_from_previous_point
    from grouped
    window limit_group as (partition by {{ chart_key }}, limits_from order by month_start)
),

points as (
    select
        *,
        -- A month the force did not publish is a gap, not a zero: the moving range and every pattern restart.
        sum(case when follows_previous_month then 0 else 1 end) over (
            partition by {{ chart_key }}, limits_from
            order by month_start rows between unbounded preceding and current row
        ) as segment_number,
        case when follows_previous_month then abs(change_from_previous_point) end as moving_range,
        case when follows_previous_month then cast(sign(change_from_previous_point) as integer) end as step
    from adjacency
),

baseline as (
    -- NHSRplotthedots' fix_after_n_points: the first points of the limit group set its limits.
    select
        force_name,
        chart_level,
        area_name,
        crime_type,
        limits_from,
        count(*) as baseline_points,
        min(month_start) as baseline_start,
        max(month_start) as baseline_end,
        {{ avg_ordered('incidents', 'month_start') }} as centre_line,
        {{ avg_ordered('moving_range', 'month_start') }} as unscreened_mean_moving_range
    from points
    where point_number <= {{ var('spc_baseline_points') }}
    group by force_name, chart_level, area_name, crime_type, limits_from
),

screened as (
    -- NHSRplotthedots' screen_outliers: a moving range of 3.267 mean moving ranges or more is left out of the mean.
    select
        b.force_name,
        b.chart_level,
        b.area_name,
        b.crime_type,
        b.limits_from,
        b.baseline_points,
        b.baseline_start,
        b.baseline_end,
        b.centre_line,
        {{ avg_ordered(
            'case when p.moving_range < ' ~ var('spc_screen_factor') ~ ' * b.unscreened_mean_moving_range'
            ~ ' then p.moving_range end',
            'p.month_start'
        ) }} as mean_moving_range
    from baseline as b
    inner join points as p
        on
            b.force_name = p.force_name
            and b.chart_level = p.chart_level
            and b.area_name = p.area_name
            and b.crime_type = p.crime_type
            and b.limits_from = p.limits_from
            and p.point_number <= {{ var('spc_baseline_points') }}
    group by
        b.force_name, b.chart_level, b.area_name, b.crime_type, b.limits_from, b.baseline_points, b.baseline_start,
        b.baseline_end, b.centre_line
),

limits as (
    select
        *,
        coalesce(
            baseline_points >= {{ var('spc_min_baseline_points') }}
            and mean_moving_range > 0
            and centre_line >= {{ var('spc_min_centre_line') }},
            false
        ) as has_limits
    from screened
),

judged as (
    select
        p.force_name,
        p.chart_level,
        p.area_name,
        p.crime_type,
        p.month_start,
        p.incidents,
        p.is_synthetic,
        p.limits_from,
        p.segment_number,
        p.moving_range,
        p.step,
        l.baseline_points,
        l.baseline_start,
        l.baseline_end,
        l.centre_line,
        l.mean_moving_range,
        l.has_limits,
        case when l.has_limits then l.centre_line + {{ limit_factor }} * l.mean_moving_range end as upper_limit,
        case when l.has_limits then l.centre_line - {{ limit_factor }} * l.mean_moving_range end as lower_process_limit,
        -- two sigma: two thirds of the way from the centre line to a limit (NHSRplotthedots' limitclose)
        case
            when l.has_limits then l.centre_line + cast(2 * {{ limit_factor }} as double) / 3 * l.mean_moving_range
        end as upper_two_sigma,
        case
            when l.has_limits then l.centre_line - cast(2 * {{ limit_factor }} as double) / 3 * l.mean_moving_range
        end as lower_two_sigma_unfloored,
        case when l.has_limits then cast(sign(p.incidents - l.centre_line) as integer) else 0 end as side
    from points as p
    inner join limits as l
        on
            p.force_name = l.force_name
            and p.chart_level = l.chart_level
            and p.area_name = l.area_name
            and p.crime_type = l.crime_type
            and p.limits_from = l.limits_from
),

zoned as (
    select
        *,
        coalesce(incidents > upper_limit or incidents < lower_process_limit, false) as is_beyond_limit,
        coalesce(
            not (incidents > upper_limit or incidents < lower_process_limit)
            and (incidents > upper_two_sigma or incidents < lower_two_sigma_unfloored),
            false
        ) as is_beyond_two_sigma
    from judged
),

pattern_ends as (
    -- Each pattern is found at its last point, over a frame of the points before it in the same segment.
    select
        *,
        -- ptd_seven_point_trend: this point ends trend_length points, each above (or each below) the one before.
        case
            when not has_limits then 0
            when
                count(step) over trend_frame = {{ trend_length - 1 }} and min(step) over trend_frame = 1
                then 1
            when
                count(step) over trend_frame = {{ trend_length - 1 }} and max(step) over trend_frame = -1
                then -1
            else 0
        end as trend_end,
        -- ptd_two_in_three: of three points all on one side of the centre line, two or more beyond two sigma.
        case
            when
                count(*) over three_frame = 3
                and sum(case when is_beyond_two_sigma then 1 else 0 end) over three_frame >= 2
                and abs(sum(side) over three_frame) = 3
                then 1
            else 0
        end as two_of_three_end,
        -- ptd_seven_point_one_side_mean: this point ends shift_length points on one side (none on the line).
        case
            when
                count(*) over shift_frame = {{ shift_length }}
                and min(side) over shift_frame = max(side) over shift_frame
                and side <> 0
                then side
            else 0
        end as shift_end
    from zoned
    window
        trend_frame as (
            partition by {{ segment }}
            order by month_start rows between {{ trend_length - 2 }} preceding and current row
        ),
        three_frame as (
            partition by {{ segment }}
            order by month_start rows between 2 preceding and current row
        ),
        shift_frame as (
            partition by {{ segment }}
            order by month_start rows between {{ shift_length - 1 }} preceding and current row
        )
),

pattern_points as (
    -- Every point of a pattern is flagged (ptd_part_of_seven_trend, ptd_part_of_two_in_three): a pattern ends at
    -- this point or at one of the next few; in two of three, only the points beyond two sigma.
    select
        *,
        max(abs(trend_end)) over (
            partition by {{ segment }}
            order by month_start rows between current row and {{ trend_length - 1 }} following
        ) = 1 as is_in_trend,
        is_beyond_two_sigma and max(two_of_three_end) over (
            partition by {{ segment }}
            order by month_start rows between current row and 2 following
        ) = 1 as is_in_two_of_three,
        max(abs(shift_end)) over (
            partition by {{ segment }}
            order by month_start rows between current row and {{ shift_length - 1 }} following
        ) = 1 as is_in_shift,
        (lead(incidents) over segment_order) - incidents as change_to_next_point
    from pattern_ends
    window segment_order as (partition by {{ segment }} order by month_start)
),

typed as (
    select
        *,
        case
            when is_beyond_limit and side = 1 then 'Above UCL'
            when is_beyond_limit then 'Below LCL'
            -- ptd: a point inside two trends (a peak) takes the direction of the step after it
            when
                is_in_trend
                and coalesce(lead(is_in_trend) over segment_order, false)
                and change_to_next_point > 0
                then '{{ trend_length }} Point Trend (Increasing)'
            when is_in_trend and coalesce(lead(is_in_trend) over segment_order, false)
                then '{{ trend_length }} Point Trend (Decreasing)'
            when is_in_trend and step > 0 then '{{ trend_length }} Point Trend (Increasing)'
            when is_in_trend then '{{ trend_length }} Point Trend (Decreasing)'
            when is_in_two_of_three and side > 0 then '2 in 3 Above CL'
            when is_in_two_of_three then '2 in 3 Below CL'
            when is_in_shift and side > 0 then '{{ shift_length }} Points Above CL'
            when is_in_shift then '{{ shift_length }} Points Below CL'
            else 'Common Cause'
        end as special_cause_type
    from pattern_points
    window segment_order as (partition by {{ segment }} order by month_start)
),

labelled as (
    select
        t.*,
        d.improvement_direction,
        case
            when t.is_beyond_limit then 'point beyond a limit'
            when t.special_cause_type like '% Point Trend %' then 'trend'
            when t.is_in_two_of_three then 'two of three beyond two sigma'
            when t.is_in_shift then 'shift'
        end as special_cause_rule,
        case
            when t.special_cause_type like '%Above%' or t.special_cause_type like '%Increasing%' then 1
            when t.special_cause_type like '%Below%' or t.special_cause_type like '%Decreasing%' then -1
            else 0
        end as special_cause_direction
    from typed as t
    left join {{ ref('police_uk_improvement_directions') }} as d on t.crime_type = d.crime_type
),

varied as (
    select
        *,
        case
            when special_cause_direction = 0 then 'common cause'
            when improvement_direction = 'neutral' then 'special cause neutral'
            when
                special_cause_direction * case when improvement_direction = 'increase' then 1 else -1 end > 0
                then 'special cause improvement'
            else 'special cause concern'
        end as variation,
        -- A signal is the pattern of the point's rule: the consecutive points the rule flags (on the same side),
        -- so a trend ending beyond a limit is still said as the whole trend. Gaps and islands, one per rule.
        (row_number() over segment_order)
        - row_number() over (partition by {{ segment }}, is_beyond_limit, side order by month_start) as beyond_island,
        (row_number() over segment_order)
        - row_number() over (partition by {{ segment }}, is_in_trend order by month_start) as trend_island,
        (row_number() over segment_order)
        - row_number() over (
            partition by {{ segment }}, is_in_two_of_three, side order by month_start
        ) as two_of_three_island,
        (row_number() over segment_order)
        - row_number() over (partition by {{ segment }}, is_in_shift, side order by month_start) as shift_island
    from labelled
    window segment_order as (partition by {{ segment }} order by month_start)
),

signals as (
    select
        *,
        case special_cause_rule
            when 'point beyond a limit' then min(month_start) over beyond_signal
            when 'trend' then min(month_start) over trend_signal
            when 'two of three beyond two sigma' then min(month_start) over two_of_three_signal
            when 'shift' then min(month_start) over shift_signal
        end as signal_start,
        case special_cause_rule
            when 'point beyond a limit' then max(month_start) over beyond_signal
            when 'trend' then max(month_start) over trend_signal
            when 'two of three beyond two sigma' then max(month_start) over two_of_three_signal
            when 'shift' then max(month_start) over shift_signal
        end as signal_end,
        case special_cause_rule
            when 'trend' then count(*) over trend_signal
            when 'shift' then count(*) over shift_signal
        end as signal_points,
        count(*) over whole_chart as series_months,
        sum(incidents) over whole_chart as series_incidents,
        min(month_start) over whole_chart as series_start,
        max(month_start) over whole_chart as series_end
    from varied
    window
        beyond_signal as (partition by {{ segment }}, is_beyond_limit, side, beyond_island),
        trend_signal as (partition by {{ segment }}, is_in_trend, trend_island),
        two_of_three_signal as (partition by {{ segment }}, is_in_two_of_three, side, two_of_three_island),
        shift_signal as (partition by {{ segment }}, is_in_shift, side, shift_island),
        whole_chart as (partition by {{ chart_key }})
)

select
    force_name,
    chart_level,
    area_name,
    crime_type,
    month_start,
    {{ month_year_name('month_start') }} as month_label,
    incidents,
    improvement_direction,
    limits_from,
    baseline_start,
    baseline_end,
    baseline_points,
    has_limits and baseline_points < {{ var('spc_trial_limits_below') }} as is_trial_limits,
    centre_line,
    mean_moving_range,
    moving_range,
    upper_limit,
    -- counts cannot be negative: limits below zero are drawn at zero (no flag changes, as no count is below it)
    greatest(lower_process_limit, 0) as lower_limit,
    upper_two_sigma,
    greatest(lower_two_sigma_unfloored, 0) as lower_two_sigma,
    has_limits,
    is_beyond_limit,
    is_in_trend,
    is_in_two_of_three,
    is_in_shift,
    special_cause_type,
    special_cause_rule,
    special_cause_direction <> 0 as is_special_cause,
    variation,
    case variation
        when 'special cause concern' then 3
        when 'special cause neutral' then 2
        when 'special cause improvement' then 1
        else 0
    end as variation_rank,
    case variation
        when 'special cause concern' then '🟠'
        when 'special cause improvement' then '🔵'
        when 'special cause neutral' then '🟣'
        else '⚪'
    end as variation_icon,
    signal_start,
    signal_end,
    case
        when special_cause_direction <> 0
            then
                crime_type || ', '
                || case
                    when signal_start = signal_end then {{ month_year_name('signal_start') }}
                    else {{ month_year_name('signal_start') }} || ' to ' || {{ month_year_name('signal_end') }}
                end
                || ': '
                || case
                    when special_cause_type = 'Above UCL' then 'above the upper limit'
                    when special_cause_type = 'Below LCL' then 'below the lower limit'
                    when special_cause_direction > 0 and special_cause_rule = 'trend'
                        then cast(signal_points as string) || ' months in a row, each higher than the one before'
                    when special_cause_rule = 'trend'
                        then cast(signal_points as string) || ' months in a row, each lower than the one before'
                    when special_cause_direction > 0 and special_cause_rule = 'shift'
                        then cast(signal_points as string) || ' months in a row above the centre line'
                    when special_cause_rule = 'shift'
                        then cast(signal_points as string) || ' months in a row below the centre line'
                    when special_cause_direction > 0
                        then 'near the upper limit (two of three months beyond two sigma above the centre line)'
                    else 'near the lower limit (two of three months beyond two sigma below the centre line)'
                end
                || ' — ' || variation
    end as signal_description,
    series_months,
    cast(series_incidents as bigint) as series_incidents,
    cast(series_months as string) || ' months published, ' || {{ month_year_name('series_start') }}
    || ' to ' || {{ month_year_name('series_end') }} as series_period_label,
    is_synthetic
from signals
