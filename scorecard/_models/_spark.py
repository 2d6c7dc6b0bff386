"""WoE transform, bin codes, scores and reason codes of Spark DataFrames (lazy).

Every Arrow batch goes through the same per-column code as the Dask paths
(:mod:`scorecard._models._dask`, itself the in-memory code without the
warnings); the result is a lazy Spark DataFrame (``mapInArrow``) that keeps
every column of the input, in place, so a job can write scores next to the
account id (only the model's columns are converted to pandas; the others are
passed through as Arrow arrays):

- ``WoEEncoder.transform`` and ``transform_bins`` replace the model's feature
  columns by their WoE (double) or bin code (long);
- ``predict_score`` / ``decision_function`` append a ``score`` / ``margin``
  column (double), :func:`with_method` any per-row method (e.g. a
  calibrator's ``predict_grade``), ``reason_codes`` its ``reason_k`` /
  ``points_lost_k`` columns.

The model columns and their Spark types are checked on the driver before
anything runs: a missing feature raises the in-memory ``ValueError``; a text
column for a numeric feature raises ``TypeError``. Rows with categories unseen
in training get the neutral WoE 0 (or the unseen bin) as in memory, without
the in-memory warning (count the data with ``count_table`` to see them).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .._kit.exceptions import DataConditionWarning
from .._kit.spark import (
    _col,
    bin_code_column,
    check_column_name,
    check_method,
    empty_frame,
    feature_columns,
    map_columns,
    spark_columns,
    spark_types,
)
from .._kit.spark import check_features as _check_features
from .._kit.spark import output_schema as _schema
from ._dask import _codes_part, _score_part, _woe_part

if TYPE_CHECKING:  # pragma: no cover
    from ._encoder import WoEEncoder

__all__ = [
    "decision_function",
    "predict_score",
    "reason_codes",
    "spark_meta",
    "transform_bins",
    "with_method",
    "woe_transform",
]


def _replace_task(
    part_func: Callable[..., pd.DataFrame], columns: list[str], **kwargs: Any
) -> Callable[[pd.DataFrame], dict[str, Any]]:
    def run(pdf: pd.DataFrame) -> dict[str, Any]:
        values = part_func(pdf, **kwargs)
        return {n: values[n].to_numpy() for n in columns}

    return run


def woe_transform(encoder: WoEEncoder, X: Any, *, method: str = "arrow") -> Any:
    """``WoEEncoder.transform`` of a Spark DataFrame (lazy; other columns kept).

    The model's feature columns hold their float64 WoE; an encoder fitted with
    output names other than the feature names is not supported here.

    ``method="arrow"`` (the default) runs the in-memory code on every Arrow
    batch (``mapInArrow``); ``method="native"`` builds the WoE as Spark
    expressions (:func:`_native_woe`, no Python worker) where every column
    allows it. Both give the in-memory values; at 10^7 x 20 on local[2] the
    Arrow path measured faster (``benchmarks/bench_spark.py``), because the
    native projection of more than about 5 features compiles into a Java
    method too large for HotSpot's JIT (8,000 bytes of bytecode) and runs
    interpreted; in a JVM started with ``-XX:-DontCompileHugeMethods`` the
    native path measured faster (docs/calibration.md, Spark section).
    """
    check_method(method)
    check_is_fitted(encoder, "woe_")
    names = [str(n) for n in encoder.binner_.bins_]
    bins = [encoder.binner_.bins_[n] for n in names]
    _check_features(X, names, [fb.kind for fb in bins], "WoEEncoder.transform")
    if method == "native":
        native = _native_woe(X, names, bins, [encoder.woe_[n] for n in names])
        if native is not None:
            return native
    task = _replace_task(
        _woe_part,
        names,
        bins=bins,
        tables=[encoder.woe_[n] for n in names],
        out_names=names,
    )
    return map_columns(task, X, names, _schema(X, dict.fromkeys(names, "double"), {}))


def _native_woe(X: Any, names: list[str], bins: list[Any], tables: list[Any]) -> Any:
    """The WoE columns as Spark expressions (no Python worker), or None.

    The bin code is :func:`scorecard._kit.spark.bin_code_column` (the
    in-memory ``FeatureBins.assign``) and the WoE the table entry of the
    code, so every value equals the in-memory one; an infinite value fails
    the job with the in-memory message. None when a column needs the
    in-memory conversion (e.g. text in a numeric feature, numeric
    categories): the Arrow path then runs.
    """
    from pyspark.sql import functions as F

    types = spark_types(X)
    exprs = {}
    for name, fb, table in zip(names, bins, tables, strict=True):
        message = (
            f"Feature {name!r} contains infinite values (inf); allowed are finite "
            "numbers and NaN for missing."
        )
        code = bin_code_column(fb, name, types[name], infinite=message)
        if code is None:
            return None
        woe = F.array(*[F.lit(float(v)) for v in table])
        exprs[name] = F.element_at(woe, (code + 1).cast("int"))
    return X.select(*[exprs[c].alias(c) if c in exprs else _col(c) for c in X.columns])


def _card_names(card: Any, X: Any, *, scoring: bool = False) -> list[str]:
    """The columns a Spark path needs: all binned features, or the model's.

    With ``scoring`` only the model's features are needed (those left out
    of the model may be absent, as in pandas).
    """
    check_is_fitted(card, "bin_margins_")
    names = [str(n) for n in (card.model_features_ if scoring else card.bins_)]
    kinds = [card.bins_[n].kind for n in names]
    _check_features(X, names, kinds, type(card).__name__)
    return names


def transform_bins(card: Any, X: Any) -> Any:
    """Bin codes of a Spark DataFrame: the feature columns as long (lazy)."""
    names = _card_names(card, X)
    task = _replace_task(_codes_part, names, card=card, names=names)
    return map_columns(task, X, names, _schema(X, dict.fromkeys(names, "bigint"), {}))


def _append_task(
    names: list[str], column: str, kind: str, card: Any
) -> Callable[[pd.DataFrame], dict[str, Any]]:
    def run(pdf: pd.DataFrame) -> dict[str, Any]:
        values = _score_part(pdf, card=card, names=names, kind=kind)
        return {column: values.to_numpy()}

    return run


def predict_score(card: Any, X: Any) -> Any:
    """Scorecard points of a Spark DataFrame: a ``score`` column added (lazy)."""
    names = _card_names(card, X, scoring=True)
    task = _append_task(names, "score", "score", card)
    return map_columns(task, X, names, _schema(X, {}, {"score": "double"}))


def decision_function(card: Any, X: Any) -> Any:
    """Bad log-odds of a Spark DataFrame: a ``margin`` column added (lazy)."""
    names = _card_names(card, X, scoring=True)
    task = _append_task(names, "margin", "margin", card)
    return map_columns(task, X, names, _schema(X, {}, {"margin": "double"}))


def reason_codes(card: Any, X: Any, n: int, **options: Any) -> Any:
    """``reason_codes`` of a Spark DataFrame: its columns appended (lazy).

    ``options`` are :meth:`reason_codes`' ``method`` and ``reason_map``.
    """
    names = _card_names(card, X, scoring=True)
    added: dict[str, str] = {}
    for k in range(1, n + 1):
        added[f"reason_{k}"] = "string"
        added[f"points_lost_{k}"] = "double"
    if options.get("reason_map") is not None:
        added.update({f"reason_code_{k}": "string" for k in range(1, n + 1)})

    def run(pdf: pd.DataFrame) -> dict[str, Any]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            reasons = card.reason_codes(pdf, n=n, **options)
        out = {}
        for c in added:
            values = reasons[c]
            if c.startswith("reason_code_"):  # user codes travel as text
                values = values.map(lambda v: None if v is None else str(v))
            out[c] = values.to_numpy()
        return out

    return map_columns(run, X, names, _schema(X, {}, added))


def with_method(
    model: Any,
    X: Any,
    method: str,
    column: str,
    *,
    dtype: str = "double",
    features: list[str] | None = None,
) -> Any:
    """Any per-row method of a fitted model as a new column of a Spark DataFrame.

    Parameters
    ----------
    model : estimator
        Fitted; ``getattr(model, method)(frame)`` returns one value per row of
        a pandas frame of the model's features.
    X : Spark DataFrame
        The data; every column is kept.
    method : str
        E.g. ``"predict_grade"`` of a calibrator or ``"predict_proba"``-like
        one-dimensional outputs.
    column : str
        Name of the new column.
    dtype : str, default="double"
        Spark type of the new column (a DDL type string: ``"string"``).
    features : list of str, default=None
        Model columns; default ``model.feature_names_in_``.

    Returns
    -------
    Spark DataFrame
        Lazy; ``X`` with ``column`` appended.
    """
    names = [
        str(c) for c in (features if features is not None else model.feature_names_in_)
    ]
    missing = [c for c in names if c not in spark_columns(X, method)]
    if missing:
        raise ValueError(
            f"X is missing model feature(s) {missing}; the model needs {names}."
        )
    func = getattr(model, method)

    def run(pdf: pd.DataFrame) -> dict[str, Any]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            values = np.asarray(func(pdf))
        return {column: values}

    return map_columns(run, X, names, _schema(X, {}, {column: dtype}))


def spark_meta(X: Any, y: Any, sample_weight: Any, what: str) -> pd.DataFrame:
    """Empty pandas frame of the feature columns of a Spark ``X`` (fit checks).

    The features are the columns other than the ``y`` and ``sample_weight``
    columns (named by strings).
    """
    columns = spark_columns(X, what)
    y_col = check_column_name(y, "y", columns, what)
    w_col = check_column_name(sample_weight, "sample_weight", columns, what)
    return empty_frame(X, feature_columns(columns, y_col, w_col))
