"""Benchmark: leave one report out. Draft each report with only the other reports as history, and compare the
draft with the rows the project holds for it.

For each report in seeds/source_documents.csv whose text is in the sources folder:

* history = the figure rows of the other reports (their snippets, units and measures, per metric code) and the
  catalogue's names and definitions of the metrics those reports use (a new report's own new metrics are not in
  the catalogue yet when it arrives);
* the draft = ``orchestration.lib.intake.draft.draft_document`` on the report's text, with the data-to date
  of its seed row (as ``make add-report DATA_TO=...`` would get it);
* drafted = share of its held figures with a draft row on the same line with the same value (the printed
  magnitude: sign is a reading of the measure, counted under "sign ok");
* top-1 / top-3 = share of held figures, among those whose metric code is used by the other reports, whose
  code is the first / among the first three suggestions of the matching draft row (no draft row = a miss);
* period exact = share of held figures whose period is printed (period dates set and no period_note: the
  contract's "unambiguous wording") whose draft row has the same period_start and period_end;
* excl. agreed = share of the held exclusions of the report that the draft also lists as excluded, same line,
  number and reason;
* seconds = wall time to draft the report (ranker built from the history included).

Reads data/, seeds/ and the sources folder; writes nothing. Prints one table.
Run: ``make bench-intake`` or ``.venv/bin/python bench/bench_intake.py [SOURCES]``.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orchestration.lib import paths
from orchestration.lib.intake.draft import draft_document, geography_names
from orchestration.lib.intake.ranker import Ranker, history_from_rows
from orchestration.lib.verify_sources import DEFAULT_SOURCES, EXCLUSIONS, read_exclusions, read_rows


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def evaluate(sources: Path, data_dir: Path = paths.DATA_DIR, seeds_dir: Path = paths.SEEDS_DIR) -> list[dict]:
    with (seeds_dir / "source_documents.csv").open(encoding="utf-8", newline="") as f:
        documents = [d for d in csv.DictReader(f) if (sources / d["source_document"]).exists()]
    with (seeds_dir / "metric_catalogue.csv").open(encoding="utf-8", newline="") as f:
        metrics = list(csv.DictReader(f))
    catalogue = {m["metric_code"]: m["unit"] for m in metrics}
    rows = read_rows(data_dir)
    exclusions = read_exclusions(EXCLUSIONS if data_dir == paths.DATA_DIR else data_dir / "exclusions.csv")
    geos = geography_names(seeds_dir)
    results = []
    for doc in documents:
        name = doc["source_document"]
        held = [r for r in rows if r["source_document"] == name]
        others = [r for r in rows if r["source_document"] != name]
        lines = (sources / name).read_text(encoding="utf-8").splitlines()
        t0 = time.perf_counter()
        known = {r["metric_code"] for r in others}
        # The catalogue as it stood before the report: only the metrics the other reports use.
        ranker = Ranker(history_from_rows(others, [m for m in metrics if m["metric_code"] in known]))
        draft = draft_document(name, lines, date.fromisoformat(doc["data_to_date"]), ranker, catalogue, geos)
        seconds = time.perf_counter() - t0
        by_line: dict[int, list[dict[str, str]]] = {}
        for d in draft.rows:
            by_line.setdefault(int(d["source_line"]), []).append(d)
        drafted = sign_ok = top1 = top3 = in_history = printed = period_ok = 0
        # A value printed twice on a line (a table row): the k-th held figure of that value on the line is
        # paired with the k-th draft row of that value (held figures in figure_id order, draft rows in line order).
        seen: Counter[tuple[str, float]] = Counter()
        for r in sorted(held, key=lambda r: (int(r["source_line"]), r["figure_id"])):
            value = float(r["printed_value"])
            same = [
                d
                for d in by_line.get(int(r["source_line"]), [])
                if d["value"] and _close(abs(float(d["value"])), abs(value))
            ]
            k = seen[(r["source_line"], abs(value))]
            seen[(r["source_line"], abs(value))] += 1
            match = same[min(k, len(same) - 1)] if same else None
            if match:
                drafted += 1
                sign_ok += _close(float(match["value"]), value)
            if r["metric_code"] in known:
                in_history += 1
                codes = match["suggested_metric_codes"].split(";") if match else []
                top1 += codes[:1] == [r["metric_code"]]
                top3 += r["metric_code"] in codes[:3]
            if r["period_start"] and not r["period_note"]:
                printed += 1
                period_ok += bool(
                    match and match["period_start"] == r["period_start"] and match["period_end"] == r["period_end"]
                )
        held_ex = Counter(
            (e["source_line"], e["number_as_printed"].replace(",", ""), e["reason"])
            for e in exclusions
            if e["source_document"] == name
        )
        draft_ex = Counter(
            (e["source_line"], e["number_as_printed"].replace(",", ""), e["reason"]) for e in draft.excluded
        )
        results.append(
            {
                "document": doc["document_key"],
                "held": len(held),
                "drafted": drafted,
                "sign_ok": sign_ok,
                "in_history": in_history,
                "top1": top1,
                "top3": top3,
                "printed": printed,
                "period_ok": period_ok,
                "exclusions": sum(held_ex.values()),
                "excl_agreed": sum((held_ex & draft_ex).values()),
                "draft_rows": len(draft.rows),
                "seconds": seconds,
            }
        )
    return results


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "    -"


def table(results: list[dict]) -> str:
    total = {k: sum(r[k] for r in results) for k in results[0] if k != "document"}
    total["document"] = "all (pooled)"
    head = (
        f"{'document':<24} {'held':>5} {'drafted':>8} {'sign ok':>8} {'in hist':>8} {'top-1':>7} {'top-3':>7} "
        f"{'printed':>8} {'period':>7} {'excl.':>6} {'agreed':>7} {'rows':>6} {'s/report':>9}"
    )
    out = [head, "-" * len(head)]
    for r in [*results, total]:
        secs = r["seconds"] / (len(results) if r is total else 1)
        out.append(
            f"{r['document']:<24} {r['held']:>5} {_pct(r['drafted'], r['held']):>8} {_pct(r['sign_ok'], r['held']):>8} "
            f"{r['in_history']:>8} {_pct(r['top1'], r['in_history']):>7} {_pct(r['top3'], r['in_history']):>7} "
            f"{r['printed']:>8} {_pct(r['period_ok'], r['printed']):>7} {r['exclusions']:>6} "
            f"{_pct(r['excl_agreed'], r['exclusions']):>7} {r['draft_rows']:>6} {secs:>9.2f}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sources = Path(args[0]) if args else DEFAULT_SOURCES
    results = evaluate(sources)
    if not results:
        print(f"no registered report texts in {sources}")
        return 2
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
