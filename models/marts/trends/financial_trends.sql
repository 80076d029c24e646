-- Values of every domain at financial quarter and year grain; int_financial_period_values says how
-- each value is derived.
select
    trends.series_key,
    series.series_name,
    trends.domain,
    {{ code_label('trends.domain') }} as domain_label,
    trends.metric_code,
    trends.breakdown,
    labels.breakdown_label,
    trends.geography_code,
    trends.unit,
    {{ code_label('trends.unit') }} as unit_label,
    trends.period_grain,
    {{ code_label('trends.period_grain') }} as period_grain_label,
    trends.financial_year,
    trends.financial_quarter,
    trends.period_label,
    trends.period_start,
    trends.period_end,
    trends.value,
    trends.derivation,
    {{ code_label('trends.derivation') }} as derivation_label,
    trends.figures_used,
    trends.source_figure_ids
from {{ ref('int_financial_period_values') }} as trends
inner join {{ ref('dim_series') }} as series
    on trends.series_key = series.series_key
inner join {{ ref('int_breakdown_labels') }} as labels
    on trends.breakdown = labels.breakdown
