-- Words for readers (see scorecard.sql); codes stay in *_code columns.
select
    upper(issue_type[1]) || replace(issue_type, '_', ' ')[2:] as issue_type,
    issue_type as issue_type_code,
    case severity when 'warn' then 'Warning' when 'info' then 'Information' else upper(severity[1]) || severity[2:] end as severity,
    severity as severity_code,
    upper(q.domain[1]) || q.domain[2:] as domain,
    q.domain as domain_code,
    q.metric_code,
    q.series_key,
    coalesce(m.metric_name, q.metric_code) as metric_name,
    figure_id, source_document, source_line, description
from marts.data_quality_issues as q
left join marts.dim_metric as m on m.metric_code = q.metric_code
