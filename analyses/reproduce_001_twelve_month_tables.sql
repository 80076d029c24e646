-- Reproduces every 12-month comparison table of the Crime Prevention Strategy report Q1 & Q2 2022/23
-- (001): one row per printed table row, with the earlier and later 12-month values, Diff. and % Diff.
-- as the warehouse holds them, and the line they are printed on, to set beside the page. Per cent
-- changes quoted in prose, and the one table row whose other cells are missing from the text (line
-- 88, "+13.3%" alone), are in fct_published_figures but not here.
with cells as (
    select *
    from {{ ref('fct_published_figures') }}
    where source_document = '001_912cd1b5c66bb1ae.txt'
),

table_rows as (
    -- A table row is a line that prints a per cent change against a 12-month or calendar-year period.
    select
        source_line,
        metric_code,
        breakdown,
        period_key,
        comparison_period_key,
        period_label,
        value as pct_diff
    from cells
    where measure = 'pct_change' and period_type = 'rolling_12_months'
)

select
    table_rows.source_line,
    table_rows.metric_code,
    table_rows.breakdown,
    table_rows.period_label,
    max(case when cells.measure = 'value' and cells.period_key = table_rows.comparison_period_key then cells.value end)
        as earlier_12_months,
    max(case when cells.measure = 'value' and cells.period_key = table_rows.period_key then cells.value end)
        as later_12_months,
    max(case when cells.measure = 'change' then cells.value end) as diff,
    table_rows.pct_diff
from table_rows
left join cells
    on
        table_rows.source_line = cells.source_line
        and table_rows.metric_code = cells.metric_code
        and table_rows.breakdown = cells.breakdown
group by all
having count(cells.figure_id) filter (where cells.measure in ('value', 'change')) > 0
order by table_rows.source_line asc
