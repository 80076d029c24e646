-- Series for the series page, in words: names, definitions and review verdicts (the key stays in
-- series_key, for the picker and for filtering; codes in *_code columns).
select
    s.series_key,
    s.series_name,
    upper(s.domain[1]) || s.domain[2:] as domain,
    s.metric_code,
    s.definition,
    case s.definition_source
        when 'report' then 'The report, ' || d.document_title || ', line ' || s.definition_source_line::varchar
        else 'The metric catalogue'
    end as definition_source,
    coalesce(s.verdict_label, 'Published by one report') as verdict,
    coalesce(s.verdict, 'single_report') as verdict_code,
    s.related_series_key,
    s.related_series_name,
    s.document_count as reports,
    s.series_name || ' (' || s.document_count::varchar
    || case when s.document_count = 1 then ' report)' else ' reports)' end as series_label,
    s.figure_count as figures,
    s.break_count as breaks,
    s.review_note
from marts.dim_series as s
left join marts.dim_source_document as d on d.source_document = s.definition_source_document
