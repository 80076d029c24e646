-- The metric catalogue as a dimension, with how many figures each metric has. How a metric combines
-- over time (whether it may be summed) comes from the one table that states it, `time_aggregations`.
with counts as (
    select
        metric_code,
        count(*) as figures_published
    from {{ ref('int_published_figures') }}
    group by metric_code
)

select
    catalogue.metric_code,
    catalogue.domain,
    {{ code_label('catalogue.domain') }} as domain_label,
    catalogue.metric_name,
    catalogue.definition,
    catalogue.unit,
    {{ code_label('catalogue.unit') }} as unit_label,
    catalogue.metric_type,
    {{ code_label('catalogue.metric_type') }} as metric_type_label,
    catalogue.polarity,
    {{ code_label('catalogue.polarity') }} as polarity_label,
    catalogue.time_aggregation,
    {{ code_label('catalogue.time_aggregation') }} as time_aggregation_label,
    catalogue.area_aggregation,
    {{ code_label('catalogue.area_aggregation') }} as area_aggregation_label,
    catalogue.numerator,
    catalogue.denominator,
    catalogue.notes,
    catalogue.metric_type = 'stock' as is_stock,
    aggregations.is_summable_over_time,
    coalesce(counts.figures_published, 0)::integer as figures_published
from {{ ref('metric_catalogue') }} as catalogue
inner join {{ ref('time_aggregations') }} as aggregations
    on catalogue.time_aggregation = aggregations.time_aggregation
left join counts
    on catalogue.metric_code = counts.metric_code
