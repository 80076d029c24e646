-- One row per published volunteering figure, with the publication date of its report so that
-- restatements can be ordered.
select
    figures.figure_id,
    figures.metric_code,
    figures.measure,
    figures.breakdown,
    figures.geography_code,
    figures.period_start,
    figures.period_end,
    figures.period_label,
    figures.comparison_period_start,
    figures.comparison_period_end,
    figures.period_note,
    figures.value,
    figures.printed_value,
    figures.is_corrected,
    figures.correction_note,
    figures.value_as_printed,
    figures.unit,
    figures.is_period_unknown,
    figures.source_document,
    figures.source_line,
    figures.source_snippet,
    documents.publication_date,
    documents.data_to_date
from {{ ref('stg_extracted__volunteering_figures') }} as figures
inner join {{ ref('source_documents') }} as documents
    on figures.source_document = documents.source_document
