-- Reproduces the 3-months-to-July comparisons of the Crime Prevention Strategy update, September 2019
-- (004): each measure for May-July 2018 beside May-July 2019, with the change the warehouse derives.
with comparisons as (
    select
        metric_code,
        breakdown,
        max(case when period_end = date '2018-07-31' then value end) as three_months_to_jul_18,
        max(case when period_end = date '2018-07-31' then source_line end) as line_2018,
        max(case when period_end = date '2019-07-31' then value end) as three_months_to_jul_19,
        max(case when period_end = date '2019-07-31' then source_line end) as line_2019
    from {{ ref('fct_published_figures') }}
    where
        source_document = '004_7b200f8121e47d47.txt'
        and measure = 'value'
        and period_type = 'rolling_3_months'
    group by metric_code, breakdown
)

select
    *,
    round(three_months_to_jul_19 - three_months_to_jul_18, 6) as derived_change
from comparisons
order by line_2018 asc
