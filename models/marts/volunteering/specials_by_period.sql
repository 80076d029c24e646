-- Special Constabulary headcount (a stock, at a date) and hours (flows, over a period): one row per
-- metric, area and period, with the latest published value and the first published one beside it.
-- "Latest" orders by the report's publication date, then by the later line within one report.
with published as (
    select
        metric_code,
        geography_code,
        period_start,
        period_end,
        period_label,
        value,
        unit,
        source_document,
        source_line,
        source_snippet,
        row_number() over (
            partition by metric_code, geography_code, period_start, period_end
            order by publication_date desc nulls last, source_document desc, source_line desc
        ) as latest_rank,
        row_number() over (
            partition by metric_code, geography_code, period_start, period_end
            order by publication_date asc nulls last, source_document asc, source_line asc
        ) as first_rank,
        count(*) over (partition by metric_code, geography_code, period_start, period_end) as times_published,
        count(distinct value) over (
            partition by metric_code, geography_code, period_start, period_end
        ) as distinct_values
    from {{ ref('fct_volunteering') }}
    where
        metric_code in ('specials_headcount', 'specials_hours', 'specials_operational_hours')
        and measure = 'value'
        and breakdown = ''
        and period_start is not null
)

select
    latest.metric_code,
    latest.geography_code,
    latest.period_start,
    latest.period_end,
    latest.period_label,
    latest.unit,
    latest.value as latest_value,
    first_published.value as first_published_value,
    latest.times_published::integer as times_published,
    latest.distinct_values > 1 as is_restated_with_other_value,
    latest.source_document as latest_source_document,
    latest.source_line as latest_source_line,
    latest.source_snippet as latest_source_snippet,
    first_published.source_document as first_source_document,
    first_published.source_line as first_source_line
from published as latest
inner join published as first_published
    on
        latest.metric_code = first_published.metric_code
        and latest.geography_code = first_published.geography_code
        and latest.period_start = first_published.period_start
        and latest.period_end = first_published.period_end
        and first_published.first_rank = 1
where latest.latest_rank = 1
