"""The period a figure describes, read from the words around it, relative to the report's data-to date.

``find_periods(text, data_to)`` lists every period phrase in a text with its place; ``period_for`` picks the
one nearest a figure in its sentence. Phrases read (examples):

* windows: "in the three months to 31 March 2019", "12 months ending Sep 2022", "12 Month ending September 21";
* quarters: "Q1 2023/24", "2020/21 Q1", "this quarter", "during the last quarter" (the quarter to the data-to date);
* financial and calendar years: "2019/20", "2016/17 to 2020/21", "financial year to date", "in 2020"; within a
  span of financial years, the two ends of "from 60 per cent to 69 per cent" are its first and last years, and a
  change across it is its last year against its first;
* months and points: "October 2018", "October to December 2020", "April-Sept 2022", "at the end of September"
  (the latest September up to the data-to date), "as at 30 June 2023", "as of 22/06/2023", "currently" (the
  data-to date);
* comparisons: "compared with ... at the same time last year", "on the same period last year", "previous year"
  (a level "in the previous year" is the year before the period its sentence names);
* a sentence with no period of its own ("During the year, …") takes the nearest on its line.

Financial years run April to March. A month printed without a year is the latest such month up to the data-to
date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

MONTH_NAMES = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MON = r"(?:" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_NUMWORD = {"one": 1, "two": 2, "three": 3, "six": 6, "nine": 9, "twelve": 12, "eighteen": 18, "twenty-four": 24}
_N = r"(?:\d{1,2}|" + "|".join(_NUMWORD) + ")"
_YEAR = r"(?:19|20)\d{2}"
_Y2 = r"(?:(?:19|20)?\d{2})"
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    pos: int = 0  # where the phrase stands in the text
    end_pos: int = 0
    comparison: bool = False  # a phrase naming the comparison ("same time last year")
    kind: str = ""  # the rule that read it (``RULES``)


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(d: date, n: int) -> date:
    """First day of the month n months after d's month."""
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def shift_year(d: date, years: int = -1) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def financial_year_start(d: date) -> int:
    """The year the financial year of ``d`` starts in (1 April to 31 March): ``macros/financial_calendar.sql`` in
    Python, for the intake; tests/test_one_definition.py checks both agree on every date in data/."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def quarter_of(data_to: date) -> tuple[date, date]:
    """The three months to the end of the data-to date's month."""
    end = month_end(data_to.year, data_to.month)
    return add_months(end, -2), end


def _year(text: str | None, month: int, data_to: date) -> int:
    if text:
        y = int(text)
        return y + 2000 if y < 100 else y
    return data_to.year if month <= data_to.month else data_to.year - 1


def _month(text: str) -> int:
    return MONTH_NAMES[text.lower().rstrip(".")]


def _n(text: str) -> int:
    return int(text) if text.isdigit() else _NUMWORD[text.lower()]


