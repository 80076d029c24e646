-- Words for readers (see scorecard.sql); the glossary keeps metric_code, the name a reader looks up.
select
    metric_code,
    upper(domain[1]) || domain[2:] as domain,
    domain as domain_code,
    metric_name, definition,
    case unit when 'gbp' then 'Pounds (£)' when 'percent' then 'Percent' else upper(unit[1]) || replace(unit, '_', ' ')[2:] end as unit,
    upper(metric_type[1]) || replace(metric_type, '_', ' ')[2:] as metric_type,
    upper(polarity[1]) || replace(polarity, '_', ' ')[2:] as polarity,
    upper(time_aggregation[1]) || replace(time_aggregation, '_', ' ')[2:] as time_aggregation,
    upper(area_aggregation[1]) || replace(area_aggregation, '_', ' ')[2:] as area_aggregation,
    numerator, denominator, figures_published
from marts.dim_metric
