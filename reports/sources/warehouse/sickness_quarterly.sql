-- Words for readers: the quarter as `2023/24 Q1` (financial year label and quarter), the group as a label.
-- The quarter's label is the date dimension's, the group's the published figures' (the warehouse's labels).
select
    q.financial_quarter_start,
    d.financial_quarter_label as financial_quarter,
    coalesce(g.breakdown_label, 'All') as workforce_group,
    q.breakdown as workforce_group_code,
    q.sickness_hours_per_person_by_group as hours_per_person
from marts.metric_sickness_by_financial_quarter as q
inner join marts.dim_date as d on d.date_day = q.financial_quarter_start
left join (
    select distinct breakdown, breakdown_label from marts.fct_published_figures
    where metric_code = 'sickness_hours_per_person'
) as g on g.breakdown = q.breakdown
