"""The report intake: ``make add-report``, ``make intake-check`` and ``make intake-accept``.

    python -m orchestration.cli.intake add FILE [--title T] [--published D] [--data-to D] [--key K] [--sources DIR]
    python -m orchestration.cli.intake check KEY [--sources DIR]
    python -m orchestration.cli.intake accept KEY [--sources DIR]

``--root`` (default: the repository) is the folder holding data/, seeds/ and intake/; tests point it at a copy.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from orchestration.lib import paths
from orchestration.lib.intake.documents import IntakeError, register
from orchestration.lib.intake.draft import draft_document, geography_names, write_draft
from orchestration.lib.intake.fit import fit_cached, held_reports
from orchestration.lib.intake.learn import Suggester
from orchestration.lib.intake.review import accept, check
from orchestration.lib.verify_sources import DEFAULT_SOURCES, read_rows


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _opt(text: str | None) -> str | None:
    return text or None


def add(args: argparse.Namespace) -> int:
    root: Path = args.root
    reg = register(
        args.file,
        args.sources,
        root / "seeds",
        title=_opt(args.title),
        published=args.published,
        data_to=args.data_to,
        key=_opt(args.key),
    )
    with (root / "seeds" / "metric_catalogue.csv").open(encoding="utf-8", newline="") as f:
        metrics = list(csv.DictReader(f))
    catalogue = {m["metric_code"]: m["unit"] for m in metrics}
    geographies = geography_names(root / "seeds")
    history = [r for r in read_rows(root / "data") if r["source_document"] != reg.source_document]
    # Weights and confidence fitted on the held reports, each drafted with only the others as history.
    reports = held_reports(root / "seeds", args.sources, history)
    fitted = (
        fit_cached(reports, history, metrics, catalogue, geographies, cache_dir=root / ".cache" / "intake")
        if len(reports) >= 2
        else None
    )
    suggester = Suggester(
        history,
        metrics,
        fitted.weights if fitted else None,
        {r.source_document: r.lines for r in reports},
        fitted.first_weights if fitted else None,
    )
    draft = draft_document(
        reg.source_document,
        reg.lines,
        reg.data_to,
        suggester,
        catalogue,
        geographies,
        fitted.confidence if fitted else None,
    )
    draft_path, excluded_path = write_draft(root / "intake" / reg.document_key, draft)
    print(f"document key: {reg.document_key}")
    print(f"text: {reg.text_path} ({len(reg.lines)} lines); data to {reg.data_to} ({reg.data_to_source})")
    print(f"registered in {root / 'seeds' / 'source_documents.csv'}")
    print(f"draft: {draft_path} ({len(draft.rows)} candidate figures)")
    print(f"excluded: {excluded_path} ({len(draft.excluded)} numbers suggested as not figures)")
    if fitted:
        print(
            f"confidence: fitted on {fitted.reports} held reports, each drafted with only the others as history "
            f"({fitted.rows} rows); the draft lists the least sure rows first"
        )
    else:
        print("confidence: not calibrated (fewer than two held reports with their text in SOURCES)")
    print(f"next: review the draft, then make intake-check KEY={reg.document_key}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    result = check(args.root, args.sources, args.key)
    print(result.report())
    if result.ok and not result.unaccounted:
        print(f"ready: make intake-accept KEY={args.key}")
    return 0 if result.ok else 1


def run_accept(args: argparse.Namespace) -> int:
    result = accept(args.root, args.sources, args.key)
    print(result.report())
    if not result.ok or result.unaccounted:
        print("nothing written: fix the errors and account for every number first")
        return 1
    for name in sorted(result.files):
        print(f"appended to data/{name}")
    print("appended to data/exclusions.csv")
    if result.series:
        print(
            "next: review the series listed above in seeds/series_register.csv, then make verify-sources and make run"
        )
    else:
        print("next: make verify-sources, then make run")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=paths.REPO, help="folder with data/, seeds/ and intake/")
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="folder of report texts")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("add", help="store a report's text, register it and draft its figures")
    p.add_argument("file", type=Path)
    p.add_argument("--title", default=None)
    p.add_argument("--published", type=_date, default=None)
    p.add_argument("--data-to", type=_date, default=None)
    p.add_argument("--key", default=None)
    p.set_defaults(func=add)
    for name, func in (("check", run_check), ("accept", run_accept)):
        p = sub.add_parser(name)
        p.add_argument("key")
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except IntakeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
