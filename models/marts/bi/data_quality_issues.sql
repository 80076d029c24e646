-- What an auditor should know before trusting a figure: restatements, corrected misprints,
-- periods the reports leave open or that needed reading, series breaks the reports mention, and
-- claims that do not recompute. One row per issue and figure (or per break or claim).
with figures as (
    select * from {{ ref('fct_published_figures') }}
),

issues as (
    select
        'restated_with_other_value' as issue_type,
        'warn' as severity,
        figure_id,
        'Published ' || times_published::string || ' times with different values; latest '
        || latest_value::string || ' (' || latest_figure_id || '), first ' || first_published_value::string
        || ' (' || first_figure_id || ').' as description
    from figures
    where is_restated_with_other_value

    union all
    select
        'repeated_same_value' as issue_type,
        'info' as severity,
        figure_id,
        'Published ' || times_published::string || ' times with the same value; first at '
        || first_figure_id || '.' as description
    from figures
    where times_published > 1 and not is_restated_with_other_value

    union all
    select
        'corrected_misprint' as issue_type,
        'warn' as severity,
        figure_id,
        'Printed ' || value_as_printed || ', used as ' || corrected_value::string || ': '
        || correction_note as description
    from figures
    where is_corrected

    union all
    select
        'unknown_period' as issue_type,
        'info' as severity,
        figure_id,
        'Period left open by the report: ' || coalesce(period_note, period_label) as description
    from figures
    where is_period_unknown

    union all
    select
        'interpreted_period' as issue_type,
        'info' as severity,
        figure_id,
        'Period read as ' || period_start::string || ' to ' || period_end::string || ': '
        || period_note as description
    from figures
    where not is_period_unknown and period_note is not null
),

listed as (
    select
        issues.issue_type || ':' || issues.figure_id as issue_id,
        issues.issue_type,
        issues.severity,
        figures.domain,
        figures.metric_code,
        figures.series_key,
        issues.figure_id,
        figures.source_document,
        figures.source_line,
        figures.source_snippet,
        issues.description
    from issues
    inner join figures on issues.figure_id = figures.figure_id

    union all
    select
        'series_break:' || breaks.break_id as issue_id,
        'series_break' as issue_type,
        'warn' as severity,
        metrics.domain,
        breaks.metric_code,
        breaks.series_key,
        null as figure_id,
        breaks.source_document,
        breaks.source_line::integer as source_line,
        breaks.snippet as source_snippet,
        coalesce('From ' || breaks.break_date::string || ': ', '') || breaks.description as description
    from {{ ref('series_breaks') }} as breaks
    left join {{ ref('dim_metric') }} as metrics on breaks.metric_code = metrics.metric_code

    union all
    select
        'inconsistent_claim:' || claim_id as issue_id,
        'inconsistent_claim' as issue_type,
        'warn' as severity,
        domain,
        metric_code,
        -- A claim relates figures, possibly of several series: it is listed under none.
        null as series_key,
        stated_figure_id as figure_id,
        source_document,
        source_line,
        claim_text as source_snippet,
        'Stated ' || stated_value::string || ', recomputed ' || round(recomputed_value, 3)::string
        || coalesce(' (' || note || ')', '') as description
    from {{ ref('claims_audit') }}
    where verdict = 'inconsistent'
)

select
    issue_id,
    issue_type,
    {{ code_label('issue_type') }} as issue_type_label,
    severity,
    {{ code_label('severity') }} as severity_label,
    domain,
    {{ code_label('domain') }} as domain_label,
    metric_code,
    series_key,
    figure_id,
    source_document,
    source_line,
    source_snippet,
    description
from listed
