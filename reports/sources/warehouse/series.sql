-- Series for the series page, in words: names, definitions and review verdicts (the key stays in
-- series_key, for the picker and for filtering; codes in *_code columns).
select
    s.series_key,
    s.series_name,
    s.domain_label as domain,
    s.metric_code,
    s.definition,
    s.definition_source_label as definition_source,
    coalesce(s.verdict_label, 'Published by one report') as verdict,
    coalesce(s.verdict, 'single_report') as verdict_code,
    s.related_series_key,
    s.related_series_name,
    s.document_count as reports,
    s.series_label,
    s.figure_count as figures,
    s.break_count as breaks,
    s.review_note
from marts.dim_series as s
