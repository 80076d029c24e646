-- Report figures beside police.uk street-level crime over the same force, crime types and months. Which figures,
-- and how, is the seed police_uk_report_checks (selected by document, metric, breakdown and area, never by value).
with checks as (
    select * from {{ ref('police_uk_report_checks') }}
),

figures as (
    select
        f.figure_id,
        f.source_document,
        f.document_key,
        f.source_line,
        f.source_snippet,
        f.metric_code,
        f.breakdown,
        f.geography_code,
        f.period_start,
        f.period_end,
        f.value as report_value,
        c.police_uk_force_name,
        c.police_uk_crime_types,
        c.checkable,
        c.caveat,
        -- noqa: disable=LT05
        {{ dbt.datediff('f.period_start', 'f.period_end', 'month') }} + 1 as period_months
        -- noqa: enable=LT05
    from {{ ref('fct_published_figures') }} as f
    inner join checks as c
        on
            f.document_key = c.document_key
            and f.metric_code = c.metric_code
            and coalesce(f.breakdown, '') = coalesce(c.breakdown, '')
            and f.geography_code = c.geography_code
    where f.measure = 'value'
),

police_uk as (
    select
        f.figure_id,
        count(distinct m.month_start) as months_covered,
        sum(m.incidents)::bigint as incidents
    from figures as f
    inner join {{ ref('street_crime_monthly') }} as m
        on
            f.checkable
            and f.police_uk_force_name = m.force_name
            and ';' || f.police_uk_crime_types || ';' like '%;' || m.crime_type || ';%'
            and m.month_start between date_trunc('month', f.period_start) and f.period_end
    group by f.figure_id
),

compared as (
    select
        f.*,
        coalesce(p.months_covered, 0) as police_uk_months,
        case
            when not f.checkable then 'not checkable'
            when coalesce(p.months_covered, 0) < f.period_months then 'period not covered'
            else 'checked'
        end as status,
        p.incidents
    from figures as f
    left join police_uk as p on f.figure_id = p.figure_id
)

select
    figure_id,
    source_document,
    document_key,
    source_line,
    source_snippet,
    metric_code,
    breakdown,
    period_start,
    period_end,
    {{ month_short_label('period_start') }} || ' to ' || {{ month_short_label('period_end') }} as period_months_label,
    report_value,
    police_uk_force_name,
    police_uk_crime_types,
    period_months,
    police_uk_months,
    case when status = 'checked' then incidents end as police_uk_value,
    case when status = 'checked' then incidents - report_value end as difference,
    case
        when status = 'checked' and report_value <> 0 then round(100 * (incidents - report_value) / report_value, 1)
    end as difference_pct,
    status,
    {{ code_label('status') }} as status_label,
    caveat
from compared
