-- Why: figures of two reports are compared only through a series, so a series two reports publish
-- must have been read by someone who checked they count the same thing (or recorded that they do
-- not). Fails with every series no review covers, naming the reports not yet read.
{{ config(severity = 'error') }}
select
    series_key,
    series_name,
    document_keys,
    unreviewed_document_keys
from {{ ref('series_review') }}
where verdict = 'needs_review'
