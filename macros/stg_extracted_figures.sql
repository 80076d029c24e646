{#-
    Staging for one raw figures table: rename nothing that the contract already names well, cast to
    the contract types, and add the derived columns every domain needs. One definition for all
    domains, because the raw tables share one contract.
-#}
{% macro stg_extracted_figures(table_name, domain) %}
select
    figure_id,
    '{{ domain }}' as domain,
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
    value as printed_value,
    corrected_value,
    coalesce(corrected_value, value) as value,
    corrected_value is not null as is_corrected,
    correction_note,
    value_as_printed,
    unit,
    source_document,
    source_line,
    source_snippet,
    period_start is null as is_period_unknown,
    _source_file as loaded_from_file,
    _checksum as loaded_file_checksum,
    _loaded_at as loaded_at
from {{ source('raw', table_name) }}
{% endmacro %}
