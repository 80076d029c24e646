-- Words for readers (see scorecard.sql); codes stay in *_code columns.
select
    issue_type_label as issue_type,
    issue_type as issue_type_code,
    severity_label as severity,
    severity as severity_code,
    q.domain_label as domain,
    q.domain as domain_code,
    q.metric_code,
    q.series_key,
    coalesce(m.metric_name, q.metric_code) as metric_name,
    figure_id, source_document, source_line, description
from marts.data_quality_issues as q
left join marts.dim_metric as m on m.metric_code = q.metric_code
