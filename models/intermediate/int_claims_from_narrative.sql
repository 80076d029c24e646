-- Claims a careful reader checks in the words and layout around the numbers, one named rule each
-- (the rules and their reasons: the overview, "How claims are judged"). A rule that is precise gives a
-- verdict; one that reads words or layout and can be wrong gives `warning`, for the auditor to read.
{%- set rising = '\\b(increase|increased|increases|rise|rose|risen|grew|grown|growth|higher)\\b' -%}
{%- set falling = '\\b(decrease|decreased|decreases|reduction|reduced|fell|fallen|fall|lower|decline|declined)\\b' %}

with figures as (
    select * from {{ ref('int_published_figures') }}
),

registered as (
    -- Figures a registered claim already relates (as stated value or operand): not found again here.
    select figures.figure_id
    from figures
    inner join {{ ref('claims') }} as claims
        on
            figures.figure_id = claims.stated_figure_id
            or instr(coalesce(claims.operand_figure_ids, ''), figures.figure_id) > 0
    group by figures.figure_id
),

-- direction_word: the snippet of a published change says only "increase" (or only "decrease") and the
-- published levels it relates move the other way. Words can describe something else on the line (a
-- rate of growth that "reduced to 4.7%"), so a warning.
direction_word as (
    select
        'N-direction_word-' || changes.stated_figure_id as claim_id,
        changes.source_document,
        changes.source_line,
        changes.claim_text,
        'direction_word' as claim_type,
        changes.stated_figure_id,
        changes.stated_value,
        changes.recomputed_value,
        changes.decimals,
        changes.stated_qualifier,
        'warning' as verdict,
        changes.operand_figure_ids,
        case
            when changes.recomputed_value < 0
                then 'The words say up; the published levels fall (' || changes.operand_figure_ids || ').'
            else 'The words say down; the published levels rise (' || changes.operand_figure_ids || ').'
        end as note
    from {{ ref('int_claims_from_changes') }} as changes
    where
        changes.recomputed_value is not null
        and (
            (
                {{ regex_contains('lower(changes.claim_text)', rising) }}
                and not {{ regex_contains('lower(changes.claim_text)', falling) }}
                and changes.recomputed_value < 0
            )
            or (
                {{ regex_contains('lower(changes.claim_text)', falling) }}
                and not {{ regex_contains('lower(changes.claim_text)', rising) }}
                and changes.recomputed_value > 0
            )
        )
),

-- repeated_fact: one report prints the same quantity (series, measure, period and comparison period)
-- twice with values that differ beyond the precision of the later print. Precise: a verdict.
repeated as (
    select
        later.*,
        earlier.figure_id as earlier_figure_id,
        earlier.printed_value as earlier_value,
        earlier.source_line as earlier_line,
        {{ printed_decimals('later.value_as_printed') }} as later_decimals
    from figures as later
    inner join figures as earlier
        on
            later.quantity_key = earlier.quantity_key
            and later.source_document = earlier.source_document
            and (
                later.source_line > earlier.source_line
                or (later.source_line = earlier.source_line and later.figure_sequence > earlier.figure_sequence)
            )
    where
        not later.is_period_unknown
        and later.figure_id not in (select registered.figure_id from registered)
        and earlier.figure_id not in (select registered.figure_id from registered)
),

repeated_fact as (
    select
        'N-repeated_fact-' || figure_id || '-' || earlier_figure_id as claim_id,
        source_document,
        source_line,
        source_snippet as claim_text,
        'repeated_fact' as claim_type,
        figure_id as stated_figure_id,
        printed_value as stated_value,
        earlier_value as recomputed_value,
        later_decimals as decimals,
        value_qualifier as stated_qualifier,
        {{ claim_verdict('printed_value', 'earlier_value', 'later_decimals', 'value_qualifier') }} as verdict,
        earlier_figure_id as operand_figure_ids,
        'The same quantity is printed on line ' || cast(earlier_line as string) || ' as '
        || cast(earlier_value as string) || '.' as note
    from repeated
),

-- column_magnitude: a table row's level cell at least 30 times above or below the other cells of its column
-- (same report, metric, measure, unit, period and position in the row; four rows or more), compared
-- with their geometric mean. A column can mix scales (a total row), so a warning.
cells as (
    select
        *,
        count(*) over table_column as cells_in_column,
        sum(ln(abs(printed_value))) over table_column as column_log_sum
    from figures
    where
        -- Levels only: differences and changes in a column vary in scale by nature.
        measure = 'value'
        and printed_value != 0
        -- A table row: a label, then numbers only.
        and {{ regex_contains('source_snippet', '^[^0-9]*([-+]?[0-9][0-9.,]*%?\\s*){2,}$') }}
    window table_column as (
        partition by source_document, metric_code, measure, unit, period_key, figure_sequence
    )
),

column_magnitude as (
    select
        'N-column_magnitude-' || figure_id as claim_id,
        source_document,
        source_line,
        source_snippet as claim_text,
        'column_magnitude' as claim_type,
        figure_id as stated_figure_id,
        printed_value as stated_value,
        exp((column_log_sum - ln(abs(printed_value))) / (cells_in_column - 1)) as recomputed_value,
        0 as decimals,
        value_qualifier as stated_qualifier,
        'warning' as verdict,
        cast(null as string) as operand_figure_ids,
        'recomputed_value is the geometric mean of the other ' || cast(cells_in_column - 1 as string)
        || ' cells of its column.' as note
    from cells
    where
        cells_in_column >= 4
        and abs(ln(abs(printed_value)) - (column_log_sum - ln(abs(printed_value))) / (cells_in_column - 1)) >= ln(30)
)

select
    *,
    'narrative_rule' as claim_source
from direction_word
union all
select
    *,
    'narrative_rule' as claim_source
from repeated_fact
where verdict = 'inconsistent'
union all
select
    *,
    'narrative_rule' as claim_source
from column_magnitude
