-- fct_street_crime holds each file's rows exactly once: rows 1..n of every file, no gap, no repeat. The key is
-- `<file>:<row>`, so this is its uniqueness, checked per file (a grouping of about 1,500 groups for 36 months of
-- every force) instead of a distinct count of millions of keys.
select
    source_file,
    count(*) as row_count,
    count(distinct source_row) as distinct_rows,
    min(source_row) as first_row,
    max(source_row) as last_row
from {{ ref('fct_street_crime') }}
group by source_file
having count(*) <> count(distinct source_row) or min(source_row) <> 1 or max(source_row) <> count(*)
