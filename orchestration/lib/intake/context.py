"""Tables in a report text: which lines are rows, and the header above a row (its columns' periods)."""

from __future__ import annotations

import re
from collections.abc import Sequence

NUMERIC_CELL = re.compile(r"[-+£(]?[\d,.]+%?\)?")


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
