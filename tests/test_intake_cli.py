"""Levels 2 and 3, the intake end to end on a temporary copy of data/ and seeds/: add a report (text or PDF),
review the draft, check it, accept it. The repository's own files are never written."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest

from orchestration.cli import intake
from orchestration.lib import paths, verify_sources
from orchestration.lib.contract import read_reference, validate_files
from orchestration.lib.intake import review
from orchestration.lib.intake.documents import pdf_to_text
from tests.pdf_maker import make_pdf

# A made-up report (not a real one's prose): numbers of each kind the intake must read.
SAMPLE = """Quarterly performance update

Data to March 2019

1. Volunteers
The Special Constabulary had 474 officers at the end of March 2019.
Volunteer hours rose by 12% in the 3 months to March 2019 compared with the same period last year.

2. Contact
Calls answered in the 12 months to March 2019: 44,885, of which 2,160 were online.
The average wait was 16 minutes 16 seconds in February 2019.
More detail is on slide 7.
"""
KEY = "quarterly-performance-update-2019-04"


@pytest.fixture
def root(tmp_path) -> Path:
    r = tmp_path / "repo"
    shutil.copytree(paths.DATA_DIR, r / "data")
    shutil.copytree(paths.SEEDS_DIR, r / "seeds")
    return r


@pytest.fixture
def sources(tmp_path) -> Path:
    s = tmp_path / "sources"
    if verify_sources.DEFAULT_SOURCES.is_dir():
        shutil.copytree(verify_sources.DEFAULT_SOURCES, s)  # so verify-sources can run on the whole copy
    else:
        s.mkdir()
    return s


def _fingerprint(*folders: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for f in folders for p in sorted(f.rglob("*")) if p.is_file()
    }


def _add(root: Path, sources: Path, report: Path, capsys) -> str:
    code = intake.main(
        ["--root", str(root), "--sources", str(sources), "add", str(report), "--published", "2019-04-12"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    return re.search(r"document key: (\S+)", out).group(1)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _metric(root: Path, unit: str) -> str:
    """A catalogue code of the given unit, read now (the catalogue changes; the test must not pin codes)."""
    return next(m["metric_code"] for m in _read(root / "seeds" / "metric_catalogue.csv") if m["unit"] == unit)


def _review(root: Path, key: str) -> Path:
    """An analyst's review: accept the real figures with catalogue codes, exclude the paragraph numbers."""
    path = root / "intake" / key / "draft.csv"
    rows = _read(path)
    count, percent, minutes = _metric(root, "count"), _metric(root, "percent"), _metric(root, "minutes")
    for r in rows:
        if r["value"] in ("474", "44885", "2160"):
            r.update(decision="accept", metric_code=count, unit="count", breakdown="")
        elif r["value_as_printed"] == "12%":
            r.update(decision="accept", metric_code=percent, breakdown="")
        elif r["value_as_printed"] == "16 minutes 16 seconds":
            r.update(decision="accept", metric_code=minutes, breakdown="")
        else:
            r.update(decision="exclude", exclusion_reason="page_number", exclusion_note="slide number")
    # Two accepted rows of one line must differ in their natural key.
    for r in rows:
        if r["value"] == "2160":
            r["breakdown"] = "channel_online"
    _write(path, rows)
    return path


