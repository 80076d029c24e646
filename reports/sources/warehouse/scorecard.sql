-- Words for readers: codes become labels (the code stays in a *_code column for filtering); breakdowns
-- are labelled in the warehouse (breakdown_label, made by int_breakdown_labels).
select
    s.series_key,
    s.series_name,
    upper(domain[1]) || domain[2:] as domain,
    domain as domain_code,
    s.metric_code,
    s.metric_name,
    breakdown_label as breakdown,
    breakdown as breakdown_code,
    coalesce(g.geography_name, s.geography_code) as area,
    s.geography_code,
    case unit when 'gbp' then 'Pounds (£)' when 'percent' then 'Percent' else upper(unit[1]) || replace(unit, '_', ' ')[2:] end as unit,
    unit as unit_code,
    upper(polarity[1]) || replace(polarity, '_', ' ')[2:] as polarity,
    polarity as polarity_code,
    case period_type when 'point' then 'Point in time' else upper(period_type[1]) || replace(period_type, '_', ' ')[2:] end as period_type,
    period_type as period_type_code,
    latest_period_label, latest_value, comparison_period_label, comparison_value, absolute_change, pct_change,
    upper(assessment[1]) || replace(assessment, '_', ' ')[2:] as assessment,
    assessment as assessment_code,
    latest_source_document, latest_source_line, comparison_source_document, comparison_source_line,
    not_comparable_reason
from marts.plan_scorecard as s
left join marts.dim_geography as g on g.geography_code = s.geography_code
