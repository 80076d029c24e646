"""Level 2, pure helpers of the source checks; then the checks themselves on the real reports."""

from __future__ import annotations

import io

import pytest

from orchestration.lib import paths, verify_sources
from orchestration.lib.verify_sources import auto_excluded_spans, core, printed_magnitude


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("44,885", 44885),
        ("£4.93m", 4_930_000),
        ("38%", 38),
        ("+60.2%", 60.2),
        ("two", 2),
        ("£840k", 840_000),
        ("-0.73", 0.73),
        ("16Kg", 16),
        ("18,833g", 18.833),
        ("16 minutes", 16),
        ("16 minutes 16 seconds", 16 + 16 / 60),
        ("two minutes 36 seconds", 2.6),
        ("3 minutes ten seconds", 3 + 10 / 60),
        ("eight in ten", 80),
        ("second", 2),
        ("joint highest", 1),
        ("zero", 0),
        ("two thirds", 200 / 3),
    ],
)
def test_printed_magnitude(printed, expected):
    assert printed_magnitude(printed) == pytest.approx(expected)


def test_core_strips_separators_and_symbols():
    assert core("£1,234.5m") == "1234.5"
    assert core("no digits") == ""


@pytest.mark.parametrize(
    ("line", "token", "excluded"),
    [
        ("at the end of November 2018 there were", "2018", True),
        ("in 2018/19 v. 201 in 2017/18", " 201 ", False),
        ("on 30th November 2018,", "30", True),
        ("1989 offences in 2019", "1989", False),
        ("roads such as the M25 and B1022", "1022", True),
        ("Q1 2023/24", "1", True),
    ],
)
def test_automatic_date_rules(line, token, excluded):
    start = line.index(token) + (len(token) - len(token.lstrip()))
    token = token.strip()
    covered = any(s <= start and start + len(token) <= e for s, e, _ in auto_excluded_spans(line))
    assert covered is excluded


def test_provenance_flags_a_value_not_on_its_line(tmp_path, sources_dir, good_row):
    from tests.conftest import to_csv

    (tmp_path / "volunteering_figures.csv").write_bytes(
        to_csv([{**good_row, "value": "475", "value_as_printed": "475"}])
    )
    out = io.StringIO()
    verify_sources.run(sources_dir, tmp_path, tmp_path / "none.csv", out=out)
    assert "'475' is not printed on 000_7863e284468cdfda.txt line 34" in out.getvalue()


def test_every_extracted_figure_is_printed_on_its_line(sources_dir):
    lines = verify_sources.load_sources(sources_dir)
    findings = verify_sources.check_provenance(verify_sources.read_rows(paths.DATA_DIR), lines)
    assert not findings, "\n".join(map(str, findings))


def test_every_printed_number_is_extracted_or_excluded(sources_dir):
    lines = verify_sources.load_sources(sources_dir)
    rows = verify_sources.read_rows(paths.DATA_DIR)
    exclusions = verify_sources.read_exclusions(verify_sources.EXCLUSIONS)
    findings, _ = verify_sources.check_completeness(rows, exclusions, lines)
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(map(str, findings[:100]))


def test_every_quotation_in_the_seeds_is_on_its_line(sources_dir):
    findings = verify_sources.check_quotations(paths.SEEDS_DIR, verify_sources.load_sources(sources_dir))
    assert not findings, "\n".join(map(str, findings))


def test_a_series_definition_not_on_its_line_is_reported(tmp_path, sources_dir):
    register = (paths.SEEDS_DIR / "series_register.csv").read_text(encoding="utf-8")
    # The knife-enabled definition quoted against the knife crime line: the words are not printed there.
    assert "knife enabled crime,003_d82f5cbd6ad37a60.txt,298" in register
    (tmp_path / "series_register.csv").write_text(
        register.replace(
            "knife enabled crime,003_d82f5cbd6ad37a60.txt,298", "knife enabled crime,003_d82f5cbd6ad37a60.txt,299"
        ),
        encoding="utf-8",
    )
    findings = verify_sources.check_quotations(tmp_path, verify_sources.load_sources(sources_dir))
    assert [(f.check, f.where) for f in findings] == [("quotation", "series_register.csv row 13 column definition")]
    assert "'knife enabled crime' is not printed on 003_d82f5cbd6ad37a60.txt line 299" in findings[0].message


def test_make_verify_sources_exits_clean(sources_dir):
    out = io.StringIO()
    status = verify_sources.run(sources_dir, out=out)
    assert status == 0, out.getvalue()[-3000:]
    assert "provenance mismatches: 0" in out.getvalue() and "unaccounted numbers: 0" in out.getvalue()


def test_plan_priority_sections_start_at_their_headings(sources_dir):
    import csv

    priorities = {r["priority_code"]: r for r in csv.DictReader((paths.SEEDS_DIR / "plan_priorities.csv").open())}
    lines = verify_sources.load_sources(sources_dir)
    for section in csv.DictReader((paths.SEEDS_DIR / "plan_priority_sections.csv").open()):
        priority = priorities[section["priority_code"]]
        heading = lines[section["source_document"]][int(section["heading_line"]) - 1].lower()
        assert priority["priority_name"].split()[0][:5].lower() in heading, (section, heading)
        if not section["source_document"].startswith("003"):
            assert heading.startswith(f"priority {priority['priority_number']} "), (section, heading)


def test_figure_ids_are_unique_across_domain_files(good_row):
    """The loader validates all the files together: a figure id used in two files is refused, naming both."""
    from orchestration.lib.contract import ContractError, validate_files
    from tests.conftest import to_csv

    files = {"volunteering_figures.csv": to_csv([good_row]), "crime_figures.csv": to_csv([good_row])}
    with pytest.raises(ContractError) as err:
        validate_files(files, None)  # no catalogue: the domain of each file is not in question here
    messages = [str(v) for v in err.value.violations]
    assert any(
        "is also used by volunteering_figures.csv, row 1" in m and m.startswith("crime_figures.csv, row 1")
        for m in messages
    ), messages