def test_add_report_registers_stores_and_drafts(root, sources, tmp_path, capsys):
    report = tmp_path / "in" / "report.txt"
    report.parent.mkdir()
    report.write_text(SAMPLE, encoding="utf-8")
    before = _fingerprint(paths.DATA_DIR, paths.SEEDS_DIR)
    key = _add(root, sources, report, capsys)
    assert key == KEY
    seed = {d["document_key"]: d for d in _read(root / "seeds" / "source_documents.csv")}
    assert seed[key]["data_to_date"] == "2019-03-31"  # read from "Data to March 2019"
    assert seed[key]["publication_date"] == "2019-04-12"
    assert (sources / seed[key]["source_document"]).read_text(encoding="utf-8") == SAMPLE
    draft = _read(root / "intake" / key / "draft.csv")
    got = {(r["source_line"], r["value"]) for r in draft}
    assert {("6", "474"), ("7", "12"), ("10", "44885"), ("10", "2160")} <= got
    duration = next(r for r in draft if r["value_as_printed"] == "16 minutes 16 seconds")
    assert (duration["unit"], duration["period_start"], duration["period_end"]) == (
        "minutes",
        "2019-02-01",
        "2019-02-28",
    )
    specials = next(r for r in draft if r["value"] == "474")
    assert (specials["period_start"], specials["period_end"]) == ("2019-03-31", "2019-03-31")
    pct = next(r for r in draft if r["value_as_printed"] == "12%")
    assert (pct["measure"], pct["comparison_period_start"], pct["comparison_period_end"]) == (
        "pct_change",
        "2018-01-01",
        "2018-03-31",
    )
    for r in draft:
        codes = r["suggested_metric_codes"].split(";")
        assert 1 <= len(codes) <= 3 and all(c for c in codes)
        assert r["source_snippet"].lower() in " ".join(SAMPLE.splitlines()[int(r["source_line"]) - 1].split()).lower()
    excluded = _read(root / "intake" / key / "excluded.csv")
    assert {(e["source_line"], e["number_as_printed"], e["reason"]) for e in excluded} >= {
        ("11", "16", "duplicate_token")
    }
    assert _fingerprint(paths.DATA_DIR, paths.SEEDS_DIR) == before  # the repository is untouched


def test_a_second_add_with_the_same_key_is_refused(root, sources, tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE, encoding="utf-8")
    _add(root, sources, report, capsys)
    code = intake.main(
        ["--root", str(root), "--sources", str(sources), "add", str(report), "--published", "2019-04-12"]
    )
    assert code == 2 and "already registered" in capsys.readouterr().err


def test_missing_data_to_needs_DATA_TO(root, sources, tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE.replace("Data to March 2019", "Prepared for the panel"), encoding="utf-8")
    args = ["--root", str(root), "--sources", str(sources), "add", str(report)]
    assert intake.main(args) == 2 and "DATA_TO" in capsys.readouterr().err
    assert intake.main([*args, "--data-to", "2019-03-31"]) == 0


def test_pdf_report_keeps_line_numbers_and_numbers(root, sources, tmp_path, capsys):
    lines = SAMPLE.splitlines() * 9  # three pages
    # Pages of 48 lines begin and end with printed lines: blank lines at a page's top or bottom are not in the
    # PDF's text at all (the converter cannot see them), so the text's lines are the printed lines.
    pdf = make_pdf(lines, lines_per_page=48)
    text = pdf_to_text(pdf)
    assert text == pdf_to_text(pdf)  # the same PDF, the same text
    got = text.splitlines()
    assert len(got) == len(lines)
    for n, line in enumerate(lines):
        assert verify_sources.NUMBER.findall(got[n]) == verify_sources.NUMBER.findall(line), f"line {n + 1}"
        assert got[n].split() == line.split(), f"line {n + 1}"
    # Any paging: the printed lines come back in order with their numbers.
    other = pdf_to_text(make_pdf(lines, lines_per_page=40)).splitlines()
    assert [x.split() for x in other if x.strip()] == [x.split() for x in lines if x.strip()]
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf)
    key = _add(root, sources, report, capsys)
    draft = _read(root / "intake" / key / "draft.csv")
    assert {("6", "474"), ("18", "474"), ("10", "44885")} <= {(r["source_line"], r["value"]) for r in draft}


