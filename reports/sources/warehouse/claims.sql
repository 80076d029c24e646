-- Words for readers (see scorecard.sql); codes stay in *_code columns.
select
    claim_id,
    claim_source_label as claim_source,
    claim_source as claim_source_code,
    source_document, source_line, claim_text,
    claim_type_label as claim_type,
    claim_type as claim_type_code,
    c.domain_label as domain,
    c.domain as domain_code,
    c.metric_code,
    coalesce(m.metric_name, c.metric_code) as metric_name,
    stated_value, recomputed_value, difference,
    verdict_label as verdict,
    verdict as verdict_code,
    note
from marts.claims_audit as c
left join marts.dim_metric as m on m.metric_code = c.metric_code
