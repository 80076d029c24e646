-- The input of the metrics layer: one value per quantity (the latest published level of a series
-- and period), results only (no targets, plans or future periods), periods known.
-- Changes are left out: the metrics layer derives its own from the levels.
select
    figures.figure_id,
    figures.metric_code,
    figures.domain,
    figures.breakdown,
    figures.geography_code,
    figures.series_key,
    figures.breakdown = '' and figures.geography_code = 'essex' as is_headline,
    figures.period_type,
    figures.period_start,
    figures.period_end,
    figures.value,
    figures.unit,
    figures.is_restated_with_other_value,
    figures.first_published_value,
    figures.source_document,
    figures.source_line
from {{ ref('fct_published_figures') }} as figures
where
    figures.measure = 'value'
    and figures.is_latest_published
    and not figures.is_period_unknown
    and not {{ is_aim('figures') }}
