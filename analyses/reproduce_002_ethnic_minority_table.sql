-- Reproduces the ethnic-minority employees table of the 2021-24 plan update for Q1 2023/24 (002,
-- lines 812-818): Jun-22, Jun-23 and the percentage-point difference, as printed, with the recorded
-- correction of the misprinted "428" beside it.
select
    source_line,
    metric_code,
    breakdown,
    max(case when measure = 'value' and period_end = date '2022-06-30' then printed_value end) as jun_22_printed,
    max(case when measure = 'value' and period_end = date '2022-06-30' then value end) as jun_22,
    max(case when measure = 'value' and period_end = date '2023-06-30' then value end) as jun_23,
    max(case when measure = 'pp_change' then value end) as pt_difference
from {{ ref('fct_published_figures') }}
where source_document = '002_98cadac6fcc38722.txt' and source_line between 812 and 818
group by all
order by source_line asc
