"""Drift checks on Spark DataFrames: count in the JVM, or every Arrow batch.

:meth:`DriftMonitor.count` (and so :meth:`DriftMonitor.check`) hand a Spark
batch to :func:`count_spark`. Where every model column allows it
(:func:`count_native`), the bin codes, points and score bins are Spark column
expressions and one aggregation in the JVM counts the cells: no Python
worker runs. Otherwise each Arrow batch of each partition is counted with the
monitor's own in-memory counting and the tables are summed, on the executors
within a partition and on the driver across partitions
(:func:`scorecard._kit.spark.map_reduce`). Either way only the tables
(features x bins x classes) travel to the driver, so the driver's memory does
not depend on the batch size, and an executor's on its partition (JVM) or
Arrow batch (Python worker). The report is then computed from the summed
table exactly as for an in-memory batch.

pyspark is imported only when a Spark batch is given (or ``--engine spark``
is used); the package works without it.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from scorecard import CountTable, Scorecard
from scorecard._kit.spark import (
    INSTALL_HINT,
    bin_code_column,
    check_column_name,
    check_method,
    map_reduce,
    spark_columns,
    spark_types,
)

__all__ = ["Counter", "count_spark", "read_batch", "spark_session"]

logger = logging.getLogger(__name__)

#: Settings of the local session ``--engine spark`` starts: two cores, the
#: loopback interface only, no web UI, and 4 shuffle partitions instead of
#: Spark's 200: the only shuffle is the ``groupBy`` of the count cells
#: (features x bins x classes rows after the map-side partial aggregation),
#: for which 200 reduce tasks would be 200 task launches for nothing. Parquet
#: input is split into partitions of at most 32 MB instead of Spark's 128 MB:
#: on two cores Spark's default gives a few large partitions (3 for
#: 300 MB of Parquet, so the last wave runs on one core), smaller ones keep
#: both cores busy to the end (a session of the user's own keeps its settings).
LOCAL_CONF = {
    "spark.sql.files.maxPartitionBytes": "32m",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


class Counter(Protocol):
    """What :func:`count_spark` needs of a monitor (``DriftMonitor`` satisfies it)."""

    @property
    def features(self) -> tuple[str, ...]: ...

    def count(self, X: Any, y: Any = None, *, bad_value: Any = None) -> CountTable:
        """Count an in-memory batch per bin."""
        ...


def _count_part(
    part: pd.DataFrame,
    y: pd.Series | None,
    *,
    monitor: Counter,
    bad_value: Any,
) -> CountTable:
    return monitor.count(part, y, bad_value=bad_value)


def count_spark(
    monitor: Counter,
    X: Any,
    y: Any = None,
    *,
    bad_value: Any = None,
    method: str = "arrow",
) -> CountTable:
    """Counts of a Spark batch: per-batch :meth:`DriftMonitor.count`, summed.

    Parameters
    ----------
    monitor : Counter
        The monitor, a :class:`~monitoring.DriftMonitor` (shipped to the
        executors with the tasks).
    X : Spark DataFrame
        The batch; columns other than the model's (and ``y``) are not read.
    y : str, default=None
        Name of the label column of ``X``.
    bad_value : scalar, default=None
        The label meaning bad.
    method : {"arrow", "native"}, default="arrow"
        ``"arrow"``: every Arrow batch is counted by the monitor's in-memory
        code in a Python worker. ``"native"``: bin codes, points and score
        bins as Spark column expressions and the counts by one aggregation
        in the JVM (:func:`count_native`), where every model column allows
        it (else the Arrow path). Both give identical counts; at 10^7 x 20
        on local[2] the Arrow path measured faster
        (``benchmarks/bench_spark.py --native-repeat 1``), hence the default.

    Returns
    -------
    CountTable
        Equal to ``monitor.count`` of the same rows in memory.

    Raises
    ------
    ValueError
        If a model column is missing (checked before anything runs), or the
        labels are invalid.
    TypeError
        If ``y`` is not a column name, or a numeric feature holds text.
    """
    columns = spark_columns(X, "DriftMonitor.count")
    missing = [f for f in monitor.features if f not in columns]
    if missing:
        raise ValueError(
            f"The batch is missing model column(s) {missing}; the model needs "
            f"{list(monitor.features)}."
        )
    y_col = check_column_name(y, "y", columns, "DriftMonitor.count")
    check_method(method)
    if method == "native":
        table = count_native(monitor, X, y_col, bad_value=bad_value)
        if table is not None:
            return table
    return map_reduce(  # type: ignore[no-any-return]
        _count_part,
        X,
        list(monitor.features),
        y_col,
        monitor=monitor,
        bad_value=bad_value,
    )


def _label_codes(
    monitor: Any, X: Any, y_col: str, bad_value: Any
) -> list[tuple[Any, int]]:
    """The distinct labels of ``y_col`` and their 0/1 code (a small first job).

    The in-memory rules run on the distinct labels (the model's classes, or
    ``bad_value``); missing labels raise with their row count, as in memory.
    """
    from pyspark.sql import functions as F

    rows = X.groupBy(F.col(f"`{y_col}`").alias("y")).count().collect()
    values = pd.Series([r["y"] for r in rows])
    missing = values.isna().to_numpy()
    if missing.any():
        n = int(sum(r["count"] for r, m in zip(rows, missing, strict=True) if m))
        raise ValueError(
            f"y has {n} missing label(s); drop the rows or pass no labels."
        )
    if not len(values):
        return []
    y01 = monitor.counting_model().labels(values, len(values), bad_value=bad_value)
    return [(r["y"], int(c)) for r, c in zip(rows, y01, strict=True)]


def count_native(
    monitor: Any, X: Any, y_col: str | None, *, bad_value: Any = None
) -> CountTable | None:
    """The monitor's counts by Spark expressions and one JVM aggregation.

    Each feature's bin code is :func:`scorecard._kit.spark.bin_code_column`
    (``FeatureBins.assign`` as an expression); the points of the codes are
    added to the base points feature by feature in the in-memory order (so
    the score is the same double), and the score bin is its threshold count.
    The (row, code, label) cells are counted by one ``groupBy`` after a
    ``posexplode`` of the codes; only those cells reach the driver. Returns
    None when a column does not allow it (a model other than ``Scorecard``,
    a text column for a numeric feature, non-text categories, ...): the
    caller then counts Arrow batches with the in-memory code.
    """
    from pyspark.sql import functions as F

    if type(monitor.model) is not Scorecard:  # its value hooks are Python
        return None
    model = monitor.counting_model()
    types = spark_types(X)
    codes = []
    for f in monitor.features:
        expr = bin_code_column(model.bins[f], f, types[f])
        if expr is None:
            return None
        codes.append(expr)
    table = model.empty(y_col is not None)
    labels = [] if y_col is None else _label_codes(monitor, X, y_col, bad_value)
    coded = X.select(
        *[c.alias(f"_c{j}") for j, c in enumerate(codes)],
        *([] if y_col is None else [F.col(f"`{y_col}`").alias("_y")]),
    )
    score = F.lit(model.base_points)
    for j, f in enumerate(monitor.features):
        points = F.array(*[F.lit(float(p)) for p in model.points[f]])
        # code -1 (an infinite value, raised below) must not index the array
        index = (F.greatest(F.col(f"_c{j}"), F.lit(0)) + 1).cast("int")
        score = score + F.element_at(points, index)
    score_code = bin_code_column(model.score_bins, "_score", "double")
    lab = F.lit(0)
    for value, code in labels:
        lab = F.when(F.col("_y") == F.lit(value), F.lit(code)).otherwise(lab)
    k = len(monitor.features)
    stacked = (
        coded.withColumn("_score", score)
        .select(
            F.posexplode(
                F.array(*[F.col(f"_c{j}") for j in range(k)], score_code)
            ).alias("row", "code"),
            lab.alias("label"),
        )
        .groupBy("row", "code", "label")
        .count()
        .collect()
    )
    counts = np.zeros(table.counts.shape)
    for r in stacked:
        if r["code"] < 0:  # an infinite value: the in-memory error
            raise ValueError(
                f"Feature {monitor.features[r['row']]!r} has infinite values; "
                "replace them or mark them missing."
            )
        counts[r["row"], r["code"], r["label"]] += r["count"]
    return CountTable(counts=counts, classes=table.classes, features=table.features)


def read_batch(session: Any, path: str, columns: Sequence[str]) -> Any:
    """A Parquet batch (file or directory) as a Spark DataFrame of ``columns``.

    Raises
    ------
    ValueError
        For a CSV batch (``--engine spark`` reads Parquet: CSV has no types,
        and Spark's type inference differs from pandas'), or a column name
        that repeats.
    """
    from scorecard._kit.io import check_table, table_format

    if table_format(path) != "parquet":
        raise ValueError(
            f"--engine spark reads Parquet (a file or a directory of parts); "
            f"got {path!r}. Convert it, or use --engine pandas or dask."
        )
    check_table(path)  # unique names, as the pandas engine
    from pyspark.sql import functions as F

    frame = session.read.parquet(str(path))
    return frame.select(*[F.col("`" + c.replace("`", "``") + "`") for c in columns])


@contextlib.contextmanager
def spark_session(master: str | None) -> Iterator[Any]:
    """A Spark session: on ``master``, or a new ``local[2]`` one on loopback.

    Without ``master``, a session already active in this process is used
    (and left running). A session this function starts is stopped on exit;
    Spark's log level is ERROR unless logging is at INFO (``infoscore
    --verbose``). The executors'
    Python is this interpreter (unless ``PYSPARK_PYTHON`` says otherwise).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ValueError(
            f"--engine spark needs pyspark, which is not installed ({exc}); "
            f"{INSTALL_HINT}."
        ) from exc
    import os

    active = SparkSession.getActiveSession()
    if active is not None and master is None:  # e.g. a notebook's session
        yield active
        return
    if master is None:  # the local JVM binds to loopback, not the host's name
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName("infoscore-monitor")
    builder = builder.master("local[2]" if master is None else master)
    conf = dict(LOCAL_CONF) if master is None else {}
    if master is None:  # local Python workers: this interpreter (its packages)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in conf.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - no Java, a bad master URL
        raise OSError(
            f"Cannot start Spark (master {master or 'local[2]'!r}): {exc}. Spark "
            "needs a Java 17 runtime (Debian: openjdk-17-jre-headless)."
        ) from exc
    verbose = logging.getLogger().isEnabledFor(logging.INFO)
    session.sparkContext.setLogLevel("INFO" if verbose else "ERROR")
    try:
        yield session
    finally:
        session.stop()