def test_check_and_accept_a_reviewed_draft(root, sources, tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE, encoding="utf-8")
    key = _add(root, sources, report, capsys)
    args = ["--root", str(root), "--sources", str(sources)]
    # Unreviewed: nothing is accepted, numbers are unaccounted, accept refuses and writes nothing.
    before = _fingerprint(root / "data")
    assert intake.main([*args, "accept", key]) == 1
    assert "unaccounted" in capsys.readouterr().out
    assert _fingerprint(root / "data") == before

    _review(root, key)
    assert intake.main([*args, "check", key]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "0 numbers unaccounted, 0 errors" in out
    held_before = len(verify_sources.read_rows(root / "data"))
    assert intake.main([*args, "accept", key]) == 0, capsys.readouterr().out
    capsys.readouterr()
    rows = verify_sources.read_rows(root / "data")
    new = [r for r in rows if r["figure_id"].startswith(f"{key}:")]
    assert len(rows) == held_before + 5 and len(new) == 5
    assert {r["figure_id"] for r in new} >= {f"{key}:6:01", f"{key}:10:01", f"{key}:10:02"}
    ref = read_reference(root / "seeds")
    validate_files({p.name: p.read_bytes() for p in sorted((root / "data").glob("*_figures.csv"))}, ref)
    excl = [e for e in verify_sources.read_exclusions(root / "data" / "exclusions.csv") if KEY in e["source_document"]]
    # From excluded.csv as suggested (heading numbers, the "12" of "12 months", the seconds of the duration)
    # and from the draft row the analyst excluded (the slide number).
    assert {e["reason"] for e in excl} == {"paragraph_number", "date", "duplicate_token", "page_number"}
    if len(list(sources.glob("*.txt"))) > 1:  # the real reports are there too: the whole copy verifies
        out = io.StringIO()
        assert verify_sources.run(sources, root / "data", root / "data" / "exclusions.csv", out=out) == 0, (
            out.getvalue()
        )
    # Accepting twice is refused, and changes nothing.
    before = _fingerprint(root / "data")
    assert intake.main([*args, "accept", key]) == 1
    assert "accepted already" in capsys.readouterr().out
    assert _fingerprint(root / "data") == before


def test_bad_draft_gets_file_row_column_errors_and_changes_nothing(root, sources, tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE, encoding="utf-8")
    key = _add(root, sources, report, capsys)
    path = _review(root, key)
    rows = _read(path)
    n_specials = next(i for i, r in enumerate(rows, start=1) if r["value"] == "474")
    n_calls = next(i for i, r in enumerate(rows, start=1) if r["value"] == "44885")
    n_excluded = next(i for i, r in enumerate(rows, start=1) if r["decision"] == "exclude")
    rows[n_specials - 1]["metric_code"] = "no_such_metric"
    rows[n_calls - 1]["value"] = "44886"  # not what the line prints
    rows[n_calls - 1]["source_snippet"] = "words that are not on the line"
    rows[n_excluded - 1]["exclusion_reason"] = "looked_odd"
    _write(path, rows)
    excluded_path = path.with_name("excluded.csv")
    excluded = _read(excluded_path)
    excluded[0]["reason"] = "seemed_wrong"
    _write(excluded_path, excluded)
    args = ["--root", str(root), "--sources", str(sources)]
    before = _fingerprint(root / "data", root / "seeds")
    assert intake.main([*args, "check", key]) == 1
    out = capsys.readouterr().out
    label = f"intake/{key}/draft.csv"
    assert f"{label}, row {n_specials}, column 'metric_code'" in out
    assert f"{label}, row {n_calls}, column 'value'" in out
    assert f"{label}, row {n_calls}, column 'source_snippet'" in out
    assert f"{label}, row {n_excluded}, column 'exclusion_reason'" in out
    assert f"intake/{key}/excluded.csv, row 1, column 'reason'" in out
    assert intake.main([*args, "accept", key]) == 1
    assert "nothing written" in capsys.readouterr().out
    assert _fingerprint(root / "data", root / "seeds") == before


def test_readme_walk_through_commands_are_make_targets():
    readme = (paths.REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a report", 1)[1].split("\n## ", 1)[0]
    targets = set(re.findall(r"^([a-z][a-z-]+):", (paths.REPO / "Makefile").read_text(encoding="utf-8"), re.M))
    used = set(re.findall(r"\bmake ([a-z][a-z-]+)", section))
    assert {"add-report", "intake-check", "intake-accept", "bench-intake"} <= used
    assert used <= targets


@pytest.mark.e2e
def test_accepted_report_is_loaded_by_the_next_run(tmp_path, capsys):
    """make add-report, review, make intake-accept, make run — in a copy of the project — and the new figures
    and their document are in the warehouse."""
    import duckdb

    from orchestration.lib import project_copy

    copy = project_copy.copy_project(tmp_path / "project")
    sources = tmp_path / "sources"
    sources.mkdir()
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE, encoding="utf-8")
    key = _add(copy, sources, report, capsys)
    _review(copy, key)
    series = review.check(copy, sources, key).series
    assert intake.main(["--root", str(copy), "--sources", str(sources), "accept", key]) == 0
    out = capsys.readouterr().out
    for s in series:
        assert str(s) in out
    # The analyst's series review: the listed series read and recorded as one series with the earlier reports'.
    # (Without it the run's dbt test every_shared_series_is_reviewed fails: the intake lists exactly what it needs.)
    path = copy / "seeds" / "series_register.csv"
    register = _read(path)
    for s in series:
        row = next((r for r in register if r["series_key"] == s.series_key), None)
        if row is None:
            row = {c: "" for c in register[0]}
            row.update(series_key=s.series_key, verdict="one_series", review_note="Synthetic test report.")
            row["reviewed_documents"] = ";".join(s.other_documents)
            register.append(row)
        row["reviewed_documents"] += f";{key}"
    _write(path, register)
    result = project_copy.build(copy)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    with duckdb.connect(str(copy / "warehouse.duckdb"), read_only=True) as con:
        got = con.execute(
            "select figure_id, value from marts.fct_published_figures where figure_id like ? order by figure_id",
            [f"{key}:%"],
        ).fetchall()
    assert [(fid, float(v)) for fid, v in got] == [
        (f"{key}:10:01", 44885.0),
        (f"{key}:10:02", 2160.0),
        (f"{key}:11:01", pytest.approx(16 + 16 / 60)),
        (f"{key}:6:01", 474.0),
        (f"{key}:7:01", 12.0),
    ]


def _furnished_report(seed: int) -> tuple[list[str], dict[str, set[tuple[int, str]]]]:
    """A SYNTHETIC report made up here: a title page, a contents list (dot leaders, spaces and tabs), pages with a
    running header and a "Page n of N" footer, and prose with figures. Returns its lines and, by kind, the
    (line, number) pairs that are furniture and those that are figures."""
    import random

    rnd = random.Random(seed)
    pages = 4
    head = f"Northshire Community Safety Review - Quarter {rnd.randint(1, 4)} - 2031/32"
    lines = [
        head,
        "",
        f"Data to {rnd.choice(['June', 'December'])} 2031",
        f"Issue {rnd.randint(2, 9)}.{rnd.randint(1, 9)}",
    ]
    lines += ["", "Contents", ""]
    topics = ["Safer Streets", "Road Harm", "Neighbourhood Volunteers", "Calls for Service"]
    page = 2
    for n, topic in enumerate(topics, start=1):
        span = rnd.randint(0, 1)
        pages_ref = f"{page}-{page + span}" if span else f"{page}"
        sep = ["\t", " ........ ", "    "][n % 3]
        lines.append(f"Theme {n}: {topic}{sep}{pages_ref}")
        page += span + 1
    furniture: set[tuple[int, str]] = set()
    figures: set[tuple[int, str]] = set()
    for i, raw in enumerate(lines, start=1):
        # Every counted number (a token inside a date shape, as "2031/32", is accounted by verify-sources' rule).
        furniture |= {(i, m.group(0)) for m, rule in verify_sources.number_tokens(raw) if rule is None}
    nouns = ["patrols were completed", "people joined as volunteers", "collisions were attended", "calls were answered"]
    for p in range(1, pages + 1):
        lines += ["", f"{head}    Page {p + 1} of {pages + 1}", ""]
        furniture |= {(len(lines) - 1, str(p + 1)), (len(lines) - 1, str(pages + 1))}
        furniture.add((len(lines) - 1, head.split("Quarter ")[1].split()[0]))
        for noun in nouns:
            value = f"{rnd.randint(20, 900):,}"
            lines.append(
                f"Across the county {value} {noun} during the period, which the partnership board reviewed in detail."
            )
            figures.add((len(lines), value.replace(",", "")))
        lines += ["", f"Northshire Safety Partnership    {p + 1}"]
        furniture.add((len(lines), str(p + 1)))
    return lines, {"furniture": furniture, "figures": figures}


@pytest.mark.parametrize("seed", [1, 2])
def test_page_furniture_of_a_made_up_report_is_excluded_not_drafted(root, sources, tmp_path, capsys, seed):
    lines, truth = _furnished_report(seed)
    report = tmp_path / "furnished.pdf"
    report.write_bytes(make_pdf(lines, lines_per_page=200))
    key = _add(root, sources, report, capsys)
    text = (
        (
            sources
            / next(d for d in _read(root / "seeds" / "source_documents.csv") if d["document_key"] == key)[
                "source_document"
            ]
        )
        .read_text(encoding="utf-8")
        .splitlines()
    )
    assert [x.split() for x in text] == [x.split() for x in lines]  # the line numbers below are the text's
    draft = _read(root / "intake" / key / "draft.csv")
    drafted = {(int(r["source_line"]), r["number_as_printed"].replace(",", "")) for r in draft}
    excluded = {
        (int(e["source_line"]), e["number_as_printed"].replace(",", "")): e["reason"]
        for e in _read(root / "intake" / key / "excluded.csv")
    }
    assert truth["figures"] <= drafted  # every figure drafted
    assert not truth["furniture"] & drafted  # no furniture drafted
    assert truth["furniture"] <= set(excluded)  # all of it excluded, with a reason
    assert {excluded[f] for f in truth["furniture"]} <= {"page_number", "paragraph_number", "document_metadata"}
    pages = {f for f in truth["furniture"] if "Page" in lines[f[0] - 1] or "\t" in lines[f[0] - 1]}
    assert all(excluded[f] == "page_number" for f in pages if not lines[f[0] - 1].startswith("Theme"))


def test_draft_lists_least_sure_first_and_check_counts_undecided_by_band(root, sources, tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE, encoding="utf-8")
    key = _add(root, sources, report, capsys)
    path = root / "intake" / key / "draft.csv"
    draft = _read(path)
    order = [(float(r["review_band"].split("-")[0]), int(r["source_line"]), int(r["number_on_line"])) for r in draft]
    assert order == sorted(order)
    for r in draft:  # the band is the confidence's
        lo, hi = (float(x) for x in r["review_band"].split("-"))
        assert lo <= float(r["confidence"]) < hi or float(r["confidence"]) == hi == 1.0
    args = ["--root", str(root), "--sources", str(sources)]
    intake.main([*args, "check", key])
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("undecided rows by confidence band"))
    counts = dict(re.findall(r"(\d(?:\.\d)?-\d(?:\.\d)?): (\d+)", line))
    assert sum(int(n) for n in counts.values()) == len(draft)
    assert set(counts) == {r["review_band"] for r in draft}
    # Reviewed in any row order, the figure ids still follow the printed order on a line (44,885 before 2,160).
    _review(root, key)
    _write(path, list(reversed(_read(path))))
    assert intake.main([*args, "accept", key]) == 0, capsys.readouterr().out
    ids = {r["printed_value"]: r["figure_id"] for r in verify_sources.read_rows(root / "data") if key in r["figure_id"]}
    assert (ids["44885"], ids["2160"]) == (f"{key}:10:01", f"{key}:10:02")


