-- Report figures beside police.uk street-level crime, with names instead of codes.
select
    r.source_document,
    r.source_line,
    coalesce(m.metric_name, r.metric_code) as metric,
    f.breakdown_label as breakdown,
    r.period_months_label as period,
    r.period_start,
    r.report_value,
    r.police_uk_crime_types as police_uk_categories,
    r.police_uk_value,
    r.difference,
    r.difference_pct,
    r.status_label as status,
    r.caveat,
    r.source_snippet
from marts.report_vs_police_uk as r
inner join marts.fct_published_figures as f on f.figure_id = r.figure_id
left join marts.dim_metric as m on m.metric_code = r.metric_code
