"""Column preparation of the binner: typed columns, specials, pre-bins and their counts.

A feature column is converted one at a time (:class:`_RawColumn`), its
missing and special rows are set apart (:func:`_regular_mask`) and its regular
values are cut into ordered pre-bins with weighted (good, bad) counts
(:func:`_prepare`): numeric values by distinct value or quantile
(:func:`_numeric_prebins`), categories ordered by smoothed event rate with rare
ones always pooled into "Other". Date/time columns are rejected
(:func:`check_not_datetime`). The in-memory and the Dask fits share all of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._stats._counts import count_codes
from ._bins import _plain

FloatArray = NDArray[np.float64]


@dataclass
class _Column:
    """One validated feature column."""

    name: str
    kind: Literal["numeric", "categorical"]
    values: Any  # float64 ndarray (numeric) or pandas Series (categorical)


def check_not_datetime(values: Any, name: str) -> None:
    """Reject date, time and period columns with a clear error.

    Binning needs numbers whose meaning does not depend on storage: a
    timestamp's integer ticks change with its unit (the same dates as ``ns``
    or ``ms`` differ by 10**6) and NaT is not NaN. infoscore therefore never
    bins a datetime, timedelta or period column itself, in fit, score and
    monitor alike; convert it to a number in a unit you choose (e.g. days
    since an origin, with NaN for NaT) or to categories (docs/methodology.md,
    section "Hostile input").

    Raises
    ------
    TypeError
        If ``values`` has a datetime64, timedelta64, timezone-aware datetime
        or period dtype.
    """
    dtype = getattr(values, "dtype", None)
    if dtype is None:
        return
    if getattr(dtype, "kind", "") in "mM" or isinstance(
        dtype, pd.DatetimeTZDtype | pd.PeriodDtype
    ):
        raise TypeError(
            f"Feature {name!r} has the date/time dtype {dtype}; infoscore does not "
            "bin raw time ticks (their unit is arbitrary). Convert it to a number "
            "in a fixed unit (e.g. days since a date, NaT as NaN) or to categories."
        )


@dataclass
class _RawColumn:
    """A column as passed in; converted one at a time to bound memory."""

    name: str
    kind: Literal["numeric", "categorical"]
    raw: Any

    def __post_init__(self) -> None:
        check_not_datetime(self.raw, self.name)

    def __len__(self) -> int:
        return len(self.raw)

    def convert(self) -> _Column:
        if self.kind == "categorical":
            raw = self.raw
            series = raw if isinstance(raw, pd.Series) else pd.Series(raw)
            return _Column(self.name, "categorical", series)
        return _Column(self.name, "numeric", _as_float(self.raw, self.name))


def _is_categorical_dtype(col: Any) -> bool:
    dtype = getattr(col, "dtype", None)
    if dtype is None:
        return False
    if isinstance(dtype, pd.CategoricalDtype):
        return True
    if pd.api.types.is_bool_dtype(dtype):
        return False
    return bool(
        pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
    )


def _as_float(col: Any, name: str) -> FloatArray:
    """Numeric values as float64 with NaN for missing; reject inf and text."""
    if isinstance(col, np.ndarray) and col.dtype.kind in "fiub":
        x = col.astype(np.float64)
    else:
        series = col if isinstance(col, pd.Series) else pd.Series(col)
        try:
            x = pd.to_numeric(series, errors="raise").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
        except (TypeError, ValueError):
            coerced = pd.to_numeric(series, errors="coerce")
            bad = series[series.notna() & coerced.isna()].iloc[0]
            raise TypeError(
                f"Feature {name!r} is numeric but has the non-numeric value "
                f"{bad!r}; pass it in categorical_features or fix the data."
            ) from None
    if np.isinf(x).any():
        raise ValueError(
            f"Feature {name!r} contains infinite values (inf); allowed are finite "
            "numbers and NaN for missing."
        )
    return x


def categorical_mask(spec: Any, raw: list[Any], names: list[str]) -> list[bool]:
    """Which columns are categorical under ``categorical_features=spec``."""
    n = len(raw)
    if spec is None:
        return [False] * n
    if isinstance(spec, str):  # "auto"
        return [_is_categorical_dtype(c) for c in raw]
    items = list(np.asarray(spec).ravel()) if not isinstance(spec, list) else spec
    if items and all(isinstance(v, bool | np.bool_) for v in items):
        if len(items) != n:
            raise ValueError(
                f"categorical_features as a boolean mask needs {n} entries; "
                f"got {len(items)}."
            )
        return [bool(v) for v in items]
    mask = [False] * n
    for v in items:
        if isinstance(v, Integral) and not isinstance(v, bool):
            if not 0 <= int(v) < n:
                raise ValueError(
                    f"categorical_features index {v} is out of range for {n} features."
                )
            mask[int(v)] = True
        elif str(v) in names:
            mask[names.index(str(v))] = True
        else:
            raise ValueError(
                f"categorical_features names {v!r}, which is not a feature; "
                f"features are {names[:10]}."
            )
    return mask


def check_specials(
    spec: dict[Any, Any] | None, cols: list[_RawColumn]
) -> dict[str, tuple[Any, ...]]:
    """``special_values`` checked against the columns: plain values per feature."""
    names = [c.name for c in cols]
    kinds = {c.name: c.kind for c in cols}
    out: dict[str, tuple[Any, ...]] = {}
    for key, values in (spec or {}).items():
        if str(key) not in names:
            raise ValueError(
                f"special_values has the key {key!r}, which names no feature; "
                f"features are {names[:10]}."
            )
        if isinstance(values, str) or not isinstance(
            values, Sequence | np.ndarray | set | frozenset
        ):
            raise TypeError(
                f"special_values[{key!r}] must be a list of values; got {values!r}."
            )
        plain = tuple(dict.fromkeys(_plain(v) for v in values))
        if kinds[str(key)] == "numeric":
            bad = [
                v
                for v in plain
                if isinstance(v, str | bool) or not np.isfinite(float(v))
            ]
            if bad:
                raise TypeError(
                    f"special_values[{key!r}] of a numeric feature must be "
                    f"finite numbers; got {bad}."
                )
            plain = tuple(float(v) for v in plain)
        out[str(key)] = plain
    return out


def class_counts(
    codes: NDArray[np.int64], y: FloatArray, w: FloatArray, k: int
) -> FloatArray:
    """Weighted (good, bad) counts per code, shape ``(k, 2)``, by the count kernel."""
    return count_codes(
        codes, y.astype(np.int64), n_bins=k, n_classes=2, sample_weight=w
    )[0]


@dataclass
class _Prepared:
    """Pre-binned regular rows of one feature plus its special/missing counts."""

    name: str
    kind: Literal["numeric", "categorical"]
    prebin_counts: FloatArray  # (K, 2)
    edges: FloatArray | None  # numeric: lower edges of pre-bins 1..K-1
    units: list[tuple[Any, ...]] | None  # categorical: ordered category units
    other: tuple[Any, ...]
    specials: tuple[Any, ...]
    special_counts: FloatArray  # (n_special, 2)
    missing_counts: FloatArray  # (2,)
    totals: tuple[float, float]
    constant: bool


def _class_sums(mask: NDArray[np.bool_], w: FloatArray, y: FloatArray) -> FloatArray:
    wm = w[mask]
    bads = float(np.dot(wm, y[mask]))
    return np.array([float(wm.sum()) - bads, bads])


def _numeric_prebins(
    x: FloatArray, w: FloatArray, y: FloatArray, max_bin: int, weighted: bool
) -> tuple[FloatArray, FloatArray]:
    """Pre-bin edges (exact for few distinct values, else quantiles) and counts.

    Pre-bin ``k`` is ``[edges[k-1], edges[k])``. Without weights the counts
    come from two sorts (all rows, and the bads only) and binary searches of
    the edges; no per-row codes are built.
    """
    if weighted:
        order = np.argsort(x, kind="stable")
        xs = x[order]
    else:
        xs = np.sort(x)
    new = np.empty(xs.size, dtype=bool)
    new[:1] = True
    np.not_equal(xs[1:], xs[:-1], out=new[1:])
    distinct = xs[new]
    if distinct.size <= max_bin:
        edges = distinct[1:]
    else:
        if weighted:
            cum = np.cumsum(w[order])
            targets = cum[-1] * np.arange(1, max_bin) / max_bin
            idx = np.minimum(np.searchsorted(cum, targets, side="right"), xs.size - 1)
        else:
            idx = (np.arange(1, max_bin) * xs.size) // max_bin
        edges = np.unique(xs[idx])
        edges = edges[edges > xs[0]]
    k = edges.size + 1
    if weighted:
        codes = np.searchsorted(edges, x, side="right")
        return edges, class_counts(codes, y, w, k)
    bads_sorted = np.sort(x[y == 1])
    total = np.diff(np.r_[0, np.searchsorted(xs, edges, side="left"), xs.size])
    bads = np.diff(
        np.r_[0, np.searchsorted(bads_sorted, edges, side="left"), bads_sorted.size]
    )
    return edges, np.column_stack([total - bads, bads]).astype(np.float64)


def _regular_mask(
    col: _Column, specials: tuple[Any, ...]
) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Missing mask and special index (-1 = not special) of a converted column."""
    if col.kind == "numeric":
        x = col.values
        missing = np.isnan(x)
        special_idx = np.full(x.size, -1, dtype=np.int64)
        for i, s in enumerate(specials):
            special_idx[x == s] = i
    else:
        series: pd.Series = col.values
        missing = series.isna().to_numpy()
        special_idx = np.full(len(series), -1, dtype=np.int64)
        if specials:
            pos = pd.Index(list(specials), dtype=object).get_indexer(series)
            special_idx = pos.astype(np.int64)
    return missing, special_idx


