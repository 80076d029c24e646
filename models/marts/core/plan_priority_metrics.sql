-- Which metrics are reported under which plan priority (a bridge between dim_plan_priority and dim_metric).
select
    priority_code,
    metric_code,
    figures_published,
    example_source
from {{ ref('int_plan_priority_metrics') }}
