-- The source reports, with how many figures each contributes.
with counts as (
    select
        source_document,
        count(*) as figures_published
    from {{ ref('int_published_figures') }}
    group by source_document
)

select
    documents.source_document,
    documents.document_key,
    documents.document_title,
    documents.publisher,
    documents.document_type,
    documents.publication_date,
    documents.data_to_date,
    documents.version,
    documents.plan_period,
    documents.notes,
    coalesce(counts.figures_published, 0)::integer as figures_published
from {{ ref('source_documents') }} as documents
left join counts
    on documents.source_document = counts.source_document
