-- Why: int_claims_from_register reads at most fifty operands of a claim (a portable split with no
-- engine-specific explode); a fifty-first would be dropped from the recomputation. Fails with such a claim.
{{ config(severity = 'error') }}
select claim_id
from {{ ref('claims') }}
where length(operand_figure_ids) - length(replace(operand_figure_ids, ';', '')) + 1 > 50
