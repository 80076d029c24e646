-- Why: a concept defined two ways is two series, each pointing at the other, so that a reader of
-- either finds the other and the reason they do not compare. Fails with a series whose link is
-- missing or not returned.
{{ config(severity = 'error') }}
select
    register.series_key,
    register.related_series_key,
    related.related_series_key as returned_link
from {{ ref('series_register') }} as register
left join {{ ref('series_register') }} as related
    on register.related_series_key = related.series_key
where
    (register.verdict = 'distinct_definitions' or register.related_series_key is not null)
    and (
        register.related_series_key is null
        or related.related_series_key is distinct from register.series_key
        or register.verdict != 'distinct_definitions'
        or register.definition is null
    )
