"""Draft a report: every printed number as a candidate figure row (draft.csv) or a suggested exclusion (excluded.csv)."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from orchestration.lib.intake import context, furniture, learn, numbers
from orchestration.lib.intake.periods import Reading, add_months, month_end, period_for
from orchestration.lib.intake.ranker import propose_code
from orchestration.lib.intake.ranker import words as ranker_words
from orchestration.lib.verify_sources import EXCLUSION_COLUMNS

DRAFT_COLUMNS = (
    "decision",  # empty (undecided), accept or exclude
    "review_band",  # the confidence band: the draft lists the least sure rows first
    "source_line",
    "number_on_line",  # the how-many-th printed number of the line: keeps figure ids in line order
    "value_as_printed",
    "value",
    "unit",
    "measure",
    "metric_code",  # the code to load: the best suggestion, to be confirmed or changed
    "suggested_metric_codes",
    "confidence",
    "breakdown",
    "geography_code",
    "period_start",
    "period_end",
    "period_label",
    "comparison_period_start",
    "comparison_period_end",
    "period_note",
    "corrected_value",
    "correction_note",
    "source_snippet",
    "number_as_printed",  # the token verify-sources counts (digits), or the words of a word figure
    "exclusion_reason",  # for decision = exclude: one of verify-sources' reasons
    "exclusion_note",
)
DECISIONS = ("", "accept", "exclude")
# Below this coverage (share of the sentence's words the best earlier snippet shares) the draft adds a new metric
# code to the suggestions when they are fewer than three: nothing earlier reads like it.
NEW_BELOW = 0.05
SECTION_LINES = 12  # non-blank lines before a figure that say which domain its section is about
FY_LABEL = re.compile(r"(?<![\d/])((?:19|20)\d{2})\s?/\s?(?:(?:19|20)\d{2}|\d{2})(?![\d/])")


@dataclass
class Draft:
    rows: list[dict[str, str]]
    excluded: list[dict[str, str]]
    # Per row (in ``rows``' order, before sorting for review): candidate codes with their features, and the row
    # features: what the benchmark and ``learn.fit_on_held`` fit on.
    candidates: list[tuple[list[str], list[list[float]]]] = field(default_factory=list)
    row_features: list[list[float]] = field(default_factory=list)


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _table_reading(lines: Sequence[str], idx: int, c: numbers.Candidate, data_to: date) -> tuple[Reading, str] | None:
    """The period of a table cell from its column header: (reading, measure) or None."""
    raw = lines[idx]
    if "\t" not in raw or not context.is_table_row(raw):
        return None
    header = context.header(lines, idx)
    if not header:
        return None
    cells = raw.split("\t")
    col = raw[: c.start].count("\t")
    # Align from the right when the row has a label cell the header lacks (or the other way round).
    j = col - (len(cells) - len(header))
    if not 0 <= j < len(header):
        return None
    head = header[j]
    periods = []
    for h in header:
        r = period_for(h, 0, 0, data_to) if h else None
        periods.append(r if r and r.start else None)
    if re.search(r"\bdiff|\bchange|\bvariance", head, re.I):
        known = [p for p in periods[:j] if p]
        measure = "pct_change" if "%" in head or "%" in c.value_as_printed else "change"
        if len(known) >= 2:
            last, first = known[-1], known[0]
            return (
                Reading(
                    last.start,
                    last.end,
                    f"{last.label} vs {first.label}",
                    first.start,
                    first.end,
                ),
                measure,
            )
        return None
    if periods[j]:
        return periods[j], c.measure
    return None


LIST_ITEM = re.compile(r"^\s*(?:[-•*\u2022]|\d{1,2}[.)])\s+")


def _lead_in_reading(lines: Sequence[str], idx: int, data_to: date, measure: str) -> Reading | None:
    """A list item with no period of its own takes the period its lead-in names ("… achievements in 2020/21:"
    above the list): up over the items before it to the first line that is not one, which must end in a colon."""
    if not LIST_ITEM.match(lines[idx]):
        return None
    k = idx - 1
    while k >= 0 and (LIST_ITEM.match(lines[k]) or not lines[k].strip()):
        if LIST_ITEM.match(lines[k]) and lines[k].rstrip().endswith(":"):
            break  # the lead-in is itself an item ("- … in 2020/21:")
        k -= 1
    if k < 0 or not lines[k].rstrip().endswith(":"):
        return None
    lead = lines[k].rstrip()
    r = period_for(lead, len(lead), len(lead), data_to, measure)
    if r.start is None:
        return None
    # Noted: a lead-in may frame the list ("Delivery achieved April-Sept 2022:") or only one item's history.
    return replace(
        r, label=f"{r.label} (the list's lead-in)", note=f"read from the lead-in of the list on line {k + 1}"
    )


def _fy_month_reading(raw: str, c: numbers.Candidate) -> Reading | None:
    """A row labelled with a financial year followed by twelve monthly cells: April to March."""
    labels = [m for m in FY_LABEL.finditer(raw) if m.end() <= c.start]
    if not labels or "\t" not in raw:
        return None
    label = labels[-1]
    block = raw[label.end() :]
    cells = [x for x in block.split("\t") if x.strip()]
    nxt = FY_LABEL.search(block)
    block_cells = [x for x in (block[: nxt.start()] if nxt else block).split("\t") if x.strip()]
    if len(block_cells) < 12 or not cells:
        return None
    k = len([x for x in raw[label.end() : c.start].split("\t") if x.strip()])
    if k >= 12:
        return None
    start = add_months(date(int(label.group(1)), 4, 1), k)
    return Reading(start, month_end(start.year, start.month), f"{start:%b %Y} (FY {label.group(0)})")


def _geography(snippet: str, names: Mapping[str, str]) -> str:
    low = snippet.lower()
    hits = [code for name, code in names.items() if re.search(rf"\b{re.escape(name)}\b", low)]
    return hits[0] if len(hits) == 1 else "essex"


def geography_names(seeds_dir: Path) -> dict[str, str]:
    """Names an analyst would see in a sentence, for the districts and LPAs (the force is the default)."""
    with (seeds_dir / "geographies.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    names: dict[str, str] = {}
    for g in rows:
        if g["geography_level"] in ("district", "lpa"):
            names[g["geography_name"].lower().replace(" local policing area", " lpa")] = g["geography_code"]
    return names


def _section(lines: Sequence[str], idx: int, reach: int = SECTION_LINES) -> str:
    """The non-blank lines before lines[idx] (up to ``reach``) and the line itself: the section a figure is in."""
    before = [x.strip() for x in lines[max(0, idx - 3 * reach) : idx] if x.strip()][-reach:]
    return " ".join([*before, lines[idx].strip()])


def draft_document(
    source_document: str,
    lines: Sequence[str],
    data_to: date,
    suggester: learn.Suggester | None,
    catalogue: Mapping[str, str],
    geographies: Mapping[str, str] | None = None,
    confidence: learn.Confidence | None = None,
) -> Draft:
    """Every printed number of a document: a candidate row, or a suggested exclusion.

    ``confidence`` (fitted by ``learn``) turns a row's features into the probability that its first suggestion
    is right; without it the column is the coverage of the best earlier snippet (uncalibrated)."""
    rows: list[dict[str, str]] = []
    excluded: list[dict[str, str]] = []
    cands: list[tuple[list[str], list[list[float]]]] = []
    feats: list[list[float]] = []
    pending: list[tuple[numbers.Candidate, str, str, Reading, learn.Context]] = []
    marks = furniture.find(lines)
    heads = context.heading_context(lines)
    for idx, raw in enumerate(lines):
        for c in numbers.candidates(idx + 1, raw):
            mark = None if c.exclusion else furniture.mark_at(marks, idx, c.start)
            if mark is not None:
                if c.word:
                    continue  # a number in words on the page furniture: nothing to draft, nothing to account
                c.exclusion, c.exclusion_note = mark.reason, mark.note
            if c.exclusion:
                # A number in words is listed too (not counted by verify-sources, so ``intake-accept`` records
                # nothing for it): the reviewer sees why it was not drafted.
                excluded.append(
                    {
                        "source_document": source_document,
                        "source_line": str(c.line),
                        "number_as_printed": c.number_as_printed,
                        "reason": c.exclusion,
                        "note": f"suggested by the intake: {c.exclusion_note}".rstrip(": "),
                    }
                )
                continue
            snip = numbers.snippet(raw, c.start, c.end)
            measure = c.measure
            table = _table_reading(lines, idx, c, data_to)
            fy_month = None if table else _fy_month_reading(raw, c)
            if table:
                reading, measure = table
            elif fy_month:
                reading = fy_month
            else:
                reading = period_for(raw, c.start, c.end, data_to, measure)
                if reading.start is None:
                    reading = _lead_in_reading(lines, idx, data_to, measure) or reading
            cell = "\t" in raw and context.is_table_row(raw)
            ctx = learn.Context(
                snippet=snip,
                unit=c.unit,
                measure=measure,
                near=numbers.snippet(raw, c.start, c.end, max_words=7),
                section=_section(lines, idx),
                heading=heads[idx],
                table_cell=cell,
                in_words=c.word,
                value=c.value,
                line=raw,
                start=c.start,
            )
            pending.append((c, snip, measure, reading, ctx))
    # Every figure's candidates at once: the second stage looks at the first stage's choices around each figure.
    suggested: Sequence[learn.Suggestion | None] = (
        suggester.rank_all([p[-1] for p in pending])
        if suggester is not None and suggester.ranker.rows
        else [None] * len(pending)
    )
    for (c, snip, measure, reading, ctx), got in zip(pending, suggested, strict=True):
        suggestions: list[str] = []
        probability = 0.0
        breakdown = ""
        codes: list[str] = []
        vectors: list[list[float]] = []
        row_feats = learn.row_features(ctx, [])
        if got is not None:
            codes, vectors, row_feats, coverage = got.codes, got.base, got.row_features, got.coverage
            suggestions = [code for code, _ in got.ranked if code in catalogue]
            probability = confidence(row_feats) if confidence and confidence.weights else coverage
            if suggestions:
                breakdown = suggester.breakdown(suggestions[0], snip)
            # A sentence with words of which no earlier snippet shares enough: propose a new code too. (A bare
            # table row has no words to judge by: its ranking rests on unit, measure and how common a metric is.)
            if coverage < NEW_BELOW and ranker_words(snip) and len(suggestions) < 3:
                suggestions = [*suggestions, propose_code(snip, c.value_as_printed)]
        if not suggestions:
            suggestions = [propose_code(snip, c.value_as_printed)]
        probability = round(probability, 2)  # the band is the printed confidence's: 0.0999 is 0.10
        unit = c.unit
        if measure == "value" and suggestions and suggestions[0] in catalogue and c.unit == "count":
            unit = catalogue[suggestions[0]]  # a bare number takes the unit of its metric
        note = reading.note
        if c.word:
            note = (note + "; " if note else "") + "printed in words"
        cands.append((codes, vectors))
        feats.append(row_feats)
        rows.append(
            {
                "decision": "",
                "review_band": learn.band(probability),
                "source_line": str(c.line),
                "number_on_line": str(c.seq),
                "value_as_printed": c.value_as_printed,
                "value": numbers.format_value(c.value),
                "unit": unit,
                "measure": measure,
                "metric_code": suggestions[0] if suggestions and not suggestions[0].startswith("new:") else "",
                "suggested_metric_codes": ";".join(suggestions[:3]),
                "confidence": f"{probability:.2f}",
                "breakdown": breakdown,
                "geography_code": _geography(snip, geographies or {}),
                "period_start": _iso(reading.start),
                "period_end": _iso(reading.end),
                "period_label": reading.label,
                "comparison_period_start": _iso(reading.comparison_start) if measure != "value" else "",
                "comparison_period_end": _iso(reading.comparison_end) if measure != "value" else "",
                "period_note": note,
                "corrected_value": "",
                "correction_note": "",
                "source_snippet": snip,
                "number_as_printed": c.number_as_printed,
                "exclusion_reason": "",
                "exclusion_note": "",
            }
        )
    return Draft(rows, excluded, cands, feats)


def review_order(rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """The rows least likely right first (by confidence band, then in reading order): the review starts there."""
    return sorted(
        (dict(r) for r in rows),
        key=lambda r: (float(r["review_band"].split("-")[0]), int(r["source_line"]), int(r["number_on_line"])),
    )


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_draft(folder: Path, draft: Draft) -> tuple[Path, Path]:
    write_csv(folder / "draft.csv", DRAFT_COLUMNS, review_order(draft.rows))
    write_csv(folder / "excluded.csv", EXCLUSION_COLUMNS, draft.excluded)
    return folder / "draft.csv", folder / "excluded.csv"
