"""The data contract for the extracted-figure CSVs under ``data/``.

One row is one figure as published. This module is the single definition of the
contract: the Dagster loader enforces it, ``verify_sources`` checks rows against
the report text, and ``data/README.md`` documents it (a test keeps the two in step).

It is pure Python (no Dagster, no DuckDB) so that it can be tested and reused alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# The domains with one CSV each: data/<domain>_figures.csv.
DOMAINS = ("crime", "volunteering", "roads", "workforce", "finance", "contact", "confidence")

MEASURES = ("value", "change", "pct_change", "pp_change")
UNITS = (
    "count",
    "hours",
    "hours_per_person",
    "percent",
    "percentage_points",
    "gbp",
    "rate_per_1000",
    "days",
    "minutes",
    "seconds",
    "ratio",
    "score",
    "rank",
    "kilograms",
)
# Units whose values can never be negative when the measure is a level, not a change.
NON_NEGATIVE_UNITS = frozenset(UNITS) - {"score"}

FIGURE_ID = re.compile(r"^(\d{3})-(\d{4})-(\d{2})$")
SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
BREAKDOWN = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*(?:;[a-z0-9]+(?:_[a-z0-9]+)*)*$")
DOCUMENT = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
# A spreadsheet would run a cell beginning with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_SNIPPET_WORDS = 20
ANY_DOMAIN = "*"  # drafts that mix domains; the loader always names one domain


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    required: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "figure_id", "VARCHAR", True, "Stable key `DDD-LLLL-SS`: document number, source line, sequence on the line."
    ),
    Column("metric_code", "VARCHAR", True, "Code from the metric catalogue (`seeds/metric_catalogue.csv`)."),
    Column(
        "measure",
        "VARCHAR",
        True,
        "`value` (the quantity itself), `change`, `pct_change` or `pp_change` against the comparison period.",
    ),
    Column(
        "breakdown",
        "VARCHAR",
        False,
        "Cell of a split (`officers`, `fatal`, `theme_rape`...); empty for the whole quantity.",
    ),
    Column("geography_code", "VARCHAR", True, "Code from `seeds/geographies.csv`; `essex` for force-wide figures."),
    Column(
        "period_start", "DATE", False, "First day of the period (ISO); equal to period_end for a point-in-time level."
    ),
    Column("period_end", "DATE", False, "Last day of the period (ISO)."),
    Column("period_label", "VARCHAR", True, "The period as the report words it, briefly (`3 months to 30 Nov 2018`)."),
    Column("comparison_period_start", "DATE", False, "For changes: first day of the period compared against."),
    Column("comparison_period_end", "DATE", False, "For changes: last day of the period compared against."),
    Column(
        "period_note",
        "VARCHAR",
        False,
        "Why a date is empty or how an ambiguous period was read; required when dates are empty.",
    ),
    Column(
        "value",
        "DOUBLE",
        True,
        "The figure as printed, in the unit's convention (percent 0-100, pounds, signed changes).",
    ),
    Column(
        "value_as_printed",
        "VARCHAR",
        True,
        "The figure exactly as it stands on the source line (`44,885`, `£4.93m`, `-0.73`).",
    ),
    Column("unit", "VARCHAR", True, "Unit of `value`: " + ", ".join(f"`{u}`" for u in UNITS) + "."),
    Column("corrected_value", "DOUBLE", False, "Only when the printed value is evidently wrong: the value it must be."),
    Column(
        "correction_note", "VARCHAR", False, "Why the printed value is judged wrong; required with corrected_value."
    ),
    Column("source_document", "VARCHAR", True, "File name of the source report in the sources folder."),
    Column("source_line", "INTEGER", True, "1-based line number of the source file where the figure is printed."),
    Column(
        "source_snippet",
        "VARCHAR",
        True,
        f"Up to {MAX_SNIPPET_WORDS} words quoted from that line, containing the figure.",
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
# One printed figure per line for a metric, split, area, period and (for changes) comparison period.
NATURAL_KEY = (
    "source_document",
    "source_line",
    "metric_code",
    "measure",
    "breakdown",
    "geography_code",
    "period_start",
    "period_end",
    "comparison_period_start",
    "comparison_period_end",
)


@dataclass(frozen=True)
class Violation:
    """One broken rule, located precisely enough to fix by hand."""

    file: str
    row: int  # 1-based data row number; the header is row 0
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, column {self.column!r}: {self.message}"


class ContractError(ValueError):
    """Raised with every violation found in one file (not just the first)."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        shown = "\n".join(f"  - {v}" for v in violations[:50])
        more = f"\n  ... and {len(violations) - 50} more" if len(violations) > 50 else ""
        super().__init__(f"{len(violations)} data contract violation(s):\n{shown}{more}")


