"""The data contract of the extracted-figure CSVs under ``data/``, as code.

The vocabulary (columns, types, required, measures, units, limits) lives in one file,
``data/contract.yml``; this module reads it and enforces it. The Dagster loader calls
:func:`validate_files` before it writes anything, ``verify_sources`` checks rows against the report
text, and ``orchestration.lib.generate`` writes the dbt source, the column docs and the table in
``data/README.md`` from the same file. Codes that are reference data (metrics and their domains,
geographies, documents) are read from the dbt seeds.

Every rule about a row is stated here and only here: the dbt models downstream test what they
derive, not the rows again.

Pure Python (no Dagster, no DuckDB) so that it can be tested and reused alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

CONTRACT_FILE = Path(__file__).resolve().parents[2] / "data" / "contract.yml"
_SPEC = yaml.safe_load(CONTRACT_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    required: bool
    description: str


COLUMNS: tuple[Column, ...] = tuple(
    Column(c["name"], c["type"], bool(c["required"]), " ".join(c["description"].split())) for c in _SPEC["columns"]
)
LINEAGE_COLUMNS: tuple[Column, ...] = tuple(
    Column(c["name"], c["type"], False, " ".join(c["description"].split())) for c in _SPEC["lineage_columns"]
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
MEASURES: dict[str, str] = dict(_SPEC["measures"])
UNITS: dict[str, str] = {code: spec["description"] for code, spec in _SPEC["units"].items()}
# Units whose values can never be negative when the measure is a level, not a change.
NON_NEGATIVE_UNITS = frozenset(code for code, spec in _SPEC["units"].items() if spec["non_negative"])
MAX_SNIPPET_WORDS: int = _SPEC["limits"]["max_snippet_words"]

# <document_key>:<line>:<sequence>, e.g. pcp-update-2018-12:34:02. No ceiling on documents or lines.
DOCUMENT_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIGURE_ID = re.compile(r"^(?P<document_key>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<line>[1-9]\d*):(?P<sequence>\d{2,})$")
SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
BREAKDOWN = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*(?:;[a-z0-9]+(?:_[a-z0-9]+)*)*$")
# A plain file name in the sources folder: no folders, no leading dot.
DOCUMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$")
# A spreadsheet would run a cell beginning with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ANY_DOMAIN = "*"  # drafts that mix domains; the loader always names one domain


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
    document_keys: Mapping[str, str] = field(default_factory=dict)  # source_document (file name) -> document_key

    @property
    def domains(self) -> frozenset[str]:
        """The domains are the metric catalogue's: a new domain is a catalogue row and a CSV, nothing more."""
        return frozenset(self.metric_domains.values())


def read_reference(seeds_dir: Path) -> Reference:
    def rows(name: str) -> list[dict[str, str]]:
        with (seeds_dir / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    metrics = rows("metric_catalogue.csv")
    return Reference(
        metric_domains={m["metric_code"]: m["domain"] for m in metrics},
        metric_units={m["metric_code"]: m["unit"] for m in metrics},
        geography_codes=frozenset(g["geography_code"] for g in rows("geographies.csv")),
        document_keys={d["source_document"]: d["document_key"] for d in rows("source_documents.csv")},
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
        if col.duckdb_type == "VARCHAR" and text.startswith(FORMULA_PREFIXES) and col.name != "value_as_printed":
            yield col.name, f"starts with {text[0]!r}, which a spreadsheet would run as a formula"

    fid = row.get("figure_id", "")
    m = FIGURE_ID.match(fid)
    if fid and not m:
        yield (
            "figure_id",
            f"{fid!r} is not of the form <document_key>:<line>:<sequence> (e.g. pcp-update-2018-12:34:02)",
        )

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
    if row.get("printed_value"):
        try:
            value = parse_number(row["printed_value"])
        except ValueError as exc:
            yield "printed_value", str(exc)
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
            yield "printed_value", f"{value:g} is negative, but a level in {row['unit']!r} cannot be"
        if row.get("unit") == "percent" and value > 100 and not row.get("corrected_value"):
            yield (
                "printed_value",
                f"{value:g} is outside 0-100 for a percentage (record corrected_value and correction_note if misprinted)",
            )

    doc = row.get("source_document", "")
    if doc and not DOCUMENT.match(doc):
        yield "source_document", f"{doc!r} is not a file name in the sources folder (<name>.txt, no folders)"
    line = None
    if row.get("source_line"):
        if re.fullmatch(r"[1-9]\d*", row["source_line"]):
            line = int(row["source_line"])
        else:
            yield "source_line", f"{row['source_line']!r} is not a positive whole number"
    if m and line is not None and int(m["line"]) != line:
        yield "figure_id", f"{fid!r} does not match source_line {line}"
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
        if doc and DOCUMENT.match(doc) and doc not in ref.document_keys:
            yield "source_document", f"{doc!r} is not in seeds/source_documents.csv"
        elif m and doc in ref.document_keys and m["document_key"] != ref.document_keys[doc]:
            yield (
                "figure_id",
                f"{fid!r} does not match source_document {doc} (document key {ref.document_keys[doc]!r})",
            )


def validate_csv_bytes(data: bytes, file: str, domain: str, ref: Reference | None) -> list[dict[str, str]]:
    """Validate one CSV file's bytes against the contract; return its rows or raise ContractError."""
    problems: list[Violation] = []

    def fail(row: int, column: str, message: str) -> ContractError:
        return ContractError([Violation(file, row, column, message)])

    if ref is not None and domain not in ref.domains and domain != ANY_DOMAIN:
        raise fail(
            0, "(file)", f"domain {domain!r} is not a domain of the metric catalogue ({', '.join(sorted(ref.domains))})"
        )
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


def validate_files(files: Mapping[str, bytes], ref: Reference | None) -> dict[str, list[dict[str, str]]]:
    """Validate every figures file (name -> bytes) and the keys across them; return their rows or raise
    ContractError with every violation of every file (not just the first file's)."""
    problems: list[Violation] = []
    rows_by_file: dict[str, list[dict[str, str]]] = {}
    for name, data in files.items():
        try:
            rows_by_file[name] = validate_csv_bytes(data, name, domain_of(Path(name)), ref)
        except ContractError as exc:
            problems.extend(exc.violations)
    # figure_id is the key of one table across all the files.
    first_use: dict[str, tuple[str, int]] = {}
    for name, rows in rows_by_file.items():
        for n, row in enumerate(rows, start=1):
            where = first_use.setdefault(row["figure_id"], (name, n))
            if where != (name, n) and where[0] != name:
                problems.append(
                    Violation(name, n, "figure_id", f"{row['figure_id']!r} is also used by {where[0]}, row {where[1]}")
                )
    if problems:
        raise ContractError(problems)
    return rows_by_file


def domain_of(path: Path) -> str:
    """data/<domain>_figures.csv -> <domain>."""
    if not path.name.endswith("_figures.csv"):
        raise ValueError(f"{path.name}: extracted CSVs are named <domain>_figures.csv")
    return path.name.removesuffix("_figures.csv")


def main(argv: list[str] | None = None) -> int:
    """Validate CSV files from the command line: ``python -m orchestration.cli.validate FILE...``."""
    import argparse

    parser = argparse.ArgumentParser(description="Validate extracted-figure CSVs against the data contract.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[2] / "seeds")
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
