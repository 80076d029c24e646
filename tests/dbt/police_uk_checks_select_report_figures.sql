-- Why: the reconciliation selects report figures by document, metric, split and area; a check that
-- selects none (a recoded figure, a typo) would drop out of report_vs_police_uk without a word.
-- Fails with each such check.
{{ config(severity = 'error') }}
select
    checks.document_key,
    checks.metric_code,
    checks.breakdown,
    checks.geography_code
from {{ ref('police_uk_report_checks') }} as checks
left join {{ ref('fct_published_figures') }} as figures
    on
        checks.document_key = figures.document_key
        and checks.metric_code = figures.metric_code
        and coalesce(checks.breakdown, '') = figures.breakdown
        and checks.geography_code = figures.geography_code
where figures.figure_id is null
