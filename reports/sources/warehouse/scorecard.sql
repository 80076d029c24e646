-- Words for readers: codes become labels (the code stays in a *_code column for filtering); the labels
-- are columns of the mart (breakdown_label is made by int_breakdown_labels, the rest by code_label).
select
    s.series_key,
    s.series_name,
    domain_label as domain,
    domain as domain_code,
    s.metric_code,
    s.metric_name,
    breakdown_label as breakdown,
    breakdown as breakdown_code,
    coalesce(g.geography_name, s.geography_code) as area,
    s.geography_code,
    unit_label as unit,
    unit as unit_code,
    polarity_label as polarity,
    polarity as polarity_code,
    period_type_label as period_type,
    period_type as period_type_code,
    latest_period_label, latest_value, comparison_period_label, comparison_value, absolute_change, pct_change,
    assessment_label as assessment,
    assessment as assessment_code,
    latest_source_document, latest_source_line, comparison_source_document, comparison_source_line,
    not_comparable_reason
from marts.plan_scorecard as s
left join marts.dim_geography as g on g.geography_code = s.geography_code
