"""One writer, consistent readers: runs build a private file; a finished, checked build is published atomically.

* ``reset_build``: every run starts its build file afresh, so a killed run leaves nothing the next builds on.
* ``publish``: copy the closed build file beside the published one, check the copy opens and every mart
  has rows, then ``os.replace`` it over the published file. The rename is atomic: a reader opens either
  the old file or the new one, never a half-written one, and a reader already connected keeps reading
  the old file until it reconnects. Nothing ever opens the published file for writing, so readers never
  meet a writer's lock.
* ``content_hash``: a hash of every mart's rows (computed in DuckDB), to show that two runs on the same inputs agree.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

MART_SCHEMA = "marts"


@dataclass(frozen=True)
class PublishResult:
    published: Path
    content_hash: str
    tables: dict[str, int]


def _config() -> dict[str, str]:
    from orchestration.lib.raw_loader import CONNECT_CONFIG

    return dict(CONNECT_CONFIG)


def reset_build(build: Path) -> None:
    """Remove the previous build file (and any WAL a killed run left) before a run writes: every run starts from
    nothing, so a killed run leaves nothing the next builds on."""
    build.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name", [MART_SCHEMA]
        ).fetchall()
    ]


def content_hash(path: Path) -> tuple[str, dict[str, int]]:
    """sha256 over every mart's name, columns and rows in a fixed order; and each mart's row count.

    A view is hashed by its definition, not its rows: its rows are a function of tables hashed here or before, and
    a view over millions of rows (police.uk's fct_street_crime) would otherwise be computed on every publish.
    """
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    with duckdb.connect(str(path), read_only=True, config={"memory_limit": _config()["memory_limit"]}) as con:
        views = dict(
            con.execute(
                "select view_name, sql from duckdb_views() where schema_name = ? and not internal", [MART_SCHEMA]
            ).fetchall()
        )
        for table in mart_tables(con):
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [MART_SCHEMA, table],
            ).fetchall()
            if table in views:
                count = con.execute(f'select count(*) from {MART_SCHEMA}."{table}"').fetchone()[0]  # noqa: S608
                counts[table] = count
                digest.update(repr((table, columns, views[table])).encode())
                continue
            # Row hashes summed and xor-ed in DuckDB: independent of row order, and no mart's rows ever pass
            # through Python.
            count, total, xor = con.execute(
                f'select count(*), sum(hash(t)), bit_xor(hash(t)) from {MART_SCHEMA}."{table}" t'  # noqa: S608
            ).fetchone()
            counts[table] = count
            digest.update(repr((table, columns, count, int(total or 0), int(xor or 0))).encode())
    return digest.hexdigest(), counts


def publish(build: Path, published: Path, run_id: str = "", inputs_fingerprint: str = "") -> PublishResult:
    """Atomically replace ``published`` with a checked copy of ``build``.

    The record beside it (``<published>.json``) holds the run, the content hash and each mart's rows, and, for a
    run started by ``make run``, the fingerprint of the inputs it read (``orchestration/lib/inputs.py``) with the
    published file's size and mtime: the next ``make run`` skips its run when both still match.
    """
    if not build.exists():
        raise FileNotFoundError(f"no build to publish at {build}")
    if build.with_name(build.name + ".wal").exists():
        raise RuntimeError(f"{build} has an unmerged WAL: a writer is still open or was killed; not publishing")
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f"{published.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(build, staging)
        digest, counts = content_hash(staging)
        empty = [t for t, n in counts.items() if n == 0]
        if not counts or empty:
            raise RuntimeError(f"not publishing: marts missing or empty ({empty or 'no marts'})")
        os.replace(staging, published)  # atomic on one file system
    finally:
        staging.unlink(missing_ok=True)
    stat = published.stat()
    record = {
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_id": run_id,
        "content_hash": digest,
        "inputs_fingerprint": inputs_fingerprint,
        "published_file": f"{stat.st_size}:{stat.st_mtime_ns}",
        "tables": counts,
    }
    published.with_name(published.name + ".json").write_text(json.dumps(record, indent=2) + "\n")
    return PublishResult(published, digest, counts)
