-- Every period a figure or its comparison is published for, classified by type so that like is
-- compared with like, plus one 'unknown' row for figures whose period the report leaves open.
with periods as (
    select
        period_start,
        period_end
    from {{ ref('int_published_figures') }}
    union
    select
        comparison_period_start,
        comparison_period_end
    from {{ ref('int_published_figures') }}
)

select
    {{ period_key('period_start', 'period_end') }} as period_key,
    period_start,
    period_end,
    {{ period_type('period_start', 'period_end') }} as period_type,
    -- noqa: disable=LT05
    cast({{ dbt.datediff('period_start', 'period_end', 'day') }} + 1 as integer) as days_in_period,
    -- noqa: enable=LT05
    {{ financial_year_label('period_end') }} as financial_year_of_end,
    cast({{ financial_quarter('period_end') }} as integer) as financial_quarter_of_end,
    {{ period_type('period_start', 'period_end') }} in ('financial_quarter', 'financial_year')
    or (period_start = period_end and {{ is_financial_period_end("'financial_quarter'", 'period_end') }})
        as is_financial_quarter_aligned
from periods
-- null start and end become the single 'unknown' row
qualify row_number() over (partition by {{ period_key('period_start', 'period_end') }} order by period_start) = 1
