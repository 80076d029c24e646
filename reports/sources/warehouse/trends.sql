select domain, metric_code, breakdown, geography_code, unit, period_grain, financial_year, financial_quarter,
    period_label, period_start, period_end, value, derivation, source_figure_ids
from marts.financial_trends
