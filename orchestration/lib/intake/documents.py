"""A new report into the sources folder and the source documents seed.

* a PDF becomes text through pypdf's layout mode (pure Python, from PyPI): one text line per printed line,
  pages one after another with no separator line, trailing spaces dropped. The same PDF always gives the same
  text, so a line number is a stable locator, as for the texts already in the sources folder;
* the data-to date is read from the text where it is printed ("Data to March 2019", "Data to: June 2023") or
  given (``DATA_TO``); a month means its last day;
* the document key is a slug of the title and the month of the publication (or data-to) date:
  "Police and Crime Plan quarterly update", 2019-04-12 -> ``police-crime-plan-quarterly-update-2019-04``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.lib.contract import DOCUMENT_KEY
from orchestration.lib.intake.periods import MONTH_NAMES, month_end

SEED_COLUMNS = (
    "document_key",
    "source_document",
    "document_title",
    "publisher",
    "document_type",
    "publication_date",
    "data_to_date",
    "version",
    "plan_period",
    "notes",
)
_MON = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
DATA_TO = re.compile(
    rf"^\W*data\s+(?:up\s+)?to\s*:?\s*(?:the\s+end\s+of\s+)?(?P<day>\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
    rf"(?P<mon>{_MON})\.?\s+(?P<year>(?:19|20)\d{{2}})\b",
    re.I,
)
SLUG_STOPWORDS = frozenset(["a", "an", "and", "of", "the", "for", "to", "in", "on", "q1", "q2", "q3", "q4"])


class IntakeError(ValueError):
    """A problem with the command's inputs, said in one line."""


def pdf_to_text(data: bytes) -> str:
    """The text of a PDF, line for line as laid out (pypdf's layout mode)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    lines: list[str] = []
    for page in reader.pages:
        text = page.extract_text(extraction_mode="layout") or ""
        lines.extend(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def read_report(path: Path) -> str:
    """A report's text: a PDF converted, a text file as it is (UTF-8)."""
    data = path.read_bytes()
    if data.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return pdf_to_text(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IntakeError(f"{path} is neither a PDF nor UTF-8 text ({exc.reason} at byte {exc.start})") from None


def find_data_to(text: str, head_lines: int = 80) -> date | None:
    """The data-to date printed near the top of a report ("Data to November 2018" -> 2018-11-30)."""
    for line in text.splitlines()[:head_lines]:
        m = DATA_TO.match(line.strip())
        if m:
            y, mon = int(m["year"]), MONTH_NAMES[m["mon"].lower()]
            if m["day"]:
                return date(y, mon, int(re.match(r"\d+", m["day"]).group(0)))
            return month_end(y, mon)
    return None


def find_title(text: str) -> str:
    """The first line with words on it: a fallback title when none is given."""
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 2 and re.search(r"[A-Za-z]{3}", line):
            return " ".join(words)[:120]
    return "Untitled report"


def slug(title: str, when: date | None) -> str:
    """A document key from a title and a date: lower case words joined by '-', years dropped, month appended."""
    words = [w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in SLUG_STOPWORDS]
    words = [w for w in words if not re.fullmatch(r"(?:19|20)\d{2}|\d{1,2}", w)][:6]
    parts = [*words, *([f"{when:%Y-%m}"] if when else [])]
    key = "-".join(parts) or "report"
    assert DOCUMENT_KEY.match(key), key
    return key


def read_seed(seeds_dir: Path) -> list[dict[str, str]]:
    with (seeds_dir / "source_documents.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass
class Registered:
    document_key: str
    source_document: str
    data_to: date
    text_path: Path
    lines: list[str]
    data_to_source: str  # "text, line N" or "DATA_TO"


def register(
    report: Path,
    sources: Path,
    seeds_dir: Path,
    title: str | None = None,
    published: date | None = None,
    data_to: date | None = None,
    key: str | None = None,
) -> Registered:
    """Store the report's text in the sources folder and append its row to seeds/source_documents.csv."""
    if not report.is_file():
        raise IntakeError(f"no such file: {report}")
    text = read_report(report)
    if not re.search(r"\d", text):
        raise IntakeError(f"{report}: no text with numbers could be read (a scanned PDF needs OCR first)")
    printed = find_data_to(text)
    source = "DATA_TO"
    if data_to is None:
        if printed is None:
            raise IntakeError(f"{report}: no 'Data to <Month> <Year>' line near the top; give it: DATA_TO=YYYY-MM-DD")
        data_to, source = printed, "printed in the text"
    title = title or find_title(text)
    seed = read_seed(seeds_dir)
    keys = {d["document_key"] for d in seed}
    key = key or slug(title, published or data_to)
    if not DOCUMENT_KEY.match(key):
        raise IntakeError(f"document key {key!r} is not a lower-case slug (letters, digits and '-')")
    if key in keys:
        raise IntakeError(
            f"document key {key!r} is already registered in seeds/source_documents.csv; give another with KEY=..."
        )
    name = f"{key}.txt"
    target = sources / name
    if target.exists() and target.read_text(encoding="utf-8") != text:
        raise IntakeError(f"{target} exists with other text; not overwritten")
    sources.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    row = {c: "" for c in SEED_COLUMNS}
    row.update(
        document_key=key,
        source_document=name,
        document_title=title,
        publication_date=published.isoformat() if published else "",
        data_to_date=data_to.isoformat(),
        notes=f"Added by make add-report from {report.name}; data-to date {source}.",
    )
    path = seeds_dir / "source_documents.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=header, lineterminator="\n", extrasaction="ignore").writerow(row)
    return Registered(key, name, data_to, target, text.splitlines(), source)
