"""Fit the suggestion weights and the confidence on held reports, each drafted with only the others as history.

``fit(reports, rows, ...)`` drafts every report in ``reports`` with the figure rows of the other reports (and the
catalogue entries of the metrics they use) as history, pairs each draft row with the held figure it drafts
(``learn.match_held``), and fits ``learn.fit_ranker`` on the pooled rows and ``learn.fit_confidence`` on each
report's rows ranked by weights fitted on the others. The
benchmark calls it with the report under test left out of both ``reports`` and ``rows``; ``make add-report``
with every held report whose text is in the sources folder.
"""

from __future__ import annotations

import csv
import hashlib
import json
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
    return learn.Labelled(draft.rows, draft.candidates, draft.row_features, learn.match_held(draft.rows, held))


def fit(
    reports: Sequence[HeldReport],
    rows: Sequence[Mapping[str, str]],
    metrics: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, str],
    geographies: Mapping[str, str],
) -> Fitted:
    texts = {r.source_document: r.lines for r in reports}
    drafts = [labelled(r, rows, metrics, catalogue, geographies, texts) for r in reports]
    weights = learn.fit_ranker(learn.examples(drafts))
    # The confidence learns from rankings it has not seen fitted: each report's rows ranked with weights fitted
    # on the other reports (in-sample rankings are surer than a new report's will be).
    conf_rows = []
    for j, d in enumerate(drafts):
        rest = [x for i, x in enumerate(drafts) if i != j]
        conf_rows += learn.confidence_rows([d], learn.fit_ranker(learn.examples(rest)) if rest else weights)
    return Fitted(weights, learn.fit_confidence(conf_rows).capped(conf_rows), len(reports), len(conf_rows))


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


def fit_cached(
    reports: Sequence[HeldReport],
    rows: Sequence[Mapping[str, str]],
    metrics: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, str],
    geographies: Mapping[str, str],
) -> Fitted:
    """``fit``, remembered for the process by a hash of its inputs (identical inputs, identical weights)."""
    key = hashlib.sha256(
        json.dumps(
            [[(r.source_document, r.lines, r.data_to.isoformat()) for r in reports], list(rows), list(metrics)],
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()
    if key not in _CACHE:
        _CACHE[key] = fit(reports, rows, metrics, catalogue, geographies)
    return _CACHE[key]
