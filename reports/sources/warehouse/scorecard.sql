select domain, metric_code, metric_name, breakdown, geography_code, unit, polarity, period_type,
    latest_period_label, latest_value, comparison_period_label, comparison_value, absolute_change, pct_change,
    assessment, latest_source_document, latest_source_line
from marts.plan_scorecard
