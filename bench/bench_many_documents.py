"""Benchmark: the whole build with thousands of documents, against the build of the real five.

Keys have no ceiling (document keys are slugs, lines any whole number), so a region or a national
body can hold thousands of reports. This builds two copies of the project in a temporary folder,
with `python -m orchestration.cli.run` (every asset, every dbt test, publish):

- `real`: the project as it is (5 documents);
- `synthetic`: the same plus N SYNTHETIC documents (default 2,000), registered in the copy's
  `seeds/source_documents.csv` as `synthetic-NNNNN` ("Synthetic document ...") with the dates of one
  real report and its figures, re-keyed to the synthetic document and, for every third document,
  moved past line 10,000 (beyond the old DDD-LLLL-SS key). Nothing is written to the project.

It prints documents, figure rows, wall seconds, peak memory of the build process, rows per second
and the ratios synthetic / real side by side. Run: .venv/bin/python bench/bench_many_documents.py [N]
"""

from __future__ import annotations

import csv
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from orchestration.lib import paths, project_copy


def add_synthetic_documents(copy: Path, n: int) -> None:
    registry = copy / "seeds" / "source_documents.csv"
    documents = list(csv.DictReader(registry.open(encoding="utf-8", newline="")))
    real = [d["source_document"] for d in documents]
    fields = list(documents[0])
    with registry.open("a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        for i in range(n):
            # The dates of the real report it mirrors, so its figures are read as that report's are.
            writer.writerow(
                {
                    **documents[i % len(documents)],
                    "document_key": f"synthetic-{i:05d}",
                    "source_document": f"synthetic-{i:05d}.txt",
                    "document_title": f"Synthetic document {i} (bench/bench_many_documents.py)",
                    "publisher": "SYNTHETIC",
                    "notes": "SYNTHETIC: generated for a scale benchmark in a temporary copy.",
                }
            )
    for csv_path in paths.extracted_csvs(copy / "data"):
        rows = list(csv.DictReader(csv_path.open(encoding="utf-8", newline="")))
        by_document: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            by_document.setdefault(row["source_document"], []).append(row)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        for i in range(n):
            key = f"synthetic-{i:05d}"
            shift = 10_000 if i % 3 == 0 else 0
            for row in by_document.get(real[i % len(real)], []):
                line = int(row["source_line"]) + shift
                sequence = row["figure_id"].rsplit(":", 1)[1]
                writer.writerow(
                    {
                        **row,
                        "figure_id": f"{key}:{line}:{sequence}",
                        "source_document": f"{key}.txt",
                        "source_line": str(line),
                    }
                )
        csv_path.write_text(out.getvalue(), encoding="utf-8")


def build(copy: Path) -> tuple[float, float, int, int]:
    """(wall seconds, peak MiB of the build process, documents, figure rows) for one whole build."""
    subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet"],
        cwd=copy,
        env=project_copy.run_env(copy),
        check=True,
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli.run"],
        cwd=copy,
        env=project_copy.run_env(copy),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {copy}:\n{(result.stdout + result.stderr)[-4000:]}")
    # RUSAGE_CHILDREN's maximum covers every finished child; the build is the largest one here.
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    with duckdb.connect(str(copy / "warehouse.duckdb"), read_only=True) as con:
        documents, rows = con.execute(
            "select count(distinct source_document), count(*) from marts.fct_published_figures"
        ).fetchone()
    return seconds, peak, documents, rows


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        real = project_copy.copy_project(Path(tmp) / "real")
        synthetic = project_copy.copy_project(Path(tmp) / "synthetic")
        add_synthetic_documents(synthetic, n)
        figures = {name: build(copy) for name, copy in (("real", real), ("synthetic", synthetic))}
    print(f"{'build':<10} {'documents':>10} {'figure rows':>12} {'seconds':>9} {'peak MiB':>9} {'rows/s':>9}")
    for name, (seconds, peak, documents, rows) in figures.items():
        print(f"{name:<10} {documents:>10} {rows:>12} {seconds:>9.1f} {peak:>9.0f} {rows / seconds:>9.0f}")
    (rs, rp, rd, rr), (ss, sp, sd, sr) = figures["real"], figures["synthetic"]
    print(
        f"{'ratio':<10} {sd / rd:>10.0f} {sr / rr:>12.0f} {ss / rs:>9.2f} {sp / rp:>9.2f} {(sr / ss) / (rr / rs):>9.1f}"
    )


if __name__ == "__main__":
    main()
