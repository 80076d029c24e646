-- Words for readers: the quarter as `2023/24 Q1` (financial year label and quarter), the group as a label.
select
    financial_quarter_start,
    (year(financial_quarter_start) - case when month(financial_quarter_start) < 4 then 1 else 0 end)::varchar || '/'
        || right((year(financial_quarter_start) + case when month(financial_quarter_start) < 4 then 0 else 1 end)::varchar, 2)
        || ' Q' || ((month(financial_quarter_start) + 8) % 12 // 3 + 1)::varchar as financial_quarter,
    case when coalesce(breakdown, '') = '' then 'All' else upper(breakdown[1]) || replace(breakdown, '_', ' ')[2:] end
        as workforce_group,
    breakdown as workforce_group_code,
    sickness_hours_per_person_by_group as hours_per_person
from marts.metric_sickness_by_financial_quarter
