"""StumpBinner: depth-1 XGBoost binning with an exact constrained merge.

Per feature (``strategy="per_feature"``): cut the values into at most
``max_bin`` pre-bins, count weighted goods and bads per pre-bin, fit XGBoost
depth-1 stumps on the ``2K`` weighted rows of that count table (the same
splits as XGBoost hist on the raw rows with the same cuts), add the depth-1
splits grown recursively under the size floor (:func:`size_floor_cuts`), and
merge the resulting bins with the exact dynamic program of
:mod:`scorecard._binning._merge`. Missing
values and declared special values get their own bins; categories are
ordered by smoothed event rate, rare ones pooled into "Other".
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import pandas as pd
import xgboost as xgb
from joblib import Parallel, delayed
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils import ClassifierTags, check_random_state
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from .._kit.artifacts import ArtifactMixin, register_artifact, require
from .._kit.compat import Interval, StrOptions
from .._kit.dask import is_dask_collection
from .._kit.exceptions import DataConditionWarning
from .._stats._information import Divergence, information_value, woe
from ._bins import FeatureBins, _plain
from ._merge import merge_counts, optimal_merge

__all__ = ["StumpBinner"]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
Trend = Literal["auto", "ascending", "descending", "peak", "valley"]

#: Parameters shared by StumpBinner and WoEEncoder.
BINNER_CONSTRAINTS: dict[str, list[Any]] = {
    "n_rounds": [Interval(Integral, 1, None, closed="left")],
    "strategy": [StrOptions({"per_feature", "joint"})],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "max_bin": [Interval(Integral, 2, None, closed="left")],
    "min_bin_size": [Interval(Real, 0, 0.5, closed="both")],
    "min_category_size": [Interval(Real, 0, 0.5, closed="both"), None],
    "max_n_bins": [Interval(Integral, 1, None, closed="left"), None],
    "monotonic_trend": [
        StrOptions({"auto", "ascending", "descending", "peak", "valley"}),
        None,
    ],
    "special_values": [dict, None],
    "categorical_features": [StrOptions({"auto"}), "array-like", None],
    "smoothing": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state"],
    "n_jobs": [Integral, None],
}


# --------------------------------------------------------------------------
# input handling


@dataclass
class _Column:
    """One validated feature column."""

    name: str
    kind: Literal["numeric", "categorical"]
    values: Any  # float64 ndarray (numeric) or pandas Series (categorical)


@dataclass
class _RawColumn:
    """A column as passed in; converted one at a time to bound memory."""

    name: str
    kind: Literal["numeric", "categorical"]
    raw: Any

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


def _check_target(y: Any, n_rows: int) -> tuple[FloatArray, tuple[Any, Any]]:
    """Binary target as floats 0/1 and its two labels (good, bad).

    Labels 0/1 (or False/True) keep their meaning; any other pair of labels
    follows scikit-learn's convention: the larger label, sorted, is the event.
    """
    y_arr = column_or_1d(y, warn=True)
    if y_arr.shape[0] != n_rows:
        raise ValueError(
            f"y has {y_arr.shape[0]} rows but X has {n_rows}; they must match."
        )
    values = pd.Series(y_arr)
    if values.isna().any():
        raise ValueError(
            "y contains NaN (missing target); y must be binary, e.g. 0 (good) "
            "and 1 (bad)."
        )
    uniq = pd.unique(values)
    if len(uniq) > 2:
        shown = sorted(map(str, uniq))[:6]
        raise ValueError(
            "y must be binary (two classes, e.g. 0 = good and 1 = bad, the "
            f"event); got {len(uniq)} classes {shown}."
        )
    if len(uniq) < 2:
        raise ValueError(
            f"y must contain both classes; got only one class ({uniq[0]!r})."
        )
    try:
        labels = sorted(uniq.tolist())
    except TypeError:
        raise TypeError(
            f"y has labels of mixed types {list(uniq)}; use 0 (good) and 1 (bad)."
        ) from None
    good, bad = labels
    return (values == bad).to_numpy(dtype=np.float64), (_plain(good), _plain(bad))


# --------------------------------------------------------------------------
# stumps


_SPLIT = re.compile(r"\[f(\d+)<([^\]]+)\]")


def _booster_thresholds(booster: xgb.Booster) -> dict[int, list[float]]:
    """Split thresholds per feature index, read from the text model dump.

    Each split node of the dump reads ``[f<index><<threshold>]`` (XGBoost
    sends ``x < threshold`` left).
    """
    out: dict[int, list[float]] = {}
    for tree in booster.get_dump(dump_format="text"):
        for feat, thr in _SPLIT.findall(tree):
            out.setdefault(int(feat), []).append(float(thr))
    return out


def _xgb_params(
    *, learning_rate: float, base_score: float, max_bin: int, seed: int, nthread: int
) -> dict[str, Any]:
    return {
        "objective": "binary:logistic",
        "max_depth": 1,
        "eta": learning_rate,
        "tree_method": "hist",
        "max_bin": max_bin,
        "base_score": base_score,
        "seed": seed,
        "nthread": nthread,
        "verbosity": 0,
    }


def stump_cuts(
    counts: ArrayLike,
    *,
    n_rounds: int = 50,
    learning_rate: float = 0.3,
    seed: int = 0,
) -> NDArray[np.int64]:
    """Split points of XGBoost depth-1 stumps fitted on a pre-bin count table.

    The ``K`` pre-bins become ``2K`` weighted rows (feature = pre-bin index,
    label 0 weighted by the goods, label 1 by the bads). Predictions are
    constant within a pre-bin, so the gradient and hessian sums per pre-bin,
    and hence the splits, equal those of XGBoost hist on the raw rows cut at
    the same pre-bin edges.

    Parameters
    ----------
    counts : array-like of shape (K, 2)
        Weighted goods and bads per ordered pre-bin.
    n_rounds : int, default=50
        Boosting rounds.
    learning_rate : float, default=0.3
        XGBoost ``eta``.
    seed : int, default=0
        XGBoost seed.

    Returns
    -------
    ndarray of int64
        Sorted unique pre-bin indices ``c`` in ``[1, K)`` where a stump bin
        starts (XGBoost sends ``index < c`` left).

    Examples
    --------
    >>> stump_cuts([[90, 10], [90, 10], [50, 50], [50, 50]], n_rounds=5)
    array([2])
    """
    table = np.asarray(counts, dtype=np.float64)
    k = table.shape[0]
    n_g, n_b = table.sum(axis=0)
    if k < 2 or n_g <= 0 or n_b <= 0:
        return np.zeros(0, dtype=np.int64)
    pos = np.arange(k, dtype=np.float32)
    feature = np.concatenate([pos, pos])[:, None]
    label = np.concatenate([np.zeros(k), np.ones(k)])
    weight = np.concatenate([table[:, 0], table[:, 1]])
    keep = weight > 0
    dtrain = xgb.DMatrix(
        feature[keep], label=label[keep], weight=weight[keep], nthread=1
    )
    params = _xgb_params(
        learning_rate=learning_rate,
        base_score=float(n_b / (n_g + n_b)),
        max_bin=max(256, k + 1),
        seed=seed,
        nthread=1,
    )
    booster = xgb.train(params, dtrain, num_boost_round=n_rounds)
    thresholds = np.asarray(_booster_thresholds(booster).get(0, []))
    cuts = np.unique(np.ceil(thresholds).astype(np.int64))
    return cuts[(cuts >= 1) & (cuts < k)]


def size_floor_cuts(counts: ArrayLike, *, floor: float) -> NDArray[np.int64]:
    """Split points of depth-1 splits grown recursively under a size floor.

    Every segment of ordered pre-bins holding at least ``2 * floor`` rows
    (weighted) is cut where a depth-1 split fitted to the segment alone
    gains most among the cuts that leave at least ``floor`` on each side;
    both halves are split again until no cut is allowed or none gains. The
    gain, ``b_L^2 / n_L + b_R^2 / n_R - B^2 / N`` for bads ``b`` and rows
    ``n``, is proportional to XGBoost's first-round gain from the segment's
    constant fit (without the L2 penalty) and to CART's Gini gain.

    Boosted stumps place their thresholds where the gradient says, without
    knowing the size floor; when the floor binds (a feature with most rows
    missing leaves room for only a few bins of its regular values) the
    merge needs the cuts that are best *given* the floor; these are.

    Parameters
    ----------
    counts : array-like of shape (K, 2)
        Weighted goods and bads per ordered pre-bin.
    floor : float
        Smallest weight on each side of a cut; must be > 0 (without a floor
        the recursion would cut at every pre-bin).

    Returns
    -------
    ndarray of int64
        Sorted pre-bin indices ``c`` in ``[1, K)`` where a segment was cut
        (pre-bins ``< c`` to the left).

    Examples
    --------
    >>> size_floor_cuts([[9, 1], [9, 1], [5, 5], [5, 5]], floor=10)
    array([2])
    >>> size_floor_cuts([[9, 1], [9, 1], [5, 5], [5, 5]], floor=21)  # 40 rows
    array([], dtype=int64)
    """
    if not floor > 0:
        raise ValueError(f"floor must be > 0; got {floor!r}.")
    table = np.asarray(counts, dtype=np.float64)
    # Empty pre-bins (values seen only with zero weight) are skipped, so a cut
    # lands where the next weighted value starts, as with repeated rows.
    present = np.flatnonzero(table.sum(axis=1) > 0)
    rows = table[present].sum(axis=1)
    bads = table[present, 1]
    limit = floor * (1 - 1e-12)
    cuts: list[int] = []
    segments = [(0, present.size)]
    while segments:
        start, stop = segments.pop()
        n_left = np.cumsum(rows[start:stop])[:-1]
        b_left = np.cumsum(bads[start:stop])[:-1]
        if n_left.size == 0:
            continue
        n_all = n_left[-1] + rows[stop - 1]
        b_all = b_left[-1] + bads[stop - 1]
        n_right, b_right = n_all - n_left, b_all - b_left
        allowed = (n_left >= limit) & (n_right >= limit)
        if not allowed.any() or b_all <= 0 or b_all >= n_all:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = b_left**2 / n_left + b_right**2 / n_right
        gain = np.where(allowed, gain, -np.inf)
        best = int(np.argmax(gain))
        if gain[best] <= b_all**2 / n_all * (1 + 1e-12):
            continue  # the event rate is flat: no cut gains anything
        cut = start + 1 + best
        cuts.append(cut)
        segments += [(start, cut), (cut, stop)]
    return np.sort(present[np.asarray(cuts, dtype=np.int64)])


# --------------------------------------------------------------------------
# per-feature fitting


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
        counts = np.column_stack(
            [
                np.bincount(codes, weights=w * (1 - y), minlength=k),
                np.bincount(codes, weights=w * y, minlength=k),
            ]
        )
        return edges, counts.astype(np.float64)
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
        n_distinct = n_cat
        g = np.bincount(cat_codes, weights=wr * (1 - yr), minlength=n_cat)
        b = np.bincount(cat_codes, weights=wr * yr, minlength=n_cat)
        cats = [_plain(c) for c in uniques]
        share = (g + b) / max(sum(totals), 1e-300)
        rare = share < min_category_size
        unit_of = np.arange(n_cat)
        unit_members: list[list[Any]] = [[c] for c in cats]
        if rare.sum() >= 1 and rare.sum() < n_cat:
            common = np.flatnonzero(~rare)
            unit_of = np.empty(n_cat, dtype=np.int64)
            unit_of[common] = np.arange(common.size)
            unit_of[rare] = common.size
            unit_members = [[cats[i]] for i in common] + [
                [cats[i] for i in np.flatnonzero(rare)]
            ]
            other = tuple(cats[i] for i in np.flatnonzero(rare))
        n_units = len(unit_members)
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
        counts = np.column_stack(
            [
                np.bincount(codes, weights=wr * (1 - yr), minlength=k),
                np.bincount(codes, weights=wr * yr, minlength=k),
            ]
        )
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


def _finish(
    prep: _Prepared, bin_starts: NDArray[np.int64], params: dict[str, Any]
) -> FeatureBins:
    """Exact merge of the candidate bins and the final bin definition.

    ``bin_starts[r - 1]`` is where candidate bin ``r`` begins, in pre-bin
    (numeric: edge) index space.
    """
    candidate_table = merge_counts(prep.prebin_counts, bin_starts)
    regular_total = candidate_table.sum()
    if candidate_table.shape[0] > 1 and regular_total > 0:
        result = optimal_merge(
            candidate_table,
            min_bin_size=params["min_bin_size"],
            max_n_bins=params["max_n_bins"],
            monotonic_trend=(
                params["monotonic_trend"] if prep.kind == "numeric" else None
            ),
            totals=prep.totals,
            smoothing=params["smoothing"],
        )
        cuts = result.cuts
    else:
        cuts = ()
    regular_counts = merge_counts(candidate_table, cuts)
    starts = [int(bin_starts[c - 1]) for c in cuts]
    if prep.kind == "numeric":
        assert prep.edges is not None
        thresholds = tuple(float(prep.edges[s - 1]) for s in starts)
        groups: tuple[tuple[Any, ...], ...] = ()
    else:
        assert prep.units is not None
        thresholds = ()
        bounds = [0, *starts, len(prep.units)]
        groups = tuple(
            tuple(c for unit in prep.units[a:b] for c in unit)
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        )
        if not groups or not groups[0]:
            groups = ((),)
    goods = [*regular_counts[:, 0], *prep.special_counts[:, 0], prep.missing_counts[0]]
    bads = [*regular_counts[:, 1], *prep.special_counts[:, 1], prep.missing_counts[1]]
    if prep.kind == "categorical":
        goods.append(0.0)
        bads.append(0.0)
    if prep.kind == "categorical" and groups == ((),):
        # Only special or missing values: a placeholder group keeps the layout.
        groups = (("<none>",),)
    return FeatureBins(
        name=prep.name,
        kind=prep.kind,
        thresholds=thresholds,
        groups=groups,
        other=prep.other,
        special_values=prep.specials,
        goods=tuple(goods),
        bads=tuple(bads),
    )


def _joint_xgb_params(
    params: dict[str, Any], n_good: float, n_bad: float, n_jobs: int
) -> dict[str, Any]:
    """XGBoost settings of the joint model (in memory or ``xgboost.dask``)."""
    return _xgb_params(
        learning_rate=params["learning_rate"],
        base_score=n_bad / (n_good + n_bad),
        max_bin=params["max_bin"],
        seed=params["seed"],
        nthread=max(n_jobs, 1),
    )


def _finish_joint(
    prep: _Prepared,
    thresholds: FloatArray,
    stump_counts: FloatArray | None,
    params: dict[str, Any],
) -> FeatureBins:
    """Bins of one feature from the thresholds of a joint model.

    A numeric feature's stump bins are XGBoost's own thresholds (float32
    values, compared with float64 data at transform time), with their exact
    (good, bad) ``stump_counts``; a categorical feature's thresholds fall
    between its event-rate-ordered pre-bins.
    """
    if prep.kind == "numeric":
        assert stump_counts is not None
        prep = replace(prep, edges=thresholds, prebin_counts=stump_counts)
        starts = np.arange(1, thresholds.size + 1, dtype=np.int64)
    else:
        k = prep.prebin_counts.shape[0]
        starts = np.unique(np.ceil(thresholds).astype(np.int64))
        starts = starts[(starts >= 1) & (starts < k)]
    return _finish(prep, starts, params)


def _candidate_starts(prep: _Prepared, params: dict[str, Any]) -> NDArray[np.int64]:
    """Where the candidate bins of a feature's regular values begin.

    The boosted stumps' thresholds plus, under a size floor, the cuts of
    :func:`size_floor_cuts` (the floor is ``min_bin_size`` of all the
    feature's rows, as in the merge).
    """
    starts = stump_cuts(
        prep.prebin_counts,
        n_rounds=params["n_rounds"],
        learning_rate=params["learning_rate"],
        seed=params["seed"],
    )
    floor = params["min_bin_size"] * sum(prep.totals)
    if floor > 0:
        starts = np.union1d(starts, size_floor_cuts(prep.prebin_counts, floor=floor))
    return starts


def _fit_one_per_feature(
    raw: _RawColumn,
    y: FloatArray,
    w: FloatArray,
    params: dict[str, Any],
) -> tuple[FeatureBins, bool]:
    col = raw.convert()
    prep, _, _ = _prepare(
        col,
        y,
        w,
        specials=params["specials"].get(col.name, ()),
        max_bin=params["max_bin"],
        min_category_size=params["min_category_size"],
        weighted=params["weighted"],
    )
    return _finish(prep, _candidate_starts(prep, params), params), prep.constant


# --------------------------------------------------------------------------
# the estimator


@register_artifact("StumpBinner")
class StumpBinner(ArtifactMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Bin features with depth-1 XGBoost stumps and an exact constrained merge.

    Parameters
    ----------
    n_rounds : int, default=50
        Boosting rounds (stumps) per feature, or in total for ``"joint"``.
    strategy : {"per_feature", "joint"}, default="per_feature"
        ``"per_feature"``: one stump ensemble per feature, fitted on the
        feature's weighted pre-bin count table, so every feature's bins
        reflect its own signal. ``"joint"``: one XGBoost model over all
        features on the raw rows (as in the source paper); a feature the
        model never splits on gets one bin.
    learning_rate : float, default=0.3
        XGBoost ``eta``.
    max_bin : int, default=256
        Largest number of pre-bins of a numeric feature (quantile cuts; every
        distinct value is its own pre-bin when there are at most ``max_bin``).
        XGBoost's ``max_bin`` for ``"joint"``.
    min_bin_size : float, default=0.05
        Smallest share of the feature's rows (weighted) in a regular bin
        (interval or category group). ``0`` disables the floor.
    min_category_size : float or None, default=0.005
        Share below which a category is pooled into "Other" before the
        categories are ordered by smoothed event rate; ``None`` uses
        ``min_bin_size``. The merge enforces ``min_bin_size`` on the final
        groups anyway, so pooling at ``min_bin_size`` would throw away the
        information of every mid-sized category (on a 40-level Zipf feature
        it lost three quarters of the IV).
    max_n_bins : int or None, default=None
        Largest number of regular bins per feature.
    monotonic_trend : {"auto", None, "ascending", "descending", "peak", \
"valley"}, default="auto"
        Constraint on the event rate across the numeric regular bins (see
        :func:`scorecard._binning._merge.optimal_merge`; ``"auto"`` chooses monotone,
        or peak/valley when that is significantly better). Categorical features are
        already ordered by event rate and are merged without a trend. The
        trend is what keeps a pure-noise feature at a few bins; ``None``
        maximises the training IV without it and splits noise as finely as
        ``min_bin_size`` allows.
    special_values : dict or None, default=None
        ``{feature name: [values]}``: values (e.g. ``-999``) that get their
        own bins instead of falling into an interval or group.
    categorical_features : "auto", array-like or None, default="auto"
        ``"auto"``: pandas category, object and string columns (and
        non-numeric numpy arrays). Otherwise feature names, indices or a
        boolean mask; ``None`` treats every feature as numeric.
    smoothing : float, default=0.5
        Added to both cells of a bin with a zero cell when computing WoE
        and IV (Haldane-Anscombe); also used by the merge.
    random_state : int, RandomState or None, default=None
        Seed passed to XGBoost (depth-1 boosting without subsampling is
        deterministic, so this rarely matters).
    n_jobs : int or None, default=None
        Threads over features for ``"per_feature"`` and XGBoost threads for
        ``"joint"``; ``None`` means 1.

    Attributes
    ----------
    bins_ : dict of str to FeatureBins
        Bin definition and training counts of every feature, in column order.
    classes_ : ndarray of shape (2,)
        Target labels ``[good, bad]``: ``[0, 1]`` for a 0/1 target; for other
        label pairs the larger (sorted) label is the event, as in
        scikit-learn.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names, when ``X`` had string column names.

    See Also
    --------
    WoEEncoder : Maps each feature to the WoE of its bin.

    Notes
    -----
    Bins of a numeric feature are ``[-inf, t_1), ..., [t_k, inf)`` for the
    sorted thresholds kept by the merge. With ``"per_feature"`` the merge
    chooses among the boosted stumps' thresholds and, when ``min_bin_size``
    is positive, the cuts of :func:`size_floor_cuts`: depth-1 splits grown
    recursively so that every piece keeps the floor. Stumps place their
    thresholds without knowing the floor, and when it binds (a feature with
    75% missing values has room for only a few bins of its regular values)
    the best floor-respecting cuts were missing: the IV fell 1.4% short of
    optbinning's on such a feature. ``"joint"`` uses the joint model's
    thresholds only, as in the source paper. Codes returned by :meth:`transform`
    follow :class:`scorecard._binning._bins.FeatureBins`: regular bins, then special
    bins, the missing bin and (categorical) the unseen-category bin.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-2 * x))).astype(int)
    >>> binner = StumpBinner(n_rounds=20, max_n_bins=4).fit(x[:, None], y)
    >>> binner.bins_["x0"].n_regular <= 4
    True
    >>> round(float(binner.information_table()["iv"].iloc[0]), 1)
    2.5
    """

    _parameter_constraints: dict = dict(BINNER_CONSTRAINTS)

    def __init__(
        self,
        *,
        n_rounds: int = 50,
        strategy: Literal["per_feature", "joint"] = "per_feature",
        learning_rate: float = 0.3,
        max_bin: int = 256,
        min_bin_size: float = 0.05,
        min_category_size: float | None = 0.005,
        max_n_bins: int | None = None,
        monotonic_trend: Trend | None = "auto",
        special_values: dict[str, Sequence[Any]] | None = None,
        categorical_features: Any = "auto",
        smoothing: float = 0.5,
        random_state: int | np.random.RandomState | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.n_rounds = n_rounds
        self.strategy = strategy
        self.learning_rate = learning_rate
        self.max_bin = max_bin
        self.min_bin_size = min_bin_size
        self.min_category_size = min_category_size
        self.max_n_bins = max_n_bins
        self.monotonic_trend = monotonic_trend
        self.special_values = special_values
        self.categorical_features = categorical_features
        self.smoothing = smoothing
        self.random_state = random_state
        self.n_jobs = n_jobs

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.target_tags.required = True
        # The target is binary (0 good / 1 bad): this makes sklearn's checks
        # draw binary targets; the estimator stays a transformer.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        tags.transformer_tags.preserves_dtype = []  # returns int64 bin codes
        return tags

    # ------------------------------------------------------------ validation

    def _raw_columns(self, X: Any, *, reset: bool) -> list[Any]:
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if X.shape[0] < 1:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={X.shape}) while a "
                    "minimum of 1 is required."
                )
            return [X.iloc[:, j] for j in range(X.shape[1])]
        arr = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite=False)
        return [arr[:, j] for j in range(arr.shape[1])]

    def _names(self) -> list[str]:
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{j}" for j in range(self.n_features_in_)]

    def _categorical_mask(self, raw: list[Any], names: list[str]) -> list[bool]:
        spec = self.categorical_features
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
                        f"categorical_features index {v} is out of range for "
                        f"{n} features."
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

    def _columns(self, X: Any, *, reset: bool) -> list[_RawColumn]:
        raw = self._raw_columns(X, reset=reset)
        names = self._names()
        if reset:
            cat = self._categorical_mask(raw, names)
        else:
            cat = [self.bins_[n].kind == "categorical" for n in names]
        return [
            _RawColumn(name, "categorical" if is_cat else "numeric", values)
            for name, values, is_cat in zip(names, raw, cat, strict=True)
        ]

    def _specials(self, cols: list[_RawColumn]) -> dict[str, tuple[Any, ...]]:
        spec = self.special_values or {}
        names = [c.name for c in cols]
        kinds = {c.name: c.kind for c in cols}
        out: dict[str, tuple[Any, ...]] = {}
        for key, values in spec.items():
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

    # -------------------------------------------------------------------- fit

    def _fit_params(
        self, *, specials: dict[str, tuple[Any, ...]], weighted: bool
    ) -> dict[str, Any]:
        """Settings handed to the per-feature and joint fits (in memory or Dask)."""
        seed = int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )
        return {
            "specials": specials,
            "max_bin": self.max_bin,
            "min_bin_size": self.min_bin_size,
            "min_category_size": (
                self.min_bin_size
                if self.min_category_size is None
                else self.min_category_size
            ),
            "weighted": weighted,
            "n_rounds": self.n_rounds,
            "learning_rate": self.learning_rate,
            "seed": seed,
            "max_n_bins": self.max_n_bins,
            "monotonic_trend": self.monotonic_trend,
            "smoothing": self.smoothing,
        }

    def fit(
        self, X: Any, y: Any, sample_weight: ArrayLike | None = None
    ) -> StumpBinner:
        """Learn the bins of every feature.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; NaN/None mark missing values.
        y : array-like of shape (n_samples,)
            Binary target: 0 = good, 1 = bad (the event).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative float row weights, used in every count.

        Returns
        -------
        self : StumpBinner

        Raises
        ------
        ValueError
            Non-binary or NaN target, a single class, infinite values, an
            all-missing column, or a ``special_values`` key naming no feature.
        TypeError
            Text in a numeric feature or malformed ``special_values``.

        Warns
        -----
        DataConditionWarning
            A constant feature (one bin, IV 0), a final bin with one class
            only (WoE smoothed), or fewer rows than ``1 / min_bin_size``.

        Notes
        -----
        A Dask DataFrame ``X`` (with ``y`` and ``sample_weight`` as Dask
        Series partitioned alike) is binned from counts summed over its
        partitions; see :mod:`scorecard._kit.dask`.
        """
        if is_dask_collection(X) or is_dask_collection(y):  # Dask path
            from .._kit.dask import fit_binner

            return fit_binner(self, X, y, sample_weight)
        self._validate_params()
        for attr in ("bins_", "classes_"):
            if hasattr(self, attr):
                delattr(self, attr)
        cols = self._columns(X, reset=True)
        n_rows = len(cols[0])
        y_arr, classes = _check_target(y, n_rows)
        weighted = sample_weight is not None
        w = _check_sample_weight(
            sample_weight,
            np.empty((n_rows, 0)),
            dtype=np.float64,
            ensure_non_negative=True,
        )
        if float(np.dot(w, y_arr)) <= 0 or float(np.dot(w, 1 - y_arr)) <= 0:
            raise ValueError(
                "y must contain both classes 0 and 1 with positive weight; one "
                "class has zero total weight."
            )
        if self.min_bin_size > 0 and n_rows * self.min_bin_size < 1:
            warnings.warn(
                f"min_bin_size={self.min_bin_size} of {n_rows} rows is less than "
                "one row, so the size floor has no effect; use at least "
                f"{int(np.ceil(1 / self.min_bin_size))} rows or a larger "
                "min_bin_size.",
                DataConditionWarning,
                stacklevel=2,
            )
        specials = self._specials(cols)
        params = self._fit_params(specials=specials, weighted=weighted)
        n_jobs = 1 if self.n_jobs is None else self.n_jobs
        if self.strategy == "per_feature":
            fitted = Parallel(n_jobs=n_jobs, prefer="threads")(
                delayed(_fit_one_per_feature)(col, y_arr, w, params) for col in cols
            )
        else:
            fitted = self._fit_joint(cols, y_arr, w, params, n_jobs)
        self._store_bins([c.name for c in cols], fitted, classes, stacklevel=3)
        return self

    def _store_bins(
        self,
        names: list[str],
        fitted: list[tuple[FeatureBins, bool]],
        classes: tuple[Any, Any],
        *,
        stacklevel: int,
    ) -> None:
        """Set ``bins_`` and ``classes_`` (in-memory and Dask fits alike).

        Warns of constant features and of bins holding one class only.
        """
        bins: dict[str, FeatureBins] = {}
        for name, (fb, constant) in zip(names, fitted, strict=True):
            if constant:
                warnings.warn(
                    f"Feature {name!r} is constant; it gets one bin and IV 0.",
                    DataConditionWarning,
                    stacklevel=stacklevel,
                )
            g, b = np.asarray(fb.goods), np.asarray(fb.bads)
            zero = np.flatnonzero(((g + b) > 0) & ((g == 0) | (b == 0)))
            if zero.size and g.sum() > 0 and b.sum() > 0 and np.sum(g + b > 0) > 1:
                warnings.warn(
                    f"Feature {name!r} has a class with no observations in bin "
                    f"{fb.labels()[zero[0]]!r}; its WoE uses "
                    f"smoothing={self.smoothing}. Increase min_bin_size to avoid it.",
                    DataConditionWarning,
                    stacklevel=stacklevel,
                )
            logger.debug("feature %r: %d bins", name, fb.n_bins)
            bins[name] = fb
        self.bins_ = bins
        self.classes_ = np.asarray(classes, dtype=object)

    def _fit_joint(
        self,
        raw_cols: list[_RawColumn],
        y: FloatArray,
        w: FloatArray,
        params: dict[str, Any],
        n_jobs: int,
    ) -> list[tuple[FeatureBins, bool]]:
        """One XGBoost model over all features on the raw rows."""
        cols = [c.convert() for c in raw_cols]
        preps = []
        matrix = np.full((y.size, len(cols)), np.nan, dtype=np.float32)
        for j, col in enumerate(cols):
            prep, codes, regular = _prepare(
                col,
                y,
                w,
                specials=params["specials"].get(col.name, ()),
                max_bin=params["max_bin"],
                min_category_size=params["min_category_size"],
                weighted=params["weighted"],
            )
            preps.append((prep, codes, regular))
            # Missing and special rows stay NaN: they have their own bins.
            if col.kind == "numeric":
                matrix[regular, j] = col.values[regular]
            else:
                matrix[regular, j] = codes
        n_g, n_b = float(np.dot(w, 1 - y)), float(np.dot(w, y))
        dtrain = xgb.DMatrix(matrix, label=y, weight=w, nthread=max(n_jobs, 1))
        booster = xgb.train(
            _joint_xgb_params(params, n_g, n_b, n_jobs),
            dtrain,
            num_boost_round=params["n_rounds"],
        )
        thresholds = _booster_thresholds(booster)
        out = []
        for j, ((prep, _codes, regular), col) in enumerate(
            zip(preps, cols, strict=True)
        ):
            t = np.unique(np.asarray(thresholds.get(j, []), dtype=np.float64))
            counts: FloatArray | None = None
            if prep.kind == "numeric":
                xr = col.values[regular]
                yr, wr = y[regular], w[regular]
                tcodes = np.searchsorted(t, xr, side="right")
                counts = np.column_stack(
                    [
                        np.bincount(
                            tcodes, weights=wr * (1 - yr), minlength=t.size + 1
                        ),
                        np.bincount(tcodes, weights=wr * yr, minlength=t.size + 1),
                    ]
                ).astype(np.float64)
            fb = _finish_joint(prep, t, counts, params)
            out.append((fb, prep.constant))
        return out

    # -------------------------------------------------------------- transform

    def _iter_codes(self, X: Any) -> Iterator[tuple[str, NDArray[np.int64]]]:
        """Bin codes column by column, with warnings for neutral bins.

        Columns are converted one at a time, so no second copy of ``X`` is
        held in memory.
        """
        check_is_fitted(self, "bins_")
        for raw in self._columns(X, reset=False):
            col = raw.convert()
            fb = self.bins_[col.name]
            codes = fb.assign(col.values)
            miss = fb.missing_code
            if fb.goods[miss] + fb.bads[miss] == 0 and np.any(codes == miss):
                warnings.warn(
                    f"Feature {col.name!r} has missing values but had none in "
                    "training; they go to an empty missing bin with the neutral "
                    "WoE 0.",
                    DataConditionWarning,
                    stacklevel=3,
                )
            unseen = fb.unseen_code
            if unseen is not None and np.any(codes == unseen):
                examples = pd.unique(col.values[codes == unseen])[:5]
                warnings.warn(
                    f"Feature {col.name!r} has categories unseen in training "
                    f"({list(map(str, examples))}); they go to the unseen bin "
                    "with the neutral WoE 0.",
                    DataConditionWarning,
                    stacklevel=3,
                )
            yield col.name, codes

    def transform(self, X: Any) -> NDArray[np.int64]:
        """Bin code of every value.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        ndarray of int64, shape (n_samples, n_features)
            Codes as laid out by :class:`scorecard._binning._bins.FeatureBins`.

        Raises
        ------
        ValueError
            If the columns differ from ``fit`` or values are infinite.
        """
        out: NDArray[np.int64] | None = None
        for j, (_, codes) in enumerate(self._iter_codes(X)):
            if out is None:
                out = np.empty((codes.size, self.n_features_in_), np.int64, order="F")
            out[:, j] = codes
        assert out is not None
        return out

    # ----------------------------------------------------------------- tables

    def _feature(self, feature: str | int) -> FeatureBins:
        check_is_fitted(self, "bins_")
        names = list(self.bins_)
        if isinstance(feature, Integral) and not isinstance(feature, bool):
            if not 0 <= int(feature) < len(names):
                raise ValueError(
                    f"feature index {feature} is out of range for {len(names)} "
                    "features."
                )
            return self.bins_[names[int(feature)]]
        if feature not in self.bins_:
            raise ValueError(
                f"feature {feature!r} is not a fitted feature; features are "
                f"{names[:10]}."
            )
        return self.bins_[str(feature)]

    def _iv(self, fb: FeatureBins) -> Divergence | None:
        g, b = np.asarray(fb.goods), np.asarray(fb.bads)
        if np.sum((g + b) > 0) < 2 or g.sum() <= 0 or b.sum() <= 0:
            return None
        return information_value(
            g[None, :], b[None, :], smoothing=self.smoothing, features=[fb.name]
        )

    def binning_table(self, feature: str | int, *, alpha: float = 0.05) -> pd.DataFrame:
        """Per-bin table of one feature with a totals row.

        Parameters
        ----------
        feature : str or int
            Feature name (or column index).
        alpha : float, default=0.05
            One minus the confidence level of the intervals.

        Returns
        -------
        DataFrame
            One row per bin code: ``bin`` label, ``count``, ``share``,
            ``goods``, ``bads``, ``event_rate``, ``woe`` (as used by the
            encoder), its ``se``, ``ci_low``/``ci_high`` and Wald ``pvalue``,
            and the ``iv`` contribution. The last row, ``"Totals"``, holds the
            counts, the IV with its delta-method SE, Wald CI and chi-square
            p-value in the ``iv``, ``se``, ``ci_*`` and ``pvalue`` columns.
        """
        fb = self._feature(feature)
        g, b = np.asarray(fb.goods), np.asarray(fb.bads)
        count = g + b
        n = count.sum()
        present = count > 0
        se = np.full(fb.n_bins, np.nan)
        ci = np.full((fb.n_bins, 2), np.nan)
        pval = np.full(fb.n_bins, np.nan)
        contrib = np.zeros(fb.n_bins)
        iv_res = self._iv(fb)
        if iv_res is not None:
            w_res = woe(g, b, smoothing=self.smoothing)
            se = np.where(present, w_res.se, np.nan)
            ci = np.where(present[:, None], w_res.ci(alpha), np.nan)
            pval = np.where(present, w_res.pvalue, np.nan)
            contrib = iv_res.contributions[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(present, b / count, np.nan)
        table = pd.DataFrame(
            {
                "bin": fb.labels(),
                "count": count,
                "share": count / n,
                "goods": g,
                "bads": b,
                "event_rate": rate,
                "woe": fb.woe(self.smoothing),
                "se": se,
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "pvalue": pval,
                "iv": contrib,
            }
        )
        if iv_res is not None:
            iv_ci = iv_res.ci(alpha)[0]
            total = [
                float(np.atleast_1d(iv_res.estimate)[0]),
                float(np.atleast_1d(iv_res.se)[0]),
                *iv_ci,
            ]
            total_p = float(np.atleast_1d(iv_res.pvalue)[0])
        else:
            total, total_p = [0.0, 0.0, 0.0, 0.0], 1.0
        table.loc[len(table)] = {
            "bin": "Totals",
            "count": n,
            "share": 1.0,
            "goods": g.sum(),
            "bads": b.sum(),
            "event_rate": b.sum() / n,
            "woe": np.nan,
            "se": total[1],
            "ci_low": total[2],
            "ci_high": total[3],
            "pvalue": total_p,
            "iv": total[0],
        }
        table.attrs["feature"] = fb.name
        return table

    def information_table(self, *, alpha: float = 0.05) -> pd.DataFrame:
        """One row per feature: IV, SE, CI, p-value and bins, sorted by IV.

        Parameters
        ----------
        alpha : float, default=0.05
            One minus the confidence level of the intervals.

        Returns
        -------
        DataFrame
            Indexed by feature, columns ``iv``, ``se``, ``ci_low``,
            ``ci_high``, ``pvalue`` (chi-square test of no information),
            ``n_bins`` (non-empty bins) and ``kind``.
        """
        check_is_fitted(self, "bins_")
        rows = []
        for name, fb in self.bins_.items():
            res = self._iv(fb)
            n_bins = int(np.sum((np.asarray(fb.goods) + np.asarray(fb.bads)) > 0))
            if res is None:
                rows.append((name, 0.0, 0.0, 0.0, 0.0, 1.0, n_bins, fb.kind))
                continue
            low, high = res.ci(alpha)[0]
            rows.append(
                (
                    name,
                    float(np.atleast_1d(res.estimate)[0]),
                    float(np.atleast_1d(res.se)[0]),
                    float(low),
                    float(high),
                    float(np.atleast_1d(res.pvalue)[0]),
                    n_bins,
                    fb.kind,
                )
            )
        out = pd.DataFrame(
            rows,
            columns=[
                "feature",
                "iv",
                "se",
                "ci_low",
                "ci_high",
                "pvalue",
                "n_bins",
                "kind",
            ],
        ).set_index("feature")
        return out.sort_values("iv", ascending=False, kind="stable")

    # -------------------------------------------------------------- artifacts

    def _to_payload(self) -> dict[str, Any]:
        """JSON-ready fitted state: parameters, bins and column names."""
        check_is_fitted(self, "bins_")
        params = self.get_params(deep=False)
        if not (
            params["random_state"] is None or isinstance(params["random_state"], int)
        ):
            raise ValueError(
                "random_state must be an int or None to save a StumpBinner as an "
                f"artifact; got {type(params['random_state']).__name__}."
            )
        cat = params["categorical_features"]
        if cat is not None and not isinstance(cat, str):
            params["categorical_features"] = [_plain(v) for v in np.ravel(cat)]
        if params["special_values"] is not None:
            params["special_values"] = {
                str(k): [_plain(v) for v in vals]
                for k, vals in params["special_values"].items()
            }
        names = getattr(self, "feature_names_in_", None)
        return {
            "params": params,
            "bins": [fb.to_dict() for fb in self.bins_.values()],
            "n_features_in": int(self.n_features_in_),
            "feature_names_in": None if names is None else [str(c) for c in names],
            "classes": [_plain(c) for c in self.classes_],
        }

    @classmethod
    def _from_payload(cls, payload: dict[str, Any]) -> StumpBinner:
        """Rebuild a fitted binner from :meth:`_to_payload` output."""
        binner = cls(**dict(require(payload, "params", dict)))
        bins = [FeatureBins.from_dict(d) for d in require(payload, "bins", list)]
        n_features = require(payload, "n_features_in", int)
        if len(bins) != n_features:
            raise ValueError(
                f"Artifact has {len(bins)} bin definitions for {n_features} features."
            )
        names = payload.get("feature_names_in")
        if names is not None:
            if [fb.name for fb in bins] != list(names):
                raise ValueError(
                    "Artifact feature_names_in do not match the bin definitions."
                )
            binner.feature_names_in_ = np.asarray(names, dtype=object)
        binner.n_features_in_ = n_features
        binner.bins_ = {fb.name: fb for fb in bins}
        classes = require(payload, "classes", list)
        if len(classes) != 2:
            raise ValueError(f"Artifact classes must have 2 labels; got {classes}.")
        binner.classes_ = np.asarray(classes, dtype=object)
        return binner
