-- Every published point of every series, by report, in words (see series.sql).
select
    p.series_key,
    p.series_name,
    p.report_label as report,
    p.publication_date,
    p.source_document,
    p.source_lines as lines,
    p.period_label,
    p.period_start,
    p.period_end,
    p.measure_label as measure,
    p.measure as measure_code,
    p.value,
    p.latest_value,
    p.is_restated_with_other_value_label as restated,
    p.is_latest_published_label as latest,
    p.values_differ_within_document_label as differs_within_report,
    p.source_snippet
from marts.fct_series_points as p
