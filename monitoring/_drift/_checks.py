"""Shared pieces of the drift statistics: types, argument checks, count coercion."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scorecard import CountTable
from scorecard._kit.exceptions import DataConditionWarning

__all__ = [
    "FloatArray",
    "Kind",
    "Reference",
    "STATUSES",
    "Status",
    "check_bands",
    "check_reference",
    "class_counts",
    "counts_2d",
    "record",
    "row_names",
]

Status = Literal["stable", "watch", "drift"]
Reference = Literal["sample", "fixed"]
Kind = Literal["feature", "score"]
FloatArray = NDArray[np.float64]

STATUSES: tuple[Status, ...] = ("stable", "watch", "drift")


def check_bands(psi_bands: Sequence[float]) -> tuple[float, float]:
    try:
        low, high = (float(b) for b in psi_bands)
    except (TypeError, ValueError):
        raise ValueError(
            "psi_bands must be two numbers (low, high) with 0 <= low <= high; "
            f"got {psi_bands!r}."
        ) from None
    if not (math.isfinite(low) and math.isfinite(high) and 0 <= low <= high):
        raise ValueError(
            "psi_bands must be two finite numbers with 0 <= low <= high; "
            f"got {psi_bands!r}."
        )
    return low, high


def check_reference(reference: str) -> Reference:
    if reference not in ("sample", "fixed"):
        raise ValueError(f"reference must be 'sample' or 'fixed'; got {reference!r}.")
    return reference  # type: ignore[return-value]


def counts_2d(x: ArrayLike | CountTable, name: str) -> FloatArray:
    if isinstance(x, CountTable):
        arr = x.counts.sum(axis=2)
    else:
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be numeric counts; got {x!r:.80}.") from exc
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (bins) or 2-D (features x bins); got ndim={arr.ndim}."
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and non-negative counts.")
    return arr


def row_names(
    features: Sequence[str] | None, n: int, default: Sequence[str]
) -> tuple[str, ...]:
    names = tuple(default) if features is None else tuple(str(f) for f in features)
    if len(names) != n:
        raise ValueError(f"features has {len(names)} names for {n} rows of counts.")
    if len(set(names)) != len(names):
        raise ValueError(f"features must be unique; got {list(names)}.")
    return names


def record(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``func``, returning the DataConditionWarnings it raised as text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        out = func(*args, **kwargs)
    messages = []
    for w in caught:
        if issubclass(w.category, DataConditionWarning):
            messages.append(str(w.message))
        else:  # pragma: no cover - anything else is re-raised as it came
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return out, messages


def class_counts(x: ArrayLike | CountTable, name: str) -> FloatArray:
    if isinstance(x, CountTable):
        if x.counts.shape[2] != 2:
            raise ValueError(
                f"{name} must have two classes (good, bad); got {list(x.classes)}."
            )
        return np.asarray(x.counts, dtype=np.float64)
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric counts; got {x!r:.80}.") from exc
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[2] != 2:
        raise ValueError(
            f"{name} must have shape (n_bins, 2) or (n_features, n_bins, 2) with "
            f"columns (goods, bads); got shape {arr.shape}."
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and non-negative counts.")
    return arr
