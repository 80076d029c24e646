-- One row per published figure, as loaded: the contract's columns (the loader enforced its types
-- and rules), the value to use beside the printed one, and the figure id's parts.
select
    figure_id,
    split_part(figure_id, ':', 1) as document_key,
    split_part(figure_id, ':', 3)::integer as figure_sequence,
    metric_code,
    measure,
    coalesce(breakdown, '') as breakdown,
    geography_code,
    period_start,
    period_end,
    period_label,
    comparison_period_start,
    comparison_period_end,
    period_note,
    period_start is null as is_period_unknown,
    printed_value,
    corrected_value,
    -- `value` is the column name BI tools read in every mart.
    coalesce(corrected_value, printed_value) as value,  -- noqa: RF04
    corrected_value is not null as is_corrected,
    correction_note,
    value_as_printed,
    unit,
    source_document,
    source_line,
    source_snippet,
    _source_file as loaded_from_file,
    _row_number as loaded_from_row,
    _checksum as loaded_file_checksum,
    _loaded_at as loaded_at
from {{ source('raw', 'extracted_figures') }}
