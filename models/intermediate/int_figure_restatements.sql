-- Groups the figures that publish the same quantity: same metric, measure, split, area, period and
-- comparison period. Within a group, the latest published figure is the one from the most recent
-- report (ties within one report: the later line), and the first published is the earliest.
-- Figures with an unknown period are never grouped: nothing says they describe the same period.
with keyed as (
    select
        figure_id,
        value,
        publication_date,
        source_document,
        source_line,
        {{ period_key('period_start', 'period_end') }} as period_key,
        {{ period_key('comparison_period_start', 'comparison_period_end') }} as comparison_period_key,
        case
            when period_start is null then figure_id
            else concat_ws(
                '|', metric_code, measure, breakdown, geography_code,
                {{ period_key('period_start', 'period_end') }},
                {{ period_key('comparison_period_start', 'comparison_period_end') }}
            )
        end as quantity_key
    from {{ ref('int_published_figures') }}
)

select
    figure_id,
    period_key,
    comparison_period_key,
    quantity_key,
    row_number() over latest_first = 1 as is_latest_published,
    row_number() over earliest_first = 1 as is_first_published,
    count(*) over quantity as times_published,
    count(distinct value) over quantity > 1 as is_restated_with_other_value,
    first_value(value) over latest_first as latest_value,
    first_value(value) over earliest_first as first_published_value,
    first_value(figure_id) over latest_first as latest_figure_id,
    first_value(figure_id) over earliest_first as first_figure_id
from keyed
window
    quantity as (partition by quantity_key),
    latest_first as (
        partition by quantity_key
        order by publication_date desc nulls last, source_document desc, source_line desc, figure_id desc
    ),
    earliest_first as (
        partition by quantity_key
        order by publication_date asc nulls last, source_document asc, source_line asc, figure_id asc
    )
