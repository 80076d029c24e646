"""Adding a domain touches two files: its metrics in the catalogue and its figures CSV. Shown by
building a copy of the project with a synthetic domain added, and nothing else changed."""

from __future__ import annotations

import csv
import filecmp
import io

import duckdb
import pytest

from orchestration.lib import paths, project_copy

DOMAIN = "synthetic_specials"


def _add_synthetic_domain(copy):
    """Re-home three real Specials figures (000 line 34, 2017 and 2018 headcounts) under a new,
    synthetic domain and metric: the values and their provenance are real, the domain is not."""
    catalogue = copy / "seeds" / "metric_catalogue.csv"
    rows = list(csv.DictReader(catalogue.open(encoding="utf-8", newline="")))
    template = next(r for r in rows if r["metric_code"] == "specials_headcount")
    new_metric = {
        **template,
        "metric_code": "synthetic_specials_headcount",
        "domain": DOMAIN,
        "metric_name": "Special Constables (synthetic domain for a test)",
        "notes": "Synthetic: added by tests/test_add_domain.py in a temporary copy.",
        "headline_slice": "",  # no generated MetricFlow metric, so no generated file changes
    }
    with catalogue.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n").writerow(new_metric)
    figures = list(csv.DictReader((paths.DATA_DIR / "volunteering_figures.csv").open(encoding="utf-8", newline="")))
    chosen = [
        r
        for r in figures
        if r["metric_code"] == "specials_headcount" and r["measure"] == "value" and r["source_line"] == "34"
    ]
    assert len(chosen) == 2
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(figures[0]), lineterminator="\n")
    writer.writeheader()
    for row in chosen:
        # The figure ids stay unique: the volunteering file keeps its own rows of line 34.
        line, sequence = row["figure_id"].rsplit(":", 2)[1:]
        figure_id = f"{row['figure_id'].split(':')[0]}:{line}:{int(sequence) + 90}"
        writer.writerow({**row, "figure_id": figure_id, "metric_code": new_metric["metric_code"]})
    (copy / "data" / f"{DOMAIN}_figures.csv").write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.e2e
def test_a_new_domain_is_two_files_and_builds(tmp_path):
    copy = project_copy.copy_project(tmp_path / "project")
    _add_synthetic_domain(copy)
    compared = filecmp.dircmp(paths.REPO, copy)

    def changed(cmp, prefix=""):
        found = [prefix + name for name in cmp.diff_files]
        found += [prefix + name for name in cmp.right_only]
        for name, sub in cmp.subdirs.items():
            found += changed(sub, f"{prefix}{name}/")
        return found

    touched = sorted(
        f for f in changed(compared) if not f.startswith((".dagster_home", "target", "logs", ".build", "warehouse"))
    )
    assert touched == ["data/synthetic_specials_figures.csv", "seeds/metric_catalogue.csv"], touched

    result = project_copy.build(copy)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    with duckdb.connect(str(copy / "warehouse.duckdb"), read_only=True) as con:
        figures = con.execute(
            "select count(*), min(value), max(value) from marts.fct_published_figures where domain = ?", [DOMAIN]
        ).fetchone()
        metric = con.execute("select domain from marts.dim_metric where metric_code = 'synthetic_specials_headcount'")
        assert metric.fetchone() == (DOMAIN,)
    assert figures == (2, 410, 474)  # 000 line 34: 410 at Nov 2017, 474 at Nov 2018


def test_a_project_copy_builds_from_its_own_lake(tmp_path, session_lake):
    """A copy's run removes from its lake the months the copy's archives lack: the session's lake must stay out of it."""
    env = project_copy.run_env(tmp_path / "project")
    assert env["POLICE_UK_LAKE"] == str(tmp_path / "project" / "lake" / "police_uk")
    assert env["POLICE_UK_LAKE"] != str(session_lake)
