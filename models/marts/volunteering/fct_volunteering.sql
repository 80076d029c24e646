-- One row per published volunteering figure, with the publication date of its report so that
-- restatements can be ordered.
select
    figure_id,
    metric_code,
    measure,
    breakdown,
    geography_code,
    period_start,
    period_end,
    period_label,
    comparison_period_start,
    comparison_period_end,
    period_note,
    value,
    printed_value,
    is_corrected,
    correction_note,
    value_as_printed,
    unit,
    is_period_unknown,
    source_document,
    source_line,
    source_snippet,
    publication_date,
    data_to_date
from {{ ref('int_published_figures') }}
where domain = 'volunteering'
