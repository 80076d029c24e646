"""Level 2: the dbt project's SQL stays portable to Spark (`make spark-check` builds it there).

DuckDB accepts much that Spark SQL refuses or, worse, reads differently. Each idiom below is caught in
the SQL files before it reaches Spark; the engine-specific spellings live only in the DuckDB
(`default__`) branches of `macros/portable.sql`, which is where a new one belongs.
"""

from __future__ import annotations

import re

import pytest

from orchestration.lib import paths

FOLDERS = ("models", "macros", "tests/dbt", "analyses")
PORTABLE_MACROS = paths.REPO / "macros" / "portable.sql"

# idiom -> why it does not port
DUCKDB_ONLY = {
    r"::\s*varchar\b|\bas\s+varchar\b|data_type:\s*varchar": "Spark has no bare varchar: use string (DuckDB reads it as VARCHAR)",
    r"(?<![/\-])//(?![/\-])": "integer division `//`: Spark reads it as an error; use cast(floor(a / b) as integer)",
    r"\bstrftime\s*\(": "strftime: Spark formats with date_format; use cast(... as string) or a portable macro",
    r"\bregexp_matches\s*\(": "regexp_matches: Spark has rlike; use regex_contains()",
    r"\bunnest\s*\(|\bgenerate_subscripts\s*\(|\bstring_split\s*\(": "unnest / string_split: use split_part over positions_up_to()",
    r"\blist_contains\s*\(|\blist\s*\(": "DuckDB lists: not in Spark",
    r"\bstring_agg\s*\(": "string_agg: Spark has none and orders nothing; use string_agg_ordered()",
    r"\*\s*exclude\b": "select * exclude: Spark has no such clause",
    r"\barg_(min|max)\s*\(": "arg_min / arg_max: use min_by / max_by (both engines)",
    r"\bgenerate_series\s*\(": "generate_series: use dbt.date_spine or positions_up_to()",
    r"union\s+all\s+by\s+name|union\s+by\s+name": "union by name: Spark has none; list the columns",
    r"\bcount\s*\(\s*distinct[^)]*\)\s*over\b": "a distinct count over a window: Spark refuses it",
    r"\b(sum|avg)\s*\([^()]*\border\s+by\b": "an ordered sum or mean: use sum_ordered() / avg_ordered()",
    r"'[^'\n]*\\[dswbDSWB.][^'\n]*'": "a backslash in a string literal: Spark reads it as an escape; pass the pattern to a regex macro",
    r"\[\d+\]": "list indexing: not in Spark",
    r"\bover\s+[a-z_]+\s*[-+*/]\s*[a-z(]": "arithmetic right after a named window: Spark reads it as part of the window's "
    "name; put the window function in parentheses",
}


def _sql_files():
    for folder in FOLDERS:
        yield from sorted((paths.REPO / folder).rglob("*.sql"))


def _checked_text(path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # Jinja comments
    text = re.sub(r"--[^\n]*", "", text)  # SQL comments
    if path == PORTABLE_MACROS:
        # The DuckDB branches are where DuckDB's spellings belong.
        text = re.sub(r"\{% macro default__.*?\{%- endmacro %\}", "", text, flags=re.S)
    # Regex patterns handed to a portable macro are escaped per engine by the macro.
    text = re.sub(r"\{\{\s*regex_(contains|extract|replace_all|literal)\(.*?\}\}", "", text, flags=re.S)
    return re.sub(r"\{%-?.*?-?%\}", "", text, flags=re.S)  # Jinja statements (Python, not SQL)


def test_no_duckdb_only_sql_in_the_dbt_project():
    files = list(_sql_files())
    assert len(files) >= 30, "the lint found too few SQL files to be reading the project"
    found = []
    for path in files:
        text = _checked_text(path)
        for pattern, why in DUCKDB_ONLY.items():
            for match in re.finditer(pattern, text, flags=re.I):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(paths.REPO)}:{line}: {match.group(0)!r}: {why}")
    assert not found, "\n".join(found)


def test_no_varchar_contract_or_seed_types():
    found = [
        f"{path.relative_to(paths.REPO)}:{number}"
        for folder in ("models", "seeds")
        for path in sorted((paths.REPO / folder).rglob("*.yml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"(data_type|^\s+[a-z_0-9]+):\s*varchar\s*$", line)
    ]
    assert not found, found


@pytest.mark.parametrize(
    ("sql", "caught"),
    [
        ("select x::varchar from t", True),
        ("select string_agg(x, ',') from t", True),
        ("select a // 3 from t", True),
        ("select regexp_extract(s, '\\d+', 0) from t", True),
        ("select count(distinct v) over (partition by k) from t", True),
        ("select cast(x as string), min_by(a, b) from t", False),
        ("select {{ regex_extract('s', '\\\\d+', 0) }} from t", False),
    ],
)
def test_the_lint_catches_what_it_should(tmp_path, sql, caught):
    path = tmp_path / "model.sql"
    path.write_text(sql, encoding="utf-8")
    text = _checked_text(path)
    hits = [p for p in DUCKDB_ONLY if re.search(p, text, flags=re.I)]
    assert bool(hits) is caught, hits


def test_spark_column_comments_fit_the_hive_metastore():
    """macros/spark_docs.sql: every column description of the project becomes a comment the Hive metastore holds
    (at most 255 characters): whole when it fits, else its opening words and where the whole text is."""
    import json

    import jinja2

    text = (paths.REPO / "macros" / "spark_docs.sql").read_text(encoding="utf-8")
    macros = jinja2.Environment(extensions=["jinja2.ext.do"]).from_string(text).module
    manifest = json.loads(paths.DBT_MANIFEST.read_text())
    cut = 0
    for node in manifest["nodes"].values():
        for column in node.get("columns", {}).values():
            description = column["description"]
            comment = str(macros.spark_column_comment(description, node["name"], column["name"]))
            assert len(comment) <= 255, (node["name"], column["name"], len(comment))
            if len(description) <= 255:
                assert comment == description
            else:
                cut += 1
                pointer = f" ... (cut; full text in the dbt docs: {node['name']}.{column['name']})"
                assert comment.endswith(pointer), comment
                opening = comment.removesuffix(pointer)
                assert description.startswith(opening) and description[len(opening)] in " ,;:", comment
    assert cut >= 5, "the project has long column descriptions; the test should meet some"
