"""Page furniture: the numbers a report prints about itself, not about policing, found from the text's structure.

Three shapes, none tied to a report's wording:

* the **front matter**: the short lines before the first line of prose or the first contents entry (title, quarter
  label, date, "data to" and version lines);
* a **contents list**: three or more lines (blank lines between allowed) that each end with a page number or a
  page range (after a tab, dot leaders or spaces; an identifier-like bookmark may follow), the pages never going
  back; the first page at most ``MAX_FIRST_PAGE``; the block in the first third of the text;
* **running headers and footers**: a short line whose shape (digits masked) recurs on three or more lines spread
  over the text, with its numbers constant (a label) or rising from one occurrence to the next (page numbers).

``find`` maps a line index to the reason and note of every number on it (or, for a contents entry, the page part
and the entry's own number apart); the draft sends these to ``excluded.csv`` and never drafts them.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from orchestration.lib.intake import context

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
# A contents entry: words, then a page or page range at the end of the line (a bookmark token may follow).
# The end of a contents entry: a page or page range after dot leaders, a tab or spaces (a bookmark token may follow).
# Searched from the end of a line whose part before it has a letter (a regex over the whole line backtracks badly).
CONTENTS_TAIL = re.compile(
    r"(?:\s*\.{2,}\s*|\t+\s*|\s+)(?P<pages>(?P<first>\d{1,3})(?:\s*[-\u2013]\s*(?P<last>\d{1,3}))?)"
    r"(?:\s*\t?\s*[A-Za-z_]\w*)?\s*$"
)
MAX_FIRST_PAGE = 10
PROSE_WORDS = 12  # two lines of this many words in a row are a wrapped paragraph: the front matter has ended
SENTENCE_WORDS = 6  # ... as has a line of this many words ending a sentence
MIN_REPEATS = 3
MAX_FRONT_LINES = 60  # a text with no prose near the top: only its first lines can be a title page
RUNNING_WORDS = 10  # running headers and footers are short


@dataclass(frozen=True)
class Mark:
    reason: str  # one of verify_sources.EXCLUSION_REASONS
    note: str
    start: int = 0  # the characters of the line it covers
    end: int = 1 << 30


def _words(raw: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", raw))


def _shape(raw: str) -> str:
    return re.sub(r"\s+", " ", NUMBER.sub("#", raw)).strip().lower()


def contents_entry(raw: str) -> re.Match[str] | None:
    """The page part of a contents entry (words, then a page or page range ending the line), or None."""
    m = CONTENTS_TAIL.search(raw.rstrip())
    return m if m and re.search(r"[A-Za-z]", raw[: m.start()]) else None


def contents_blocks(lines: Sequence[str]) -> list[list[int]]:
    """Runs of contents entries: line indexes of each run of three or more, pages not going back."""
    limit = max(40, len(lines) // 3)
    blocks: list[list[int]] = []
    run: list[int] = []
    last_page = 0

    def close() -> None:
        if len(run) >= MIN_REPEATS:
            blocks.append(list(run))

    for i, raw in enumerate(lines[:limit]):
        if not raw.strip():
            continue
        m = contents_entry(raw)
        ok = m is not None and not context.is_table_row(raw.replace(m.group("pages"), "", 1))
        if ok:
            first = int(m.group("first"))
            last = int(m.group("last") or first)
            if last < first:
                ok = False
            elif run and first < last_page:
                close()
                run = []
            if ok and not run and first > MAX_FIRST_PAGE:
                ok = False
        if not ok:
            close()
            run = []
            continue
        run.append(i)
        last_page = last
    close()
    return blocks


def _prose(lines: Sequence[str], i: int) -> bool:
    """A line of prose: a sentence of some words, or a long line wrapped onto another long line."""
    raw = lines[i].rstrip()
    if context.is_table_row(raw):
        return False
    if _words(raw) >= SENTENCE_WORDS and raw.endswith((".", ";", "!", "?")):
        return True
    return _words(raw) >= PROSE_WORDS and i + 1 < len(lines) and _words(lines[i + 1]) >= PROSE_WORDS


def front_matter_end(lines: Sequence[str], contents: Sequence[Sequence[int]]) -> int:
    """Index of the first line of prose or table (or the first contents entry): the front matter is before it."""
    first_entry = min((b[0] for b in contents), default=len(lines))
    for i in range(min(first_entry, MAX_FRONT_LINES)):
        if _prose(lines, i) or context.is_table_row(lines[i]):
            return i
    return min(first_entry, MAX_FRONT_LINES)


def running_lines(lines: Sequence[str]) -> dict[int, Mark]:
    """Short lines whose shape recurs over the text with constant or rising numbers: headers and footers."""
    by_shape: dict[str, list[int]] = defaultdict(list)
    for i, raw in enumerate(lines):
        if (
            not NUMBER.search(raw)
            or not 1 <= _words(raw) <= RUNNING_WORDS
            or "\t" in raw
            or raw.rstrip().endswith((".", ";", "!", "?", ":"))  # a sentence or a lead-in said again, no furniture
        ):
            continue
        by_shape[_shape(raw)].append(i)
    out: dict[int, Mark] = {}
    span = max(1, len(lines))
    for idxs in by_shape.values():
        if len(idxs) < MIN_REPEATS or (idxs[-1] - idxs[0]) < span // 4:
            continue
        columns = list(zip(*(NUMBER.findall(lines[i]) for i in idxs), strict=False))
        if any(len(NUMBER.findall(lines[i])) != len(columns) for i in idxs):
            continue
        rising = []
        for col in columns:
            vals = [float(v.replace(",", "")) for v in col]
            if len(set(vals)) == 1:
                rising.append(False)
            elif all(a < b for a, b in itertools.pairwise(vals)):
                rising.append(True)
            else:
                break  # numbers that vary but do not rise: a repeated statement, not furniture
        else:
            mark = (
                Mark("page_number", "running header or footer with a page number")
                if any(rising)
                else Mark("document_metadata", "running header or footer")
            )
            out.update(dict.fromkeys(idxs, mark))
    return out


def find(lines: Sequence[str]) -> dict[int, list[Mark]]:
    """Line index -> the furniture marks of its numbers (the first mark covering a number applies)."""
    marks: dict[int, list[Mark]] = defaultdict(list)
    blocks = contents_blocks(lines)
    for block in blocks:
        for i in block:
            raw = lines[i].rstrip()
            m = contents_entry(raw)
            if m is None:
                continue
            marks[i].append(Mark("page_number", "contents entry: its page", m.start("pages"), m.end("pages")))
            marks[i].append(Mark("paragraph_number", "contents entry: its section number", 0, m.start("pages")))
    for i in range(front_matter_end(lines, blocks)):
        marks[i].append(Mark("document_metadata", "front matter (title, date, version lines)"))
    for i, mark in running_lines(lines).items():
        marks[i].append(mark)
    return dict(marks)


def mark_at(marks: dict[int, list[Mark]], idx: int, start: int) -> Mark | None:
    """The furniture mark of the number starting at ``start`` on line ``idx``, or None."""
    return next((m for m in marks.get(idx, ()) if m.start <= start < m.end), None)
