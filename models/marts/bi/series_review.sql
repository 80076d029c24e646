-- The review of series across reports: every series that two or more reports publish, and every
-- series that is one definition of a concept with another, with the verdict. A series `needs_review`
-- when no review covers every report that publishes it; the test `every_shared_series_is_reviewed`
-- fails on such a row. `concept_key` groups the series that define one concept differently.
select
    series_key,
    series_name,
    case
        when verdict = 'distinct_definitions' and related_series_key < series_key then related_series_key
        else series_key
    end as concept_key,
    verdict,
    verdict_label,
    related_series_key,
    related_series_name,
    definition,
    definition_source,
    definition_source_document,
    definition_source_line,
    document_count,
    document_keys,
    reviewed_document_keys,
    unreviewed_document_keys,
    has_aliases,
    figure_count,
    review_note
from {{ ref('dim_series') }}
where verdict is not null
