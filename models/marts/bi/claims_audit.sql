-- Every derived statement in the reports, recomputed from the warehouse: published changes (checked
-- automatically against the published levels) and the registered claims (totals, shares,
-- differences across lines, the same quantity stated twice) and the narrative rules (words and table
-- layout around the numbers). See the overview for how precision is judged and for each rule.
{%- set claim_columns = [
    'claim_id', 'claim_source', 'source_document', 'source_line', 'claim_text', 'claim_type', 'stated_figure_id',
    'stated_value', 'recomputed_value', 'decimals', 'stated_qualifier', 'verdict', 'operand_figure_ids', 'note',
] %}

with claims as (
    -- The two sources' columns, by name (a union by name is not portable).
    select {{ claim_columns | join(', ') }} from {{ ref('int_claims_from_changes') }}
    union all
    select {{ claim_columns | join(', ') }} from {{ ref('int_claims_from_register') }}
    union all
    select {{ claim_columns | join(', ') }} from {{ ref('int_claims_from_narrative') }}
)

select
    claims.claim_id,
    claims.claim_source,
    {{ code_label('claims.claim_source') }} as claim_source_label,
    claims.source_document,
    claims.source_line,
    claims.claim_text,
    claims.claim_type,
    {{ code_label('claims.claim_type') }} as claim_type_label,
    figures.domain,
    {{ code_label('figures.domain') }} as domain_label,
    figures.metric_code,
    claims.stated_figure_id,
    claims.stated_value,
    claims.stated_qualifier,
    {{ round_unsigned('claims.recomputed_value', 6) }} as recomputed_value,
    {{ round_unsigned('claims.stated_value - claims.recomputed_value', 6) }} as difference,
    claims.decimals::integer as decimals,
    claims.verdict,
    {{ code_label('claims.verdict') }} as verdict_label,
    claims.operand_figure_ids,
    nullif(claims.note, '') as note
from claims
left join {{ ref('fct_published_figures') }} as figures
    on claims.stated_figure_id = figures.figure_id
