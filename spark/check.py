"""Build the dbt project on Apache Spark and prove every mart equal to the DuckDB build.

Run by ``make spark-check`` with the Spark environment's interpreter (``.venv-spark``): it starts a
Spark Thrift server on 127.0.0.1 (the one inside the pyspark wheel; no network), loads the raw
tables as typed Parquet exported from the published DuckDB warehouse, registers police.uk's Parquet lake
(``POLICE_UK_LAKE``, the files DuckDB's build read) as the source ``lake.police_uk_street_crime``, runs ``dbt seed`` and
``dbt build --target spark`` (models and data tests; dbt's unit tests too with ``--unit-tests``), compares each mart with DuckDB's row by row (values and types, floating
point within a relative tolerance), prints ``N of M marts identical`` and stops the server.

With ``SPARK_HOST`` set it uses that server instead (a cluster's Thrift server) and starts none; the
raw Parquet must then be on a path the cluster reads (``SPARK_RAW_DIR``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from pyhive import hive

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the settings' one home, orchestration/lib/paths.py (standard library only)
from orchestration.lib import paths  # noqa: E402

WORK = REPO / ".spark"
# Relative tolerance for doubles: sums and means of the same inputs may differ in the last bits when
# Spark adds them in another order (DuckDB orders them; Spark cannot).
REL_TOL = 1e-9
# The semantic layer's tables (marts.metric_*) are MetricFlow's, built on DuckDB only.
NOT_DBT = "metric_%"
# DuckDB type -> the Spark type that holds the same values.
SAME_TYPE = {
    "VARCHAR": "string",
    "DOUBLE": "double",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}


def log(message: str) -> None:
    print(f"spark-check: {message}", flush=True)


@contextlib.contextmanager
def stage(timings: dict[str, float], name: str):
    """Time one stage of the check into ``timings`` (seconds of wall time)."""
    started = time.monotonic()
    try:
        yield
    finally:
        timings[name] = round(time.monotonic() - started, 1)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def start_thrift_server(port: int) -> subprocess.Popen:
    """The Spark Thrift server from the pyspark wheel, local, on 127.0.0.1 only, no UI."""
    import pyspark

    spark_home = Path(pyspark.__file__).parent
    # A clean local catalog every time: an interrupted run can leave table folders its metastore forgot.
    for leftover in ("warehouse", "metastore_db"):
        shutil.rmtree(WORK / leftover, ignore_errors=True)
    WORK.mkdir(exist_ok=True)
    env = {**os.environ, "SPARK_HOME": str(spark_home), "SPARK_LOCAL_IP": "127.0.0.1"}
    command = [
        str(spark_home / "bin" / "spark-submit"),
        "--class",
        "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
        "--name",
        "warehouse-spark-check",
        "--master",
        "local[2]",
        "--conf",
        f"spark.sql.warehouse.dir={WORK / 'warehouse'}",
        "--conf",
        "spark.ui.enabled=false",
        # Small tables (the largest is 10^5 rows): one partition each. A shuffle into Spark's default 200
        # partitions costs seconds a model for nothing, and even two cost a task each for nothing.
        "--conf",
        "spark.sql.shuffle.partitions=1",
        "--conf",
        "spark.default.parallelism=1",
        # Each statement runs inside its request, so dbt-spark's first poll finds it finished. Run in the
        # background (Spark's default), almost every statement costs dbt a poll interval (a whole second)
        # however quickly it ran. The background exists for statements longer than a proxy's idle timeout;
        # nothing between dbt and this local server has one.
        "--conf",
        "spark.sql.hive.thriftServer.async=false",
        # Adaptive execution re-plans a query after each of its shuffles; with one partition there is nothing to
        # adapt, and the re-planning of a unit test's many-branch union under a chain of windows took seconds.
        "--conf",
        "spark.sql.adaptive.enabled=false",
        "--conf",
        "spark.driver.bindAddress=127.0.0.1",
        "--conf",
        "spark.driver.host=127.0.0.1",
        # A JVM that lives two minutes: the JIT's optimising tier costs more CPU than it saves (measured: total
        # 122 s and 200 s of CPU with it, 116 s and 137 s without). Without that tier the JIT's code cache filled on
        # a fresh clone ("Out of space in CodeCache"): it gets room of its own. Whole-stage code generation stays
        # on (Spark's default): without it the 1.5 million police.uk rows took 8 s in one model instead of 4.
        "--conf",
        f"spark.driver.extraJavaOptions=-Dderby.system.home={WORK} -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=512m",
        "--hiveconf",
        f"hive.server2.thrift.port={port}",
        "--hiveconf",
        "hive.server2.thrift.bind.host=127.0.0.1",
        "spark-internal",
    ]
    out = (WORK / "thrift-server.log").open("w")
    server = subprocess.Popen(command, cwd=WORK, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while not port_open("127.0.0.1", port):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit(f"spark-check: the Thrift server did not start; see {WORK / 'thrift-server.log'}")
        time.sleep(1)
    return server


def stop(server: subprocess.Popen) -> None:
    import signal

    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def refused_by_metastore(server_log: str) -> list[str]:
    """Tables the Hive metastore would not hold in Hive's own format, from the Thrift server's log.

    A column comment over the metastore's 256 characters (macros/spark_docs.sql) is one cause: the metastore
    retries the table ten times, 2 s apart, before Spark stores it in its own format, 20 s lost a table.
    """
    pattern = r"Could not persist `spark_catalog`\.`([^`]+)`\.`([^`]+)` in a Hive compatible way"
    return sorted({f"{schema}.{table}" for schema, table in re.findall(pattern, server_log)})


def load_raw(cursor, duck: duckdb.DuckDBPyConnection, raw_dir: Path) -> list[str]:
    """Every raw table as typed Parquet, registered in Spark under the same name (the dbt source)."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    tables = [r[0] for r in duck.sql("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()]
    cursor.execute("create database if not exists raw")
    for table in tables:
        target = raw_dir / f"{table}.parquet"
        duck.sql(f"copy raw.{table} to '{target}' (format parquet)")
        cursor.execute(f"drop table if exists raw.{table}")
        cursor.execute(f"create table raw.{table} using parquet location '{target}'")
    return tables


