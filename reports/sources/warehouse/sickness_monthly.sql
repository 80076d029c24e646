-- Words for readers (see scorecard.sql): the workforce group as a label, its code kept for filtering.
select
    breakdown_label as workforce_group,
    breakdown as workforce_group_code,
    period_start as month_start,
    period_start_month_label as month,
    value as hours_per_person, source_document, source_line
from marts.fct_published_figures
where domain = 'workforce' and metric_code = 'sickness_hours_per_person' and measure = 'value' and is_latest_published
