-- financial_year is the label of the year that starts on financial_year_start (2021-04-01 -> 2021/22).
select
    year(financial_year_start)::varchar || '/' || right((year(financial_year_start) + 1)::varchar, 2) as financial_year,
    financial_year_start, recorded_crime, asb_incidents, ksi_casualties, specials_headcount, officer_establishment
from marts.metric_headline_metrics_by_financial_year
