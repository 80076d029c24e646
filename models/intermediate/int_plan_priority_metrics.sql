-- The metrics serving each plan priority, derived from where their figures are printed: a figure
-- printed in a report's section for a priority serves that priority. Reports without priority
-- sections (the crime prevention strategy reports) contribute nothing here.
select
    sections.priority_code,
    figures.metric_code,
    count(*)::integer as figures_published,
    min(figures.source_document || ':' || figures.source_line) as example_source
from {{ ref('int_published_figures') }} as figures
inner join {{ ref('plan_priority_sections') }} as sections
    on
        figures.source_document = sections.source_document
        and figures.source_line between sections.first_line and sections.last_line
group by sections.priority_code, figures.metric_code
