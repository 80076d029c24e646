select claim_id, claim_source, source_document, source_line, claim_text, claim_type, domain, metric_code,
    stated_value, recomputed_value, difference, verdict, note
from marts.claims_audit