@dataclass
class Reference:
    """Codes a row may use, read from the dbt seeds."""

    metric_domains: Mapping[str, str] = field(default_factory=dict)  # metric_code -> domain
    metric_units: Mapping[str, str] = field(default_factory=dict)  # metric_code -> unit
    geography_codes: frozenset[str] = frozenset()
    source_documents: frozenset[str] = frozenset()


def read_reference(seeds_dir: Path) -> Reference:
    def rows(name: str) -> list[dict[str, str]]:
        with (seeds_dir / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    metrics = rows("metric_catalogue.csv")
    return Reference(
        metric_domains={m["metric_code"]: m["domain"] for m in metrics},
        metric_units={m["metric_code"]: m["unit"] for m in metrics},
        geography_codes=frozenset(g["geography_code"] for g in rows("geographies.csv")),
        source_documents=frozenset(d["source_document"] for d in rows("source_documents.csv")),
    )


def parse_iso_date(text: str) -> date:
    """Strict ISO date: YYYY-MM-DD and a real calendar day."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD)")
    return date.fromisoformat(text)


def parse_number(text: str) -> float:
    """A plain decimal as the contract stores it: no thousands separators, no symbols."""
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(f"{text!r} is not a plain decimal number (digits, optional '-' and '.')")
    return float(text)


def _check_row(row: Mapping[str, str], domain: str, ref: Reference | None) -> Iterable[tuple[str, str]]:
    """Yield (column, message) for each rule the row breaks."""
    for col in COLUMNS:
        text = row.get(col.name, "")
        if text != text.strip():
            yield col.name, "has leading or trailing white space"
        if col.required and not text.strip():
            yield col.name, "is required but empty"
        if col.duckdb_type == "VARCHAR" and text.startswith(FORMULA_PREFIXES) and col.name not in ("value_as_printed",):
            yield col.name, f"starts with {text[0]!r}, which a spreadsheet would run as a formula"

    fid = row.get("figure_id", "")
    m = FIGURE_ID.match(fid)
    if fid and not m:
        yield "figure_id", f"{fid!r} is not of the form DDD-LLLL-SS"

    for name in ("metric_code", "geography_code"):
        if row.get(name) and not SNAKE.match(row[name]):
            yield name, f"{row[name]!r} is not a lower-case snake_case code"
    if row.get("breakdown") and not BREAKDOWN.match(row["breakdown"]):
        yield "breakdown", f"{row['breakdown']!r} is not snake_case (parts joined by ';')"
    if row.get("measure") and row["measure"] not in MEASURES:
        yield "measure", f"{row['measure']!r} is not one of {', '.join(MEASURES)}"
    if row.get("unit") and row["unit"] not in UNITS:
        yield "unit", f"{row['unit']!r} is not one of {', '.join(UNITS)}"

    dates: dict[str, date] = {}
    for name in ("period_start", "period_end", "comparison_period_start", "comparison_period_end"):
        if row.get(name):
            try:
                dates[name] = parse_iso_date(row[name])
            except ValueError as exc:
                yield name, str(exc)
    for start, end in (("period_start", "period_end"), ("comparison_period_start", "comparison_period_end")):
        if bool(row.get(start)) != bool(row.get(end)):
            yield (end if row.get(start) else start), f"{start} and {end} must both be set or both be empty"
        if start in dates and end in dates and dates[start] > dates[end]:
            yield start, f"{start} {dates[start]} is after {end} {dates[end]}"
    if not row.get("period_start") and not row.get("period_note"):
        yield "period_note", "is required when the period dates are empty (say why the period is unknowable)"
    if row.get("measure") == "value" and row.get("comparison_period_start"):
        yield "comparison_period_start", "is only for changes (measure is 'value')"
    if (
        row.get("measure") in ("change", "pct_change", "pp_change")
        and not row.get("comparison_period_start")
        and not row.get("period_note")
    ):
        yield "period_note", "a change with no comparison period must say why in period_note"

    value = None
    if row.get("value"):
        try:
            value = parse_number(row["value"])
        except ValueError as exc:
            yield "value", str(exc)
    if row.get("corrected_value"):
        try:
            parse_number(row["corrected_value"])
        except ValueError as exc:
            yield "corrected_value", str(exc)
        if not row.get("correction_note"):
            yield "correction_note", "is required when corrected_value is set"
    elif row.get("correction_note"):
        yield "corrected_value", "is required when correction_note is set"
    if value is not None and row.get("measure") == "value":
        if row.get("unit") in NON_NEGATIVE_UNITS and value < 0:
            yield "value", f"{value:g} is negative, but a level in {row['unit']!r} cannot be"
        if row.get("unit") == "percent" and value > 100 and not row.get("corrected_value"):
            yield (
                "value",
                f"{value:g} is outside 0-100 for a percentage (record corrected_value and correction_note if misprinted)",
            )

    doc = row.get("source_document", "")
    if doc and not DOCUMENT.match(doc):
        yield "source_document", f"{doc!r} is not a source file name (NNN_<16 hex>.txt)"
    line = None
    if row.get("source_line"):
        if re.fullmatch(r"[1-9]\d*", row["source_line"]):
            line = int(row["source_line"])
        else:
            yield "source_line", f"{row['source_line']!r} is not a positive whole number"
    if m and doc and line is not None and (m.group(1) != doc[:3] or int(m.group(2)) != line):
        yield "figure_id", f"{fid!r} does not match source_document {doc[:3]} and source_line {line}"
    snippet = row.get("source_snippet", "")
    if len(snippet.split()) > MAX_SNIPPET_WORDS:
        yield "source_snippet", f"has {len(snippet.split())} words; quote at most {MAX_SNIPPET_WORDS}"

    if ref is not None:
        code = row.get("metric_code", "")
        if code and code not in ref.metric_domains:
            yield "metric_code", f"{code!r} is not in the metric catalogue"
        elif code and domain != ANY_DOMAIN and ref.metric_domains[code] != domain:
            yield "metric_code", f"{code!r} belongs to domain {ref.metric_domains[code]!r}, not {domain!r}"
        elif code and row.get("measure") == "value" and row.get("unit") and ref.metric_units[code] != row["unit"]:
            yield "unit", f"{row['unit']!r} differs from the catalogue unit {ref.metric_units[code]!r} of {code!r}"
        geo = row.get("geography_code", "")
        if geo and geo not in ref.geography_codes:
            yield "geography_code", f"{geo!r} is not in seeds/geographies.csv"
        if doc and DOCUMENT.match(doc) and doc not in ref.source_documents:
            yield "source_document", f"{doc!r} is not in seeds/source_documents.csv"


def validate_csv_bytes(data: bytes, file: str, domain: str, ref: Reference | None) -> list[dict[str, str]]:
    """Validate one CSV file's bytes against the contract; return its rows or raise ContractError."""
    problems: list[Violation] = []

    def fail(row: int, column: str, message: str) -> ContractError:
        return ContractError([Violation(file, row, column, message)])

    if domain not in DOMAINS and domain != ANY_DOMAIN:
        raise fail(0, "(file)", f"domain {domain!r} is not one of {', '.join(DOMAINS)}")
    if data.startswith(b"\xef\xbb\xbf"):
        raise fail(0, "(file)", "starts with a UTF-8 byte-order mark; save as UTF-8 without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n")
        raise fail(line, "(file)", f"is not valid UTF-8 (byte {exc.start}: {exc.reason})") from None
    if not text.strip():
        raise fail(0, "(file)", "is empty: expected a header and at least one row")
    if not text.endswith("\n"):
        raise fail(text.count("\n"), "(file)", "does not end with a newline: the file may be truncated")

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise fail(0, "(header)", f"cannot be parsed as CSV: {exc}") from None
    missing = [c for c in COLUMN_NAMES if c not in header]
    extra = [c for c in header if c not in COLUMN_NAMES]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("unexpected " + ", ".join(extra))
        raise fail(0, "(header)", "; ".join(parts) + f". Expected exactly: {','.join(COLUMN_NAMES)}")
    if tuple(header) != COLUMN_NAMES:
        raise fail(0, "(header)", f"columns are out of order. Expected: {','.join(COLUMN_NAMES)}")

    rows: list[dict[str, str]] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[str, ...], int] = {}
    n = 0
    try:
        for n, cells in enumerate(reader, start=1):
            if len(cells) != len(header):
                problems.append(Violation(file, n, "(row)", f"has {len(cells)} cells, expected {len(header)}"))
                continue
            row = dict(zip(header, cells, strict=True))
            for column, message in _check_row(row, domain, ref):
                problems.append(Violation(file, n, column, message))
            fid = row["figure_id"]
            if fid in seen_ids:
                problems.append(Violation(file, n, "figure_id", f"{fid!r} duplicates row {seen_ids[fid]}"))
            seen_ids.setdefault(fid, n)
            key = tuple(row[c] for c in NATURAL_KEY)
            if key in seen_keys:
                problems.append(
                    Violation(file, n, "(row)", f"repeats row {seen_keys[key]} (same {', '.join(NATURAL_KEY)})")
                )
            seen_keys.setdefault(key, n)
            rows.append(row)
    except csv.Error as exc:
        problems.append(Violation(file, n + 1, "(row)", f"cannot be parsed as CSV: {exc}"))
    if not rows and not problems:
        problems.append(Violation(file, 0, "(file)", "has a header but no rows"))
    if problems:
        raise ContractError(problems)
    return rows


