"""Spark local mode for Splink: one session per process, two cores, Splink's similarity UDF
jar on the class path, checkpoints under a temporary folder removed at exit."""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import sys
import tempfile
from typing import Any

from memorybook.errors import ConfigurationError

_SESSION: Any = None
_WORK: str | None = None
_FILES = itertools.count(1)


def spark_session(cores: int = 2) -> Any:
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError:
        raise ConfigurationError(
            "the spark backend needs pyspark: pip install 'memorybook[spark]'"
        ) from None
    global _WORK
    work = tempfile.mkdtemp(prefix="memorybook-spark-")
    _WORK = work
    atexit.register(shutil.rmtree, work, True)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("memorybook-linkage")
        .config("spark.jars", similarity_jar_location())
        # The JVM's heap (local mode: the driver is the executor); MEMORYBOOK_SPARK_MEMORY
        # overrides.
        .config("spark.driver.memory", os.environ.get("MEMORYBOOK_SPARK_MEMORY", "2g"))
        # No broadcast joins: Splink's blocking joins the records with themselves, and at
        # 100,000 + 100,000 records broadcasting one side no longer fit a 2 GB heap
        # ("Not enough memory to build and broadcast the table"); sort-merge joins spill.
        .config("spark.sql.autoBroadcastJoinThreshold", "-1")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.default.parallelism", str(cores))
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", work)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing or failing to start: one clear line
        raise ConfigurationError(f"Spark could not start: {str(exc).splitlines()[0]}") from None
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(os.path.join(work, "checkpoints"))
    atexit.register(session.stop)
    _SESSION = session
    return session


def spark_api() -> Any:
    from splink.backends.spark import SparkAPI

    return SparkAPI(spark_session=spark_session(), num_partitions_on_repartition=2)


def records_frame(session: Any, table: Any) -> Any:
    """A Spark DataFrame of a pyarrow table, read from a Parquet file in the session's work
    folder. Spark's createDataFrame makes local rows part of the query plan, and Catalyst's
    optimiser (ConvertToLocalRelation) then evaluates every projection of the blocking joins
    over them inside the driver's heap: 20,000 + 20,000 synthetic records ran it out of
    memory (java.lang.OutOfMemoryError: Java heap space). A file scan keeps the data out of
    the plan."""
    import pyarrow.parquet as pq

    if _WORK is None:
        raise ConfigurationError("the Spark session is not started")
    path = os.path.join(_WORK, f"records-{next(_FILES)}.parquet")
    pq.write_table(table, path)
    return session.read.parquet(path)
