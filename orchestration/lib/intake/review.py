"""The review loop: check a reviewed draft (``make intake-check``) and accept it (``make intake-accept``).

A draft row's ``decision`` is ``accept`` (load it as a figure), ``exclude`` (list its number in
``data/exclusions.csv`` with ``exclusion_reason``) or empty (undecided). ``excluded.csv`` holds the exclusions
as they will be appended. The check turns the accepted rows into figure rows (``figure_id`` =
``<document key>:<line>:<seq>``, ``printed_value`` = ``value``) and runs the project's own rules on them:

* the data contract, on every figures file with the new rows appended (``contract.validate_files``: every row
  rule and figure_id uniqueness across the files);
* provenance and completeness against the report text (``verify_sources.check_provenance`` and
  ``check_completeness``: the value is printed on its line, the snippet is quoted from it, every number on
  every line is a figure, an exclusion or part of a date).

Errors name the draft's file, row and column. Accept writes only when the check passes and nothing is left
unaccounted, and then writes every file or none.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.lib.contract import (
    COLUMN_NAMES,
    ContractError,
    Violation,
    read_reference,
    validate_files,
)
from orchestration.lib.intake.documents import IntakeError, read_seed
from orchestration.lib.intake.draft import DECISIONS, DRAFT_COLUMNS
from orchestration.lib.verify_sources import (
    EXCLUSION_COLUMNS,
    EXCLUSION_REASONS,
    Finding,
    check_completeness,
    check_provenance,
    core,
    read_exclusions,
    read_rows,
)

# Draft columns that become the figure row's columns of the same name.
_SAME = tuple(c for c in COLUMN_NAMES if c in DRAFT_COLUMNS)
# A contract column's name in the draft.
_DRAFT_NAME = {"printed_value": "value", "figure_id": "source_line"}


@dataclass(frozen=True)
class SeriesToReview:
    """A series the new figures join that other reports publish too: someone must read both before the run."""

    series_key: str
    other_documents: tuple[str, ...]
    registered: bool  # a row in seeds/series_register.csv already (add the key to reviewed_documents)

    def __str__(self) -> str:
        also = ", ".join(self.other_documents)
        if self.registered:
            return f"series {self.series_key} (also in {also}): add the new key to its reviewed_documents"
        return (
            f"series {self.series_key} (also in {also}): add a series_register row (one_series or distinct_definitions)"
        )


@dataclass
class Check:
    key: str
    source_document: str
    violations: list[Violation] = field(default_factory=list)
    unaccounted: list[Finding] = field(default_factory=list)
    undecided: int = 0
    undecided_words: int = 0
    undecided_by_band: Counter[str] = field(default_factory=Counter)  # review_band -> undecided rows
    accepted: int = 0
    excluded: int = 0
    series: list[SeriesToReview] = field(default_factory=list)  # shared series the new figures join
    files: dict[str, bytes] = field(default_factory=dict)  # figures files to write (name -> bytes)
    exclusions: bytes = b""  # exclusions.csv to write

    @property
    def ok(self) -> bool:
        return not self.violations

    def report(self) -> str:
        out = [str(v) for v in self.violations]
        out += [str(f) for f in self.unaccounted[:200]]
        if len(self.unaccounted) > 200:
            out.append(f"... and {len(self.unaccounted) - 200} more unaccounted numbers")
        if self.series:
            out.append(
                f"before make run, review the {len(self.series)} series these figures share with earlier reports "
                "(seeds/series_register.csv; README 'Series across reports'):"
            )
            out += [f"  {s}" for s in self.series]
        if self.undecided_by_band:
            bands = sorted(self.undecided_by_band.items(), key=lambda kv: _band_order(kv[0]))
            out.append(
                "undecided rows by confidence band (least sure first): " + ", ".join(f"{b}: {n}" for b, n in bands)
            )
        out.append(
            f"{self.key}: {self.accepted} rows accepted, {self.excluded} numbers excluded, "
            f"{self.undecided} undecided rows ({self.undecided_words} of them words), "
            f"{len(self.unaccounted)} numbers unaccounted, {len(self.violations)} errors"
        )
        return "\n".join(out)


def _whole(text: str) -> int:
    return int(text) if re.fullmatch(r"\d+", text or "") else 0


def _band_order(label: str) -> float:
    try:
        return float(label.split("-")[0])
    except ValueError:
        return -1.0


def _csv_bytes(columns, rows, header: bool) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    if header:
        w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _read(path: Path, columns, label: str, problems: list[Violation]) -> list[dict[str, str]]:
    if not path.exists():
        problems.append(Violation(label, 0, "(file)", "does not exist: run make add-report first"))
        return []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(Violation(label, 0, "(header)", f"missing {', '.join(missing)}"))
            return []
        try:
            return list(reader)
        except csv.Error as exc:
            problems.append(Violation(label, reader.line_num, "(row)", f"cannot be parsed as CSV: {exc}"))
            return []


def _where(finding: Finding) -> tuple[str, int]:
    m = re.match(r"^(.*?) row (\d+)", finding.where)
    return (m.group(1), int(m.group(2))) if m else (finding.where, 0)


def _column(message: str) -> str:
    if "snippet" in message:
        return "source_snippet"
    if "printed_value" in message or "negative" in message:
        return "value"
    if "line" in message and "outside" in message:
        return "source_line"
    return "value_as_printed"


def check(root: Path, sources: Path, key: str) -> Check:
    """Check intake/<key>/draft.csv and excluded.csv against the contract, the text and the files under root."""
    seeds, data = root / "seeds", root / "data"
    doc = next((d for d in read_seed(seeds) if d["document_key"] == key), None)
    if doc is None:
        raise IntakeError(f"document key {key!r} is not registered in {seeds / 'source_documents.csv'}")
    name = doc["source_document"]
    text_path = sources / name
    if not text_path.exists():
        raise IntakeError(f"{text_path} not found: is SOURCES the folder make add-report wrote to?")
    lines = {name: text_path.read_text(encoding="utf-8").splitlines()}
    folder = root / "intake" / key
    draft_label, excl_label = f"intake/{key}/draft.csv", f"intake/{key}/excluded.csv"
    result = Check(key, name)
    problems = result.violations
    draft = _read(folder / "draft.csv", DRAFT_COLUMNS, draft_label, problems)
    excluded = _read(folder / "excluded.csv", EXCLUSION_COLUMNS, excl_label, problems)
    ref = read_reference(seeds)

    new_rows: list[tuple[int, dict[str, str]]] = []  # (draft row, figure row)
    new_exclusions: list[dict[str, str]] = []
    for n, d in enumerate(draft, start=1):
        decision = d["decision"].strip().lower()
        word = not core(d["number_as_printed"])
        if decision not in DECISIONS:
            problems.append(Violation(draft_label, n, "decision", f"{d['decision']!r} is not accept, exclude or empty"))
            continue
        if not decision:
            result.undecided += 1
            result.undecided_words += word
            result.undecided_by_band[d.get("review_band") or "(no band)"] += 1
            continue
        if decision == "exclude":
            result.excluded += 1
            if word:
                continue  # numbers in words are not counted by verify-sources: nothing to record
            if d["exclusion_reason"] not in EXCLUSION_REASONS:
                problems.append(
                    Violation(
                        draft_label,
                        n,
                        "exclusion_reason",
                        f"{d['exclusion_reason']!r} is not one of {', '.join(sorted(EXCLUSION_REASONS))}",
                    )
                )
            new_exclusions.append(
                {
                    "source_document": name,
                    "source_line": d["source_line"],
                    "number_as_printed": d["number_as_printed"],
                    "reason": d["exclusion_reason"],
                    "note": d["exclusion_note"],
                    "_where": f"{draft_label} row {n}",
                }
            )
            continue
        result.accepted += 1
        code = d["metric_code"].strip()
        if not code or code.startswith("new:"):
            problems.append(
                Violation(
                    draft_label,
                    n,
                    "metric_code",
                    "is empty or a proposal (new:...): put a catalogue code here, adding the metric to "
                    "seeds/metric_catalogue.csv first if it is new",
                )
            )
            continue
        if code not in ref.metric_domains:
            problems.append(Violation(draft_label, n, "metric_code", f"{code!r} is not in the metric catalogue"))
            continue
        row = {c: d[c] for c in _SAME}
        row.update(printed_value=d["value"], source_document=name, metric_code=code)
        new_rows.append((n, row))

    for n, e in enumerate(excluded, start=1):
        e = dict(e)
        e["_where"] = f"{excl_label} row {n}"
        if e["source_document"] != name:
            problems.append(Violation(excl_label, n, "source_document", f"{e['source_document']!r} is not {name}"))
            continue
        if not re.fullmatch(r"[1-9]\d*", e["source_line"]):
            problems.append(Violation(excl_label, n, "source_line", f"{e['source_line']!r} is not a line number"))
            continue
        if not core(e["number_as_printed"]):
            continue  # a number in words: verify-sources does not count it, nothing to record
        new_exclusions.append(e)
    for e in new_exclusions:
        if not re.fullmatch(r"[1-9]\d*", e["source_line"]):
            file, row = _where(Finding("", e["_where"], ""))
            problems.append(Violation(file, row, "source_line", f"{e['source_line']!r} is not a line number"))
    new_exclusions = [e for e in new_exclusions if re.fullmatch(r"[1-9]\d*", e["source_line"])]

    # figure_id: <key>:<line>:<seq>, seq counting the accepted rows of a line in the order they are printed
    # (number_on_line; the draft lists rows by review band, not by place).
    seq: dict[str, int] = defaultdict(int)
    place = {
        n: (_whole(draft[n - 1]["source_line"]), _whole(draft[n - 1].get("number_on_line", "")), n) for n, _ in new_rows
    }
    new_rows.sort(key=lambda t: place[t[0]])
    for _, row in new_rows:
        seq[row["source_line"]] += 1
        row["figure_id"] = f"{key}:{row['source_line']}:{seq[row['source_line']]:02d}"

    # The contract, on every figures file with the new rows appended.
    existing = {p.name: p.read_bytes() for p in sorted(data.glob("*_figures.csv"))}
    origin: dict[tuple[str, int], int] = {}
    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for n, row in new_rows:
        file = f"{ref.metric_domains[row['metric_code']]}_figures.csv"
        by_file[file].append(row)
        base = _data_rows(existing[file]) if file in existing else 0
        origin[(file, base + len(by_file[file]))] = n
    files = dict(existing)
    for file, rows in by_file.items():
        files[file] = (existing.get(file) or _csv_bytes(COLUMN_NAMES, [], True)) + _csv_bytes(COLUMN_NAMES, rows, False)
    try:
        validate_files(files, ref)
    except ContractError as exc:
        for v in exc.violations:
            n = origin.get((v.file, v.row))
            if n is None:
                problems.append(v)  # a row already in data/ (or a file-level problem)
            else:
                message = re.sub(
                    r"\b(repeats|duplicates) row (\d+)",
                    lambda m, v=v: (
                        f"{m.group(1)} draft row {origin[(v.file, int(m.group(2)))]}"
                        if (v.file, int(m.group(2))) in origin
                        else f"{m.group(1)} {v.file} row {m.group(2)}"
                    ),
                    v.message,
                )
                problems.append(Violation(draft_label, n, _DRAFT_NAME.get(v.column, v.column), message))
    result.files = {f: files[f] for f in by_file}

    # Provenance and completeness against the text.
    figure_rows = []
    for n, row in new_rows:
        figure_rows.append({**row, "_where": f"{draft_label} row {n}"})
    checkable = [
        r for r in figure_rows if re.fullmatch(r"[1-9]\d*", r["source_line"]) and _is_number(r["printed_value"])
    ]
    for f in check_provenance(checkable, lines):
        file, row = _where(f)
        problems.append(Violation(file, row, _column(f.message), f.message))
    held_rows = [r for r in read_rows(data) if r["source_document"] == name]
    excl_path = data / "exclusions.csv"
    held_excl = [e for e in read_exclusions(excl_path) if e["source_document"] == name]
    if held_rows or held_excl:
        problems.append(
            Violation(
                draft_label,
                0,
                "(file)",
                f"{name} already has {len(held_rows)} figure rows and {len(held_excl)} exclusions in data/: "
                "was this draft accepted already?",
            )
        )
    findings, _ = check_completeness(held_rows + checkable, held_excl + new_exclusions, lines)
    for f in findings:
        if f.check == "exclusions":
            file, row = _where(f)
            column = "reason" if "reason" in f.message else "number_as_printed"
            if file == draft_label:
                column = "exclusion_reason" if column == "reason" else "number_as_printed"
            problems.append(Violation(file, row, column, f.message))
        else:
            result.unaccounted.append(f)
    if not problems:
        result.series = series_to_review(key, [row for _, row in new_rows], read_rows(data), seeds)
    old = excl_path.read_bytes() if excl_path.exists() else _csv_bytes(EXCLUSION_COLUMNS, [], True)
    result.exclusions = old + _csv_bytes(EXCLUSION_COLUMNS, new_exclusions, False)
    return result


def series_key(metric_code: str, breakdown: str, geography_code: str, aliases: dict[tuple[str, str, str], str]) -> str:
    """A figure's series, as the warehouse keys it (``macros/series_key.sql``, with ``seeds/series_aliases.csv``).

    A mirror of the macro for the intake's advice only: the dbt test ``every_shared_series_is_reviewed``
    is the rule; tests/test_one_definition.py checks both agree on every figure in data/."""
    own = ".".join(p for p in (metric_code, breakdown, geography_code) if p)
    return aliases.get((metric_code, breakdown, geography_code), own)


def series_to_review(
    key: str, new_rows: list[dict[str, str]], held_rows: list[dict[str, str]], seeds: Path
) -> list[SeriesToReview]:
    """The series the new rows join that other reports publish and no review of which has read this report."""

    def rows(name: str) -> list[dict[str, str]]:
        path = seeds / name
        if not path.exists():
            return []
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    aliases = {
        (a["metric_code"], a["breakdown"], a["geography_code"]): a["series_key"] for a in rows("series_aliases.csv")
    }
    register = {r["series_key"]: r for r in rows("series_register.csv")}
    others: dict[str, set[str]] = defaultdict(set)
    for r in held_rows:
        doc = r["figure_id"].split(":", 1)[0]
        if doc != key:
            others[series_key(r["metric_code"], r["breakdown"], r["geography_code"], aliases)].add(doc)
    out = []
    for sk in sorted({series_key(r["metric_code"], r["breakdown"], r["geography_code"], aliases) for r in new_rows}):
        if sk in register:
            if key not in register[sk]["reviewed_documents"].split(";"):
                out.append(SeriesToReview(sk, tuple(sorted(others[sk])), True))
        elif others.get(sk):
            out.append(SeriesToReview(sk, tuple(sorted(others[sk])), False))
    return out


def _data_rows(body: bytes) -> int:
    return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8", "replace"), newline=""))) - 1)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def accept(root: Path, sources: Path, key: str) -> Check:
    """Append the accepted rows to the figures files and the exclusions, all or nothing."""
    result = check(root, sources, key)
    if not result.ok or result.unaccounted:
        return result
    data = root / "data"
    targets = {data / name: body for name, body in result.files.items()}
    targets[data / "exclusions.csv"] = result.exclusions
    temps = []
    try:
        for path, body in targets.items():
            tmp = path.with_name(path.name + ".intake-tmp")
            tmp.write_bytes(body)
            temps.append((tmp, path))
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
    return result
