"""Check the extracted figures against the report texts.

Two checks, both run by ``make verify-sources [SOURCES=dir]`` and by the test suite:

* provenance: every row's ``value_as_printed`` stands on its cited line, its snippet
  is quoted from that line, and its ``value`` is what the printed figure says;
* completeness: every number printed in the reports is extracted, or listed in
  ``data/exclusions.csv`` with a reason, or is part of a date or period label
  (the only automatic rule; see ``AUTO_RULES``);
* quotations: what the reference seeds quote from a report (``QUOTED_SEEDS``: series
  definitions, series-break snippets, claims) stands on the line they cite.

Pure Python: it reads CSV and text files and prints what it finds.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.paths import DEFAULTS

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SOURCES = (REPO / DEFAULTS["SOURCES"]).resolve()
DATA = REPO / "data"
SEEDS = REPO / "seeds"
# Seeds that quote a report: file -> (quotation column, document column, line column). An empty
# quotation is not checked (a series whose definition is the metric catalogue's quotes nothing).
QUOTED_SEEDS = {
    "series_register.csv": ("definition", "definition_source_document", "definition_source_line"),
    "series_breaks.csv": ("snippet", "source_document", "source_line"),
    "claims.csv": ("claim_text", "source_document", "source_line"),
}
EXCLUSIONS = DATA / "exclusions.csv"
EXCLUSION_COLUMNS = ("source_document", "source_line", "number_as_printed", "reason", "note")
EXCLUSION_REASONS = {
    "page_number": "a page number or contents-page reference",
    "paragraph_number": "a paragraph, section, list or heading number",
    "date": "part of a date, time or period label not matched by the automatic rule",
    "identifier": "part of a name, code, collar number, phone number, address or version",
    "document_metadata": "agenda number, version or other detail of the paper itself",
    "age_or_threshold": "an age, a size band or a threshold that qualifies another figure",
    "legislation": "a section, act or regulation number",
    "out_of_scope": "a figure outside the four domains and not extracted (the note says which kind)",
    "duplicate_token": "the same token printed twice in one figure (for example a split table cell)",
    "not_a_figure": "a digit that is no quantity (for example a product or operation name); the note says why",
}

# Numbers: digits with optional thousands separators and decimals.
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Period and date shapes. Tokens inside a match are parts of a date, not figures.
AUTO_RULES: dict[str, re.Pattern[str]] = {
    "iso_or_slash_date": re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"),
    "day_month_year": re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b\.?(?:,?\s+\d{{4}})?", re.I),
    "month_day": re.compile(rf"\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)\b", re.I),
    "month_year": re.compile(rf"\b(?:{MONTHS})[-\s']+\d{{2}}(?:\d{{2}})?\b", re.I),
    "financial_year": re.compile(r"\b(?:19|20)\d{2}\s?[/-]\s?(?:19|20)?\d{2}\b"),
    "quarter_label": re.compile(r"\bQ[1-4]\b"),
    "year_in_period_phrase": re.compile(
        r"\b(?:in|since|from|to|by|of|between|and|until|during|for|before|after|year|end|ending|summer|"
        r"spring|autumn|winter|calendar|early|late|mid|last|this|throughout|across|within)\s+(?:19|20)\d{2}\b(?![,.]\d)",
        re.I,
    ),
    # Road numbers, quarter and unit codes: letters run straight into the digits (M25, B1022, A21).
    "letter_code": re.compile(r"\b[A-Za-z]+\d+[A-Za-z0-9]*\b"),
    "year_range": re.compile(r"\b(?:19|20)\d{2}\s?(?:-|\u2013|to)\s?(?:19|20)\d{2}\b"),
}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100, "half": 50, "a third": 100 / 3,
    "a quarter": 25, "double": 100, "doubled": 100, "treble": 200, "tripled": 200, "zero": 0,
    "two thirds": 200 / 3, "three quarters": 75,
    # Ordinal ranks ("the second largest", "the sixth lowest"); the metric's definition says which way it counts.
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "joint highest": 1, "joint lowest": 1,
}  # fmt: skip
# "eight in ten" is a share: 80 per cent.
SHARE_IN = re.compile(r"^(\w+) in (ten|\d+)$")
_COUNT = r"(\d+|" + "|".join(w for w in WORD_NUMBERS if " " not in w) + ")"
DURATION = re.compile(rf"\b{_COUNT}\s*min(?:ute)?s?\s*(?:and\s*)?{_COUNT}\s*sec(?:ond)?s?")
# Masses are stored in kilograms, so a printed "g" scales down and "kg" stands as it is.
MULTIPLIERS = (
    ("kg", 1.0),
    ("g", 1e-3),
    ("bn", 1e9),
    ("billion", 1e9),
    ("m", 1e6),
    ("million", 1e6),
    ("k", 1e3),
    ("thousand", 1e3),
)


def core(number_text: str) -> str:
    """The digits of a printed number with separators removed: '£4.93m' -> '4.93', '44,885' -> '44885'."""
    m = NUMBER.search(number_text)
    return m.group(0).replace(",", "") if m else ""


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def printed_magnitude(printed: str) -> float | None:
    """The quantity a printed figure states, unsigned, with k/m/bn multipliers applied."""
    text = printed.strip().lower()
    duration = DURATION.search(text)
    if duration:  # "16 minutes 16 seconds", "two minutes 36 seconds": one figure, in minutes
        minutes, seconds = (int(g) if g.isdigit() else WORD_NUMBERS[g] for g in duration.groups())
        return minutes + seconds / 60
    share = SHARE_IN.match(text)
    if share and share.group(1) in WORD_NUMBERS:
        whole = 10 if share.group(2) == "ten" else int(share.group(2))
        return WORD_NUMBERS[share.group(1)] / whole * 100
    c = core(text)
    if not c:
        return float(WORD_NUMBERS[text]) if text in WORD_NUMBERS else None
    rest = text[text.find(c[0]) :]
    after = NUMBER.sub("", rest, count=1).strip()
    for suffix, factor in MULTIPLIERS:
        # A multiplier is a word of its own: "£4.93m" is millions, "16kg" and "16 minutes" are not.
        if re.match(rf"{suffix}(?![a-z])", after):
            return float(c) * factor
    return float(c)


def tolerance(stored: str, printed: str, magnitude: float) -> float:
    """Digits must match exactly; a word figure ("two thirds") may be stored rounded to the digits kept."""
    if core(printed):
        return 1e-9 * max(1.0, magnitude)
    decimals = len(stored.partition(".")[2])
    return 0.5 * 10**-decimals + 1e-12


def printed_negative(printed: str) -> bool:
    return bool(re.match("^\\s*[-\u2212\u2013(]", printed))


@dataclass(frozen=True)
class Finding:
    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"


def read_rows(data_dir: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted(data_dir.glob("*_figures.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f), start=1):
                row["_where"] = f"{path.name} row {i} ({row.get('figure_id', '?')})"
                rows.append(row)
    return rows


def read_exclusions(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows, start=1):
        row["_where"] = f"{path.name} row {i}"
    return rows


def check_provenance(rows: Iterable[dict[str, str]], lines: dict[str, list[str]]) -> list[Finding]:
    findings = []
    for row in rows:
        where, doc, printed = row["_where"], row["source_document"], row["value_as_printed"]
        if doc not in lines:
            findings.append(Finding("provenance", where, f"source document {doc!r} not found"))
            continue
        n = int(row["source_line"])
        if not 1 <= n <= len(lines[doc]):
            findings.append(Finding("provenance", where, f"line {n} is outside {doc} ({len(lines[doc])} lines)"))
            continue
        line = normalise(lines[doc][n - 1])
        if normalise(printed).lower() not in line.lower():
            findings.append(Finding("provenance", where, f"{printed!r} is not printed on {doc} line {n}"))
        snippet = normalise(row["source_snippet"])
        if snippet.lower() not in line.lower():
            findings.append(Finding("provenance", where, f"snippet is not quoted from {doc} line {n}: {snippet!r}"))
        elif normalise(printed).lower() not in snippet.lower():
            findings.append(Finding("provenance", where, f"snippet does not contain the figure {printed!r}"))
        magnitude = printed_magnitude(printed)
        value = float(row["printed_value"])
        if magnitude is None:
            findings.append(Finding("provenance", where, f"cannot read a number from value_as_printed {printed!r}"))
        elif abs(abs(value) - magnitude) > tolerance(row["printed_value"], printed, magnitude):
            findings.append(
                Finding("provenance", where, f"printed_value {row['printed_value']} does not match printed {printed!r}")
            )
        elif printed_negative(printed) and value > 0:
            findings.append(
                Finding(
                    "provenance", where, f"printed {printed!r} is negative but printed_value is {row['printed_value']}"
                )
            )
        elif row["measure"] == "value" and value < 0 and not printed_negative(printed):
            findings.append(Finding("provenance", where, f"a level printed {printed!r} is stored negative"))
    return findings


def auto_excluded_spans(line: str) -> list[tuple[int, int, str]]:
    spans = []
    for rule, pattern in AUTO_RULES.items():
        spans.extend((m.start(), m.end(), rule) for m in pattern.finditer(line))
    return spans


def number_tokens(line: str) -> list[tuple[re.Match[str], str | None]]:
    """Every number printed on a line, each with the automatic rule (a date shape) it stands inside, or None.

    The one place that says what a number on a line is: the completeness check and the report intake
    (``orchestration.lib.intake``) both read lines through it.
    """
    spans = auto_excluded_spans(line)
    return [(m, next((r for s, e, r in spans if s <= m.start() and m.end() <= e), None)) for m in NUMBER.finditer(line)]


def check_completeness(
    rows: Sequence[dict[str, str]], exclusions: Sequence[dict[str, str]], lines: dict[str, list[str]]
) -> tuple[list[Finding], Counter[str]]:
    """Every number token on every line must be extracted, excluded, or inside a date."""
    claimed: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["source_document"] in lines and core(row["value_as_printed"]):
            claimed[(row["source_document"], int(row["source_line"]))][core(row["value_as_printed"])] += 1
    findings: list[Finding] = []
    for ex in exclusions:
        if ex["reason"] not in EXCLUSION_REASONS:
            findings.append(
                Finding(
                    "exclusions", ex["_where"], f"reason {ex['reason']!r} is not one of {sorted(EXCLUSION_REASONS)}"
                )
            )
        if ex["reason"] in ("out_of_scope", "not_a_figure") and not ex.get("note", "").strip():
            findings.append(Finding("exclusions", ex["_where"], f"reason {ex['reason']!r} needs a note"))
        doc, n = ex["source_document"], int(ex["source_line"])
        if doc not in lines or not 1 <= n <= len(lines[doc]):
            findings.append(Finding("exclusions", ex["_where"], f"{doc} line {n} does not exist"))
            continue
        if core(ex["number_as_printed"]) not in [core(t) for t in NUMBER.findall(lines[doc][n - 1])]:
            findings.append(
                Finding("exclusions", ex["_where"], f"{ex['number_as_printed']!r} is not printed on {doc} line {n}")
            )
        claimed[(doc, n)][core(ex["number_as_printed"])] += 1

    auto_counts: Counter[str] = Counter()
    for doc, doc_lines in sorted(lines.items()):
        for n, raw in enumerate(doc_lines, start=1):
            available = Counter(claimed.get((doc, n), {}))
            for m, rule in number_tokens(raw):
                token = m.group(0).replace(",", "")
                if available[token] > 0:
                    available[token] -= 1
                    continue
                if rule:
                    auto_counts[rule] += 1
                    continue
                context = normalise(raw[max(0, m.start() - 40) : m.end() + 40])
                findings.append(
                    Finding(
                        "completeness", f"{doc}:{n}", f"{m.group(0)!r} is neither extracted nor excluded: …{context}…"
                    )
                )
    return findings, auto_counts


def check_quotations(seeds_dir: Path, lines: dict[str, list[str]]) -> list[Finding]:
    """Every quotation in ``QUOTED_SEEDS`` is printed on the line it cites."""
    findings = []
    for name, (text_col, doc_col, line_col) in QUOTED_SEEDS.items():
        path = seeds_dir / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f), start=1):
                quote = normalise(row[text_col])
                if not quote:
                    continue
                where, doc = f"{name} row {i} column {text_col}", row[doc_col]
                if doc not in lines:
                    findings.append(Finding("quotation", where, f"source document {doc!r} not found"))
                    continue
                n = int(row[line_col] or 0)
                if not 1 <= n <= len(lines[doc]):
                    findings.append(Finding("quotation", where, f"line {n} is outside {doc}"))
                elif quote.lower() not in normalise(lines[doc][n - 1]).lower():
                    findings.append(Finding("quotation", where, f"{quote!r} is not printed on {doc} line {n}"))
    return findings


def load_sources(sources: Path) -> dict[str, list[str]]:
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(sources.glob("*.txt"))}


def run(
    sources: Path, data_dir: Path = DATA, exclusions: Path = EXCLUSIONS, out=sys.stdout, seeds_dir: Path = SEEDS
) -> int:
    lines = load_sources(sources)
    if not lines:
        print(f"no source texts (*.txt) in {sources}", file=out)
        return 2
    rows = read_rows(data_dir)
    excl = read_exclusions(exclusions)
    provenance = check_provenance(rows, lines)
    completeness, auto_counts = check_completeness(rows, excl, lines)
    quotations = check_quotations(seeds_dir, lines)
    for finding in [*provenance, *completeness, *quotations]:
        print(finding, file=out)
    by_doc = Counter(r["source_document"] for r in rows)
    print(f"\nsources: {sources} ({len(lines)} documents, {sum(map(len, lines.values()))} lines)", file=out)
    print(f"extracted rows: {len(rows)} ({', '.join(f'{d[:3]}: {c}' for d, c in sorted(by_doc.items()))})", file=out)
    print(
        f"exclusions: {len(excl)}; numbers inside dates (automatic): {sum(auto_counts.values())} {dict(auto_counts)}",
        file=out,
    )
    print(f"provenance mismatches: {len(provenance)}", file=out)
    print(f"unaccounted numbers: {sum(f.check == 'completeness' for f in completeness)}", file=out)
    print(f"exclusion errors: {sum(f.check == 'exclusions' for f in completeness)}", file=out)
    print(f"quotations in seeds not on their line: {len(quotations)}", file=out)
    return 1 if provenance or completeness or quotations else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="?", type=Path, default=DEFAULT_SOURCES, help="folder of report texts")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of *_figures.csv")
    parser.add_argument("--exclusions", type=Path, default=EXCLUSIONS)
    args = parser.parse_args(argv)
    return run(args.sources, args.data, args.exclusions)
