"""What ``make run`` prints, and where the rest goes.

Two Dagster loggers, chosen in the run config by ``orchestration.cli.run`` (runs started from the UI keep
Dagster's default console logger):

* ``run_file`` writes the complete log, every event at DEBUG level, to ``logs/run-<run id>.log``;
  ``logs/last-run.log`` links to the newest. Anything the run prints (dbt's own progress lines, which
  dagster-dbt echoes, and warnings) goes to the same file, so the terminal stays quiet.
* ``progress`` prints one line per step: its name, its status, its seconds and its key fact (rows
  loaded, models built and tests passed, marts written). A failed step also prints its error and, for a
  file that breaks the data contract, every violation by file, row and column.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

import dagster as dg

from orchestration.lib import paths

LOG_DIR = paths.REPO / "logs"
LAST_RUN_LOG = LOG_DIR / "last-run.log"
KEEP_RUN_LOGS = 20  # older logs/run-*.log files are removed
FORMAT = "%(asctime)s - %(levelname)s - %(message)s"
MAX_FAILURE_LINES = 60  # of one failed step's details on the terminal; the log file has them all


def run_log_path(run_id: str) -> Path:
    return LOG_DIR / f"run-{run_id}.log"


def start_run_log(run_id: str) -> Path:
    """Create ``logs/run-<run id>.log``, point ``logs/last-run.log`` at it, and prune old run logs."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    path = run_log_path(run_id)
    path.touch()
    link = LAST_RUN_LOG.with_name(f".last-run.log.{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(path.name)
    os.replace(link, LAST_RUN_LOG)  # atomic: readers see the old link or the new one
    old = sorted(LOG_DIR.glob("run-*.log"), key=lambda p: p.stat().st_mtime)[:-KEEP_RUN_LOGS]
    for stale in old:
        stale.unlink(missing_ok=True)
    return path


class _FileOnlyStream(io.TextIOBase):
    """A text stream into the run log with no file descriptor of its own.

    Without one, Dagster's compute-log capture (which swaps file descriptors 1 and 2 and mirrors them
    back to the terminal with ``tail``) leaves this stream alone: what the run prints stays in the file.
    """

    def __init__(self, path: Path):
        self._file = path.open("a", encoding="utf-8", buffering=1)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._file.write(text)
        return len(text)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        if not self.closed:
            super().close()  # flushes
            self._file.close()


@contextlib.contextmanager
def printed_output_to(path: Path):
    """Send everything Python code prints (stdout and stderr) to ``path`` for the duration."""
    stream = _FileOnlyStream(path)
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            yield
    finally:
        stream.close()


def _event(record: logging.LogRecord) -> dg.DagsterEvent | None:
    meta = getattr(record, "dagster_meta", None) or {}
    return meta.get("dagster_event") or getattr(record, "dagster_event", None)


class _FailureDetailsFormatter(logging.Formatter):
    """Dagster's console format, plus what a failed step's ``dg.Failure`` carries (description, metadata)."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        event = _event(record)
        if event is not None and event.event_type == dg.DagsterEventType.STEP_FAILURE:
            details = failure_details(event)
            if details:
                text += "\n" + "\n".join(details)
        return text


@dg.logger(
    config_schema={"path": str},
    description="The complete run log (DEBUG, every event) in one file; used by `make run`.",
)
def run_file_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("dagster.run_file", level=logging.DEBUG)
    handler = logging.FileHandler(init_context.logger_config["path"], mode="a", encoding="utf-8")
    handler.setFormatter(_FailureDetailsFormatter(FORMAT))
    logger.addHandler(handler)
    return logger


def failure_details(event: dg.DagsterEvent) -> list[str]:
    """The error of a failed step: message, a ``dg.Failure``'s description and metadata (the violations)."""
    data = event.step_failure_data
    lines: list[str] = []
    user = data.user_failure_data
    if user is not None:
        if user.description:
            lines.append(user.description)
        for label, value in (user.metadata or {}).items():
            text = str(getattr(value, "value", value))
            lines.append(f"{label}:")
            lines += [f"  {line}" for line in text.splitlines()]
    elif data.error is not None:
        error = data.error
        # The innermost cause says what really went wrong (dagster wraps user errors).
        while error.cause is not None:
            error = error.cause
        lines += [line for line in error.message.strip().splitlines() if line.strip()]
    return lines


class ProgressHandler(logging.Handler):
    """One line per finished step on the terminal; on a terminal, a running count while dbt builds."""

    def __init__(self, stream: TextIO):
        super().__init__(level=logging.DEBUG)
        self.stream = stream
        self.tty = stream.isatty()
        self.started: dict[str, float] = {}
        self.facts: dict[str, Counter] = {}
        self.rows: dict[str, int] = {}
        self.published: str = ""
        self.observed_tests: set[str] = set()
        self._counter_shown = False

    def _print(self, line: str) -> None:
        if self._counter_shown:
            self.stream.write("\r\033[K")
            self._counter_shown = False
        self.stream.write(line + "\n")
        self.stream.flush()

    def _count(self, step: str) -> None:
        facts = self.facts[step]
        if self.tty and step == "warehouse_dbt_assets":
            done = facts["materialised"] + facts["checks"] + facts["observed"]
            self.stream.write(f"\r\033[K  {step}: {done} dbt nodes done ...")
            self.stream.flush()
            self._counter_shown = True

    def emit(self, record: logging.LogRecord) -> None:
        try:
            event = _event(record)
            if event is None:
                self._message(record)
                return
            if not event.step_key:
                return
            step = event.step_key
            kind = event.event_type
            facts = self.facts.setdefault(step, Counter())
            if kind == dg.DagsterEventType.STEP_START:
                self.started[step] = record.created
            elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
                materialization = event.step_materialization_data.materialization
                metadata = materialization.metadata
                if materialization.partition is not None:
                    # One event per partition of one asset: its row count is the table's, counted once.
                    facts["partitions"] += 1
                    facts["materialised"] = facts["materialised"] or 1
                else:
                    facts["materialised"] += 1
                if "dagster/row_count" in metadata and not (materialization.partition and facts["partitions"] > 1):
                    self.rows[step] = self.rows.get(step, 0) + int(metadata["dagster/row_count"].value)
                if "content_hash" in metadata:
                    self.published = str(metadata["content_hash"].value)[:16]
                self._count(step)
            elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
                check = event.event_specific_data
                facts["checks"] += 1
                facts["passed" if check.passed else f"failed ({check.severity.value.lower()})"] += 1
                self._count(step)
            elif kind == dg.DagsterEventType.ASSET_OBSERVATION:
                # A dbt test that is no asset check (it reads several models) is observed once per model.
                metadata = event.event_specific_data.asset_observation.metadata
                test = str(getattr(metadata.get("unique_id"), "value", ""))
                status = str(getattr(metadata.get("status"), "value", ""))
                if test.startswith("test.") and test not in self.observed_tests:
                    self.observed_tests.add(test)
                    facts["observed"] += 1
                    facts[{"pass": "passed", "warn": "failed (warn)"}.get(status, "failed (error)")] += 1
                    self._count(step)
            elif kind == dg.DagsterEventType.STEP_SUCCESS:
                seconds = event.event_specific_data.duration_ms / 1000
                self._print(f"  {'ok':<7} {step:<28} {seconds:6.1f} s  {self._fact(step)}")
            elif kind == dg.DagsterEventType.STEP_FAILURE:
                seconds = time.time() - self.started.get(step, record.created)
                self._print(f"  {'FAILED':<7} {step:<28} {seconds:6.1f} s  {self._fact(step)}".rstrip())
                details = failure_details(event)
                for line in details[:MAX_FAILURE_LINES]:
                    self._print(f"      {line}")
                if len(details) > MAX_FAILURE_LINES:
                    self._print(f"      ... {len(details) - MAX_FAILURE_LINES} more lines in the run log")
            elif kind == dg.DagsterEventType.STEP_SKIPPED:
                self._print(f"  {'skipped':<7} {step:<28} {'':>8}  no output to run on")
        except Exception:  # a progress line must never break the run
            self.handleError(record)

    def _message(self, record: logging.LogRecord) -> None:
        """Errors logged without an event: steps not run after a failure, errors user code logged."""
        if record.levelno < logging.ERROR:
            return
        meta = getattr(record, "dagster_meta", None) or {}
        step = meta.get("step_key") or "(run)"
        text = str(meta.get("orig_message") or record.getMessage())
        if "Not executing." in text:
            self._print(f"  {'not run':<7} {step:<28} {'':>8}  an upstream step failed or did not run")
        else:
            self._print(f"  {'ERROR':<7} {step}")
            for line in text.strip().splitlines()[:MAX_FAILURE_LINES]:
                self._print(f"      {line}")

    def _fact(self, step: str) -> str:
        facts = self.facts.get(step, Counter())
        if step == "warehouse_build":
            return "build file started afresh"
        if step == "published_warehouse":
            return f"published (content hash {self.published})" if self.published else ""
        if step == "warehouse_dbt_assets":
            outcome = ", ".join(
                f"{facts[k]} {k}" for k in ("passed", "failed (error)", "failed (warn)") if facts[k] or k == "passed"
            )
            tests = facts["checks"] + facts["observed"]
            return f"{facts['materialised']} models and seeds built, {tests} tests: {outcome}"
        if step in self.rows:
            tables, months = facts["materialised"], facts["partitions"]
            where = f" in {tables} tables" if tables > 1 else ""
            return f"{self.rows[step]} rows{where}" + (f", {months} partition(s) in this run" if months else "")
        return f"{facts['materialised']} assets" if facts["materialised"] else ""


@dg.logger(description="One line per finished step on the terminal; used by `make run`.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("dagster.progress", level=logging.DEBUG)
    # The terminal as it was when Python started: during the run, sys.stdout is the run log.
    logger.addHandler(ProgressHandler(sys.__stdout__))
    return logger


LOGGERS = {"run_file": run_file_logger, "progress": progress_logger, "console": dg.colored_console_logger}


def run_config(log_path: Path) -> dict:
    return {"loggers": {"run_file": {"config": {"path": str(log_path)}}, "progress": {}}}
