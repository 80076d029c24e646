-- Words for readers (see scorecard.sql); financial_year is the label of the year (2021/22), not its start date.
select
    t.domain_label as domain,
    t.domain as domain_code,
    t.metric_code,
    coalesce(m.metric_name, t.metric_code) as metric_name,
    breakdown_label as breakdown,
    breakdown as breakdown_code,
    coalesce(g.geography_name, t.geography_code) as area,
    t.geography_code,
    t.unit_label as unit,
    t.unit as unit_code,
    period_grain_label as period_grain,
    period_grain as period_grain_code,
    financial_year, financial_quarter, period_label, period_start, period_end, value,
    derivation_label as derivation,
    derivation as derivation_code,
    source_figure_ids
from marts.financial_trends as t
left join marts.dim_metric as m on m.metric_code = t.metric_code
left join marts.dim_geography as g on g.geography_code = t.geography_code
