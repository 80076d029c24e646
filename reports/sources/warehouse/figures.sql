-- Words for readers (see scorecard.sql); codes stay in *_code columns.
select
    figure_id,
    f.domain_label as domain,
    f.domain as domain_code,
    f.metric_code,
    coalesce(m.metric_name, f.metric_code) as metric_name,
    measure_label as measure,
    measure as measure_code,
    breakdown_label as breakdown,
    breakdown as breakdown_code,
    coalesce(g.geography_name, f.geography_code) as area,
    f.geography_code,
    period_start, period_end, period_label,
    value, printed_value,
    f.unit_label as unit,
    f.unit as unit_code,
    value_as_printed, is_latest_published, is_restated_with_other_value,
    source_document, source_line, source_snippet
from marts.fct_published_figures as f
left join marts.dim_metric as m on m.metric_code = f.metric_code
left join marts.dim_geography as g on g.geography_code = f.geography_code
