-- Values of every domain at financial quarter and year grain; int_financial_period_values says how
-- each value is derived.
select
    domain,
    metric_code,
    breakdown,
    {{ breakdown_label('breakdown') }} as breakdown_label,
    geography_code,
    unit,
    period_grain,
    financial_year,
    financial_quarter,
    period_label,
    period_start,
    period_end,
    value,
    derivation,
    figures_used,
    source_figure_ids
from {{ ref('int_financial_period_values') }}
