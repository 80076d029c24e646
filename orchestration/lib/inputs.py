"""The fingerprint of everything a run reads, so that ``make run`` can skip a run whose inputs are unchanged.

A run reads the project's files (code, models, seeds, the figures in ``data/``, the lock file...), the
police.uk street files of every archive it lands, and the report texts in the sources folder. Publishing
records the fingerprint taken when the run started (``warehouse.duckdb.json``, ``inputs_fingerprint``);
``make run`` compares it with the inputs now, before it imports Dagster, and stops with "nothing changed".

The project's files and the report texts are hashed by content (7 MB: tens of milliseconds). The police.uk
street files are taken by size and modification time, the sensor's own change test (``StreetFile.fingerprint``):
they are tens of megabytes, and the lake compares their sha256 when it lands them.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from orchestration.lib import paths

# Written by runs and tools, never read as an input (the walk when the project is not a git checkout).
_OUTPUT_DIRS = {
    ".git",
    ".venv",
    ".venv-spark",
    "target",
    "target-spark",
    "logs",
    ".dagster_home",
    ".build",
    "lake",
    "exports",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".spark",
    "dbt_packages",
}
_OUTPUT_PATHS = {"reports/build", "reports/.evidence", "bench/results"}
_OUTPUT_SUFFIXES = (".duckdb", ".duckdb.wal", ".duckdb.json", ".pyc")


def project_files(repo: Path = paths.REPO) -> list[str]:
    """The project's files as git sees them (tracked, and untracked but not ignored); every file but the
    run's outputs when the project is not a git checkout (a test's copy)."""
    if (repo / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=repo,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\0")
        return sorted(name for name in listed if name and (repo / name).is_file())
    names = []
    for folder, dirs, files in os.walk(repo):
        relative = os.path.relpath(folder, repo)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in _OUTPUT_DIRS and os.path.normpath(os.path.join(relative, d)) not in _OUTPUT_PATHS
        )
        names += [os.path.normpath(os.path.join(relative, f)) for f in files if not f.endswith(_OUTPUT_SUFFIXES)]
    return sorted(names)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entries(repo: Path, archives: list[Path], sources: Path) -> Iterator[tuple[str, str]]:
    from orchestration.lib import police_uk

    archive_dirs = [a.resolve() for a in archives]
    for name in project_files(repo):
        path = (repo / name).resolve()
        if any(path.is_relative_to(a) for a in archive_dirs):
            continue  # a street file in the project (data/police_uk): taken with its archive below
        yield f"project:{name}", _sha256(path)
    for archive in archive_dirs:
        yield f"archive:{archive}", ""  # which archives: POLICE_UK_DIR replaces the default ones
        for street in police_uk.discover(archive):
            yield f"police_uk:{archive}/{street.name}", street.fingerprint
    if sources.is_dir():
        for text in sorted(sources.glob("*.txt")):
            yield f"sources:{text.name}", _sha256(text)


def fingerprint(repo: Path | None = None, archives: list[Path] | None = None, sources: Path | None = None) -> str:
    """One sha256 over every input file's name and content hash (size and mtime for police.uk files)."""
    from orchestration.lib import police_uk

    digest = hashlib.sha256()
    for name, value in _entries(
        repo or paths.REPO,
        police_uk.default_dirs() if archives is None else archives,
        paths.sources_dir() if sources is None else sources,
    ):
        digest.update(f"{name}\0{value}\n".encode())
    return digest.hexdigest()


def published_record(published: Path | None = None) -> dict | None:
    """The published warehouse's record (``<warehouse>.json``), or None when there is none to trust."""
    published = published or paths.warehouse_path()
    record_path = published.with_name(published.name + ".json")
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        return None
    stat = published.stat() if published.exists() else None
    # The warehouse file must be the one published with this record: not deleted, replaced or written since.
    if stat is None or record.get("published_file") != f"{stat.st_size}:{stat.st_mtime_ns}":
        return None
    return record


def unchanged_run(current: str, published: Path | None = None) -> str | None:
    """The run id of the published warehouse when it was built from exactly these inputs, else None."""
    record = published_record(published)
    if record and record.get("inputs_fingerprint") == current:
        return record.get("run_id") or "unknown"
    return None
