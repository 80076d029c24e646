select domain, metric_code, breakdown, geography_code, unit, period_grain, financial_year, financial_quarter,
    period_label, period_start, period_end, value, derivation, source_figure_ids
from marts.crime_trends
union all select domain, metric_code, breakdown, geography_code, unit, period_grain, financial_year, financial_quarter,
    period_label, period_start, period_end, value, derivation, source_figure_ids from marts.volunteering_trends
union all select domain, metric_code, breakdown, geography_code, unit, period_grain, financial_year, financial_quarter,
    period_label, period_start, period_end, value, derivation, source_figure_ids from marts.roads_trends
union all select domain, metric_code, breakdown, geography_code, unit, period_grain, financial_year, financial_quarter,
    period_label, period_start, period_end, value, derivation, source_figure_ids from marts.workforce_trends
