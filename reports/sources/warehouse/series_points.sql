-- Every published point of every series, by report, in words (see series.sql).
select
    p.series_key,
    p.series_name,
    d.document_title || coalesce(' (' || strftime(p.publication_date, '%B %Y') || ')', '') as report,
    p.publication_date,
    p.source_document,
    p.source_lines as lines,
    p.period_label,
    p.period_start,
    p.period_end,
    case p.measure when 'pct_change' then 'Percent change' when 'pp_change' then 'Percentage-point change'
        else upper(p.measure[1]) || replace(p.measure, '_', ' ')[2:] end as measure,
    p.measure as measure_code,
    p.value,
    p.latest_value,
    case when p.is_restated_with_other_value then 'Yes' else 'No' end as restated,
    case when p.is_latest_published then 'Yes' else 'No' end as latest,
    case when p.values_differ_within_document then 'Yes' else 'No' end as differs_within_report,
    p.source_snippet
from marts.fct_series_points as p
inner join marts.dim_source_document as d on d.source_document = p.source_document
