-- Why: a catalogue metric flagged `headline_slice = 'force_whole'` gets a MetricFlow headline metric
-- that reads only the whole quantity for the Essex force area (`is_headline`). Without one such
-- figure the metric answers nothing for every query, silently. Either the flag is wrong (clear it: the
-- metric's splits and areas stay in fct_metric_values) or the figure has been lost upstream.
{{ config(severity = 'error', meta = {'dagster': {'ref': {'name': 'fct_metric_values'}}}) }}
select
    catalogue.metric_code,
    catalogue.headline_slice
from {{ ref('metric_catalogue') }} as catalogue
where
    catalogue.headline_slice = 'force_whole'
    and not exists (
        select 1
        from {{ ref('fct_metric_values') }} as metric_values
        where metric_values.metric_code = catalogue.metric_code and metric_values.is_headline
    )
