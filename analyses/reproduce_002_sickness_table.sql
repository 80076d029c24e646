-- Reproduces the table "Sickness - Average hours lost per person" of the 2021-24 plan update for
-- Q1 2023/24 (002, lines 798-810) from the warehouse, one row per financial year and workforce
-- group, months April to March as columns, so it can be laid beside the printed page.
-- Variance rows are the `change` figures (each month against the same month a year earlier).
with cells as (
    select
        breakdown as workforce_group,
        measure,
        source_line,
        {{ financial_year_start('period_start') }} as financial_year_start,
        {{ month_abbreviation('period_start') }} as month_name,
        value
    from {{ ref('int_published_figures') }}
    where
        metric_code = 'sickness_hours_per_person'
        and source_document = '002_98cadac6fcc38722.txt'
)

select
    workforce_group,
    case
        when measure = 'change' then 'Variance to previous year'
        else financial_year_start::string || '/' || (financial_year_start + 1)::string
    end as financial_year,
    {%- for month in ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar'] %}
        max(case when month_name = '{{ month }}' then value end) as {{ month | lower }},
    {%- endfor %}
    min(source_line) as source_line
from cells
group by workforce_group, measure, financial_year_start
order by workforce_group asc, measure desc, financial_year_start asc