def domain_of(path: Path) -> str:
    """data/<domain>_figures.csv -> <domain>."""
    if not path.name.endswith("_figures.csv"):
        raise ValueError(f"{path.name}: extracted CSVs are named <domain>_figures.csv")
    return path.name.removesuffix("_figures.csv")


def main(argv: list[str] | None = None) -> int:
    """Validate CSV files from the command line: ``python -m orchestration.contract FILE...``."""
    import argparse

    parser = argparse.ArgumentParser(description="Validate extracted-figure CSVs against the data contract.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parent.parent / "seeds")
    parser.add_argument("--any-domain", action="store_true", help="allow metrics of every domain in one file (drafts)")
    parser.add_argument("--extra-catalogue", type=Path, action="append", default=[], help="more metric rows (drafts)")
    args = parser.parse_args(argv)
    ref = read_reference(args.seeds)
    for extra in args.extra_catalogue:
        with extra.open(encoding="utf-8", newline="") as f:
            for m in csv.DictReader(f):
                ref.metric_domains = {**ref.metric_domains, m["metric_code"]: m["domain"]}
                ref.metric_units = {**ref.metric_units, m["metric_code"]: m["unit"]}
    status = 0
    for path in args.files:
        domain = ANY_DOMAIN if args.any_domain else domain_of(path)
        try:
            rows = validate_csv_bytes(path.read_bytes(), path.name, domain, ref)
            print(f"{path}: {len(rows)} rows, no violations")
        except ContractError as exc:
            print(f"{path}: {exc}")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
