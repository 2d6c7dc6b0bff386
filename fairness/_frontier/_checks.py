"""Input checks of the frontier: grids, the protected attribute, the target."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard._kit.validation import check_binary_target

from .._sensitive import as_sensitive_frame


def check_grids(bin_caps: Any, mu_grid: Any) -> tuple[list[int], list[float] | None]:
    """Sorted distinct bin caps (ints >= 2) and mu values (or None)."""
    caps = np.asarray(bin_caps)
    if caps.ndim != 1 or caps.size == 0 or caps.dtype.kind not in "iu":
        raise ValueError(
            f"bin_caps must be a non-empty sequence of ints >= 2; got {bin_caps!r}."
        )
    if np.any(caps < 2):
        raise ValueError(
            f"bin_caps must be ints >= 2 (a 1-bin feature carries no "
            f"information); got {bin_caps!r}."
        )
    if mu_grid is None:
        return sorted({int(c) for c in caps}), None
    mus = np.asarray(mu_grid, dtype=np.float64)
    if mus.ndim != 1 or not np.all(np.isfinite(mus)) or np.any(mus < 0):
        raise ValueError(
            f"mu_grid must be a sequence of finite numbers >= 0; got {mu_grid!r}."
        )
    return sorted({int(c) for c in caps}), sorted({float(m) for m in mus})


def check_parity(parity_refit: Any) -> list[float]:
    """Sorted distinct parity shares (empty when off)."""
    if parity_refit is None:
        return []
    shares = np.asarray(parity_refit, dtype=np.float64)
    if (
        shares.ndim != 1
        or shares.size == 0
        or not np.all(np.isfinite(shares))
        or np.any(shares < 0)
    ):
        raise ValueError(
            "parity_refit must be None or a non-empty sequence of finite "
            f"numbers >= 0 (shares of the mean score gap removed); got "
            f"{parity_refit!r}."
        )
    return sorted({float(t) for t in shares})


def as_frame(X: Any, name: str) -> pd.DataFrame:
    """``X`` as a frame (unnamed columns ``x0, x1, ...``)."""
    if isinstance(X, pd.DataFrame):
        return X
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows x features); got ndim={arr.ndim}.")
    return pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])


def split_sensitive(
    X: pd.DataFrame, sensitive: Any, name: str
) -> tuple[pd.DataFrame, NDArray[Any]]:
    """Split the protected column off X (if named) and check it.

    One attribute, known for every row; with two or more values it goes
    through the package's one coercion,
    :func:`fairness._sensitive.as_sensitive_frame`.
    """
    if isinstance(sensitive, str):
        if sensitive not in X.columns:
            raise ValueError(
                f"{name} {sensitive!r} is not a column of the data; columns are "
                f"{list(map(str, X.columns))}."
            )
        values = X[sensitive].to_numpy()
        X = X.drop(columns=sensitive)
    else:
        values = np.asarray(sensitive)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]
        if values.ndim != 1 or values.shape[0] != len(X):
            raise ValueError(
                f"{name} must be one value per row ({len(X)}); got shape "
                f"{values.shape}."
            )
    if pd.isna(values).any():
        raise ValueError(
            f"{name} has {int(pd.isna(values).sum())} missing values; the "
            "protected attribute must be known for every row."
        )
    if pd.unique(values).size > 1:
        frame = as_sensitive_frame(values, len(X), name=name)
        values = frame.iloc[:, 0].to_numpy()
    return X, values


def code_groups(
    groups: NDArray[Any], values: NDArray[Any], name: str
) -> NDArray[np.int64]:
    """Index of each row's group in ``groups``."""
    codes = pd.Index(groups).get_indexer(values)
    if np.any(codes < 0):
        raise ValueError(
            f"{name} has values {list(pd.unique(values[codes < 0]))[:5]} not "
            f"among the training groups {list(groups)}."
        )
    return codes.astype(np.int64)


def check_y(y: Any, n: int, name: str, bad_value: Any) -> NDArray[np.int64]:
    """The target as 0/1 (1 = bad): the package's one binary-target check."""
    return check_binary_target(
        y, n, bad_value=bad_value, name=name, parameter="bad_value"
    ).y01
