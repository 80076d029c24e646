-- Words for readers (see scorecard.sql); codes stay in *_code columns.
select
    claim_id,
    upper(claim_source[1]) || replace(claim_source, '_', ' ')[2:] as claim_source,
    claim_source as claim_source_code,
    source_document, source_line, claim_text,
    case claim_type when 'pct_change' then 'Percent change' when 'pp_change' then 'Percentage-point change'
        else upper(claim_type[1]) || replace(claim_type, '_', ' ')[2:] end as claim_type,
    claim_type as claim_type_code,
    upper(c.domain[1]) || c.domain[2:] as domain,
    c.domain as domain_code,
    c.metric_code,
    coalesce(m.metric_name, c.metric_code) as metric_name,
    stated_value, recomputed_value, difference,
    upper(verdict[1]) || replace(verdict, '_', ' ')[2:] as verdict,
    verdict as verdict_code,
    note
from marts.claims_audit as c
left join marts.dim_metric as m on m.metric_code = c.metric_code
