"""The count kernel on Spark DataFrames: batch counts summed, or a groupBy.

Two exact ways to count integer code columns of a Spark DataFrame:

``method="arrow"`` (default)
    ``mapInArrow``: every Arrow batch is counted by the in-memory kernel
    (:func:`scorecard._stats._counts.count_codes`), a partition's tables are
    summed on its executor and the partition tables on the driver
    (:func:`scorecard._kit.spark.map_reduce`).
``method="groupby"``
    One Spark aggregation: the code columns are stacked (``posexplode``) and
    grouped by (feature, code, class), summing the weights (or counting rows).

Both give the in-memory table: unit-weight counts exactly, weighted sums to
float rounding (the order of the additions differs).
``benchmarks/bench_spark.py`` measures the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._kit.spark import _col, check_column_name, map_reduce, spark_columns
from ._counts import count_codes as _count_codes_np

__all__ = ["count_codes"]

FloatArray = NDArray[np.float64]


def _count_part(
    codes: pd.DataFrame,
    labels: pd.Series,
    weight: pd.Series | None,
    *,
    n_bins: int,
    n_classes: int,
) -> FloatArray:
    return _count_codes_np(
        codes.to_numpy(),
        labels.to_numpy(),
        n_bins=n_bins,
        n_classes=n_classes,
        sample_weight=None if weight is None else weight.to_numpy(dtype=np.float64),
    )


def _count_groupby(
    X: Any,
    codes: list[str],
    labels: str,
    weight: str | None,
    n_bins: int,
    n_classes: int,
) -> FloatArray:
    from pyspark.sql import functions as F

    stacked = X.select(
        F.posexplode(F.array(*[_col(c).cast("long") for c in codes])).alias(
            "feature", "code"
        ),
        _col(labels).cast("long").alias("label"),
        (F.lit(1.0) if weight is None else _col(weight).cast("double")).alias("w"),
    )
    agg = F.count(F.lit(1)) if weight is None else F.sum("w")
    rows = stacked.groupBy("feature", "code", "label").agg(agg.alias("n")).collect()
    out = np.zeros((len(codes), n_bins, n_classes))
    if not rows:
        return out
    f = np.array([r["feature"] for r in rows], dtype=np.int64)
    c = np.array([r["code"] for r in rows], dtype=np.int64)
    lab = np.array([r["label"] for r in rows], dtype=np.int64)
    if c.min() < 0 or c.max() >= n_bins or lab.min() < 0 or lab.max() >= n_classes:
        raise ValueError(
            f"codes must lie in [0, {n_bins}) and labels in [0, {n_classes}); got "
            f"codes in [{c.min()}, {c.max()}] and labels in [{lab.min()}, "
            f"{lab.max()}]."
        )
    np.add.at(out, (f, c, lab), np.array([float(r["n"]) for r in rows]))
    return out


def count_codes(
    X: Any,
    codes: Sequence[str],
    labels: str,
    *,
    n_bins: int,
    n_classes: int,
    sample_weight: str | None = None,
    method: Literal["arrow", "groupby"] = "arrow",
) -> FloatArray:
    """:func:`scorecard._stats._counts.count_codes` of Spark columns.

    Parameters
    ----------
    X : Spark DataFrame
        The data.
    codes : sequence of str
        Integer columns: the bin index of each row, one column per feature.
    labels : str
        Integer column: the class index of each row.
    n_bins, n_classes : int
        As in :func:`scorecard._stats._counts.count_codes`.
    sample_weight : str, default=None
        Column of row weights.
    method : {"arrow", "groupby"}, default="arrow"
        ``mapInArrow`` batches summed, or one Spark aggregation (module
        notes).

    Returns
    -------
    ndarray of shape (n_features, n_bins, n_classes)
        Equal to the in-memory counts of the same rows.
    """
    columns = spark_columns(X, "count_codes")
    names = [check_column_name(c, "codes", columns, "count_codes") for c in codes]
    lab = check_column_name(labels, "labels", columns, "count_codes")
    w = check_column_name(sample_weight, "sample_weight", columns, "count_codes")
    if method == "groupby":
        return _count_groupby(X, names, lab, w, n_bins, n_classes)
    if method != "arrow":
        raise ValueError(f"method must be 'arrow' or 'groupby'; got {method!r}.")
    return np.asarray(
        map_reduce(_count_part, X, names, lab, w, n_bins=n_bins, n_classes=n_classes),
        dtype=np.float64,
    )
