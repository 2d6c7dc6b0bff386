"""``StumpBinner.fit`` and bin count tables on Spark DataFrames.

The same two-pass design as the Dask fit (:mod:`scorecard._binning._dask`),
with the same partition functions (:mod:`scorecard._binning._dask_summary`)
run on the Arrow batches of the partitions (:func:`scorecard._kit.spark.map_reduce`):

1. per batch and feature: exact weighted good/bad counts per distinct value,
   of missing values and of each special value; above
   ``max(EXACT_DISTINCT, max_bin)`` distinct values a numeric feature's
   summary is compressed into the mergeable weighted quantile sketch;
2. only for the sketched features: exact good/bad counts per pre-bin.

The summed tables go through exactly the in-memory stump and merge code, so
for exactly counted features the bins equal the in-memory fit's; for sketched
features only the pre-bin cuts are approximate quantiles (rank error at most
``d * total / points`` after ``d`` merges; docs/methodology.md, "Spark
engine") while every count stays exact.

``y`` and ``sample_weight`` are column names of ``X``; the other columns are
the features. ``strategy="joint"`` (one XGBoost model over all features)
needs a distributed XGBoost and is not offered on Spark input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import validate_data

from .._kit.spark import (
    check_column_name,
    check_features,
    empty_frame,
    feature_columns,
    map_columns,
    map_reduce,
    output_schema,
    spark_columns,
)
from .._stats._counts import CountTable
from ._bins import FeatureBins
from ._columns import _RawColumn
from ._dask import (
    _table_part,
    check_summary_totals,
    classes_from_labels,
    fit_from_summaries,
    sketched_edges,
)
from ._dask_summary import (
    EXACT_DISTINCT,
    SKETCH_POINTS,
    _add_lists,
    _labels_part,
    _merge_labels,
    _prebin_part,
    _Stats,
    _stats_part,
    summary_weight_scale,
)

if TYPE_CHECKING:  # pragma: no cover
    from ._binner import StumpBinner

__all__ = ["count_table", "fit_binner", "transform_codes"]

FloatArray = NDArray[np.float64]


def count_table(
    bins: Mapping[str, FeatureBins] | Sequence[FeatureBins],
    X: Any,
    y: str | None = None,
    *,
    classes: Sequence[Any] = (0, 1),
    sample_weight: str | None = None,
) -> CountTable:
    """Count the rows of a Spark DataFrame per bin of each feature.

    Parameters
    ----------
    bins : mapping of str to FeatureBins, or sequence of FeatureBins
        Bin definitions (e.g. ``StumpBinner.bins_``), looked up by name.
    X : Spark DataFrame
        Raw feature values (other columns are not read).
    y : str, default=None
        Column of class labels (values in ``classes``); ``None`` counts all
        rows in one class ``"rows"``.
    classes : sequence, default=(0, 1)
        Class labels, in column order.
    sample_weight : str, default=None
        Column of float row weights.

    Returns
    -------
    CountTable
        Equal to :func:`scorecard._binning._dask.count_table` of the same rows
        in memory.
    """
    fbs = list(bins.values()) if isinstance(bins, Mapping) else list(bins)
    if not fbs or not all(isinstance(fb, FeatureBins) for fb in fbs):
        raise TypeError("bins must be a non-empty collection of FeatureBins.")
    columns = spark_columns(X, "count_table")
    y_col = check_column_name(y, "y", columns, "count_table")
    w_col = check_column_name(sample_weight, "sample_weight", columns, "count_table")
    missing = [fb.name for fb in fbs if fb.name not in columns]
    if missing:
        raise ValueError(f"X is missing the binned feature(s) {missing}.")
    cls = ("rows",) if y is None else tuple(classes)
    return map_reduce(  # type: ignore[no-any-return]
        _table_part, X, [fb.name for fb in fbs], y_col, w_col, bins=fbs, classes=cls
    )


def _check_columns(binner: Any, meta: pd.DataFrame) -> tuple[list[str], list[str]]:
    validate_data(binner, meta, reset=True, skip_check_array=True)
    if meta.shape[1] < 1:
        raise ValueError("X has 0 feature(s); at least one is required.")
    names = binner._names()
    raw = [meta.iloc[:, j] for j in range(meta.shape[1])]
    mask = binner._categorical_mask(raw, names)
    return names, ["categorical" if m else "numeric" for m in mask]


def fit_binner(
    binner: StumpBinner, X: Any, y: Any, sample_weight: Any = None
) -> StumpBinner:
    """``StumpBinner.fit`` on a Spark DataFrame (see the module notes).

    Parameters
    ----------
    binner : StumpBinner
        The estimator to fit (its parameters are validated here).
    X : Spark DataFrame
        Features, plus the target (and weight) column.
    y : str
        Name of the binary target column of ``X``.
    sample_weight : str, default=None
        Name of the weight column of ``X``.

    Returns
    -------
    StumpBinner
        ``binner``, fitted; ``feature_names_in_`` are the columns of ``X``
        other than ``y`` and ``sample_weight``.
    """
    binner._validate_params()
    for attr in ("bins_", "classes_"):
        if hasattr(binner, attr):
            delattr(binner, attr)
    if y is None:
        raise ValueError("StumpBinner requires y to be passed, but y is None.")
    columns = spark_columns(X, "StumpBinner.fit")
    y_col = check_column_name(y, "y", columns, "StumpBinner.fit")
    w_col = check_column_name(
        sample_weight, "sample_weight", columns, "StumpBinner.fit"
    )
    if binner.strategy != "per_feature":
        raise ValueError(
            "StumpBinner(strategy='joint') is not available on Spark input (it "
            "trains one distributed XGBoost model); use strategy='per_feature', "
            "or Dask or an in-memory sample."
        )
    feats = feature_columns(columns, y_col, w_col)
    names, kinds = _check_columns(binner, empty_frame(X, feats))
    cols = [_RawColumn(n, k, np.zeros(0)) for n, k in zip(names, kinds, strict=True)]  # type: ignore[arg-type]
    specials = binner._specials(cols)
    # Pass 0: the labels (only y is read).
    uniques, n_nan = map_reduce(_labels_part, X, y_col, combine=_merge_labels)
    classes = classes_from_labels(uniques, n_nan, binner.bad_value)
    cap = max(EXACT_DISTINCT, binner.max_bin)
    points = max(SKETCH_POINTS, 16 * binner.max_bin)
    # Pass 1: exact per-value (or sketched) class counts of every feature.
    stats: _Stats = map_reduce(
        _stats_part,
        X,
        feats,
        y_col,
        w_col,
        names=names,
        kinds=kinds,
        specials=specials,
        bad=classes[1],
        cap=cap,
        points=points,
    )
    check_summary_totals(stats, binner.min_bin_size)
    stats = summary_weight_scale(binner, stats, weighted=w_col is not None)
    if binner.weight_scale_ != 1.0:  # later passes count in the same row units
        from pyspark.sql import functions as F

        X = X.withColumn(w_col, F.col(w_col) / F.lit(binner.weight_scale_))
    params = binner._fit_params(specials=specials, weighted=True)
    fitted = _fit_per_feature(
        X, feats, y_col, w_col, names, kinds, stats, params, classes
    )
    binner._store_bins(names, fitted, classes, stacklevel=4)
    return binner


def _interval_counts(
    X: Any,
    feats: list[str],
    y_col: str,
    w_col: str | None,
    edges: dict[int, FloatArray],
    *,
    specials: dict[str, tuple[Any, ...]],
    bad: Any,
) -> dict[int, FloatArray]:
    """Exact (good, bad) counts per pre-bin of the sketched features (pass 2)."""
    if not edges:
        return {}
    cols = list(edges)
    sums = map_reduce(
        _prebin_part,
        X,
        [feats[j] for j in cols],
        y_col,
        w_col,
        combine=_add_lists,
        names=[feats[j] for j in cols],
        edges=[edges[j] for j in cols],
        specials=specials,
        bad=bad,
    )
    return dict(zip(cols, sums, strict=True))


def _fit_per_feature(
    X: Any,
    feats: list[str],
    y_col: str,
    w_col: str | None,
    names: list[str],
    kinds: list[str],
    stats: _Stats,
    params: dict[str, Any],
    classes: tuple[Any, Any],
) -> list[tuple[FeatureBins, bool]]:
    edges = sketched_edges(stats, params["max_bin"])
    prebins = _interval_counts(
        X, feats, y_col, w_col, edges, specials=params["specials"], bad=classes[1]
    )
    return fit_from_summaries(names, kinds, stats, params, edges, prebins)


def _codes_batch(pdf: pd.DataFrame, *, bins: list[FeatureBins]) -> dict[str, Any]:
    out = {}
    for fb in bins:
        col = _RawColumn(fb.name, fb.kind, pdf[fb.name]).convert()
        out[fb.name] = fb.assign(col.values)
    return out


def transform_codes(binner: StumpBinner, X: Any) -> Any:
    """``StumpBinner.transform`` of a Spark DataFrame (lazy; other columns kept).

    The binned feature columns hold their bin codes (long), as laid out by
    :class:`scorecard._binning._bins.FeatureBins`; without the in-memory
    warnings for neutral bins.
    """
    bins = list(binner.bins_.values())
    names = [fb.name for fb in bins]
    check_features(X, names, [fb.kind for fb in bins], "StumpBinner.transform")
    return map_columns(
        lambda pdf: _codes_batch(pdf, bins=bins),
        X,
        names,
        output_schema(X, dict.fromkeys(names, "bigint"), {}),
    )
