"""Tables and headings in a report text: which lines are rows, the header above a row (its columns' periods), and
the heading a line sits under."""

from __future__ import annotations

import re
from collections.abc import Sequence

NUMERIC_CELL = re.compile(r"[-+£(]?[\d,.]+%?\)?")
HEADING_WORDS = 10  # a heading is a short line that is no sentence
HEADING_REACH = 40  # lines


def cells(raw: str) -> list[str]:
    return [c.strip() for c in raw.split("\t")]


def is_table_row(raw: str) -> bool:
    """A tab-separated line with two or more numeric cells."""
    cs = [c for c in cells(raw) if c]
    return len(cs) >= 2 and sum(bool(NUMERIC_CELL.fullmatch(c)) for c in cs) >= 2


def wordy(raw: str) -> bool:
    return len(re.findall(r"[A-Za-z]{3,}", raw)) >= 1


def header(lines: Sequence[str], idx: int, depth: int = 3) -> list[str] | None:
    """Header cells (joined over up to ``depth`` header lines) of the table whose row is lines[idx]."""
    heads: list[list[str]] = []
    i = idx - 1
    while i >= 0 and idx - i <= 8 and len(heads) < depth:
        raw = lines[i]
        if not raw.strip():
            if heads:
                break
            i -= 1
            continue
        if is_table_row(raw) or not wordy(raw):
            if heads:
                break
            i -= 1
            continue  # another data row of the same table
        if "\t" not in raw:
            break
        heads.insert(0, cells(raw))
        i -= 1
    if not heads:
        return None
    width = max(len(h) for h in heads)
    return [" ".join(h[j] for h in heads if j < len(h) and h[j]) for j in range(width)]


def headings(lines: Sequence[str]) -> list[str]:
    """For each line, the nearest heading above it within ``HEADING_REACH`` lines: a short line that is no sentence,
    no bullet and no table row (a section's or a table's title)."""
    out: list[str] = []
    last, at = "", -HEADING_REACH - 1
    for i, raw in enumerate(lines):
        out.append(last if i - at <= HEADING_REACH else "")
        text = raw.strip()
        n = len(re.findall(r"[A-Za-z]{2,}", text))
        if (
            1 <= n <= HEADING_WORDS
            and not text.endswith((".", ",", ";"))
            and not text.startswith(("-", "\u2022", "*"))
            and not is_table_row(raw)
        ):
            last, at = text, i
    return out


def heading_context(lines: Sequence[str]) -> list[str]:
    """For each line, the words it sits under: its heading, and a table row's column header too."""
    heads = headings(lines)
    return [
        " ".join([heads[i], *(header(lines, i) or [])]) if "\t" in raw and is_table_row(raw) else heads[i]
        for i, raw in enumerate(lines)
    ]
