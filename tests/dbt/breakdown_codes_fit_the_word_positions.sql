-- Why: int_breakdown_labels reads at most twenty words of a code (a portable split with no
-- engine-specific explode); a longer code would lose words from its label. Fails with such a code.
{{ config(severity = 'error') }}
select breakdown
from {{ ref('stg_extracted__figures') }}
where length(breakdown) - length(replace(replace(breakdown, ';', '_;_'), '_', '')) + 1 > 20
