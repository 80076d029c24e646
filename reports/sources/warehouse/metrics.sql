-- Words for readers (see scorecard.sql); the glossary keeps metric_code, the name a reader looks up.
select
    metric_code,
    domain_label as domain,
    domain as domain_code,
    metric_name, definition,
    unit_label as unit,
    metric_type_label as metric_type,
    polarity_label as polarity,
    time_aggregation_label as time_aggregation,
    area_aggregation_label as area_aggregation,
    numerator, denominator, figures_published
from marts.dim_metric
