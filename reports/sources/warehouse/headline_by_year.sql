-- financial_year is the label of the year that starts on financial_year_start (2021-04-01 -> 2021/22), from
-- the date dimension (the financial calendar's one home).
select
    d.financial_year,
    h.financial_year_start, h.recorded_crime, h.asb_incidents, h.ksi_casualties, h.specials_headcount,
    h.officer_establishment
from marts.metric_headline_metrics_by_financial_year as h
inner join marts.dim_date as d on d.date_day = h.financial_year_start
