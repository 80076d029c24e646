-- Values of every domain at financial quarter and year grain; int_financial_period_values says how
-- each value is derived.
select
    trends.series_key,
    series.series_name,
    trends.domain,
    trends.metric_code,
    trends.breakdown,
    labels.breakdown_label,
    trends.geography_code,
    trends.unit,
    trends.period_grain,
    trends.financial_year,
    trends.financial_quarter,
    trends.period_label,
    trends.period_start,
    trends.period_end,
    trends.value,
    trends.derivation,
    trends.figures_used,
    trends.source_figure_ids
from {{ ref('int_financial_period_values') }} as trends
inner join {{ ref('dim_series') }} as series
    on trends.series_key = series.series_key
inner join {{ ref('int_breakdown_labels') }} as labels
    on trends.breakdown = labels.breakdown
