"""Input handling: predictions, protected attributes and their backends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.spatial.distance import cdist

from .._sensitive import KindOption, as_sensitive_frame, column_kinds, is_categorical
from ._backends import (
    _Attribute,
    _Blocked,
    _Categorical,
    _Continuous,
    _euclid_block,
    _Grouped,
)
from ._common import _MAX_GROUPS, _SQRT2, FloatArray, Method


def _as_prediction(x: ArrayLike, name: str, *, allow_2d: bool = False) -> FloatArray:
    if isinstance(x, pd.DataFrame | pd.Series):
        x = x.to_numpy()
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric; got {np.asarray(x).dtype}.") from exc
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 and not (allow_2d and arr.ndim == 2):
        allowed = "1-D or 2-D" if allow_2d else "1-D"
        raise ValueError(f"{name} must be {allowed}; got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


@dataclass(frozen=True)
class _Encoded:
    """Protected attributes prepared for the distance computations."""

    names: tuple[str, ...]
    kinds: tuple[str, ...]  # "categorical" or "continuous" per column
    codes: tuple[NDArray[np.intp] | None, ...]
    levels: tuple[int, ...]
    values: tuple[FloatArray | None, ...]  # min-max scaled continuous columns
    n: int

    def matrix(self) -> FloatArray:
        """Concatenated one-hot / scaled columns (n, q)."""
        cols = []
        for kind, code, lev, val in zip(
            self.kinds, self.codes, self.levels, self.values, strict=True
        ):
            if kind == "categorical":
                assert code is not None
                cols.append(np.eye(lev)[code])
            else:
                assert val is not None
                cols.append(val[:, None])
        return np.hstack(cols)


def _encode(
    sensitive_features: object,
    n: int,
    *,
    categorical: Sequence[str] | Literal["auto"] = "auto",
    kind: KindOption | Mapping[str, KindOption] = "auto",
    name: str = "sensitive_features",
) -> _Encoded:
    """Validate and encode protected attributes (one column each).

    The frame and each column's kind come from :mod:`fairness._sensitive`
    (the package's one rule): categorical columns are factorised (codes in
    order of first appearance, so the same groups coded as bool, int, float
    or strings give the same codes and identical results), continuous ones
    min-max scaled to [0, 1].
    """
    frame = as_sensitive_frame(sensitive_features, n, name=name)
    kinds = column_kinds(frame, categorical, kind=kind, name=name)
    codes: list[NDArray[np.intp] | None] = []
    levels: list[int] = []
    values: list[FloatArray | None] = []
    for col, kind in zip(frame.columns, kinds, strict=True):
        s = frame[col]
        if kind == "categorical":
            code, uniq = pd.factorize(s, sort=False)
            codes.append(code.astype(np.intp))
            levels.append(len(uniq))
            values.append(None)
            continue
        v = s.to_numpy(dtype=np.float64)
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{name} column {col!r} has infinite values.")
        codes.append(None)
        levels.append(0)
        values.append((v - v.min()) / (v.max() - v.min()))
    return _Encoded(
        tuple(str(c) for c in frame.columns),
        tuple(kinds),
        tuple(codes),
        tuple(levels),
        tuple(values),
        n,
    )


def _cells(enc: _Encoded) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Intersection cell of each row and the cell's codes per attribute."""
    stacked = np.column_stack([c for c in enc.codes if c is not None])
    uniq, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp), uniq


def _concat_attribute(enc: _Encoded, method: Method) -> _Attribute:
    """The CCdCov attribute: one-hot categorical + min-max continuous columns."""
    all_cat = all(k == "categorical" for k in enc.kinds)
    if method == "blocked" or (not all_cat and len(enc.kinds) > 1):
        if method == "fast":
            raise ValueError(
                "method='fast' needs categorical attributes or a single continuous "
                f"one; got kinds {list(enc.kinds)}. Use method='blocked' or 'auto'."
            )
        mat = enc.matrix()
        return _Blocked(_euclid_block(mat), np.arange(enc.n), "Euclidean, concatenated")
    if len(enc.kinds) == 1:
        if all_cat:
            code = enc.codes[0]
            assert code is not None
            return _Categorical(code, enc.levels[0], _SQRT2)
        val = enc.values[0]
        assert val is not None
        return _Continuous(val)
    cells, uniq = _cells(enc)
    n_diff = (uniq[:, None, :] != uniq[None, :, :]).sum(axis=2)
    return _Grouped(cells, np.sqrt(2.0 * n_diff))


