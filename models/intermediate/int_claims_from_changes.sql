-- Every published change is a claim: recompute it from the published levels of the same metric,
-- split and area for its period (current) and its comparison period (base), using their latest
-- published values. Changes whose levels are not both published are not checkable.
with changes as (
    select *
    from {{ ref('int_published_figures') }}
    where measure in ('change', 'pct_change', 'pp_change')
),

levels as (
    select *
    from {{ ref('int_published_figures') }}
    where measure = 'value' and is_latest_published and not is_period_unknown
),

recomputed as (
    select
        changes.figure_id,
        changes.source_document,
        changes.source_line,
        changes.source_snippet as claim_text,
        changes.measure as claim_type,
        changes.printed_value as stated_value,
        changes.value_qualifier as stated_qualifier,
        coalesce(current_level.value_qualifier, base_level.value_qualifier) as operand_qualifier,
        {{ printed_decimals('changes.value_as_printed') }} as decimals,
        current_level.figure_id as current_figure_id,
        base_level.figure_id as base_figure_id,
        case changes.measure
            when 'pct_change'
                then
                    case
                        when
                            base_level.value != 0
                            then (current_level.value - base_level.value) / base_level.value * 100
                    end
            else current_level.value - base_level.value
        end as recomputed_value
    from changes
    left join levels as current_level
        on
            changes.metric_code = current_level.metric_code
            and changes.breakdown = current_level.breakdown
            and changes.geography_code = current_level.geography_code
            and changes.period_key = current_level.period_key
    left join levels as base_level
        on
            changes.metric_code = base_level.metric_code
            and changes.breakdown = base_level.breakdown
            and changes.geography_code = base_level.geography_code
            and changes.comparison_period_key = base_level.period_key
)

select
    'A-' || figure_id as claim_id,
    'published_change' as claim_source,
    source_document,
    source_line,
    claim_text,
    case claim_type when 'change' then 'difference' else claim_type end as claim_type,
    figure_id as stated_figure_id,
    stated_value,
    recomputed_value,
    decimals,
    stated_qualifier,
    {{ claim_verdict('stated_value', 'recomputed_value', 'decimals', 'stated_qualifier') }} as verdict,
    case
        when current_figure_id is not null and base_figure_id is not null
            then current_figure_id || ';' || base_figure_id
    end as operand_figure_ids,
    case
        when current_figure_id is null and base_figure_id is null then 'Neither level is published.'
        when current_figure_id is null then 'The level for the period is not published.'
        when base_figure_id is null then 'The level for the comparison period is not published.'
        when operand_qualifier is not null
            then 'An operand is printed with "' || operand_qualifier || '"; recomputed from the printed figure.'
    end as note
from recomputed