def register_lake(cursor, lake: Path) -> str:
    """police.uk's lake, read where it lies (the files dbt-duckdb read): a view under the dbt source's name."""
    files = lake / "month=*" / "street.parquet"
    if not any(lake.glob("month=*/street.parquet")):
        raise SystemExit(f"spark-check: no police.uk lake at {lake}: run `make run` first")
    cursor.execute("create database if not exists lake")
    cursor.execute("drop view if exists lake.police_uk_street_crime")
    cursor.execute(f"create view lake.police_uk_street_crime as select * from parquet.`{files}`")  # noqa: S608
    return "lake.police_uk_street_crime"


# A dbt command on Spark that takes longer than this has hung (the whole build takes minutes): it fails the check
# instead of holding CI until its own timeout.
DBT_TIMEOUT_SECONDS = int(os.environ.get("SPARK_DBT_TIMEOUT", "1200"))


def dbt(*args: str, env: dict[str, str]) -> None:
    command = [str(Path(sys.executable).parent / "dbt"), *args, "--target-path", "target-spark"]
    command += ["--log-path", str(REPO / "logs" / "spark")]
    try:
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=DBT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise SystemExit(
            f"spark-check: dbt {args[0]} on Spark still running after {DBT_TIMEOUT_SECONDS} s: stopped "
            "(full log: logs/spark/dbt.log; the Thrift server's: .spark/thrift-server.log)"
        ) from None
    summary = [line for line in result.stdout.splitlines() if "Done." in line or "ERROR" in line or "FAIL" in line]
    for line in summary[-15:]:
        print(f"  {line.strip()}", flush=True)
    if result.returncode != 0:
        raise SystemExit(f"spark-check: dbt {args[0]} failed on Spark (full log: logs/spark/dbt.log)")