def _numeric_attribute(y: FloatArray, method: Method) -> _Attribute:
    """Attribute from a numeric array (as dcor: Euclidean distance of rows)."""
    if y.ndim == 1:
        y = y[:, None]
    n = y.shape[0]
    if method == "blocked":
        return _Blocked(_euclid_block(y), np.arange(n), "Euclidean")
    if y.shape[1] == 1:
        return _Continuous(y[:, 0])
    uniq, inverse = np.unique(y, axis=0, return_inverse=True)
    if uniq.shape[0] <= _MAX_GROUPS:
        return _Grouped(inverse.reshape(-1).astype(np.intp), cdist(uniq, uniq))
    if method == "fast":
        raise ValueError(
            "method='fast' has no O(n log n) path for a multivariate y with "
            f"{uniq.shape[0]} distinct rows (> {_MAX_GROUPS}); use 'blocked' or 'auto'."
        )
    return _Blocked(_euclid_block(y), np.arange(n), "Euclidean")


def _attribute_from_y(
    y: ArrayLike, n: int, method: Method, kind: KindOption = "auto"
) -> tuple[_Attribute, FloatArray]:
    """Backend and numeric (one-hot for categories) matrix of a y argument.

    The matrix of a categorical ``y`` is built only for ``method="naive"`` or
    ``"blocked"`` (the other paths never read it; an (n, 0) placeholder).

    A 1-D ``y`` follows the package's kind rule (:mod:`fairness._sensitive`):
    categorical (one-hot distance) when its dtype is categorical or it holds
    at most 10 distinct numbers, so a bool, int, float or string coding of
    the same groups takes the same fast path with identical results; else
    numeric (``|y_i - y_j|``, as dcor). ``kind`` overrides the rule. A 2-D
    ``y`` is a numeric vector (Euclidean distance between rows).
    """
    one_d = isinstance(y, pd.Series | pd.Categorical) or np.ndim(y) == 1
    if one_d:
        series = pd.Series(y).reset_index(drop=True)
        if len(series) != n:
            raise ValueError(
                f"y has {len(series)} rows but x has {n}; they must have the same "
                "length."
            )
        if is_categorical(series, kind, name="y"):
            if series.isna().any():
                raise ValueError("y contains missing values.")
            code, uniq = pd.factorize(series, sort=False)
            levels = len(uniq)
            # the one-hot matrix only for the paths that use it (naive, blocked)
            onehot = (
                np.eye(levels)[code]
                if method in ("naive", "blocked")
                else np.empty((n, 0))
            )
            attr: _Attribute
            if method == "blocked":
                attr = _Blocked(_euclid_block(onehot), np.arange(n), "Euclidean")
            else:
                attr = _Categorical(code.astype(np.intp), levels, _SQRT2)
            return attr, onehot
    elif kind == "categorical":
        raise ValueError(
            "kind='categorical' needs a 1-D y; a 2-D y is a numeric vector. Use "
            "fairness.intersect_groups for several categorical columns."
        )
    elif kind not in ("auto", "continuous"):
        raise ValueError(
            f"kind must be 'auto', 'categorical' or 'continuous'; got {kind!r}."
        )
    arr = _as_prediction(y, "y", allow_2d=True)
    if arr.shape[0] != n:
        raise ValueError(
            f"y has {arr.shape[0]} rows but x has {n}; they must have the same length."
        )
    mat = arr[:, None] if arr.ndim == 1 else arr
    return _numeric_attribute(arr, method), mat


def _check_common(estimator: str, method: str, n: int, test: str | None = None) -> None:
    if estimator not in ("U", "V"):
        raise ValueError(f"estimator must be 'U' or 'V'; got {estimator!r}.")
    if method not in ("auto", "naive", "fast", "blocked"):
        raise ValueError(
            f"method must be 'auto', 'naive', 'fast' or 'blocked'; got {method!r}."
        )
    if test is not None and test not in ("chi2", "permutation"):
        raise ValueError(f"test must be 'chi2', 'permutation' or None; got {test!r}.")
    minimum = 5 if estimator == "U" else 2
    if n < minimum:
        raise ValueError(
            f"estimator={estimator!r} needs at least {minimum} observations; got {n}."
        )
