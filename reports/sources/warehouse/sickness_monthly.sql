select breakdown as workforce_group, period_start as month_start, value as hours_per_person, source_document, source_line
from marts.fct_published_figures
where domain = 'workforce' and metric_code = 'sickness_hours_per_person' and measure = 'value' and is_latest_published
