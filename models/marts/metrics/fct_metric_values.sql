-- The input of the metrics layer: one value per quantity (the latest published level of a metric,
-- split, area and period), results only (no targets, plans or future periods), periods known.
-- Changes are left out: the metrics layer derives its own from the levels.
select
    figure_id,
    metric_code,
    domain,
    breakdown,
    geography_code,
    breakdown = '' and geography_code = 'essex' as is_headline,
    period_type,
    period_start,
    period_end,
    value,
    unit,
    is_restated_with_other_value,
    first_published_value,
    source_document,
    source_line
from {{ ref('fct_published_figures') }} as figures
where
    measure = 'value'
    and is_latest_published
    and not is_period_unknown
    and not {{ is_aim('figures') }}
