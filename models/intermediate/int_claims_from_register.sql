-- Claims registered by hand in seeds/claims.csv (totals, shares, differences across lines, the same
-- quantity stated twice), recomputed from the latest published values of their operand figures.
with claims as (
    select * from {{ ref('claims') }}
),

operands as (
    -- A claim cites at most fifty operands (claims_cite_at_most_fifty_operands checks; 14 so far).
    select
        claims.claim_id,
        positions.position as operand_position,
        split_part(claims.operand_figure_ids, ';', positions.position) as figure_id
    from claims
    cross join {{ positions_up_to(50) }}
    where
        coalesce(claims.operand_figure_ids, '') != ''
        and positions.position
        <= length(claims.operand_figure_ids) - length(replace(claims.operand_figure_ids, ';', '')) + 1
),

operand_values as (
    select
        operands.claim_id,
        count(*) as operands_listed,
        count(figures.figure_id) as operands_found,
        -- Operands are read at their own value (corrected where a misprint is recorded), not at a
        -- restated one: the claim relates the figures it cites.
        max(case when operands.operand_position = 1 then figures.value end) as first_operand,
        max(case when operands.operand_position = 2 then figures.value end) as second_operand,
        sum(figures.value) as operand_sum,
        -- The operand furthest from the stated value: above it on a tie.
        case
            when max(figures.value) - max(stated.printed_value) >= max(stated.printed_value) - min(figures.value)
                then max(figures.value)
            else min(figures.value)
        end as furthest_operand,
        {{ string_agg_ordered('figures.value_qualifier', ', ', 'operands.operand_position') }} as operand_qualifiers
    from operands
    inner join claims on operands.claim_id = claims.claim_id
    left join {{ ref('int_published_figures') }} as figures
        on operands.figure_id = figures.figure_id
    left join {{ ref('int_published_figures') }} as stated
        on claims.stated_figure_id = stated.figure_id
    group by operands.claim_id
),

inputs as (
    select
        claims.*,
        -- A claim is about what was printed: the stated figure is read as printed, even where a
        -- correction is recorded (the misprint is what makes such a claim fail).
        stated.printed_value as stated_value,
        stated.value_qualifier as stated_qualifier,
        operand_values.first_operand,
        operand_values.second_operand,
        operand_values.operand_sum,
        operand_values.furthest_operand,
        operand_values.operand_qualifiers,
        operand_values.operands_listed is not null
        and operand_values.operands_found = operand_values.operands_listed as has_all_operands
    from claims
    left join {{ ref('int_published_figures') }} as stated
        on claims.stated_figure_id = stated.figure_id
    left join operand_values
        on claims.claim_id = operand_values.claim_id
),

recomputed as (
    select
        *,
        case
            when not has_all_operands then null
            when claim_type in ('difference', 'pp_change') then first_operand - second_operand
            when claim_type = 'pct_change' and second_operand != 0
                then (first_operand - second_operand) / second_operand * 100
            when claim_type = 'total' then operand_sum
            when claim_type = 'share' and second_operand != 0 then first_operand / second_operand * 100
            when claim_type = 'ratio' and second_operand != 0 then first_operand / second_operand
            -- The same quantity stated again: recomputed as the operand furthest from the stated value.
            when claim_type = 'same_quantity' then furthest_operand
        end as recomputed_value
    from inputs
)

select
    claim_id,
    'claims_register' as claim_source,
    source_document,
    source_line,
    claim_text,
    claim_type,
    stated_figure_id,
    stated_value,
    recomputed_value,
    decimals::integer as decimals,
    stated_qualifier,
    {{ claim_verdict('stated_value', 'recomputed_value', 'decimals', 'stated_qualifier') }} as verdict,
    nullif(operand_figure_ids, '') as operand_figure_ids,
    concat_ws(
        ' ',
        note,
        case
            when operand_qualifiers is not null
                then 'Operands printed with "' || operand_qualifiers || '" were recomputed at their printed value.'
        end
    ) as note
from recomputed