def _fy_start(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


RULES: list[tuple[re.Pattern[str], str]] = [
    # "three months to 31 March 2019", "12 months ending Sep 2022", "12 Month ending September 21"
    (
        re.compile(
            rf"\b(?P<n>{_N})[-\s]months?\s+(?:period\s+)?(?:to|ending|up to|until)\s+(?:the\s+)?(?:end\s+(?:of\s+)?)?"
            rf"(?P<day>\d{{1,2}})?(?:st|nd|rd|th)?\s*(?P<mon>{_MON})(?:\s+|')?(?P<year>{_Y2}\b)?",
            re.I,
        ),
        "window",
    ),
    (re.compile(rf"\b(?P<q>Q[1-4])\s+(?P<fy>{_YEAR})\s?[/-]\s?\d{{2,4}}\b", re.I), "fy_quarter"),
    (re.compile(rf"\b(?P<fy>{_YEAR})\s?[/-]\s?\d{{2,4}}\s+(?P<q>Q[1-4])\b", re.I), "fy_quarter"),
    (
        re.compile(
            rf"\b(?P<fy>{_YEAR})\s?/\s?(?:{_YEAR}|\d{{2}})\s+(?:to|and|-|\u2013)\s+(?P<fy2>{_YEAR})\s?/\s?(?:{_YEAR}|\d{{2}})\b"
        ),
        "fy_span",
    ),
    (re.compile(rf"\b(?:FY\s?)?(?P<fy>{_YEAR})\s?/\s?(?P<fy_end>{_YEAR}|\d{{2}})\b"), "fy"),
    (re.compile(rf"\b(?P<fy>{_YEAR})-(?P<fy_end>\d{{2}})\b(?!-)"), "fy"),
    (
        re.compile(
            r"\b(?:financial\s+)?year[\s-]to[\s-]date\b|\bsince the (?:beginning|start) of the (?:financial )?year\b"
            r"|\bfYTD\b|\bYTD\b",
            re.I,
        ),
        "ytd",
    ),
    (
        re.compile(r"\b(?:this|the last|last|the|during the|previous|past)\s+quarter\b|\bquarter\s+(?:on|to)\b", re.I),
        "quarter",
    ),
    (
        re.compile(
            rf"\b(?P<day1>\d{{1,2}})?(?:st|nd|rd|th)?\s*(?P<mon1>{_MON})(?:\s+(?P<year1>{_YEAR}))?"
            rf"(?:\s*(?:-|\u2013)\s*|\s+(?:to|until|and)\s+)"
            rf"(?:the\s+)?(?:end\s+of\s+)?(?P<day2>\d{{1,2}})?(?:st|nd|rd|th)?\s*(?P<mon2>{_MON})\s+(?P<year2>{_YEAR})\b",
            re.I,
        ),
        "month_range",
    ),
    (
        re.compile(
            rf"\b(?:as\s+(?:at|of)|at\s+the\s+end\s+of|by\s+the\s+end\s+of|end\s+of|at|on)\s+(?:the\s+)?"
            rf"(?P<day>\d{{1,2}})?(?:st|nd|rd|th)?\s*(?P<mon>{_MON})(?:\s+(?P<year>{_YEAR}))?\b",
            re.I,
        ),
        "point",
    ),
    (
        re.compile(
            rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|\u2013|to)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MON})"
            rf"(?:\s+(?P<year>{_YEAR}))?\b",
            re.I,
        ),
        "day_range",
    ),
    (re.compile(r"\bas\s+(?:at|of)\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{2,4})\b", re.I), "point_numeric"),
    (re.compile(rf"\b(?P<mon>{_MON})[\s'-]+(?P<year>{_YEAR}|\d{{2}})\b", re.I), "month"),
    (re.compile(rf"\b(?:in|during|throughout|for|calendar year)\s+(?P<year>{_YEAR})\b(?![/-]\d)", re.I), "calendar"),
    (re.compile(rf"\b(?P<year>{_YEAR})\s+calendar\s+year\b", re.I), "calendar"),
    (re.compile(r"\b(?:currently|at present|presently|now|to date|current|at the time of writing)\b", re.I), "now"),
]
COMPARISON = re.compile(
    r"\b(?:same\s+(?:period|time|quarter|months?)\s+(?:last|the previous|in the previous|of the previous)\s+year"
    r"|(?:on|than|from|compared (?:with|to))\s+(?:the\s+)?(?:last|previous)\s+year|year[\s-]on[\s-]year"
    r"|previous\s+12\s+months|previous\s+year)\b",
    re.I,
)


