-- Values at financial quarter and financial year grain, for the trend marts. Three sources, in
-- order of preference for the same series (metric, definition, split and area) and period:
--   1. published: a figure whose period is exactly that financial quarter or year;
--   2. stock_at_period_end: a stock (headcount, establishment) measured on the last day of it;
--   3. rolled up from published calendar months, only when every month is published, following the
--      metric's time aggregation: flows are summed, stocks take the last month, and rates and
--      ratios (never summed) take the mean of the months with equal weight, because the reports
--      publish no monthly denominators. Derived values say so in `derivation`.
with levels as (
    select
        figures.*,
        catalogue.metric_type,
        catalogue.time_aggregation
    from {{ ref('int_published_figures') }} as figures
    inner join {{ ref('metric_catalogue') }} as catalogue
        on figures.metric_code = catalogue.metric_code
    where figures.measure = 'value' and figures.is_latest_published and not {{ is_aim('figures') }}
),

published as (
    select
        series_key,
        domain,
        metric_code,
        breakdown,
        geography_code,
        unit,
        case period_type when 'financial_quarter' then 'financial_quarter' else 'financial_year' end as period_grain,
        period_start,
        period_end,
        value,
        'published' as derivation,
        1 as preference,
        1 as figures_used,
        figure_id as source_figure_ids
    from levels
    where period_type in ('financial_quarter', 'financial_year')
),

stocks as (
    select
        levels.series_key,
        levels.domain,
        levels.metric_code,
        levels.breakdown,
        levels.geography_code,
        levels.unit,
        grains.period_grain,
        {{ financial_period_start('grains.period_grain', 'levels.period_end') }} as period_start,
        levels.period_end,
        levels.value,
        'stock_at_period_end' as derivation,
        2 as preference,
        1 as figures_used,
        levels.figure_id as source_figure_ids
    from levels
    cross join (values ('financial_quarter'), ('financial_year')) as grains (period_grain)
    where
        levels.period_type = 'point'
        and levels.metric_type = 'stock'
        and {{ is_financial_period_end('grains.period_grain', 'levels.period_end') }}
),

months as (
    select
        levels.*,
        grains.period_grain,
        {{ financial_period_start('grains.period_grain', 'levels.period_start') }} as grain_start
    from levels
    cross join (values ('financial_quarter'), ('financial_year')) as grains (period_grain)
    where levels.period_type = 'calendar_month'
),

rolled_up as (
    -- How the months combine is the metric's time aggregation's `month_rollup_derivation`
    -- (seed `time_aggregations`); each derivation names one aggregate. The months of a series may
    -- be printed under an alias; the series' own label names the value.
    select
        months.series_key,
        months.domain,
        min_by(months.metric_code, not months.is_series_own_label) as metric_code,
        min_by(months.breakdown, not months.is_series_own_label) as breakdown,
        min_by(months.geography_code, not months.is_series_own_label) as geography_code,
        months.unit,
        months.period_grain,
        months.grain_start as period_start,
        max(months.period_end) as period_end,
        case aggregations.month_rollup_derivation
            -- Ordered: a sum of doubles depends on the order it is taken in, and the same inputs must
            -- give the same marts to the last bit (the published content hash compares them).
            when 'sum_of_months' then {{ sum_ordered('months.value', 'months.period_start') }}
            when 'last_month' then max_by(months.value, months.period_end)
            when 'mean_of_months' then {{ avg_ordered('months.value', 'months.period_start') }}
        end as rolled_up_value,
        aggregations.month_rollup_derivation as derivation,
        3 as preference,
        count(*)::integer as figures_used,
        {{ string_agg_ordered('months.figure_id', ';', 'months.period_start') }} as source_figure_ids
    from months
    inner join {{ ref('time_aggregations') }} as aggregations
        on months.time_aggregation = aggregations.time_aggregation
    group by
        months.series_key,
        months.domain,
        months.unit,
        months.period_grain,
        months.grain_start,
        aggregations.month_rollup_derivation
    having count(*) = case months.period_grain when 'financial_quarter' then 3 else 12 end
),

candidates as (
    select * from published
    union all
    select * from stocks
    union all
    select * from rolled_up
)

select
    series_key,
    domain,
    metric_code,
    breakdown,
    geography_code,
    unit,
    period_grain,
    {{ financial_year_label('period_start') }} as financial_year,
    case when period_grain = 'financial_quarter' then {{ financial_quarter('period_start') }}::integer end
        as financial_quarter,
    {{ financial_year_label('period_start') }}
    || case
        when period_grain = 'financial_quarter' then ' Q' || {{ financial_quarter('period_start') }}::string else ''
    end
        as period_label,
    period_start,
    period_end,
    value,
    derivation,
    figures_used,
    source_figure_ids
from candidates
qualify row_number() over (
    partition by series_key, period_grain, period_start
    -- The figure ids break a tie within one source, so that the same inputs keep the same row.
    order by preference, source_figure_ids
) = 1
