"""Level 3: marts.street_crime_exceptions on the real Essex months, January-July 2018, alone.

The mart reads only `street_crime_monthly` and seeds, so the test builds that table itself from the street files in
data/police_uk (counted here, independently of the warehouse's ingestion), seeds a temporary DuckDB, and runs dbt
on the one model. Every chart is then recomputed with a line-by-line Python port of NHSRplotthedots
(nhs-r-community/NHSRplotthedots at commit 050b07d: `R/ptd_spc_standard.R`, `R/ptd_calculate_point_type.R`).
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.lib import paths

ESSEX = paths.DATA_DIR / "police_uk"
MONTHS = [f"2018-{m:02d}" for m in range(1, 8)]
SEEDS = ["geographies", "police_forces", "police_uk_improvement_directions", "police_uk_spc_recalculations"]
ALL_CRIME = "All crime excluding anti-social behaviour"
LSOA_DISTRICT = re.compile(r"^(.*) [0-9]{3}[A-Z]$")


# ---- a port of NHSRplotthedots ---------------------------------------------------------------------------------


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def ptd_limits(y: list[int], follows: list[bool], fix_after: int = 12) -> tuple[float, float] | None:
    """ptd_spc_standard: centre line and mean moving range (screened), moving ranges only between adjacent months."""
    base = y[:fix_after]
    mr = [abs(base[i] - base[i - 1]) for i in range(1, len(base)) if follows[i]]
    centre = sum(base) / len(base)
    if not mr:
        return None
    amr = sum(mr) / len(mr)
    kept = [m for m in mr if m < 3.267 * amr]
    amr = sum(kept) / len(kept) if kept else 0.0
    if len(base) < 6 or amr <= 0 or centre < 5:  # the project's own minimum (doc block spc_method)
        return None
    return centre, amr


def ptd_seven_point_trend(y: list[int]) -> list[int]:
    if len(y) < 7:
        return [0] * len(y)
    out = [0] * 6
    for i in range(6, len(y)):
        d = [_sign(y[j] - y[j - 1]) for j in range(i - 5, i + 1)]
        out.append(1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0)
    return out


def ptd_part_of_seven_trend(v: list[int]) -> list[bool]:
    return [any(abs(x) == 1 for x in v[i : i + 7]) for i in range(len(v))]


def ptd_seven_point_one_side_mean(v: list[int]) -> list[int]:
    vp = [0] * 6 + v
    return [int(all(vp[i] == vp[i - k] for k in range(1, 7)) and vp[i] != 0) for i in range(6, len(vp))]


def ptd_two_in_three(v: list[int], rtm: list[int]) -> list[bool]:
    vp, rp = [0, 0, *v, 0, 0], [0, 0, *rtm, 0, 0]
    return [
        any(sum(vp[i + k : i + k + 3]) >= 2 and abs(sum(rp[i + k : i + k + 3])) == 3 for k in range(3))
        for i in range(len(v))
    ]


def ptd_special_cause_type(y: list[int], rtm: list[int], close: list[int], outside: list[bool]) -> list[str]:
    trend = ptd_part_of_seven_trend(ptd_seven_point_trend(y))
    two = [t and c == 1 for t, c in zip(ptd_two_in_three(close, rtm), close, strict=True)]
    side = ptd_part_of_seven_trend(ptd_seven_point_one_side_mean(rtm))
    sdy = [_sign(y[i + 1] - y[i]) for i in range(len(y) - 1)]
    right = [*sdy, sdy[-1] if sdy else 0]
    left = [0, *sdy]
    direction = [right[i] if trend[i] and i + 1 < len(y) and trend[i + 1] else left[i] for i in range(len(y))]
    out = []
    for i in range(len(y)):
        where = "Above" if rtm[i] > 0 else "Below"
        if outside[i]:
            out.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif trend[i]:
            out.append(f"7 Point Trend ({'In' if direction[i] == 1 else 'De'}creasing)")
        elif two[i]:
            out.append(f"2 in 3 {where} CL")
        elif side[i]:
            out.append(f"7 Points {where} CL")
        else:
            out.append("Common Cause")
    return out


def port_chart(months: list[date], y: list[int]) -> tuple[tuple[float, float] | None, list[str]]:
    """Limits over the chart, rules over each stretch of adjacent months (a gap restarts them)."""
    index = [m.year * 12 + m.month for m in months]
    follows = [i > 0 and index[i] - index[i - 1] == 1 for i in range(len(y))]
    limits = ptd_limits(y, follows)
    if limits is None:
        return None, ["Common Cause"] * len(y)
    centre, amr = limits
    upl, lpl = centre + 2.66 * amr, centre - 2.66 * amr
    nupl, nlpl = centre + 2 * 2.66 / 3 * amr, centre - 2 * 2.66 / 3 * amr
    outside = [v > upl or v < lpl for v in y]
    rtm = [_sign(v - centre) for v in y]
    close = [int(not o and (v < nlpl or v > nupl)) for v, o in zip(y, outside, strict=True)]
    types: list[str] = []
    start = 0
    for end in [*[i for i in range(1, len(y)) if not follows[i]], len(y)]:
        s = slice(start, end)
        types += ptd_special_cause_type(y[s], rtm[s], close[s], outside[s])
        start = end
    return limits, types


# ---- the mart on Essex January-July 2018 ------------------------------------------------------------------------


def _essex_monthly() -> list[tuple]:
    """street_crime_monthly's columns, counted from the files: zero-filled over the months the force published."""
    counts: Counter = Counter()
    force_months: dict[str, set] = defaultdict(set)
    for month in MONTHS:
        for path in sorted((ESSEX / month).glob("*-street.csv.gz")):
            with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    match = LSOA_DISTRICT.match(row["LSOA name"] or "")
                    district = match.group(1) if match else "(no location)"
                    counts[(row["Falls within"], district, row["Crime type"], row["Month"])] += 1
                    force_months[row["Falls within"]].add(row["Month"])
    series = {(f, d, t) for f, d, t, _ in counts}
    return [
        (f, d, date.fromisoformat(m + "-01"), t, counts[(f, d, t, m)], False)
        for f, d, t in sorted(series)
        for m in sorted(force_months[f])
    ]


