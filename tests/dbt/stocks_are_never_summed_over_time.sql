-- Why: a stock (a headcount, an establishment, a number of schemes) is a level at a date; adding the
-- levels of several months or quarters counts the same people again. No trend value may come from a
-- month roll-up that sums (per `time_aggregations`) for a metric that is not summable over time.
{{ config(severity = 'error') }}
select
    trends.metric_code,
    trends.period_label,
    trends.derivation
from {{ ref('int_financial_period_values') }} as trends
inner join {{ ref('dim_metric') }} as metrics
    on trends.metric_code = metrics.metric_code
inner join {{ ref('time_aggregations') }} as derivations
    on trends.derivation = derivations.month_rollup_derivation
where derivations.is_summable_over_time and not metrics.is_summable_over_time
