"""Input checks shared by the scorecard classifiers (scikit-learn conventions)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import (
    _assert_all_finite,
    _check_sample_weight,
    column_or_1d,
)

__all__ = ["check_binary_target", "check_weights"]


def check_binary_target(y: Any, n_rows: int) -> tuple[NDArray[np.int64], NDArray[Any]]:
    """Encode a binary target as 0/1, 1 being ``classes_[1]`` (the event, bad).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The target; 0/1 keep their meaning, otherwise the larger label (sorted)
        is the event.
    n_rows : int
        Rows of X.

    Returns
    -------
    y01 : ndarray of int64
    classes : ndarray of shape (2,)

    Raises
    ------
    ValueError
        If ``y`` is None, has missing values or the wrong length, or does not
        hold exactly two classes.
    """
    if y is None:
        raise ValueError(
            "This scorecard requires y to be passed, but the target y is None."
        )
    y_arr = column_or_1d(y, warn=True)
    if y_arr.shape[0] != n_rows:
        raise ValueError(f"y has {y_arr.shape[0]} rows but X has {n_rows}.")
    if y_arr.dtype.kind in "fc":
        _assert_all_finite(y_arr, input_name="y")
    elif y_arr.dtype.kind == "O" and pd.isna(y_arr).any():
        raise ValueError("Input y contains NaN (a missing target).")
    kind = type_of_target(y_arr, input_name="y", raise_unknown=True)
    classes = np.unique(y_arr)
    if kind != "binary" or classes.size != 2:
        shown = [c.item() if hasattr(c, "item") else c for c in classes[:5]]
        raise ValueError(
            "Only binary classification is supported: y must hold exactly two "
            f"classes (the larger label is the event, bad); the type of the target "
            f"is {kind!r} with {classes.size} class(es) {shown}"
            f"{' ...' if classes.size > 5 else ''}."
        )
    return (y_arr == classes[1]).astype(np.int64), classes


def check_weights(sample_weight: Any, y01: NDArray[np.int64]) -> NDArray[np.float64]:
    """Float sample weights: finite, non-negative, each class with weight > 0.

    Raises
    ------
    ValueError
        For NaN, infinite or negative weights, all-zero weights, or a class
        whose rows all have weight 0.
    """
    w = _check_sample_weight(
        sample_weight,
        np.empty((y01.shape[0], 0)),
        dtype=np.float64,
        ensure_non_negative=True,
    )
    if w.sum() <= 0:
        raise ValueError(
            "Sample weights must not all be zero; got a zero total weight."
        )
    for label in (0, 1):
        if w[y01 == label].sum() <= 0:
            raise ValueError(
                f"The class {'bad' if label else 'good'} (y = {label}) has zero "
                "total sample weight; both classes need weight > 0."
            )
    return w
