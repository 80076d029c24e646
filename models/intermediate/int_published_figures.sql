-- Every published figure of every domain in one relation, with its report's dates: the single
-- input of the per-domain facts, so restatement ordering is defined once.
{%- set domains = ['crime', 'volunteering', 'roads', 'workforce', 'finance', 'contact', 'confidence'] %}
with figures as (
    {%- for domain in domains %}
        select * from {{ ref('stg_extracted__' ~ domain ~ '_figures') }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    figures.*,
    -- "more than 500", "almost 900", "around 50 per cent": the words just before the figure.
    nullif(regexp_extract(
        lower(substr(figures.source_snippet, 1, strpos(figures.source_snippet, figures.value_as_printed) - 1)),
        '(more than|over|at least|almost|nearly|around|about|approximately|roughly|less than|under|up to|some)\s*$',
        1
    ), '') as value_qualifier,
    documents.publication_date,
    documents.data_to_date
from figures
inner join {{ ref('source_documents') }} as documents
    on figures.source_document = documents.source_document