def normalise(value):
    if isinstance(value, float):
        return ("float", value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value  # Spark returns dates as ISO strings through the Thrift protocol
    return value


def rows_equal(left: list[tuple], right: list[tuple]) -> str | None:
    """None when equal; otherwise the first difference, in words."""
    if len(left) != len(right):
        return f"{len(left)} rows in DuckDB, {len(right)} on Spark"

    def key(row):
        return tuple((v is None, str(v[1]) if isinstance(v, tuple) else str(v)) for v in row)

    left_sorted = sorted((tuple(map(normalise, r)) for r in left), key=key)
    right_sorted = sorted((tuple(map(normalise, r)) for r in right), key=key)
    for number, (a, b) in enumerate(zip(left_sorted, right_sorted, strict=True), start=1):
        for column, (x, y) in enumerate(zip(a, b, strict=True)):
            if isinstance(x, tuple) or isinstance(y, tuple):
                xv = x[1] if isinstance(x, tuple) else x
                yv = y[1] if isinstance(y, tuple) else y
                if xv is None or yv is None:
                    if xv is not yv:
                        return f"row {number} column {column + 1}: {xv!r} vs {yv!r}"
                elif not math.isclose(float(xv), float(yv), rel_tol=REL_TOL, abs_tol=1e-12):
                    return f"row {number} column {column + 1}: {xv!r} vs {yv!r}"
            elif x != y:
                return f"row {number} column {column + 1}: {x!r} vs {y!r}"
    return None


# Marts with more rows than this are compared inside DuckDB, against the Parquet files Spark wrote for them:
# a million rows through the Thrift protocol would take minutes.
LARGE_MART_ROWS = 100_000


def table_location(cursor, table: str) -> Path | None:
    cursor.execute(f"describe formatted {table}")
    for name, value, *_ in cursor.fetchall():
        if name and name.strip() == "Location" and value:
            return Path(value.removeprefix("file:"))
    return None


def rows_equal_in_duckdb(duck: duckdb.DuckDBPyConnection, mart: str, names: str, files: Path) -> str | None:
    """None when DuckDB's mart and Spark's Parquet files hold the same rows, as multisets (exact values)."""
    spark_rows = f"select {names} from read_parquet('{files}/*.parquet')"  # noqa: S608 - names from describe
    duck_rows = f"select {names} from marts.{mart}"  # noqa: S608
    only_duck, only_spark = duck.sql(
        f"select (select count(*) from ({duck_rows} except all {spark_rows})), "  # noqa: S608
        f"(select count(*) from ({spark_rows} except all {duck_rows}))"
    ).fetchone()
    return f"{only_duck} rows only in DuckDB, {only_spark} only on Spark" if only_duck or only_spark else None


def compare(cursor, duck: duckdb.DuckDBPyConnection) -> tuple[int, int, list[str]]:
    # Every mart, tables and views (the compatibility views), but MetricFlow's.
    marts = [
        r[0]
        for r in duck.sql(
            "select table_name from duckdb_tables() where schema_name = 'marts' and table_name not like $1 "
            "union select view_name from duckdb_views() where schema_name = 'marts' and view_name not like $1 "
            "order by 1",
            params=[NOT_DBT],
        ).fetchall()
    ]
    identical, problems = 0, []
    for mart in marts:
        duck_columns = duck.sql(f"describe marts.{mart}").fetchall()
        cursor.execute(f"describe marts.{mart}")
        spark_columns = [(r[0], r[1]) for r in cursor.fetchall() if r[0] and not r[0].startswith("#")]
        expected = [(name, SAME_TYPE.get(kind, kind.lower())) for name, kind, *_ in duck_columns]
        if expected != spark_columns:
            problems.append(f"{mart}: columns or types differ: {sorted(set(expected) ^ set(spark_columns))[:6]}")
            continue
        names = ", ".join(name for name, _ in expected)
        count = duck.sql(f"select count(*) from marts.{mart}").fetchone()[0]  # noqa: S608
        location = table_location(cursor, f"marts.{mart}") if count > LARGE_MART_ROWS else None
        if location is not None:
            difference = rows_equal_in_duckdb(duck, mart, names, location)
        else:
            duck_rows = duck.sql(f"select {names} from marts.{mart}").fetchall()  # noqa: S608
            cursor.execute(f"select {names} from marts.{mart}")  # noqa: S608
            difference = rows_equal(duck_rows, cursor.fetchall())
        if difference:
            problems.append(f"{mart}: {difference}")
        else:
            identical += 1
    return identical, len(marts), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=paths.warehouse_path())
    # One dbt thread: dbt opens and closes a Thrift session for every node, and with several threads closing sessions
    # at once the Thrift server's Hive client was seen to hang for good (a session's close waiting forever in
    # Hive.registerAllFunctionsOnce). The statements are small; more threads gained nothing measurable.
    parser.add_argument("--threads", default=os.environ.get("SPARK_DBT_THREADS", "1"))
    parser.add_argument(
        "--unit-tests",
        action="store_true",
        default=os.environ.get("SPARK_UNIT_TESTS", "") not in ("", "0"),
        help="also run dbt's unit tests on Spark (SPARK_UNIT_TESTS=1; about two minutes more here)",
    )
    parser.add_argument("--timings", type=Path, help="also write the stages' seconds to this JSON file")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        raise SystemExit(f"spark-check: no DuckDB warehouse at {args.warehouse}: run `make run` first")

    host = os.environ.get("SPARK_HOST", "127.0.0.1")
    port = int(os.environ.get("SPARK_PORT", "10000"))
    local = "SPARK_HOST" not in os.environ
    started = time.monotonic()
    timings: dict[str, float] = {}
    server = None
    if local:
        if port_open(host, port):
            raise SystemExit(f"spark-check: port {port} is in use; stop what listens there or set SPARK_PORT")
        log(f"starting the Spark Thrift server on 127.0.0.1:{port}")
        with stage(timings, "server"):
            server = start_thrift_server(port)
        log(f"server up after {timings['server']:.0f} s")
    try:
        with duckdb.connect(str(args.warehouse), read_only=True) as duck:
            cursor = hive.connect(host=host, port=port, username=os.environ.get("SPARK_USER", "dbt")).cursor()
            raw_dir = Path(os.environ.get("SPARK_RAW_DIR", WORK / "raw"))
            with stage(timings, "raw"):
                tables = load_raw(cursor, duck, raw_dir)
                lake = paths.police_uk_lake()
                tables.append(register_lake(cursor, lake))
            log(f"sources on Spark as Parquet: {', '.join(tables)}")
            env = {
                **os.environ,
                "DBT_PROFILES_DIR": str(REPO),
                "DBT_TARGET": "spark",
                "SPARK_HOST": host,
                "SPARK_PORT": str(port),
                "DBT_THREADS": args.threads,
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "DBT_VERSION_CHECK": "false",
            }
            log("dbt seed and dbt build on Spark")
            with stage(timings, "seed"):
                dbt("seed", "--full-refresh", env=env)
            # Unit tests prove a model's logic on fixtures, which the DuckDB build runs every time; on Spark each
            # re-plans its model's whole SQL over a union of fixture rows, 16 of them 117 s of a 195 s build here.
            # The check proves the engines agree on the real data; --unit-tests adds them.
            skipped = ["resource_type:seed"] + ([] if args.unit_tests else ["resource_type:unit_test"])
            with stage(timings, "build"):
                dbt("build", "--exclude", *skipped, env=env)
            with stage(timings, "compare"):
                identical, total, problems = compare(cursor, duck)
    finally:
        if server is not None:
            with stage(timings, "stop"):
                stop(server)
            log("server stopped")
    timings["total"] = round(time.monotonic() - started, 1)
    for problem in problems:
        print(f"  differs: {problem}")
    refused = refused_by_metastore((WORK / "thrift-server.log").read_text(errors="replace")) if local else []
    for table in refused:
        print(f"  the metastore refused {table} in Hive's format (20 s of retries; see macros/spark_docs.sql)")
    log("seconds by stage: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items()))
    if args.timings:
        args.timings.write_text(json.dumps({**timings, "identical": identical, "marts": total}, indent=2) + "\n")
    print(f"{identical} of {total} marts identical (doubles within a relative {REL_TOL:g}); {timings['total']:.0f} s")
    return 0 if identical == total and not refused else 1


if __name__ == "__main__":
    raise SystemExit(main())
