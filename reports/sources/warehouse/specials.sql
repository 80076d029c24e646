-- Words for readers (see scorecard.sql); codes stay in *_code columns.
select
    s.metric_code,
    coalesce(m.metric_name, s.metric_code) as metric_name,
    coalesce(g.geography_name, s.geography_code) as area,
    s.geography_code,
    period_start, period_end, period_label, latest_value, first_published_value,
    is_restated_with_other_value, latest_source_document, latest_source_line
from marts.specials_by_period as s
left join marts.dim_metric as m on m.metric_code = s.metric_code
left join marts.dim_geography as g on g.geography_code = s.geography_code