def _period(kind: str, m: re.Match[str], data_to: date) -> tuple[date, date] | None:
    g = m.groupdict()
    if kind == "window":
        mon = _month(g["mon"])
        y = _year(g["year"], mon, data_to)
        end = date(y, mon, int(g["day"])) if g["day"] else month_end(y, mon)
        return add_months(end, 1 - _n(g["n"])), end
    if kind == "fy_quarter":
        fy, q = _fy_start(g["fy"]), int(g["q"][1])
        start = add_months(date(fy, 4, 1), 3 * (q - 1))
        return start, month_end(add_months(start, 2).year, add_months(start, 2).month)
    if kind == "fy_span":
        return financial_year(int(g["fy"]))[0], financial_year(int(g["fy2"]))[1]
    if kind == "fy":
        fy = int(g["fy"])
        end = int(g["fy_end"])
        end = end if end > 99 else (fy // 100) * 100 + end
        if end != fy + 1:
            return None  # "2016/2020": not one financial year
        return financial_year(fy)
    if kind == "ytd":
        return date(financial_year_start(data_to), 4, 1), data_to
    if kind == "quarter":
        return quarter_of(data_to)
    if kind == "month_range":
        m1, m2 = _month(g["mon1"]), _month(g["mon2"])
        y2 = int(g["year2"])
        y1 = int(g["year1"]) if g["year1"] else (y2 if m1 <= m2 else y2 - 1)
        start = date(y1, m1, int(g["day1"])) if g["day1"] else date(y1, m1, 1)
        end = date(y2, m2, int(g["day2"])) if g["day2"] else month_end(y2, m2)
        return start, end
    if kind == "point":
        mon = _month(g["mon"])
        y = _year(g["year"], mon, data_to)
        d = date(y, mon, int(g["day"])) if g["day"] else month_end(y, mon)
        return d, d
    if kind == "day_range":
        mon = _month(g["mon"])
        y = _year(g["year"], mon, data_to)
        return date(y, mon, int(g["d1"])), date(y, mon, int(g["d2"]))
    if kind == "point_numeric":
        y = int(g["y"])
        d = date(y + 2000 if y < 100 else y, int(g["m"]), int(g["d"]))
        return d, d
    if kind == "month":
        mon = _month(g["mon"])
        y = _year(g["year"], mon, data_to)
        return date(y, mon, 1), month_end(y, mon)
    if kind == "calendar":
        y = int(g["year"])
        return date(y, 1, 1), date(y, 12, 31)
    if kind == "now":
        return data_to, data_to
    return None


def find_periods(text: str, data_to: date) -> list[Period]:
    """Every period phrase in the text, left to right; where phrases overlap, the earlier rule wins."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in RULES:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            try:
                span = _period(kind, m, data_to)
            except (ValueError, KeyError):
                span = None
            if span is None or span[0] > span[1]:
                continue
            label, pos = " ".join(m.group(0).split()), m.start()
            end_of = END_OF.search(text[: m.start()])
            if end_of and kind in ("fy_quarter", "fy", "calendar", "month"):
                # "at the end of 2023/24 Q1": the last day of the period, a point in time.
                span, label, pos = (span[1], span[1]), f"end of {label}", end_of.start()
            found.append(Period(span[0], span[1], label, pos, m.end(), kind=kind))
            taken.append((m.start(), m.end()))
    for m in COMPARISON.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(Period(date.min, date.min, " ".join(m.group(0).split()), m.start(), m.end(), True))
    return sorted(found, key=lambda p: p.pos)


END_OF = re.compile(r"\b(?:at\s+|by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?$", re.I)
# A period phrase joined to the figure before it by a preposition ("30,674 in 2021/22", "61 per cent for 2020/21").
ATTACHED = re.compile(
    r"^[\s,]*(?:(?:[a-z%]+|per cent)\s+){0,3}(?:in|during|for|at|by|as at|as of|over|between|from|on)\s+(?:the\s+)?$",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[a-z0-9%)])[.;!?]\s+(?=[A-Z\-•])")


def sentence_bounds(line: str, pos: int) -> tuple[int, int]:
    starts = [0] + [m.end() for m in SENTENCE_END.finditer(line)]
    start = max(s for s in starts if s <= pos)
    ends = [m.start() for m in SENTENCE_END.finditer(line) if m.start() >= pos]
    return start, (min(ends) if ends else len(line))


@dataclass(frozen=True)
class Reading:
    """A figure's period as drafted."""

    start: date | None
    end: date | None
    label: str
    comparison_start: date | None = None
    comparison_end: date | None = None
    note: str = ""


_LEVEL = r"£?\d[\d,]*(?:\.\d+)?(?:\s*(?:%|per\s?cent))?"


def _from_to(line: str, start: int, end: int) -> str:
    """Which end of "from X to Y" the figure at line[start:end] is: "from", "to", or "" when neither."""
    before, after = line[:start], line[end:]
    if re.search(r"\bfrom\s+$", before) and re.match(rf"(?:\s*(?:%|per\s?cent))?\s+to\s+{_LEVEL}", after):
        return "from"
    if re.search(rf"\bfrom\s+{_LEVEL}\s+to\s+$", before):
        return "to"
    return ""


def period_for(line: str, start: int, end: int, data_to: date, measure: str = "value") -> Reading:
    """The period of the figure at line[start:end]: the nearest period phrase in its sentence, else on its line."""
    s0, s1 = sentence_bounds(line, start)
    phrases = [p for p in find_periods(line[s0:s1], data_to)]
    phrases = [replace(p, pos=p.pos + s0, end_pos=p.end_pos + s0) for p in phrases]
    if not any(not p.comparison for p in phrases):
        # "… in 2020/21. During the year, 42.2 per cent …": the sentence leans on a period named before it.
        phrases = find_periods(line, data_to)
    periods = [p for p in phrases if not p.comparison]
    if not periods:
        return Reading(None, None, "not printed", note="no period phrase found near the figure: read it from the page")

    def distance(p: Period) -> int:
        if p.end_pos <= start:
            return start - p.end_pos
        if p.pos >= end:
            if ATTACHED.match(line[end : p.pos]):
                return 0
            return 2 * (p.pos - end) + 1  # otherwise a phrase before the figure is the sentence's frame
        return 0

    best = min(periods, key=distance)
    reading = Reading(best.start, best.end, best.label)
    previous = next((p for p in phrases if p.comparison and p.pos >= end and ATTACHED.match(line[end : p.pos])), None)
    if measure == "value" and previous is not None and best.end_pos <= previous.pos:
        # "528 people supported (an increase from 480 in the previous year)": 480 is the year before.
        return Reading(shift_year(best.start), shift_year(best.end), f"{previous.label}, before {best.label}")
    if best.kind == "fy_span":
        # "between 2016/17 and 2020/21 (from 60 per cent to 69 per cent)": the span's two years, not the span.
        first, last = financial_year(best.start.year), financial_year(best.end.year - 1)
        if measure != "value":  # a change across the span: the last year against the first
            return Reading(*last, f"{best.label} (last year vs first)", first[0], first[1])
        pair = _from_to(line, start, end)
        if pair:
            return Reading(*(first if pair == "from" else last), f"{best.label} ({pair} year)")
    if measure != "value":
        comparison = [p for p in phrases if p.comparison]
        others = [p for p in periods if p is not best and p.end < best.start]
        if comparison:
            reading = replace(
                reading,
                comparison_start=shift_year(best.start),
                comparison_end=shift_year(best.end),
                label=f"{best.label} vs {comparison[0].label}",
            )
        elif others:
            o = max(others, key=lambda p: p.end)
            reading = replace(
                reading, comparison_start=o.start, comparison_end=o.end, label=f"{best.label} vs {o.label}"
            )
        else:
            reading = replace(reading, note="change with no comparison period printed near it")
    return reading
