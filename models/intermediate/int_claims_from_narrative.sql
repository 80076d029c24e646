-- Claims a careful reader checks in the words and layout around the numbers, one named rule each
-- (the rules and their reasons: the overview, "How claims are judged"). A rule that is precise gives a
-- verdict; one that reads words or layout and can be wrong gives `warning`, for the auditor to read.
{%- set rising = '\\b(increase|increased|increases|rise|rose|risen|grew|grown|growth|higher)\\b' -%}
{%- set falling = '\\b(decrease|decreased|decreases|reduction|reduced|fell|fallen|fall|lower|decline|declined)\\b' %}

with figures as (
    select
        *,
        -- A table row: a label, then numbers only.
        {{ regex_contains('source_snippet', '^[^0-9]*([-+]?[0-9][0-9.,]*%?\\s*){2,}$') }} as is_table_row,
        -- Levels of the breakdown hierarchy: `a;b` is a part of `a` (and `a` of the whole, '').
        length(breakdown) - length(replace(breakdown, ';', '')) as breakdown_depth
    from {{ ref('int_published_figures') }}
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
        and is_table_row
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
),

-- total_below_parts: a level whose parts (the next level of its breakdown, same report, metric, measure, unit,
-- period and area) add up to more than it, beyond its printed precision. A single part above the whole is
-- a verdict; a sum above it only a warning, as parts printed under one level can overlap.
total_parts as (
    -- One print of each part (a part printed twice is counted once: its first print).
    select
        totals.figure_id,
        totals.source_document,
        totals.source_line,
        totals.source_snippet,
        totals.printed_value,
        totals.value_qualifier,
        totals.value_as_printed,
        parts.figure_id as part_figure_id,
        parts.printed_value as part_value,
        parts.value_qualifier as part_qualifier,
        row_number() over (
            partition by totals.figure_id, parts.breakdown order by parts.source_line, parts.figure_sequence
        ) as part_print
    from figures as totals
    inner join figures as parts
        on
            totals.source_document = parts.source_document
            and totals.metric_code = parts.metric_code
            and totals.measure = parts.measure
            and totals.unit = parts.unit
            and totals.period_key = parts.period_key
            and totals.geography_code = parts.geography_code
            and parts.breakdown != ''
            and (
                (totals.breakdown = '' and parts.breakdown_depth = 0)
                or (
                    parts.breakdown_depth = totals.breakdown_depth + 1
                    and instr(';' || parts.breakdown || ';', ';' || totals.breakdown || ';') > 0
                )
            )
            and parts.printed_value is not null
    where
        totals.measure = 'value'
        -- Units that add up.
        and totals.unit in ('count', 'gbp', 'hours')
        and totals.breakdown_depth <= 0
        and not totals.is_period_unknown
        and totals.printed_value is not null
        -- A lower bound has no ceiling for its parts to break.
        and coalesce(totals.value_qualifier, '') not in ('more than', 'over', 'at least')
        and totals.figure_id not in (select registered.figure_id from registered)
),

parts_of_totals as (
    select
        figure_id,
        source_document,
        source_line,
        source_snippet,
        printed_value,
        value_qualifier,
        {{ printed_decimals('value_as_printed') }} as decimals,
        sum(part_value) as parts_sum,
        count(*) as parts_count,
        -- A part printed as a plain figure or a lower bound is at least its value.
        max(
            case when coalesce(part_qualifier, 'more than') in ('more than', 'over', 'at least') then part_value end
        ) as largest_firm_part,
        {{ string_agg_ordered('part_figure_id', ';', 'part_figure_id') }} as part_figure_ids
    from total_parts
    where part_print = 1
    group by figure_id, source_document, source_line, source_snippet, printed_value, value_qualifier, value_as_printed
),

parts_ceiling as (
    select
        *,
        case
            when value_qualifier in ('around', 'about', 'approximately', 'roughly', 'some') then 1.05 * printed_value
            else printed_value + 0.5 * pow(10, -decimals)
        end + 1e-9 as ceiling_value
    from parts_of_totals
),

total_below_parts as (
    select
        'N-total_below_parts-' || figure_id as claim_id,
        source_document,
        source_line,
        source_snippet as claim_text,
        'total_below_parts' as claim_type,
        figure_id as stated_figure_id,
        printed_value as stated_value,
        parts_sum as recomputed_value,
        decimals,
        value_qualifier as stated_qualifier,
        case when largest_firm_part > ceiling_value then 'inconsistent' else 'warning' end as verdict,
        part_figure_ids as operand_figure_ids,
        'recomputed_value is the sum of its ' || cast(parts_count as string) || ' parts printed in the report'
        || case
            -- No double in the text: DuckDB and Spark print large doubles differently.
            when largest_firm_part > ceiling_value then ', and one part alone is larger.'
            else '; parts may overlap.'
        end as note
    from parts_ceiling
    where parts_sum > ceiling_value
),

