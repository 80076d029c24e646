-- The priorities of both Police and Crime Plans, with how many metrics are reported under each.
with metrics as (
    select
        priority_code,
        count(*) as metrics_reported,
        sum(figures_published) as figures_published
    from {{ ref('int_plan_priority_metrics') }}
    group by priority_code
)

select
    priorities.priority_code,
    priorities.plan_code,
    priorities.plan_name,
    priorities.priority_number,
    priorities.priority_name,
    coalesce(metrics.metrics_reported, 0)::integer as metrics_reported,
    coalesce(metrics.figures_published, 0)::integer as figures_published
from {{ ref('plan_priorities') }} as priorities
left join metrics
    on priorities.priority_code = metrics.priority_code