def _prepare(
    col: _Column,
    y: FloatArray,
    w: FloatArray,
    *,
    specials: tuple[Any, ...],
    max_bin: int,
    min_category_size: float,
    weighted: bool,
) -> tuple[_Prepared, NDArray[np.int64], NDArray[np.bool_]]:
    """Count table of the pre-bins; also the pre-bin code of each regular row."""
    totals = (float(np.dot(w, 1 - y)), float(np.dot(w, y)))
    missing, special_idx = _regular_mask(col, specials)
    regular = ~missing & (special_idx < 0)
    if missing.all():
        raise ValueError(
            f"Feature {col.name!r} has only missing values; drop it or fill it."
        )
    special_counts = np.array(
        [_class_sums(special_idx == i, w, y) for i in range(len(specials))]
    ).reshape(len(specials), 2)
    missing_counts = _class_sums(missing, w, y)
    wr, yr = w[regular], y[regular]
    units: list[tuple[Any, ...]] | None = None
    other: tuple[Any, ...] = ()
    edges: FloatArray | None = None
    if col.kind == "numeric":
        xr = col.values[regular]
        if xr.size:
            edges, counts = _numeric_prebins(xr, wr, yr, max_bin, weighted)
        else:
            edges, counts = np.zeros(0), np.zeros((1, 2))
        codes = np.zeros(0, dtype=np.int64)  # not needed for numeric features
        n_distinct = edges.size + 1 if xr.size else 0
    else:
        cat_codes, uniques = pd.factorize(col.values[regular], sort=False)
        n_cat = len(uniques)
        g, b = class_counts(cat_codes, yr, wr, n_cat).T
        cats = [_plain(c) for c in uniques]
        share = (g + b) / max(sum(totals), 1e-300)
        rare = share < min_category_size
        unit_of = np.arange(n_cat)
        unit_members: list[list[Any]] = [[c] for c in cats]
        # Rare categories are always pooled, also when every category is rare
        # (ordering ~2,000 singletons by their event rate fits noise): the
        # feature is then one "Other" group and has no information.
        if rare.any():
            common = np.flatnonzero(~rare)
            unit_of = np.empty(n_cat, dtype=np.int64)
            unit_of[common] = np.arange(common.size)
            unit_of[rare] = common.size
            unit_members = [[cats[i]] for i in common] + [
                [cats[i] for i in np.flatnonzero(rare)]
            ]
            other = tuple(cats[i] for i in np.flatnonzero(rare))
        n_units = len(unit_members)
        n_distinct = n_units
        ug = np.bincount(unit_of, weights=g, minlength=n_units)
        ub = np.bincount(unit_of, weights=b, minlength=n_units)
        rate0 = totals[1] / max(sum(totals), 1e-300)
        smoothed_rate = (ub + rate0) / (ug + ub + 1.0)
        order = np.argsort(smoothed_rate, kind="stable")
        rank = np.empty(n_units, dtype=np.int64)
        rank[order] = np.arange(n_units)
        units = [tuple(unit_members[i]) for i in order]
        codes = rank[unit_of[cat_codes]] if n_cat else np.zeros(0, dtype=np.int64)
        k = max(n_units, 1)
        counts = class_counts(codes, yr, wr, k)
    constant = (
        n_distinct + int(missing.any()) + int((special_counts.sum(axis=1) > 0).sum())
        <= 1
    )
    prep = _Prepared(
        name=col.name,
        kind=col.kind,
        prebin_counts=counts,
        edges=edges,
        units=units,
        other=other,
        specials=specials,
        special_counts=special_counts,
        missing_counts=missing_counts,
        totals=totals,
        constant=constant,
    )
    return prep, codes, regular
