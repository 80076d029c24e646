select metric_code, domain, metric_name, definition, unit, metric_type, polarity, time_aggregation,
    area_aggregation, numerator, denominator, figures_published
from marts.dim_metric
