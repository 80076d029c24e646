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
        string_split(replace(regexp_replace(breakdown, '^theme_', ''), ';', '_;_'), '_') as words
    from codes
),

words as (
    select
        breakdown,
        unnest(words) as word,
        generate_subscripts(words, 1) as word_position
    from split_codes
),

labelled as (
    select
        words.breakdown,
        replace(
            string_agg(coalesce(label_words.shown, words.word), ' ' order by words.word_position), ' ; ', ' · '
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