def test_numbers_in_words_that_are_no_figures_go_to_excluded_csv_with_a_reason(root, sources, tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE + "Over the last three months officers made five arrests.\n", encoding="utf-8")
    key = _add(root, sources, report, capsys)
    line = str(len(SAMPLE.splitlines()) + 1)
    excluded = [e for e in _read(root / "intake" / key / "excluded.csv") if e["source_line"] == line]
    assert [(e["number_as_printed"], e["reason"]) for e in excluded] == [("three", "date")]
    assert "length of a period" in excluded[0]["note"] or "range" in excluded[0]["note"]
    drafted = [r["value_as_printed"] for r in _read(root / "intake" / key / "draft.csv") if r["source_line"] == line]
    assert drafted == ["five"]
    # The reviewed draft checks clean: the word's exclusion is listed, never recorded in data/exclusions.csv.
    path = _review(root, key)
    assert intake.main(["--root", str(root), "--sources", str(sources), "check", key]) == 0, capsys.readouterr().out
    assert not any(e["number_as_printed"] == "three" for e in _read(root / "data" / "exclusions.csv"))
    assert path.exists()


def _fit_inputs(root: Path, sources: Path):
    from orchestration.lib.intake.draft import geography_names
    from orchestration.lib.intake.fit import held_reports

    metrics = _read(root / "seeds" / "metric_catalogue.csv")
    rows = verify_sources.read_rows(root / "data")
    return (
        held_reports(root / "seeds", sources, rows),
        rows,
        metrics,
        {m["metric_code"]: m["unit"] for m in metrics},
        geography_names(root / "seeds"),
    )


