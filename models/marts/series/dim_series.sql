-- One row per series: what it counts (the report's words where the review quoted them, otherwise the
-- metric catalogue's definition), its metric, split and area in words, the reports and points that
-- publish it, and the review verdict. The verdict is `needs_review` when two or more reports publish
-- the series and no review covers every one of them.
with figures as (
    select * from {{ ref('int_published_figures') }}
),

series as (
    select
        series_key,
        -- The series' own metric, split and area: those of figures printed under its own label,
        -- preferred to an alias's.
        min_by(metric_code, not is_series_own_label) as metric_code,
        min_by(breakdown, not is_series_own_label) as breakdown,
        min_by(geography_code, not is_series_own_label) as geography_code,
        bool_or(not is_series_own_label) as has_aliases,
        count(distinct document_key)::integer as document_count,
        {{ string_agg_distinct_sorted('document_key', '; ') }} as document_keys,
        count(*)::integer as figure_count,
        min(period_start) as first_period_start,
        max(period_end) as last_period_end
    from figures
    group by series_key
),

unreviewed as (
    -- Reports that publish a series but that no review of it read.
    select
        figures.series_key,
        {{ string_agg_distinct_sorted('figures.document_key', '; ') }} as unreviewed_document_keys
    from figures
    inner join {{ ref('series_register') }} as register
        on figures.series_key = register.series_key
    where ';' || register.reviewed_documents || ';' not like '%;' || figures.document_key || ';%'
    group by figures.series_key
),

breaks as (
    select
        series_key,
        count(*)::integer as break_count
    from {{ ref('series_breaks') }}
    where series_key is not null
    group by series_key
),

named as (
    select
        series.*,
        metrics.metric_name,
        metrics.domain,
        metrics.unit,
        metrics.metric_type,
        metrics.polarity,
        labels.breakdown_label,
        geographies.geography_name,
        metrics.metric_name
        || case when series.breakdown != '' then ' · ' || labels.breakdown_label else '' end
        || ', ' || geographies.geography_name as series_name,
        coalesce(register.definition, metrics.definition) as definition,
        case when register.definition is not null then 'report' else 'metric catalogue' end as definition_source,
        register.definition_source_document,
        register.definition_source_line,
        case
            when register.series_key is not null and unreviewed.series_key is null then register.verdict
            when register.series_key is not null or series.document_count >= 2 then 'needs_review'
        end as verdict,
        register.related_series_key,
        register.reviewed_documents as reviewed_document_keys,
        case
            when register.series_key is not null then unreviewed.unreviewed_document_keys
            when series.document_count >= 2 then series.document_keys
        end as unreviewed_document_keys,
        register.review_note,
        coalesce(breaks.break_count, 0) as break_count
    from series
    inner join {{ ref('metric_catalogue') }} as metrics
        on series.metric_code = metrics.metric_code
    inner join {{ ref('geographies') }} as geographies
        on series.geography_code = geographies.geography_code
    inner join {{ ref('int_breakdown_labels') }} as labels
        on series.breakdown = labels.breakdown
    left join {{ ref('series_register') }} as register
        on series.series_key = register.series_key
    left join unreviewed
        on series.series_key = unreviewed.series_key
    left join breaks
        on series.series_key = breaks.series_key
)

select
    named.series_key,
    named.series_name,
    named.domain,
    {{ code_label('named.domain') }} as domain_label,
    named.metric_code,
    named.metric_name,
    named.breakdown,
    named.breakdown_label,
    named.geography_code,
    named.geography_name,
    named.unit,
    named.metric_type,
    named.polarity,
    named.definition,
    named.definition_source,
    case
        when named.definition_source = 'report'
            then 'The report, ' || documents.document_title || ', line ' || named.definition_source_line::string
        else 'The metric catalogue'
    end as definition_source_label,
    named.definition_source_document,
    named.definition_source_line,
    named.verdict,
    case named.verdict
        when 'one_series' then 'One series'
        when 'distinct_definitions' then 'Distinct definitions'
        when 'needs_review' then 'Needs review'
    end as verdict_label,
    named.related_series_key,
    related.series_name as related_series_name,
    named.has_aliases,
    named.document_count,
    -- The series with how many reports publish it, for pickers: `Arrests, Essex (3 reports)`.
    named.series_name || ' (' || named.document_count::string
    || case when named.document_count = 1 then ' report)' else ' reports)' end as series_label,
    named.document_keys,
    named.reviewed_document_keys,
    named.unreviewed_document_keys,
    named.figure_count,
    named.first_period_start,
    named.last_period_end,
    named.break_count,
    named.review_note
from named
left join named as related
    on named.related_series_key = related.series_key
left join {{ ref('source_documents') }} as documents
    on named.definition_source_document = documents.source_document