-- count_against_rows: a count in a sentence against the same report's rows for the sub-periods of its
-- period (same series; calendar months, quarters or years, which never overlap; a metric summed over
-- time). A verdict when the rows already add up to more than the count, or when they cover its whole
-- period and add up to another number.
period_rows as (
    select
        counts.figure_id,
        counts.source_document,
        counts.source_line,
        counts.source_snippet,
        counts.printed_value,
        counts.value_qualifier,
        counts.value_as_printed,
        counts.period_start,
        counts.period_end,
        rows_.figure_id as row_figure_id,
        rows_.period_type as row_period_type,
        rows_.period_start as row_start,
        rows_.period_end as row_end,
        rows_.printed_value as row_value,
        -- One print of each sub-period (its first).
        row_number() over (
            partition by counts.figure_id, rows_.period_key order by rows_.source_line, rows_.figure_sequence
        ) as row_print
    from figures as counts
    inner join {{ ref('metric_catalogue') }} as catalogue
        on counts.metric_code = catalogue.metric_code
    inner join figures as rows_
        on
            counts.source_document = rows_.source_document
            and counts.series_key = rows_.series_key
            and counts.measure = rows_.measure
            and counts.period_start <= rows_.period_start
            and counts.period_end >= rows_.period_end
            and counts.period_key != rows_.period_key
            and rows_.period_type in ('calendar_month', 'financial_quarter', 'financial_year', 'calendar_year')
            and rows_.printed_value is not null
    where
        counts.measure = 'value'
        and counts.unit = 'count'
        and catalogue.time_aggregation = 'sum'
        and not counts.is_table_row
        and not counts.is_period_unknown
        and counts.printed_value is not null
        and counts.figure_id not in (select registered.figure_id from registered)
),

rows_with_successor as (
    -- A row followed by the next row of its kind (its period starts the day after): the rows tile
    -- the period when every row but the last has one.
    select
        period_rows.*,
        next_row.row_figure_id is not null as has_successor
    from period_rows
    left join period_rows as next_row
        on
            period_rows.figure_id = next_row.figure_id
            and period_rows.row_period_type = next_row.row_period_type
            and cast(period_rows.row_end + interval 1 day as date) = next_row.row_start
            and next_row.row_print = 1
),

rows_per_count as (
    select
        figure_id,
        source_document,
        source_line,
        source_snippet,
        printed_value,
        value_qualifier,
        row_period_type,
        {{ printed_decimals('value_as_printed') }} as decimals,
        sum(row_value) as rows_sum,
        count(*) as rows_count,
        {{ string_agg_ordered('row_figure_id', ';', 'row_figure_id') }} as row_figure_ids,
        min(row_start) = min(period_start)
        and max(row_end) = max(period_end)
        and sum(case when has_successor then 0 else 1 end) = 1 as rows_cover_period
    from rows_with_successor
    where row_print = 1
    group by
        figure_id, source_document, source_line, source_snippet, printed_value, value_qualifier, value_as_printed,
        row_period_type
),

count_against_rows as (
    select
        'N-count_against_rows-' || figure_id || '-' || row_period_type as claim_id,
        source_document,
        source_line,
        source_snippet as claim_text,
        'count_against_rows' as claim_type,
        figure_id as stated_figure_id,
        printed_value as stated_value,
        rows_sum as recomputed_value,
        decimals,
        value_qualifier as stated_qualifier,
        'inconsistent' as verdict,
        row_figure_ids as operand_figure_ids,
        'recomputed_value is the sum of the report''s ' || cast(rows_count as string) || ' ' || row_period_type
        || ' rows within its period' || case when rows_cover_period then ', which cover it.' else '.' end as note
    from rows_per_count
    where
        {{ claim_verdict('printed_value', 'rows_sum', 'decimals', 'value_qualifier') }} = 'inconsistent'
        and (rows_cover_period or rows_sum > printed_value)
),

-- partial_percentage: a percentage in a sentence, whose own levels are not on its line, equal to the
-- percentage of another series of the same metric, measure, area and periods printed beside that
-- series' levels on another line: the sentence names more than the figure covers. Two series can
-- move by the same percentage, so a warning. Registered figures are kept: the register checks a
-- claim's arithmetic (C006 recomputes -0.9% from the one row it covers), this rule the scope its words name.
levels_on_line as (
    select
        source_document,
        source_line,
        series_key
    from figures
    where measure = 'value'
    group by source_document, source_line, series_key
),

