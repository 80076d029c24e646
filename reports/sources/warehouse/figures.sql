select figure_id, domain, metric_code, measure, breakdown, geography_code, period_start, period_end, period_label,
    value, printed_value, unit, value_as_printed, is_latest_published, is_restated_with_other_value,
    source_document, source_line, source_snippet
from marts.fct_published_figures
