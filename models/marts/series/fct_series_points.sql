-- Every dated point of every series as each report published it: one row per series, measure,
-- period (and comparison period, for changes) and publishing report. A report that prints the same
-- point on several lines is one row, carried by its last line (the report's latest word), with the
-- other lines listed. Figures with an unknown period are not points of a series and stay in
-- `fct_published_figures` only.
with figures as (
    select *
    from {{ ref('int_published_figures') }}
    where not is_period_unknown
),

lines_in_document as (
    select
        quantity_key,
        document_key,
        {{ string_agg_ordered('cast(source_line as string)', '; ', 'source_line, figure_sequence') }} as source_lines,
        count(distinct value) > 1 as values_differ_within_document
    from figures
    group by quantity_key, document_key
),

documents_per_quantity as (
    select
        quantity_key,
        count(distinct document_key) as documents_publishing
    from figures
    group by quantity_key
),

by_document as (
    select
        figures.*,
        lines_in_document.source_lines,
        lines_in_document.values_differ_within_document,
        documents_per_quantity.documents_publishing
    from figures
    inner join lines_in_document
        on
            figures.quantity_key = lines_in_document.quantity_key
            and figures.document_key = lines_in_document.document_key
    inner join documents_per_quantity
        on figures.quantity_key = documents_per_quantity.quantity_key
    qualify row_number() over (
        partition by figures.quantity_key, figures.document_key
        order by figures.source_line desc, figures.figure_sequence desc
    ) = 1
)

select
    points.series_key,
    series.series_name,
    points.measure,
    {{ code_label('points.measure') }} as measure_label,
    points.period_key,
    points.period_start,
    points.period_end,
    points.period_label,
    points.period_type,
    points.comparison_period_key,
    points.comparison_period_start,
    points.comparison_period_end,
    points.document_key,
    points.source_document,
    points.publication_date,
    -- The report as the series page lists it: `<title> (December 2018)`.
    documents.document_title || coalesce(' (' || {{ month_year_name('points.publication_date') }} || ')', '')
        as report_label,
    points.figure_id,
    points.source_line,
    points.source_lines,
    points.source_snippet,
    points.value_as_printed,
    points.value,
    points.unit,
    points.latest_value,
    points.latest_figure_id,
    points.figure_id = points.latest_figure_id as is_latest_published,
    {{ yes_no('points.figure_id = points.latest_figure_id') }} as is_latest_published_label,
    points.is_restated_with_other_value,
    {{ yes_no('points.is_restated_with_other_value') }} as is_restated_with_other_value_label,
    points.values_differ_within_document,
    {{ yes_no('points.values_differ_within_document') }} as values_differ_within_document_label,
    points.documents_publishing::integer as documents_publishing
from by_document as points
inner join {{ ref('dim_series') }} as series
    on points.series_key = series.series_key
inner join {{ ref('source_documents') }} as documents
    on points.source_document = documents.source_document
