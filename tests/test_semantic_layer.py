"""The metrics layer: definitions in step with the catalogue, valid for MetricFlow, and answers that
match figures printed in the reports (each assertion cites its source line)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import metric_marts, paths, semantic_layer
from orchestration.raw_loader import attach_as_warehouse


def test_generated_headline_metrics_match_the_catalogue():
    assert semantic_layer.OUTPUT.read_text(encoding="utf-8") == semantic_layer.generate(), (
        "models/marts/metrics/catalogue_metrics.yml is out of date: run `make metrics-generate`"
    )


def test_every_catalogue_metric_is_a_documented_metricflow_metric():
    manifest = json.loads((paths.REPO / "target" / "semantic_manifest.json").read_text())
    metrics = {m["name"]: m for m in manifest["metrics"]}
    catalogue = {m["metric_code"] for m in semantic_layer.read_catalogue()}
    assert catalogue <= set(metrics), sorted(catalogue - set(metrics))
    undocumented = [n for n, m in metrics.items() if "Unit:" not in (m.get("description") or "")]
    assert not undocumented, undocumented
    # Stocks take the value at the end of the window; they are never summed over time.
    stocks = [m["metric_code"] for m in semantic_layer.read_catalogue() if m["time_aggregation"] == "last"]
    assert stocks and all(metrics[s]["type_params"]["measure"]["name"] == "value_at_period_end" for s in stocks)


@pytest.fixture(scope="module")
def metricflow(built_warehouse):
    """Compile MetricFlow requests (in this process, with no connection) and run their SQL on the test warehouse."""
    path, _ = built_warehouse

    def run(requests: list[dict]) -> list[list[tuple]]:
        sql = metric_marts.compile_sql(requests)
        with attach_as_warehouse(path) as con:
            return [con.execute(s).fetchall() for s in sql]

    return run


def _rows(result: list[tuple]) -> dict:
    """First column(s) -> last column, with dates reduced to ISO strings."""
    out = {}
    for row in result:
        key = tuple(str(v)[:10] if hasattr(v, "isoformat") else v for v in row[:-1])
        out[key[0] if len(key) == 1 else key] = row[-1]
    return out


@pytest.mark.e2e
def test_metric_answers_match_printed_figures(metricflow):
    month = ["metric_time__month"]
    headcount, yoy, ksi, ratio, gap, sickness = metricflow(
        [
            {"metric_names": ["specials_headcount"], "group_by_names": month},
            {"metric_names": ["specials_headcount_yoy_change"], "group_by_names": month},
            {"metric_names": ["ksi_casualties"], "group_by_names": ["metric_time__financial_year"]},
            {"metric_names": ["solved_outcome_ratio"], "group_by_names": ["metric_time__day", "figure__breakdown"]},
            {"metric_names": ["ethnic_minority_representation_gap_computed"], "group_by_names": month},
            {
                "metric_names": ["sickness_hours_per_person_yoy_change"],
                "group_by_names": ["metric_time__month", "figure__breakdown"],
            },
        ]
    )
    headcount = _rows(headcount)
    assert headcount["2018-11-01"] == 474  # 000 line 34: 474 Specials at the end of November 2018
    assert headcount["2023-06-01"] == 297  # 002 line 750: currently 297 Special Officers
    assert headcount["2021-03-01"] == 521  # 003 lines 128, 489, 543 (line 47's 520 is the restatement)
    assert _rows(yoy)["2018-11-01"] == 64  # 000 line 34: "64 additional officers"
    ksi = _rows(ksi)
    assert (ksi["2015-04-01"], ksi["2020-04-01"]) == (850, 641)  # 003 line 1187: 850 in 2015/16 to 641 in 2020/21
    ratio = _rows(ratio)
    assert ratio[("2022-09-30", "theme_hate_crime")] == pytest.approx(497 / 4520)  # 001 lines 698 and 704
    assert _rows(gap)["2023-06-01"] == pytest.approx(7.11)  # 002 lines 818, 824: 11.21 - 4.10, printed as 7.1
    sickness = _rows(sickness)
    # 002 line 810, the variance row: officers April -1.10, staff May +0.42.
    assert sickness[("2023-04-01", "officers")] == pytest.approx(-1.10)
    assert sickness[("2023-05-01", "staff")] == pytest.approx(0.42)


@pytest.mark.e2e
def test_metric_marts_are_materialised_with_plain_types(built_warehouse):
    path, _ = built_warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        specials = con.execute(
            "select specials_headcount, specials_hours, specials_operational_hours from marts.metric_specials_by_month "
            "where month_start = date '2018-11-01'"
        ).fetchone()
        quarter = con.execute(
            "select sickness_hours_per_person_by_group from marts.metric_sickness_by_financial_quarter "
            "where financial_quarter_start = date '2023-04-01' and breakdown = 'officers'"
        ).fetchone()
        types = {
            t
            for (t,) in con.execute(
                "select distinct data_type from information_schema.columns where table_schema = 'marts' and table_name like 'metric_%'"
            ).fetchall()
        }
    assert specials == (474, 44885, 25726)  # 000 lines 34-35
    assert quarter[0] == pytest.approx((4.98 + 5.18 + 5.35) / 3)  # 002 line 809, mean of April-June 2023
    assert types <= {"DATE", "DOUBLE", "VARCHAR"}


@pytest.mark.e2e
def test_mf_validate_configs_is_clean(built_warehouse, monkeypatch):
    path, _ = built_warehouse
    monkeypatch.setenv("WAREHOUSE_PATH", str(path))
    monkeypatch.setenv("DBT_TARGET", "published")
    monkeypatch.setenv("DBT_PROFILES_DIR", str(paths.REPO))
    mf = str(Path(sys.executable).parent / "mf")
    result = subprocess.run([mf, "validate-configs"], cwd=paths.REPO, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "ERRORS: 0" in output and "Successfully validated metrics against data warehouse" in output


@pytest.mark.e2e
def test_mf_query_cli_answers_offline(built_warehouse, monkeypatch, tmp_path):
    """What `make metric-query` runs: the mf command line, against the local warehouse, with no network."""
    path, _ = built_warehouse
    monkeypatch.setenv("WAREHOUSE_PATH", str(path))
    monkeypatch.setenv("DBT_TARGET", "published")
    monkeypatch.setenv("DBT_PROFILES_DIR", str(paths.REPO))
    mf = str(Path(sys.executable).parent / "mf")
    out = tmp_path / "ksi.csv"
    subprocess.run(
        [
            mf,
            "query",
            "--metrics",
            "ksi_casualties_by_severity",
            "--group-by",
            "metric_time__month,figure__breakdown",
            "--csv",
            str(out),
        ],
        cwd=paths.REPO,
        check=True,
        capture_output=True,
    )
    rows = out.read_text().splitlines()
    # 000 line 198: 14 fatal / 222 serious casualties in the latest quarter of 2018.
    assert any((r.startswith("2018-11-01") and r.endswith(",fatal,14")) or r.endswith("fatal,14.0") for r in rows), rows


@pytest.mark.e2e
def test_every_headline_metric_matches_the_published_figures(metricflow, built_warehouse):
    """For every catalogue metric, MetricFlow's answer at each published date equals an independent
    aggregation of the published figures by the catalogue's rule (stocks and flows: the value or sum of
    the day's figures; rates and ratios: their mean)."""
    path, _ = built_warehouse
    catalogue = semantic_layer.read_catalogue()
    answers = metricflow(
        [{"metric_names": [m["metric_code"]], "group_by_names": ["metric_time__day"]} for m in catalogue]
    )
    aggregate = {"sum": "sum(value)", "last": "sum(value)", "none": "avg(value)"}
    checked, wrong = 0, []
    with duckdb.connect(str(path), read_only=True) as con:
        for metric, answer in zip(catalogue, answers, strict=True):
            expected = dict(
                con.execute(
                    f"select period_end::varchar, {aggregate[metric['time_aggregation']]} from marts.fct_metric_values "  # noqa: S608
                    "where metric_code = ? and is_headline group by period_end",
                    [metric["metric_code"]],
                ).fetchall()
            )
            got = {str(day)[:10]: value for day, value in answer if value is not None}
            if expected:
                checked += 1
                if got.keys() != expected.keys() or any(abs(got[d] - expected[d]) > 1e-9 for d in expected):
                    wrong.append((metric["metric_code"], got, expected))
    assert checked >= 100 and not wrong, wrong[:5]
