-- Every published figure with what the marts need to read it: its domain (from the metric
-- catalogue), its report's dates, the qualifier printed before it, its period keys and type, its
-- series (seeds `series_aliases`, macro `series_key`) and its place among the figures that publish
-- the same quantity of that series. The one definition of "latest published":
-- the figure from the most recent report (ties within one report: the later line, then the later
-- figure on the line); "first published" is the earliest. Figures with an unknown period are never
-- grouped: nothing says they describe the same period.
{%- set value_position = "instr(figures.source_snippet, figures.value_as_printed)" -%}
{%- set text_before_value =
    "lower(substr(figures.source_snippet, 1, " ~ value_position ~ " - 1)) || "
    ~ regex_extract("lower(figures.value_as_printed)", "^([a-z ]*)[£$]?\\d", 1) -%}
{%- set text_after_value =
    "lower(substr(figures.source_snippet, " ~ value_position ~ " + length(figures.value_as_printed)))" -%}
{%- set qualifier_before_value = regex_extract(
    text_before_value,
    "(more than|over|at least|almost|nearly|around|about|approximately|roughly|less than|under|up to|some)\\s*$",
    1
) %}

with figures as (
    select
        figures.*,
        catalogue.domain,
        -- "more than 500", "almost 900", "around 50 per cent": the words just before the figure, in
        -- the snippet or leading the printed value ("at least 10"); "40+" is at least 40; and "over 12
        -- sessions" spreads something over twelve sessions rather than bounding the figure.
        case
            when {{ regex_contains('figures.value_as_printed', '\\d\\+$') }} then 'at least'
            when
                {{ regex_contains(text_after_value, '^\\s*(sessions|weeks|months|years|days)\\b') }}
                and {{ qualifier_before_value }} = 'over'
                then null
            else nullif({{ qualifier_before_value }}, '')
        end as value_qualifier,
        documents.publication_date,
        documents.data_to_date,
        {{ period_key('figures.period_start', 'figures.period_end') }} as period_key,
        {{ period_key('figures.comparison_period_start', 'figures.comparison_period_end') }} as comparison_period_key,
        {{ period_type('figures.period_start', 'figures.period_end') }} as period_type,
        coalesce(
            aliases.series_key,
            {{ series_key('figures.metric_code', 'figures.breakdown', 'figures.geography_code') }}
        ) as series_key,
        aliases.series_key is null as is_series_own_label,
        labels.breakdown_label
    from {{ ref('stg_extracted__figures') }} as figures
    inner join {{ ref('metric_catalogue') }} as catalogue
        on figures.metric_code = catalogue.metric_code
    inner join {{ ref('source_documents') }} as documents
        on figures.source_document = documents.source_document
    inner join {{ ref('int_breakdown_labels') }} as labels
        on figures.breakdown = labels.breakdown
    left join {{ ref('series_aliases') }} as aliases
        on
            figures.metric_code = aliases.metric_code
            and coalesce(figures.breakdown, '') = coalesce(aliases.breakdown, '')
            and figures.geography_code = aliases.geography_code
),

keyed as (
    select
        *,
        case
            when is_period_unknown then figure_id
            -- The series, not the codes: figures of one series printed under two labels are one quantity.
            else concat_ws('|', series_key, measure, period_key, comparison_period_key)
        end as quantity_key
    from figures
)

select
    *,
    row_number() over latest_first = 1 as is_latest_published,
    row_number() over earliest_first = 1 as is_first_published,
    count(*) over quantity as times_published,
    -- Two values or more (min and max differ): distinct counts over a window are not portable.
    min(value) over quantity != max(value) over quantity as is_restated_with_other_value,
    first_value(value) over latest_first as latest_value,
    first_value(value) over earliest_first as first_published_value,
    first_value(figure_id) over latest_first as latest_figure_id,
    first_value(figure_id) over earliest_first as first_figure_id
from keyed
window
    quantity as (partition by quantity_key),
    latest_first as (
        partition by quantity_key
        order by
            publication_date desc nulls last, source_document desc, source_line desc, figure_sequence desc
    ),
    earliest_first as (
        partition by quantity_key
        order by publication_date asc nulls last, source_document asc, source_line asc, figure_sequence asc
    )
