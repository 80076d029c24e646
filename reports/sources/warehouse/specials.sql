select metric_code, geography_code, period_start, period_end, period_label, latest_value, first_published_value,
    is_restated_with_other_value, latest_source_document, latest_source_line
from marts.specials_by_period
