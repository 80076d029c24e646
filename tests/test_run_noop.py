"""`make run` skips a run whose inputs are unchanged since the published warehouse, and only then.

The project is a copy (orchestration/lib/project_copy.py) with a synthetic police.uk archive and report text of
its own, so changing "one figure" never touches the real data. The warehouse published beside it is a tiny
SYNTHETIC one (one mart of one row), published by the real publish step with the fingerprint a run would record.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import os

import duckdb
import pytest

from orchestration.cli import run
from orchestration.lib import inputs, paths, project_copy, publish


class RunStarted(Exception):
    """Raised where the run would begin, after the unchanged-inputs check let it through."""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("noop")
    copy = project_copy.copy_project(root / "project")
    archive = root / "archive" / "2020-01"
    archive.mkdir(parents=True)
    with gzip.open(archive / "2020-01-synthetic-street.csv.gz", "wt") as handle:
        handle.write("Crime ID,Month\nSYNTHETIC,2020-01\n")
    sources = root / "sources"
    sources.mkdir()
    (sources / "synthetic.txt").write_text("SYNTHETIC report text\n")
    return copy, [root / "archive"], sources


@pytest.fixture
def published(project, tmp_path, monkeypatch):
    """A published warehouse whose record holds the copy's fingerprint; fingerprints taken of the copy."""
    copy, archives, sources = project
    monkeypatch.setattr(inputs, "fingerprint", functools.partial(inputs.fingerprint, copy, archives, sources))
    build, target = tmp_path / "build.duckdb", tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("create schema marts; create table marts.synthetic as select 1 as n")
    publish.publish(build, target, run_id="synthetic-run", inputs_fingerprint=inputs.fingerprint())
    monkeypatch.setenv("WAREHOUSE_PATH", str(target))

    def started(*args, **kwargs):
        raise RunStarted

    import dagster as dg

    monkeypatch.setattr(dg.DagsterInstance, "get", started)  # the run's first step: open the instance
    return copy, archives, sources


def test_unchanged_inputs_print_nothing_changed_and_do_not_run(published, capsys):
    assert run.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("nothing changed: synthetic-run (")
    assert str(paths.warehouse_path()) in out


def test_one_changed_figure_runs(published):
    copy = published[0]
    figures = copy / "data" / "crime_figures.csv"
    original = figures.read_text()
    rows = list(csv.DictReader(io.StringIO(original)))
    rows[0]["printed_value"] = rows[0]["printed_value"] + "1"  # one figure, in the copy only
    changed = io.StringIO()
    writer = csv.DictWriter(changed, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    figures.write_text(changed.getvalue())
    try:
        with pytest.raises(RunStarted):
            run.main([])
    finally:
        figures.write_text(original)
    assert inputs.unchanged_run(inputs.fingerprint()) == "synthetic-run"  # restored: unchanged again


def test_force_runs_on_unchanged_inputs(published):
    with pytest.raises(RunStarted):
        run.main(["--force"])


def test_changed_police_uk_file_and_report_text_change_the_fingerprint(published):
    _, archives, sources = published
    before = inputs.fingerprint()
    street = next(archives[0].rglob("*.csv.gz"))
    stat = street.stat()
    os.utime(street, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    touched = inputs.fingerprint()
    text = sources / "synthetic.txt"
    text.write_text("SYNTHETIC report text, revised\n")
    assert len({before, touched, inputs.fingerprint()}) == 3


def test_a_replaced_warehouse_file_is_not_trusted(published):
    target = paths.warehouse_path()
    with duckdb.connect(str(target)) as con:
        con.execute("create table marts.other as select 2 as n")  # written since it was published
    with pytest.raises(RunStarted):
        run.main([])
