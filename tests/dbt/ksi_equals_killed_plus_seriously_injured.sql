-- Why: killed or seriously injured (KSI) casualties are by definition the fatal plus the serious ones.
-- Where all three are published for one period and area, they must add up. A failure is a finding in
-- the source reports, kept for review (severity warn), not a reason to stop the build.
{{ config(severity = 'warn') }}
with ksi as (
    select
        period_key,
        geography_code,
        max(case when breakdown = '' then value end) as ksi_total,
        max(case when breakdown = 'fatal' then value end) as fatal,
        max(case when breakdown = 'serious' then value end) as serious
    from {{ ref('int_published_figures') }}
    where metric_code = 'ksi_casualties' and measure = 'value' and is_latest_published and not is_period_unknown
    group by period_key, geography_code
)

select *
from ksi
where ksi_total is not null and fatal is not null and serious is not null and ksi_total != fatal + serious
