"""Where a rule needs two languages (SQL for the warehouse, Python for the intake), both agree on every input.

The financial calendar (``macros/financial_calendar.sql`` against ``intake.periods.financial_year_start``) on every
date in data/, and the series key (``macros/series_key.sql`` against ``intake.review.series_key``) on every figure
in data/. Both read the published warehouse: ``make run`` first.
"""

from __future__ import annotations

import csv
import re
from datetime import date

import duckdb
import pytest

from orchestration.lib import paths
from orchestration.lib.intake import periods, review

DATE_COLUMNS = ("period_start", "period_end", "comparison_period_start", "comparison_period_end")


def _figures() -> list[dict[str, str]]:
    rows = []
    for path in paths.extracted_csvs():
        with path.open(newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


@pytest.fixture(scope="module")
def warehouse():
    path = paths.warehouse_path()
    assert path.exists(), f"no published warehouse at {path}: run `make run`"
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def test_financial_calendar_agrees_on_every_date_in_data(warehouse):
    dates = sorted({date.fromisoformat(r[c]) for r in _figures() for c in DATE_COLUMNS if r.get(c)})
    assert len(dates) > 50
    sql = dict(
        warehouse.execute(
            "select date_day, year(financial_year_start_date) from marts.dim_date where date_day in "
            "(select unnest(?::date[]))",
            [dates],
        ).fetchall()
    )
    assert set(sql) == set(dates), "dim_date covers every date in data/"
    differ = {d: (sql[d], periods.financial_year_start(d)) for d in dates if sql[d] != periods.financial_year_start(d)}
    assert not differ


def test_series_key_agrees_on_every_figure_in_data(warehouse):
    aliases = {
        (a["metric_code"], a["breakdown"], a["geography_code"]): a["series_key"]
        for a in csv.DictReader((paths.SEEDS_DIR / "series_aliases.csv").open(newline="", encoding="utf-8"))
    }
    sql = dict(warehouse.execute("select figure_id, series_key from marts.fct_published_figures").fetchall())
    figures = _figures()
    assert len(figures) == len(sql)
    differ = {
        r["figure_id"]: (sql[r["figure_id"]], key)
        for r in figures
        if sql[r["figure_id"]]
        != (key := review.series_key(r["metric_code"], r["breakdown"], r["geography_code"], aliases))
    }
    assert not differ


# The financial calendar spelled out: April as the year's start, the quarter-end months, a calendar-quarter
# truncation standing for a financial quarter. Only macros/financial_calendar.sql may say these.
INLINE_CALENDAR = re.compile(r"in \(3, 6, 9, 12\)|date_trunc\('quarter'|month\([^)]*\) >= 4|, 4, 1\)")


def test_the_financial_calendar_is_written_only_in_its_macro():
    sql_files = [
        p
        for folder in ("models", "analyses", "macros", "reports/sources")
        for p in (paths.REPO / folder).rglob("*.sql")
        if p.name != "financial_calendar.sql"
    ]
    assert len(sql_files) > 50
    inline = {
        f"{p.relative_to(paths.REPO)}:{n}": line.strip()
        for p in sql_files
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE_CALENDAR.search(line.lower())
    }
    assert not inline, f"use macros/financial_calendar.sql: {inline}"
