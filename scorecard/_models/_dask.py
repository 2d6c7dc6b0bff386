"""WoE transform and scorecard scores of Dask collections (lazy: Dask out).

Partitions go through the same per-column code as the in-memory
``WoEEncoder.transform`` and ``Scorecard.predict_score``; nothing is computed
here, the result is a Dask collection partitioned like ``X``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted, validate_data

from .._binning._bins import FeatureBins
from .._binning._columns import _RawColumn
from .._kit.dask import as_frame, meta_frame
from .._kit.validation import check_model_columns

if TYPE_CHECKING:  # pragma: no cover
    from ._encoder import WoEEncoder

__all__ = ["decision_function", "predict_score", "transform_bins", "woe_transform"]

FloatArray = NDArray[np.float64]


def _woe_part(
    part: pd.DataFrame,
    *,
    bins: list[FeatureBins],
    tables: list[FloatArray],
    out_names: list[str],
) -> pd.DataFrame:
    data = {}
    for j, (fb, table, out) in enumerate(zip(bins, tables, out_names, strict=True)):
        col = _RawColumn(fb.name, fb.kind, part.iloc[:, j]).convert()
        data[out] = table[fb.assign(col.values)]
    return pd.DataFrame(data, index=part.index, columns=out_names)


def woe_transform(encoder: WoEEncoder, X: Any) -> Any:
    """``WoEEncoder.transform`` of a Dask DataFrame: a lazy Dask DataFrame.

    Parameters
    ----------
    encoder : WoEEncoder
        Fitted encoder.
    X : Dask DataFrame or 2-D Dask Array
        Same columns as in ``fit``.

    Returns
    -------
    Dask DataFrame
        float64 WoE, columns ``encoder.get_feature_names_out()``, partitioned
        like ``X``. Rows with categories unseen in training or missing values
        of a feature without training missing values get the neutral WoE 0,
        as in memory, but without the warning (nothing is computed here;
        count the data with :func:`count_table` to see them).
    """
    check_is_fitted(encoder, "woe_")
    X = as_frame(X, "WoEEncoder.transform")
    validate_data(encoder, meta_frame(X), reset=False, skip_check_array=True)
    names = list(encoder.binner_.bins_)
    out_names = [str(c) for c in encoder.get_feature_names_out()]
    meta = pd.DataFrame({c: np.zeros(0) for c in out_names}, columns=out_names)
    return X.map_partitions(
        _woe_part,
        bins=[encoder.binner_.bins_[n] for n in names],
        tables=[encoder.woe_[n] for n in names],
        out_names=out_names,
        meta=meta,
    )


def _card_columns(card: Any, X: Any, *, scoring: bool = False) -> tuple[Any, list[str]]:
    """Dask frame with the model's columns (checked once, on the metadata).

    With ``scoring`` only the model's features are needed: those left out of
    the model may be absent, as in the in-memory path.
    """
    check_is_fitted(card, "bin_margins_")
    known = [str(n) for n in card.bins_]
    names = [str(n) for n in card.model_features_] if scoring else known
    X = as_frame(X, f"{type(card).__name__}")
    columns = [str(c) for c in meta_frame(X).columns]
    shown = [c for c in columns if c in names or c not in known]
    check_model_columns(names, shown, stacklevel=5)
    X = X.rename(columns=str) if any(not isinstance(c, str) for c in X.columns) else X
    return X[names], names


def _card_codes(card: Any, name: str, part: pd.DataFrame) -> NDArray[np.int64]:
    """Bin codes of one feature, as the in-memory ``_codes`` (no warnings)."""
    fb = card.bins_[name]
    values = card._prepare_values(name, part[name])
    codes = fb.assign(values)
    if fb.kind == "numeric" and np.isinf(fb._numeric(values)).any():
        raise ValueError(
            f"Feature {name!r} has infinite values; replace them or mark them missing."
        )
    return codes


def _codes_part(part: pd.DataFrame, *, card: Any, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {n: _card_codes(card, n, part) for n in names},
        index=part.index,
        columns=names,
    )


def _score_part(
    part: pd.DataFrame, *, card: Any, names: list[str], kind: str
) -> pd.Series:
    if kind == "score":
        total = np.full(len(part), card.base_points())
        for n in names:
            total += card.bin_points(n)[_card_codes(card, n, part)]
        return pd.Series(total, index=part.index, name="score")
    # As the in-memory decision_function: a (rows x features) matrix summed.
    parts = np.column_stack(
        [card.bin_margins_[n][_card_codes(card, n, part)] for n in names]
    )
    margin = card.intercept_margin_ + parts.sum(axis=1)
    return pd.Series(margin, index=part.index, name="margin")


def transform_bins(card: Any, X: Any) -> Any:
    """Bin codes of a Dask DataFrame: a lazy Dask DataFrame of int64."""
    frame, names = _card_columns(card, X)
    meta = pd.DataFrame({n: np.zeros(0, np.int64) for n in names}, columns=names)
    return frame.map_partitions(_codes_part, card=card, names=names, meta=meta)


def predict_score(card: Any, X: Any) -> Any:
    """Scorecard points of a Dask DataFrame: a lazy float64 Dask Series."""
    frame, names = _card_columns(card, X, scoring=True)
    meta = pd.Series(np.zeros(0), name="score")
    return frame.map_partitions(
        _score_part, card=card, names=names, kind="score", meta=meta
    )


def decision_function(card: Any, X: Any) -> Any:
    """Bad log-odds of a Dask DataFrame: a lazy float64 Dask Series."""
    frame, names = _card_columns(card, X, scoring=True)
    meta = pd.Series(np.zeros(0), name="margin")
    return frame.map_partitions(
        _score_part, card=card, names=names, kind="margin", meta=meta
    )
