"""Numbers on a line: which are candidate figures (with value, unit, measure and a snippet) and which are not.

Number finding, value reading and the exclusion reasons are ``verify_sources``'s (one place for each rule);
this module adds what a draft needs on top: the printed form around a number (``£4.93m``, ``12.5%``,
``16 minutes 16 seconds``), words that are figures (``two``, ``eight in ten``), and a guess at the reason
a number is not a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orchestration.lib.contract import FORMULA_PREFIXES, MAX_SNIPPET_WORDS
from orchestration.lib.verify_sources import (
    DURATION,
    EXCLUSION_REASONS,
    WORD_NUMBERS,
    normalise,
    number_tokens,
    printed_magnitude,
)

# After a number: a multiplier or a unit that belongs to the printed figure.
_SUFFIX = re.compile(
    r"(?:\s?(?:%|per\s?cent|percent)|\s?(?:bn|billion|million|m|k|thousand)\b|\s?(?:kg|g)\b|\s?(?:hrs|hours)\b|\+)",
    re.I,
)
_PREFIX = re.compile(r"(?:[£+\-\u2212]|\(\s?)$")
_WORDS = sorted((w for w in WORD_NUMBERS if w not in ("double", "doubled", "treble", "tripled")), key=len, reverse=True)
# Word figures: a count word ("five vulnerable people", "all four of the"), "one" before a word that makes it a
# count ("one arrest", not "one of the"), a share ("eight in ten"), a fraction, an ordinal rank before a
# superlative ("the sixth lowest").
_NOT_AFTER_ONE = (
    r"of|another|or|to|and|in|the|off|which|who|that|way|day|such|area|side|point|thing|stop|another's|part|"
    r"hand|example|element|place|team|priority|aspect|key|main"
)
WORD_FIGURE = re.compile(
    r"\b(?:(?P<share>(?:one|two|three|four|five|six|seven|eight|nine) in (?:ten|\d{1,3})(?![\d,.]))"
    r"|(?P<frac>a third|two thirds|a quarter|three quarters)"
    r"|(?P<rank>(?:joint )?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
    r"(?= (?:highest|lowest|largest|smallest|best|worst|most|least|biggest|fewest))|joint highest|joint lowest)"
    r"|(?P<count>(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|zero)(?![-\w])"
    rf"|one(?= (?!(?:{_NOT_AFTER_ONE})\b)[a-z]+)))\b",
    re.I,
)
# A count word that is no figure, read from the words around it (English structure, not any report's wording):
# the length of a span of time ("over three years", "the last two months"), a place in a range or ranking ("the
# top three", "all but two") and a capitalised word inside a name ("Vision Zero", "One Colchester").
_SPAN_AFTER = re.compile(
    r"[\s-]*(?:&\s*\w+\s*)?(?:calendar |financial |full |working )?"
    r"(?:day|week|month|year|quarter|hour|minute|decade)s?\b",
    re.I,
)
_RANGE_BEFORE = re.compile(r"\b(?:last|past|previous|next|first|top|over the|all but)\s*$", re.I)
_INSIDE_NAME_BEFORE = re.compile(r"[a-z,]\s*$")


def word_exclusion(raw: str, start: int, end: int) -> tuple[str, str] | None:
    """(reason, note) when the count word at raw[start:end] is no figure by the words around it, else None."""
    printed, before, after = raw[start:end], raw[max(0, start - 30) : start], raw[end : end + 30]
    if _SPAN_AFTER.match(after):
        return "date", "a number in words giving the length of a period"
    if _RANGE_BEFORE.search(before):
        return "date", "a number in words counting a range or ranking (last, first, top), no quantity"
    if printed[:1].isupper() and _INSIDE_NAME_BEFORE.search(before):
        return "identifier", "a capitalised number in words inside a name"
    return None


DECREASE = re.compile(
    r"\b(?:decreas\w*|reduc\w*|fall\w*|fell|drop\w*|down|lower|fewer|declin\w*|less|cut|lost|loss|decline)\b", re.I
)
INCREASE = re.compile(r"\b(?:increas\w*|ris\w*|rose|grow\w*|grew|up|higher|more|improv\w*|gain\w*|uplift)\b", re.I)
# The stem of a word naming a change ("increased", "a reduction", "jumped"), and the hedges between "by" and a figure.
CHANGE_STEM = (
    r"(?:increase|decrease|reduc|rise|rose|fall|fell|drop|up|down|grow|grew|growth|change|decline|improv|jump|cut)\w*"
)
ABOUT = r"(?:a total of|more than|less than|fewer than|over|under|some|about|around|almost|nearly|approximately|just)"
YEAR = re.compile(r"^(?:19[89]\d|20[0-4]\d)$")
IDIOM = re.compile(r"(?<![\d/:])(?:24/7|1:1)(?![\d/:])")


@dataclass
class Candidate:
    """One printed number on a line."""

    line: int
    start: int  # character offset on the raw line
    end: int
    number_as_printed: str  # the digits (or words) as verify-sources counts them
    value_as_printed: str  # the figure's characters on the line (`£4.93m`, `12.5%`)
    value: float | None
    unit: str
    measure: str
    word: bool = False  # a number printed in words: verify-sources does not count it
    exclusion: str = ""  # a suggested reason from verify_sources.EXCLUSION_REASONS, or ""
    exclusion_note: str = ""
    seq: int = 0  # column: the how-many-th candidate on the line (tables)


def _fmt(x: float) -> str:
    return f"{x:.10f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def format_value(x: float | None) -> str:
    return "" if x is None else _fmt(round(x, 10))


def _unit_and_measure(printed: str, before: str, after: str) -> tuple[str, str, int]:
    """Unit, measure and sign (+1/-1) of a printed figure from its form and the words just around it."""
    low = printed.lower()
    # Markdown emphasis ("**44%** increase") says nothing of the measure.
    before_words = before.lower().replace("*", "")[-60:]
    after_words = after.lower().replace("*", "")[:40]
    sign = -1 if re.match(r"^\s*[-\u2212(]", printed) else 1
    # "increased by", "an increase of", "reduced anti-social behaviour by", "grown by a total of", "an increase
    # in demand for services of": a change word, a few words, then "of" or "by" (perhaps "more than") before it.
    # Not "to decrease vacancy levels of 37.4" (a verb's object) nor "grow ... from a base of 353" (a level).
    change_of_by = re.search(
        rf"(?<!\bto )\b{CHANGE_STEM}(?:\s+(?!from\b|to\b)[\w/()'-]+){{0,5}}?\s+(?:of|by)\s+(?:{ABOUT}\s+)?$",
        before_words + " ",
    )
    if "percentage point" in after_words[:20] or re.match(r"\s*pp\b|\s*ppts?\b", after_words):
        unit, measure = "percentage_points", "pp_change"
    elif "%" in low or "per cent" in low or "percent" in low:
        unit = "percent"
        changed = change_of_by or re.search(rf"\b{CHANGE_STEM}(?:\s+\w+){{0,3}}\s*$", before_words)
        # "increased from 54% to 61%", "stands at 61%": the levels, not the change
        level = re.search(r"\b(?:from|to|at)\s*$", before_words)
        signed = printed.strip().startswith(("+", "-", "\u2212"))
        # "a 21 per cent reduction", "a 74% increase", "41% fewer": the change named just after
        named_after = re.match(rf"\s*(?:{CHANGE_STEM}|fewer|more|less|higher|lower)\b", after_words)
        measure = "pct_change" if signed or (changed and not level) or named_after else "value"
    elif printed.strip().startswith("£"):
        unit, measure = "gbp", "value"
    elif DURATION.search(low) or re.match(r"\s*min", after_words):
        unit, measure = "minutes", "value"
    elif re.search(r"\d\s?(?:kg|g)$", low):
        unit, measure = "kilograms", "value"
    elif re.search(r"(?:hrs|hours)$", low) or re.match(r"\s*(?:hrs|hours)\b", after_words):
        unit, measure = "hours", "value"
    else:
        unit = "count"
        measure = "change" if printed.strip().startswith(("+", "-", "\u2212")) or change_of_by else "value"
        if re.match(r"\s*(?:more|fewer|less|additional|extra)\b", after_words):
            measure = "change"
    if measure != "value" and sign > 0:
        near = before_words[-40:] + " " + after_words[:25]
        if DECREASE.search(near) and not INCREASE.search(near):
            sign = -1
    return unit, measure, sign


def _exclusion(line: str, m: re.Match[str], token: str, rule_ctx: str) -> tuple[str, str]:
    """A suggested reason why a number is not a figure, or ("", "")."""
    before, after = line[: m.start()], line[m.end() :]
    stripped_before = before.strip(" \t-*•·")
    # An Arabic-Indic zero (U+0660) between words: a digit of another script is a glyph a conversion left
    # (often a bullet), not a figure.
    if not token.isascii():
        return "not_a_figure", "a digit of another script (a conversion artefact, such as a bullet)"
    # The rest of a heading number: "5.1.3 Night-Time Economy" has the tokens 5.1 and 3.
    if re.fullmatch(r"[\s\-*•·]*\d+(?:\.\d+)*\.", before) and re.match(r"(?:\.\d+)*\.?\**(?:\s|$)", after):
        return "paragraph_number", "part of a heading number"
    if re.search(
        r"\b(?:figure|fig\.|table|priority|outcome|chapter|appendix|annex|strand|objective|stage)\s*$", before, re.I
    ):
        return "paragraph_number", "a figure, table, priority or section number"
    if re.search(r"_$", before):
        return "identifier", "part of a code"
    # "Tier 1 districts", "(level 3)", "Cat 1 responders", "Year 8 surveys": the number of a named grade or group.
    if re.search(r"\b(?:tier|level|cat|category|phase|band|grade|key stage|year)\s*$", before, re.I) and re.fullmatch(
        r"\d{1,2}", token
    ):
        return "identifier", "the number in a name (tier, level, category, phase, school year)"
    # "24/7", "1:1": an idiom, not a count.
    if any(i.start() <= m.start() < i.end() for i in IDIOM.finditer(line)):
        return "not_a_figure", "an idiom (24/7, 1:1), not a count"
    # Contents: a title, a tab, a page or page range (and perhaps a bookmark name).
    if re.fullmatch(r"[^\t]*[A-Za-z][^\t]*\t\s*(?:\d+-)?", before) and re.fullmatch(
        r"(?:-\d+)?\s*(?:\t\s*[A-Za-z_]\w*)?\s*", after
    ):
        return "page_number", "contents page reference"
    # "12 months", "12 Month ending": part of a period label.
    if re.match(r"\s*-?\s*months?\b", after, re.I) and "." not in token:
        return "date", "part of a period label (months)"
    # A chart's month axis: a line of small whole numbers only.
    if re.fullmatch(r"\s*(?:(?:[1-9]|1[0-2])\s+){5,}(?:[1-9]|1[0-2])?\s*", line):
        return "date", "month numbers of a chart axis"
    if re.fullmatch(r"\d{7,}", m.group(0)) and not before.endswith("£"):
        return "identifier", "a long code or phone number"
    # "7.", "4.15.**", "5.1.3" at the start of a line: a paragraph or heading number.
    if not stripped_before and re.match(r"(?:\.\d+)*\.?\**(?:\s|$)", after) and ("." in token or after[:1] in ".)"):
        return "paragraph_number", "number at the start of the line"
    if not stripped_before and re.match(r"\.\s|\)\s", after):
        return "paragraph_number", "list number"
    # Contents: "….. 43" or a page range "17-20" ending a line.
    if re.search(r"\.{3,}\s*$", before) and not after.strip():
        return "page_number", "contents page reference"
    if re.fullmatch(r"\s*(?:page\s*)?", before, re.I) and not after.strip() and "." not in token:
        return "page_number", "a number alone on its line (page footer)"
    if re.search(r"\bpages?\s*$", before, re.I):
        return "page_number", "page reference"
    if re.search(r"\b(?:section|sections|s\.|act|regulation|schedule)\s*$", before, re.I) or re.match(
        r"\s*of the [A-Z][\w ]*Act\b", after
    ):
        return "legislation", ""
    if re.search(r"\bAct\s*$", before):
        return "legislation", ""
    if re.search(r"\b(?:aged|ages?|under|over the age of|years? old)\s*(?:of\s*)?$", before, re.I) and re.match(
        r"\s*(?:to|and|-|s\b|years|\+)", after + " "
    ):
        return "age_or_threshold", ""
    # Thresholds that qualify another figure: "within 15 or 20 minutes", "£1,000 and above" (but "on average
    # within 3 minutes" is a measured time).
    within = re.search(r"\bwithin\s*(?:[\d,.]+\s*(?:or|and|to|-)\s*)?£?$", before, re.I)
    if (within and not re.search(r"\baverage", before[-40:], re.I)) or re.match(
        r"(?:\s*[a-z]+)?\s+(?:and|or)\s+(?:above|over|more|under|below|less)\b", after, re.I
    ):
        return "age_or_threshold", "a threshold (within, and above, or more)"
    # "a 90 minute course": a length that describes a thing, not a count of anything.
    if re.search(r"\ban?\s*$", before, re.I) and re.match(r"[\s-]?(?:minute|hour|day|week|month|year|mile)\b", after):
        return "not_a_figure", "a length describing a thing (a 90 minute course)"
    if re.search(r"\b(?:version|v)\s*$", before, re.I):
        return "document_metadata", "version"
    if (
        token == "101" and re.match(r"\s*(?:calls?|service|number|non|line|,|\)|and|or)\b", after + " ", re.I)
    ) or re.search(r"\b(?:covid|operation|op|team|tel|telephone|phone)\s*-?$", before, re.I):
        return "identifier", ""
    table_cell = "\t" in line and re.fullmatch(r"\s*", line[: m.start()].rsplit("\t", 1)[-1]) is not None
    if YEAR.match(m.group(0)) and not table_cell and not re.match(r"\s*(?:%|per cent|[a-z]+s\b)", after, re.I):
        return "date", "a year"
    return "", ""


def candidates(line_no: int, raw: str) -> list[Candidate]:
    """Every number printed on a raw line, in order: digits (verify-sources' tokens) and word figures."""
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    durations = [d for d in DURATION.finditer(raw)]
    for m, rule in number_tokens(raw):
        if any(s <= m.start() < e for s, e in taken):
            if rule is None and any(d.start() <= m.start() < d.end() for d in durations):
                # The seconds of "16 minutes 16 seconds": one figure, two tokens; verify-sources counts both.
                note = "seconds part of a single duration figure"
                out.append(
                    Candidate(line_no, m.start(), m.end(), m.group(0), m.group(0), None, "", "", False,
                              "duplicate_token", note)
                )  # fmt: skip
            continue
        token = m.group(0)
        start, end = m.start(), m.end()
        if rule:
            continue  # inside a date shape: verify-sources accounts it automatically
        d = next((d for d in durations if d.start() <= start < d.end()), None)
        if d:
            start, end = d.start(), d.end()
        else:
            suffix = _SUFFIX.match(raw, end)
            if suffix and not (
                suffix.group(0).strip().lower() in ("m", "g") and raw[suffix.end() : suffix.end() + 1].isalpha()
            ):
                end = suffix.end()
            prefix = _PREFIX.search(raw[max(0, start - 2) : start])
            if prefix and not (prefix.group(0) == "-" and start >= 2 and raw[start - 2].isalnum()):
                start -= len(prefix.group(0))
        printed = raw[start:end].strip()
        if printed.startswith("("):
            printed = printed[1:].strip()
            start = raw.index(printed, start)
        unit, measure, sign = _unit_and_measure(printed, raw[:start], raw[end:])
        magnitude = printed_magnitude(printed)
        value = None if magnitude is None else sign * magnitude
        reason, note = _exclusion(raw, m, token.replace(",", ""), raw)
        out.append(Candidate(line_no, start, end, token, printed, value, unit, measure, False, reason, note))
        taken.append((start, end))
    for w in WORD_FIGURE.finditer(raw):
        if any(s <= w.start() < e for s, e in taken):
            continue
        printed = w.group(0)
        magnitude = printed_magnitude(printed)
        if magnitude is None:
            continue
        unit, measure, sign = _unit_and_measure(printed, raw[: w.start()], raw[w.end() :])
        if w.group("share") or w.group("frac"):
            unit = "percent"
        if w.group("rank"):
            unit = "rank"
        reason, note = (word_exclusion(raw, w.start(), w.end()) if w.group("count") else None) or ("", "")
        out.append(
            Candidate(
                line_no, w.start(), w.end(), printed, printed, sign * magnitude, unit, measure, True, reason, note
            )
        )
    out.sort(key=lambda c: c.start)
    for i, c in enumerate(out, start=1):
        c.seq = i
    return out


def snippet(raw: str, start: int, end: int, max_words: int = MAX_SNIPPET_WORDS) -> str:
    """At most ``max_words`` words of the line around characters start..end, quoted as verify-sources reads them.

    The words are the normalised line's, so the snippet is a substring of the line (case and spacing aside);
    it never starts with a character a spreadsheet would run as a formula.
    """
    words = normalise(raw).split(" ")
    # Word index of the figure: count the words before it.
    first = len(normalise(raw[:start]).split()) if normalise(raw[:start]) else 0
    if raw[start - 1 : start].strip() and first:  # the figure starts inside a word ("£4.93m" after "(")
        first -= 1
    last = max(first, first + len(normalise(raw[start:end]).split()) - 1)
    width = last - first + 1
    lo = max(0, first - (max_words - width) * 2 // 3)
    hi = min(len(words), lo + max_words)
    lo = max(0, min(lo, hi - max_words))
    while lo < first and words[lo].startswith(FORMULA_PREFIXES):
        lo += 1
    if words[lo].startswith(FORMULA_PREFIXES) and lo > 0:
        lo -= 1
        hi = min(hi, lo + max_words)
        if hi <= last:  # no room: keep the figure, drop the tail
            hi = last + 1
    return " ".join(words[lo:hi])


def exclusion_reasons() -> dict[str, str]:
    return dict(EXCLUSION_REASONS)