partial_percentage as (
    select
        'N-partial_percentage-' || stated.figure_id || '-' || part.figure_id as claim_id,
        stated.source_document,
        stated.source_line,
        stated.source_snippet as claim_text,
        'partial_percentage' as claim_type,
        stated.figure_id as stated_figure_id,
        stated.printed_value as stated_value,
        part.value as recomputed_value,
        {{ printed_decimals('stated.value_as_printed') }} as decimals,
        stated.value_qualifier as stated_qualifier,
        'warning' as verdict,
        part.figure_id as operand_figure_ids,
        'The same figure is printed on line ' || cast(part.source_line as string) || ' for '
        || part.breakdown_label || ', beside its levels.' as note
    from figures as stated
    inner join figures as part
        on
            stated.source_document = part.source_document
            and stated.metric_code = part.metric_code
            and stated.measure = part.measure
            and stated.unit = part.unit
            and stated.geography_code = part.geography_code
            and stated.period_key = part.period_key
            and stated.comparison_period_key = part.comparison_period_key
            and stated.series_key != part.series_key
            and stated.source_line != part.source_line
            and abs(stated.value - part.value) < 1e-9
    inner join levels_on_line as part_levels
        on
            part.source_document = part_levels.source_document
            and part.source_line = part_levels.source_line
            and part.series_key = part_levels.series_key
    left join levels_on_line as stated_levels
        on
            stated.source_document = stated_levels.source_document
            and stated.source_line = stated_levels.source_line
            and stated.series_key = stated_levels.series_key
    where
        stated.unit in ('percent', 'percentage_points')
        and not stated.is_table_row
        and not stated.is_period_unknown
        and stated_levels.series_key is null
),

-- repeated_date: one report prints the same value of one series and measure twice under different
-- periods, on lines that each print that series at one period only (a line with two periods states
-- equal values in two periods as such). A value can recur, so a warning.
series_lines_with_periods as (
    select
        source_document,
        source_line,
        series_key,
        measure
    from figures
    where not is_period_unknown
    group by source_document, source_line, series_key, measure
    having
        min(concat_ws('|', period_key, comparison_period_key))
        != max(concat_ws('|', period_key, comparison_period_key))
),

dated_once as (
    select figures.*
    from figures
    left join series_lines_with_periods as multi
        on
            figures.source_document = multi.source_document
            and figures.source_line = multi.source_line
            and figures.series_key = multi.series_key
            and figures.measure = multi.measure
    where
        multi.series_key is null
        and not figures.is_period_unknown
        and figures.printed_value != 0
        and figures.figure_id not in (select registered.figure_id from registered)
),

repeated_date as (
    select
        'N-repeated_date-' || later.figure_id || '-' || earlier.figure_id as claim_id,
        later.source_document,
        later.source_line,
        later.source_snippet as claim_text,
        'repeated_date' as claim_type,
        later.figure_id as stated_figure_id,
        later.printed_value as stated_value,
        earlier.printed_value as recomputed_value,
        {{ printed_decimals('later.value_as_printed') }} as decimals,
        later.value_qualifier as stated_qualifier,
        'warning' as verdict,
        earlier.figure_id as operand_figure_ids,
        'The same value is printed on line ' || cast(earlier.source_line as string) || ' for '
        || coalesce(earlier.period_label, earlier.period_key) || ' (here: '
        || coalesce(later.period_label, later.period_key) || '); '
        || case
            when later.period_start <= earlier.period_end and earlier.period_start <= later.period_end
                then 'the periods overlap, so both dates can hold for one event.'
            else 'the periods do not overlap.'
        end as note
    from dated_once as later
    inner join dated_once as earlier
        on
            later.source_document = earlier.source_document
            and later.series_key = earlier.series_key
            and later.measure = earlier.measure
            and later.unit = earlier.unit
            and later.printed_value = earlier.printed_value
            and (
                later.period_key != earlier.period_key
                or later.comparison_period_key != earlier.comparison_period_key
            )
            and (
                later.source_line > earlier.source_line
                or (later.source_line = earlier.source_line and later.figure_sequence > earlier.figure_sequence)
            )
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
union all
select
    *,
    'narrative_rule' as claim_source
from total_below_parts
union all
select
    *,
    'narrative_rule' as claim_source
from count_against_rows
union all
select
    *,
    'narrative_rule' as claim_source
from partial_percentage
union all
select
    *,
    'narrative_rule' as claim_source
from repeated_date
