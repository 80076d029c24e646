-- fct_street_crime holds each file's rows exactly once: as many rows as its highest row number, starting at 1. The
-- key is `<file>:<row>` and the loader numbers rows 1..n per file, so a file loaded twice, or a row lost, shows
-- here; checked per file (the landing checks every force's files the same way before a month enters the lake).
select
    source_file,
    count(*) as row_count,
    min(source_row) as first_row,
    max(source_row) as last_row
from {{ ref('fct_street_crime') }}
group by source_file
having min(source_row) <> 1 or max(source_row) <> count(*)
