-- The "all crime excluding anti-social behaviour" row of each force and month equals the sum of its 13 crime
-- categories: a category lost or double-counted in the total shows here.
select
    force_name,
    month_start
from {{ ref('force_crime_monthly') }}
group by force_name, month_start
having
    sum(case when is_all_crime then incidents else 0 end)
    <> sum(case when not is_all_crime and crime_type <> 'Anti-social behaviour' then incidents else 0 end)
