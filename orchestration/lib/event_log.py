"""Keep the Dagster event log's SQLite connections open for the length of a ``make run``.

Dagster's default SQLite event log storage opens a new SQLAlchemy engine and connection for every
event it stores and closes it again (closing the last connection checkpoints the WAL), up to three
times for an asset check event. A run of this project stores about 1,300 events (a planned event for
every asset and check before the first step starts, then the results), so that costs several seconds
of CPU: measured here, creating a run (its planned events) took 4.4 s with a connection per event and
1.5 s with one connection per database file, 0.8 s with SQLite's ``synchronous=NORMAL`` on them too.

``open_connections(instance)`` gives the instance's event log one engine per database file (the run's
file and the index) while the run lasts, then disposes them, which checkpoints the WAL as before. The
files, their schema and what is written are Dagster's own; only the connection handling changes, and
only in this process (``make dev`` and the daemon keep Dagster's default). Because the Dagster UI
notices new events of a run in progress by the run file changing, the run file is checkpointed after
each step and run event, so a UI open during ``make run`` still follows it step by step.

This replaces a private method (``_connect``) of Dagster's ``SqliteEventLogStorage`` (Dagster is
pinned in requirements.lock) on one storage object. With any other event log storage configured in
``DAGSTER_HOME/dagster.yaml`` it does nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import dagster as dg
import sqlalchemy as db

# Events after which the run file is checkpointed, so a UI watching the run sees them promptly.
_CHECKPOINT_AFTER = {
    dg.DagsterEventType.RUN_START,
    dg.DagsterEventType.RUN_SUCCESS,
    dg.DagsterEventType.RUN_FAILURE,
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
}


def _synchronous_normal(dbapi_connection, _record) -> None:
    # WAL with synchronous=NORMAL: a commit no longer waits for the disk. SQLite's recommended setting for
    # WAL: the file stays consistent, and a crash of this process loses nothing; only a power cut or an OS
    # crash can lose the last committed events of the run's history (never the warehouse, published apart).
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


@contextlib.contextmanager
def open_connections(instance: dg.DagsterInstance) -> Iterator[None]:
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
    from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS

    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage or not hasattr(storage, "_connect"):
        yield
        return

    engines: dict[str, db.Engine] = {}
    store_event = storage.store_event

    @contextlib.contextmanager
    def _connect(shard: str):
        # As SqliteEventLogStorage._connect, with the engine (and its pooled connection) kept per shard.
        with storage._db_lock:
            engine = engines.get(shard)
            if engine is None:
                engine = db.create_engine(
                    storage.conn_string_for_shard(shard),
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                )
                db.event.listen(engine, "connect", _synchronous_normal)
                engines[shard] = engine
            if shard not in storage._initialized_dbs:
                storage._initdb(engine)
                storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _store_event(event) -> None:
        store_event(event)
        if event.is_dagster_event and event.dagster_event_type in _CHECKPOINT_AFTER:
            with storage._db_lock:
                engine = engines.get(event.run_id)
                if engine is not None:
                    with engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    storage._connect = _connect
    storage.store_event = _store_event
    try:
        yield
    finally:
        del storage._connect, storage.store_event  # back to the class's methods
        for engine in engines.values():
            engine.dispose()  # closes the connections: the last close checkpoints the WAL
