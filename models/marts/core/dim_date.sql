-- One row per calendar day over the span of the published periods, with UK police financial
-- years and quarters (April-March) beside calendar years, quarters and months.
with days as (
    select unnest(generate_series(date '2014-04-01', date '2041-03-31', interval 1 day))::date as date_day
)

select
    date_day,
    year(date_day)::integer as calendar_year,
    quarter(date_day)::integer as calendar_quarter,
    month(date_day)::integer as calendar_month,
    strftime(date_day, '%b') as month_name,
    strftime(date_day, '%Y-%m') as calendar_month_label,
    {{ financial_year_start('date_day') }}::integer as financial_year_start,
    make_date({{ financial_year_start('date_day') }}, 4, 1) as financial_year_start_date,
    date_trunc('quarter', date_day)::date as financial_quarter_start_date,
    {{ financial_year_label('date_day') }} as financial_year,
    {{ financial_quarter('date_day') }}::integer as financial_quarter,
    {{ financial_year_label('date_day') }} || ' Q' || {{ financial_quarter('date_day') }}::varchar
        as financial_quarter_label,
    date_day = last_day(date_day) as is_month_end,
    date_day = last_day(date_day) and month(date_day) in (3, 6, 9, 12) as is_financial_quarter_end,
    month(date_day) = 3 and day(date_day) = 31 as is_financial_year_end
from days
