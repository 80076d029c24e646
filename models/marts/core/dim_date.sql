-- One row per calendar day over the span of the published periods, with UK police financial
-- years and quarters (April-March) beside calendar years, quarters and months.
with days as (
    select cast(date_day as date) as date_day
    from ({{ dbt.date_spine('day', "cast('2014-04-01' as date)", "cast('2041-04-01' as date)") }}) as spine
)

select
    date_day,
    cast(year(date_day) as integer) as calendar_year,
    cast(quarter(date_day) as integer) as calendar_quarter,
    cast(month(date_day) as integer) as calendar_month,
    {{ month_abbreviation('date_day') }} as month_name,
    left(cast(date_day as string), 7) as calendar_month_label,
    cast({{ financial_year_start('date_day') }} as integer) as financial_year_start,
    {{ financial_period_start("'financial_year'", 'date_day') }} as financial_year_start_date,
    {{ financial_period_start("'financial_quarter'", 'date_day') }} as financial_quarter_start_date,
    {{ financial_year_label('date_day') }} as financial_year,
    cast({{ financial_quarter('date_day') }} as integer) as financial_quarter,
    {{ financial_year_label('date_day') }} || ' Q' || cast({{ financial_quarter('date_day') }} as string)
        as financial_quarter_label,
    date_day = last_day(date_day) as is_month_end,
    {{ is_financial_period_end("'financial_quarter'", 'date_day') }} as is_financial_quarter_end,
    {{ is_financial_period_end("'financial_year'", 'date_day') }} as is_financial_year_end
from days