def test_fit_cache_is_keyed_by_its_inputs_and_invalidated_when_they_change(root, sources, tmp_path, monkeypatch):
    from orchestration.lib.intake import fit as fit_module
    from orchestration.lib.intake import learn

    reports, rows, metrics, catalogue, geographies = _fit_inputs(root, sources)
    calls = []

    def counting_fit(*args):  # a stand-in for the real fit: this test is about the cache, not the model
        calls.append(len(args[1]))
        return fit_module.Fitted([float(len(calls))] * 3, learn.Confidence([0.5, 1.0], 0.69, [[0.0, 0.25]]), 1, 2)

    monkeypatch.setattr(fit_module, "fit", counting_fit)
    monkeypatch.setattr(fit_module, "_CACHE", {})
    code = tmp_path / "code"
    code.mkdir()
    (code / "model.py").write_text("WEIGHTS = 1\n", encoding="utf-8")
    monkeypatch.setattr(fit_module, "CODE", code)
    cache = tmp_path / "cache"

    def cached(rows_now):
        fit_module._CACHE.clear()  # as a new process would: only the disk remembers
        return fit_module.fit_cached(reports, rows_now, metrics, catalogue, geographies, cache_dir=cache)

    first = cached(rows)
    assert len(calls) == 1 and len(list(cache.glob("*.json"))) == 1
    assert cached(rows) == first and len(calls) == 1  # read back from disk, equal field for field
    changed = [dict(r) for r in rows]
    changed[0]["printed_value"] = str(float(changed[0]["printed_value"]) + 1)  # one data file's cell changes
    assert cached(changed).weights == [2.0] * 3 and len(calls) == 2
    (code / "model.py").write_text("WEIGHTS = 2\n", encoding="utf-8")  # the intake's code changes
    cached(rows)
    assert len(calls) == 3 and len(list(cache.glob("*.json"))) == 3