@pytest.fixture(scope="module")
def essex_mart(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spc")
    db = folder / "spc_warehouse.duckdb"
    monthly = _essex_monthly()
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.street_crime_monthly (force_name varchar, district_name varchar, month_start date, "
            "crime_type varchar, incidents bigint, is_synthetic boolean)"
        )
        con.executemany("insert into marts.street_crime_monthly values (?, ?, ?, ?, ?, ?)", monthly)
    dbt = str(Path(sys.executable).parent / "dbt")
    env = {
        **os.environ,
        "WAREHOUSE_BUILD_PATH": str(db),
        "DBT_TARGET": "build",
        "DBT_PROFILES_DIR": str(paths.REPO),
    }
    common = ["--target-path", str(folder / "target"), "--log-path", str(folder / "logs"), "--quiet"]
    # One dbt command (one parse): the seeds the mart reads, the mart, and the tests whose every parent is among them.
    selected = ["--select", *SEEDS, "street_crime_exceptions", "--indirect-selection", "cautious"]
    subprocess.run([dbt, "build", *common, *selected], cwd=paths.REPO, env=env, check=True)
    con = duckdb.connect(str(db), read_only=True)
    yield con, monthly
    con.close()


def _rows(con, sql: str, *params) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _force_chart(con, crime_type: str) -> list[dict]:
    return _rows(
        con,
        "select * from marts.street_crime_exceptions where chart_level = 'force' and force_name = 'Essex Police' "
        "and crime_type = ? order by month_start",
        crime_type,
    )


@pytest.mark.e2e
def test_the_force_wide_july_violence_breach(essex_mart):
    con, _ = essex_mart
    chart = _force_chart(con, "Violence and sexual offences")
    values = [p["incidents"] for p in chart]
    assert values == [3949, 3618, 4216, 4612, 4836, 4924, 5536]
    limits, types = port_chart([p["month_start"] for p in chart], values)
    centre, amr = limits
    july = chart[-1]
    assert july["upper_limit"] == pytest.approx(centre + 2.66 * amr) and 5524 < july["upper_limit"] < 5525
    assert (july["special_cause_type"], july["special_cause_rule"], july["variation"]) == (
        "Above UCL",
        "point beyond a limit",
        "special cause concern",
    )
    assert july["signal_description"] == (
        "Violence and sexual offences, July 2018: above the upper limit — special cause concern"
    )
    assert [p["special_cause_type"] for p in chart] == types
    assert all(p["is_trial_limits"] and p["baseline_points"] == 7 for p in chart)


@pytest.mark.e2e
def test_the_force_wide_bicycle_theft_trend_flags_all_seven_months(essex_mart):
    con, _ = essex_mart
    chart = _force_chart(con, "Bicycle theft")
    assert [p["incidents"] for p in chart] == [134, 141, 146, 155, 198, 214, 241]
    assert all(p["is_in_trend"] and p["variation"] == "special cause concern" for p in chart)
    trend = {p["signal_description"] for p in chart if p["special_cause_rule"] == "trend"}
    assert trend == {
        "Bicycle theft, January 2018 to July 2018: 7 months in a row, each higher than the one before"
        " — special cause concern"
    }


@pytest.mark.e2e
def test_out_of_area_and_unlocated_rows_count_force_wide_but_chart_nowhere(essex_mart):
    con, monthly = essex_mart
    districts = {
        r[0]
        for r in con.execute(
            "select geography_name from reference.geographies where geography_level = 'district' "
            "and parent_geography_code = 'essex'"
        ).fetchall()
    }
    charted = {
        r[0]
        for r in con.execute(
            "select distinct area_name from marts.street_crime_exceptions where chart_level = 'district'"
        ).fetchall()
    }
    outside = {d for _, d, *_ in monthly} - districts
    assert "(no location)" in outside and "Havering" in outside  # the data holds both kinds
    assert charted == districts
    force_total = con.execute(
        "select sum(incidents) from marts.street_crime_exceptions where chart_level = 'force' and crime_type <> ?",
        [ALL_CRIME],
    ).fetchone()[0]
    assert force_total == sum(r[4] for r in monthly) == 115065  # every row of the files, snapped and unlocated too
    all_crime = con.execute(
        "select sum(incidents) from marts.street_crime_exceptions where chart_level = 'force' and crime_type = ?",
        [ALL_CRIME],
    ).fetchone()[0]
    assert all_crime == sum(r[4] for r in monthly if r[3] != "Anti-social behaviour")


@pytest.mark.e2e
def test_every_chart_matches_the_nhsrplotthedots_port(essex_mart):
    con, _ = essex_mart
    charts: dict[tuple, list[dict]] = defaultdict(list)
    for p in _rows(con, "select * from marts.street_crime_exceptions order by all"):
        charts[(p["chart_level"], p["area_name"], p["crime_type"])].append(p)
    assert len(charts) == 15 + 14 * 15  # force: 14 types + all crime; 14 districts, each with 14 types + all crime
    flagged = 0
    for key, chart in charts.items():
        chart.sort(key=lambda p: p["month_start"])
        limits, types = port_chart([p["month_start"] for p in chart], [p["incidents"] for p in chart])
        assert [p["special_cause_type"] for p in chart] == types, key
        assert all(p["has_limits"] == (limits is not None) for p in chart), key
        if limits is not None:
            centre, amr = limits
            assert chart[0]["centre_line"] == pytest.approx(centre), key
            assert chart[0]["mean_moving_range"] == pytest.approx(amr), key
        flagged += sum(t != "Common Cause" for t in types)
    assert flagged > 0
