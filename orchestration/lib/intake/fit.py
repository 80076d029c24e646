"""Fit the suggestion weights and the confidence on held reports, each drafted with only the others as history.

``fit(reports, rows, ...)`` drafts every report in ``reports`` with the figure rows of the other reports (and the
catalogue entries of the metrics they use) as history, pairs each draft row with the held figure it drafts
(``learn.match_held``), and fits ``learn.fit_ranker`` on the pooled rows (the first stage, then the second on
neighbour features from first-stage weights fitted without the row's report) and ``learn.fit_confidence`` on each
report's rows ranked by weights fitted on the others. The
benchmark calls it with the report under test left out of both ``reports`` and ``rows``; ``make add-report``
with every held report whose text is in the sources folder.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.lib.intake import learn
from orchestration.lib.intake.draft import draft_document


@dataclass(frozen=True)
class HeldReport:
    source_document: str
    lines: tuple[str, ...]
    data_to: date


@dataclass
class Fitted:
    weights: list[float]
    confidence: learn.Confidence
    reports: int  # how many held reports it was fitted on
    rows: int  # how many draft rows
    first_weights: list[float] = dataclasses.field(default_factory=list)  # the first stage's (``learn.FEATURES``)


def labelled(
    report: HeldReport,
    rows: Sequence[Mapping[str, str]],
    metrics: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, str],
    geographies: Mapping[str, str],
    texts: Mapping[str, Sequence[str]] | None = None,
) -> learn.Labelled:
    """The report drafted with the other reports' rows in ``rows`` (and their texts) as history, paired with its
    held figures."""
    history = [r for r in rows if r["source_document"] != report.source_document]
    others = {k: v for k, v in (texts or {}).items() if k != report.source_document}
    suggester = learn.Suggester(history, metrics, texts=others)
    draft = draft_document(report.source_document, report.lines, report.data_to, suggester, catalogue, geographies)
    held = [r for r in rows if r["source_document"] == report.source_document]
    return learn.Labelled(
        draft.rows, draft.candidates, draft.row_features, learn.match_held(draft.rows, held), suggester
    )


def fit(
    reports: Sequence[HeldReport],
    rows: Sequence[Mapping[str, str]],
    metrics: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, str],
    geographies: Mapping[str, str],
) -> Fitted:
    texts = {r.source_document: r.lines for r in reports}
    drafts = [labelled(r, rows, metrics, catalogue, geographies, texts) for r in reports]
    first = learn.fit_ranker(learn.examples(drafts))
    # The second stage learns from first-stage choices as a new report gets them: each report's neighbour features
    # come from first-stage weights fitted on the other reports.
    second = []
    for j, d in enumerate(drafts):
        rest = [x for i, x in enumerate(drafts) if i != j]
        second.append(d.extended(learn.fit_ranker(learn.examples(rest)) if rest else first))
    weights = learn.fit_ranker(learn.examples(second), second=True)
    # The confidence learns from rankings it has not seen fitted: each report's rows ranked with weights fitted
    # on the other reports (in-sample rankings are surer than a new report's will be).
    per_report = []
    for j, d in enumerate(second):
        rest = [x for i, x in enumerate(second) if i != j]
        per_report.append(
            learn.confidence_rows([d], learn.fit_ranker(learn.examples(rest), second=True) if rest else weights)
        )
    conf_rows = [row for rows_j in per_report for row in rows_j]
    logistic = learn.fit_confidence(conf_rows)
    # Calibrated on out-of-fold scores: each report's rows scored by a logistic fitted on the other reports only,
    # so the calibration sees scores as a new report will get them; the bands it claims are judged on each
    # report's rows calibrated by the other reports' rows (``learn.calibrate`` with the report of each row).
    out_of_fold, groups = [], []
    for j, rows_j in enumerate(per_report):
        rest_rows = [row for i, r in enumerate(per_report) if i != j for row in r]
        held_out = learn.fit_confidence(rest_rows) if rest_rows else logistic
        out_of_fold += [(held_out.raw(x), right) for x, right in rows_j]
        groups += [reports[j].source_document] * len(rows_j)
    confidence, _ = learn.calibrate(logistic, out_of_fold, groups)
    return Fitted(weights, confidence, len(reports), len(conf_rows), first)


def held_reports(seeds_dir: Path, sources: Path, rows: Sequence[Mapping[str, str]]) -> list[HeldReport]:
    """The registered reports with figures held and their text in ``sources``."""
    with (seeds_dir / "source_documents.csv").open(encoding="utf-8", newline="") as f:
        docs = list(csv.DictReader(f))
    have = {r["source_document"] for r in rows}
    return [
        HeldReport(
            d["source_document"],
            tuple(path.read_text(encoding="utf-8").splitlines()),
            date.fromisoformat(d["data_to_date"]),
        )
        for d in docs
        if d["source_document"] in have and d["data_to_date"] and (path := sources / d["source_document"]).exists()
    ]


_CACHE: dict[str, Fitted] = {}
CODE = Path(__file__).resolve().parent  # the intake's code: a change to any of its modules changes every fit


def cache_key(
    reports: Sequence[HeldReport],
    rows: Sequence[Mapping[str, str]],
    metrics: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, str],
    geographies: Mapping[str, str],
) -> str:
    """sha256 of everything a fit reads: the reports' texts and dates, the figure rows, the catalogue, the
    geographies and the intake's source code."""
    digest = hashlib.sha256()
    for part in (
        [(r.source_document, r.lines, r.data_to.isoformat()) for r in reports],
        list(rows),
        list(metrics),
        dict(catalogue),
        dict(geographies),
    ):
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
    for module in sorted(CODE.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def _load(path: Path) -> Fitted | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Fitted(
            data["weights"],
            learn.Confidence(**data["confidence"]),
            data["reports"],
            data["rows"],
            data["first_weights"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, unreadable or of an older shape: fit again


def fit_cached(
    reports: Sequence[HeldReport],
    rows: Sequence[Mapping[str, str]],
    metrics: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, str],
    geographies: Mapping[str, str],
    cache_dir: Path | None = None,
) -> Fitted:
    """``fit``, remembered by the sha256 of its inputs (``cache_key``): for the process, and on disk in
    ``cache_dir`` (one JSON file per key) when given, so that the next ``make add-report`` does not fit again.
    JSON keeps every float exactly: a fit read back drafts bit for bit as the fit did."""
    key = cache_key(reports, rows, metrics, catalogue, geographies)
    if key in _CACHE:
        return _CACHE[key]
    path = cache_dir / f"{key}.json" if cache_dir else None
    fitted = _load(path) if path else None
    if fitted is None:
        fitted = fit(reports, rows, metrics, catalogue, geographies)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(dataclasses.asdict(fitted)), encoding="utf-8")
            tmp.replace(path)  # atomic: a reader never sees half a file
    _CACHE[key] = fitted
    return fitted
