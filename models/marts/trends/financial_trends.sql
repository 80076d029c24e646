-- Values of every domain at financial quarter and year grain; int_financial_period_values says how
-- each value is derived.
select *
from {{ ref('int_financial_period_values') }}