def test_a_fit_read_back_from_disk_drafts_bit_for_bit_as_the_fit_did(root, sources, tmp_path, monkeypatch):
    """A real fit on the real data (remembered for the session), written to disk and read back."""
    from orchestration.lib.intake import fit as fit_module
    from orchestration.lib.intake.draft import draft_document
    from orchestration.lib.intake.learn import Suggester

    reports, rows, metrics, catalogue, geographies = _fit_inputs(root, sources)
    if len(reports) < 2:
        pytest.skip("needs the report texts (SOURCES)")
    cache = tmp_path / "cache"
    fitted = fit_module.fit_cached(reports, rows, metrics, catalogue, geographies, cache_dir=cache)
    if not list(cache.glob("*.json")):  # remembered by the process already: write it as a first run would
        monkeypatch.setattr(fit_module, "_CACHE", {})
        monkeypatch.setattr(fit_module, "fit", lambda *args: fitted)
        fit_module.fit_cached(reports, rows, metrics, catalogue, geographies, cache_dir=cache)
    monkeypatch.setattr(fit_module, "_CACHE", {})
    monkeypatch.setattr(fit_module, "fit", lambda *args: pytest.fail("the cache was not read"))
    again = fit_module.fit_cached(reports, rows, metrics, catalogue, geographies, cache_dir=cache)
    texts = {r.source_document: r.lines for r in reports}
    report = reports[0]

    def drafted(f):
        suggester = Suggester(rows, metrics, f.weights, texts)
        d = draft_document(
            report.source_document, report.lines, report.data_to, suggester, catalogue, geographies, f.confidence
        )
        return d.rows, d.excluded

    assert again == fitted
    assert drafted(again) == drafted(fitted)
