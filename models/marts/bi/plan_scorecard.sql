-- Per series (metric, definition, split and area; `dim_series`): the latest published value, the
-- comparable earlier value from any report (a period of the same length: the same period a year
-- earlier, else the latest earlier one of the same kind, else the latest earlier one of another kind
-- that does not overlap), the change, whether that is better or
-- worse given the metric's polarity, and why not when no earlier value compares. Only levels
-- (measure = value) with a known period take part; restated figures count at their latest value.
with levels as (
    select
        figures.*,
        dim_period.days_in_period
    from {{ ref('fct_published_figures') }} as figures
    inner join {{ ref('dim_period') }} as dim_period
        on figures.period_key = dim_period.period_key
    where
        figures.measure = 'value'
        and figures.is_latest_published
        and not figures.is_period_unknown
        -- Aims are not results: targets, plans, forecasts and projections stay out of the scorecard.
        and not {{ is_aim('figures') }}
),

latest as (
    select *
    from levels
    qualify row_number() over (
        partition by series_key
        order by period_end desc, days_in_period desc, figure_id desc
    ) = 1
),

earlier_points as (
    -- What the series holds besides its latest value, to say why nothing compares.
    select
        latest.figure_id as latest_figure_id,
        count(earlier.figure_id) as other_points,
        count(earlier.figure_id) filter (where earlier.period_end < latest.period_end) as earlier_points
    from latest
    left join levels as earlier
        on
            latest.series_key = earlier.series_key
            and latest.figure_id != earlier.figure_id
    group by latest.figure_id
),

comparable as (
    select
        latest.figure_id as latest_figure_id,
        earlier.figure_id,
        earlier.period_start,
        earlier.period_end,
        earlier.period_label,
        earlier.value,
        earlier.source_document,
        earlier.source_line,
        case
            when earlier.period_end = (latest.period_end - interval 1 year)::date
                then 'same_period_previous_year'
            when earlier.period_type = latest.period_type then 'previous_published_period'
            else 'earlier_period_of_same_length'
        end as comparison_basis
    from latest
    inner join levels as earlier
        on
            latest.series_key = earlier.series_key
            and latest.days_in_period between earlier.days_in_period - 3 and earlier.days_in_period + 3
            and (
                (latest.period_type = earlier.period_type and latest.period_end > earlier.period_end)
                -- A period of another kind but the same length compares only when the two do not
                -- overlap (001 sets 12 months to September 2022 against calendar 2019).
                or latest.period_start > earlier.period_end
            )
    qualify row_number() over (
        partition by latest.figure_id
        order by
            (earlier.period_end = (latest.period_end - interval 1 year)::date) desc,
            (earlier.period_type = latest.period_type) desc,
            earlier.period_end desc,
            -- Two figures of the series ending on one day: the later figure id, so a rerun keeps the row.
            earlier.figure_id desc
    ) = 1
),

scored as (
    select
        latest.series_key,
        series.series_name,
        latest.metric_code,
        metrics.metric_name,
        latest.domain,
        {{ code_label('latest.domain') }} as domain_label,
        latest.breakdown,
        latest.breakdown_label,
        latest.geography_code,
        latest.unit,
        {{ code_label('latest.unit') }} as unit_label,
        metrics.metric_type,
        metrics.polarity,
        {{ code_label('metrics.polarity') }} as polarity_label,
        latest.period_type,
        {{ code_label('latest.period_type') }} as period_type_label,
        latest.period_start as latest_period_start,
        latest.period_end as latest_period_end,
        latest.period_label as latest_period_label,
        latest.value as latest_value,
        latest.first_published_value as latest_first_published_value,
        latest.is_restated_with_other_value as is_latest_restated,
        latest.figure_id as latest_figure_id,
        latest.source_document as latest_source_document,
        latest.source_line as latest_source_line,
        comparable.period_start as comparison_period_start,
        comparable.period_end as comparison_period_end,
        comparable.period_label as comparison_period_label,
        comparable.value as comparison_value,
        comparable.figure_id as comparison_figure_id,
        comparable.source_document as comparison_source_document,
        comparable.source_line as comparison_source_line,
        coalesce(comparable.comparison_basis, 'none') as comparison_basis,
        latest.value - comparable.value as absolute_change,
        case
            when comparable.value != 0
                then {{ round_unsigned('(latest.value - comparable.value) / abs(comparable.value) * 100', 1) }}
        end as pct_change,
        case
            when comparable.value is null then 'not_comparable'
            when latest.value = comparable.value then 'no_change'
            when metrics.polarity = 'neutral' then 'neutral'
            when (latest.value > comparable.value) = (metrics.polarity = 'higher_is_better') then 'better'
            else 'worse'
        end as assessment,
        case
            when comparable.value is not null then null
            when earlier_points.other_points = 0 then 'Only one dated value published'
            when earlier_points.earlier_points = 0 then 'No earlier period published'
            else 'Earlier values cover periods of another length, or overlap this one'
        end
        || case
            when comparable.value is null and series.verdict = 'distinct_definitions'
                then '; ' || series.related_series_name || ' is defined differently and does not compare'
            else ''
        end as not_comparable_reason
    from latest
    inner join {{ ref('dim_metric') }} as metrics
        on latest.metric_code = metrics.metric_code
    inner join {{ ref('dim_series') }} as series
        on latest.series_key = series.series_key
    inner join earlier_points
        on latest.figure_id = earlier_points.latest_figure_id
    left join comparable
        on latest.figure_id = comparable.latest_figure_id
)

select
    scored.*,
    {{ code_label('scored.assessment') }} as assessment_label
from scored
