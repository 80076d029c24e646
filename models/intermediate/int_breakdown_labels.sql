-- Each breakdown code in words for readers, made once: `All` for the whole quantity, otherwise the
-- code with a `theme_` prefix dropped, `;` read as ` · `, `_` as a space, the abbreviations in the
-- seed `label_words` written as readers know them, and the first letter capitalised
-- (`theme_theft` -> `Theft`, `op_puffin;managed_by_dapst` -> `Op puffin · managed by DAPST`).
with codes as (
    select distinct breakdown
    from {{ ref('stg_extracted__figures') }}
    where breakdown != ''
),

split_codes as (
    -- `;` becomes a word of its own, so that it survives the split on `_`.
    select
        breakdown,
        replace({{ regex_replace_all('breakdown', '^theme_', '') }}, ';', '_;_') as words
    from codes
),

word_positions as (
    -- A code has at most a few words; twenty positions is ample (breakdown_codes_fit_the_word_positions).
    select position as word_position
    from {{ positions_up_to(20) }}
),

words as (
    select
        split_codes.breakdown,
        split_part(split_codes.words, '_', word_positions.word_position) as word,
        word_positions.word_position
    from split_codes
    cross join word_positions
    where word_positions.word_position <= length(split_codes.words) - length(replace(split_codes.words, '_', '')) + 1
),

labelled as (
    select
        words.breakdown,
        replace(
            {{ string_agg_ordered('coalesce(label_words.shown, words.word)', ' ', 'words.word_position') }},
            ' ; ',
            ' · '
        ) as words_label
    from words
    left join {{ ref('label_words') }} as label_words
        on words.word = label_words.word
    group by words.breakdown
)

select
    '' as breakdown,
    'All' as breakdown_label
union all
select
    breakdown,
    upper(left(words_label, 1)) || substr(words_label, 2) as breakdown_label
from labelled
