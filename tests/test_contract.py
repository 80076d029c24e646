"""Level 2, pure helpers: the data contract accepts good rows and names file, row and column of bad ones."""

from __future__ import annotations

import pytest

from orchestration.lib.contract import SNAKE, ContractError, Reference, validate_csv_bytes, validate_files
from tests.conftest import to_csv


def violations(data: bytes, reference, domain: str = "volunteering") -> list[str]:
    with pytest.raises(ContractError) as err:
        validate_csv_bytes(data, "volunteering_figures.csv", domain, reference)
    return [str(v) for v in err.value.violations]


def test_good_row_passes(good_row, reference):
    rows = validate_csv_bytes(to_csv([good_row]), "volunteering_figures.csv", "volunteering", reference)
    assert rows == [good_row]


@pytest.mark.parametrize(
    ("column", "bad", "expected"),
    [
        ("metric_code", "specials_headcont", "not in the metric catalogue"),
        ("geography_code", "atlantis", "not in seeds/geographies.csv"),
        ("measure", "level", "is not one of"),
        ("unit", "people", "is not one of"),
        ("period_start", "2018-02-30", "day is out of range"),
        ("period_start", "30/11/2018", "not an ISO date"),
        ("printed_value", "4,74", "not a plain decimal"),
        ("printed_value", "-474", "negative"),
        ("source_line", "0", "not a positive whole number"),
        ("figure_id", "pcp-update-2018-12:35:02", "does not match source_line 34"),
        ("figure_id", "cps-report-2022-12:34:02", "does not match source_document"),
        ("figure_id", "000-0034-02", "is not of the form <document_key>:<line>:<sequence>"),
        ("source_document", "../000_7863e284468cdfda.txt", "not a file name in the sources folder"),
        ("source_snippet", "=HYPERLINK(1)", "formula"),
        ("period_label", "", "required but empty"),
        ("breakdown", "Officers", "not snake_case"),
    ],
)
def test_bad_cell_is_named_by_row_and_column(good_row, reference, column, bad, expected):
    found = violations(to_csv([{**good_row, column: bad}]), reference)
    assert any(f"row 1, column {column!r}" in v and expected in v for v in found), found


def test_percent_level_outside_range_needs_a_correction(good_row, reference):
    row = {**good_row, "metric_code": "specials_headcount", "unit": "percent", "printed_value": "428"}
    found = violations(to_csv([row]), reference)
    assert any("outside 0-100" in v for v in found)


def test_domain_of_metric_must_match_file(good_row, reference):
    found = violations(to_csv([good_row]), reference, domain="crime")
    assert any("belongs to domain 'volunteering'" in v for v in found)


def test_missing_and_extra_columns_are_listed(good_row, reference):
    header = (*(c for c in good_row if c != "unit"), "comment")
    found = violations(to_csv([good_row], header=header), reference)
    assert found == [found[0]] and "missing unit" in found[0] and "unexpected comment" in found[0]


def test_duplicate_figure_id_names_both_rows(good_row, reference):
    found = violations(to_csv([good_row, good_row]), reference)
    assert any("row 2, column 'figure_id'" in v and "duplicates row 1" in v for v in found)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbffigure_id\n", "byte-order mark"),
        (b"figure_id\n\xff\xfe\n", "not valid UTF-8"),
    ],
)
def test_unreadable_files_are_rejected(reference, data, expected):
    assert any(expected in v for v in violations(data, reference))


def test_truncated_file_is_rejected(good_row, reference):
    data = to_csv([good_row])[:-20]
    assert any("truncated" in v for v in violations(data, reference))


def test_metric_catalogue_uses_contract_units_and_domains(reference):
    import csv

    from orchestration.lib import paths
    from orchestration.lib.contract import UNITS

    catalogue = list(csv.DictReader((paths.SEEDS_DIR / "metric_catalogue.csv").open(encoding="utf-8")))
    assert len(catalogue) == len(reference.metric_domains), "metric codes must be unique"
    bad = [
        (m["metric_code"], m["unit"], m["domain"])
        for m in catalogue
        if m["unit"] not in UNITS or not SNAKE.match(m["domain"])
    ]
    assert not bad
    # A ratio or rate is never summed over time; a stock takes its last value.
    wrong = [
        m["metric_code"]
        for m in catalogue
        if (m["metric_type"] in ("ratio", "rate") and m["time_aggregation"] == "sum")
        or (m["metric_type"] == "stock" and m["time_aggregation"] == "sum")
    ]
    assert not wrong, wrong


def test_keys_have_no_ceiling_on_documents_or_lines(good_row, reference):
    """A register of thousands of documents with lines past 9,999: the keys of earlier releases
    (DDD-LLLL-SS) could hold neither."""
    documents = {f"synthetic-report-{n:05d}.txt": f"synthetic-report-{n:05d}" for n in range(2500)}
    ref = Reference(
        metric_domains=reference.metric_domains,
        metric_units=reference.metric_units,
        geography_codes=reference.geography_codes,
        document_keys=documents,
    )
    rows = [
        {
            **good_row,
            "figure_id": f"synthetic-report-{n:05d}:{12345 + n}:01",
            "source_document": f"synthetic-report-{n:05d}.txt",
            "source_line": str(12345 + n),
        }
        for n in range(0, 2500, 7)
    ]
    assert len(validate_files({"volunteering_figures.csv": to_csv(rows)}, ref)["volunteering_figures.csv"]) == len(rows)


def test_domains_come_from_the_metric_catalogue(good_row, reference):
    """A file's domain is any domain of the catalogue; an unknown one is refused by name."""
    assert reference.domains >= {"crime", "volunteering", "roads", "workforce"}
    with pytest.raises(ContractError, match="not a domain of the metric catalogue"):
        validate_files({"weather_figures.csv": to_csv([good_row])}, reference)
