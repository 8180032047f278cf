"""Spark local mode for Splink: one session per process, two cores, Splink's similarity UDF
jar on the class path, checkpoints under a temporary folder removed at exit."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from typing import Any

from memorybook.errors import ConfigurationError

_SESSION: Any = None


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
    work = tempfile.mkdtemp(prefix="memorybook-spark-")
    atexit.register(shutil.rmtree, work, True)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("memorybook-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", "2g")
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
