-- Special Constabulary headcount (a stock, at a date) and hours (flows, over a period): one row per
-- metric, area and period, with the latest published value and the first published one beside it.
-- "Latest" and "first" are int_published_figures' (the one definition of restatement order).
with published as (
    select *
    from {{ ref('int_published_figures') }}
    where
        metric_code in ('specials_headcount', 'specials_hours', 'specials_operational_hours')
        and measure = 'value'
        and breakdown = ''
        and not is_period_unknown
)

select
    latest.metric_code,
    latest.geography_code,
    latest.period_start,
    latest.period_end,
    latest.period_label,
    latest.unit,
    latest.value as latest_value,
    latest.first_published_value,
    latest.times_published::integer as times_published,
    latest.is_restated_with_other_value,
    latest.source_document as latest_source_document,
    latest.source_line as latest_source_line,
    latest.source_snippet as latest_source_snippet,
    first_published.source_document as first_source_document,
    first_published.source_line as first_source_line
from published as latest
inner join published as first_published
    on latest.first_figure_id = first_published.figure_id
where latest.is_latest_published
