"""Dask paths: counts per partition, summed; binning, WoE and scores on partitions.

Every statistic of the package is a function of bin count tables, and count
tables of the partitions of a data set add up to the table of the whole data
set. So a Dask input is handled by counting every partition with the same
pandas/numpy code as the in-memory path and summing the tables in a tree
(:func:`map_reduce`); IV, PSI and their standard errors computed from the sum
equal the in-memory results (to float rounding of the weighted sums; with
unit weights the counts are exact integers).

This module never imports Dask at import time: :func:`is_dask_collection`
duck-types the Dask collection protocol (``__dask_graph__``), and Dask is
imported only once a Dask input has been given, with a clear message when it
is missing. The package works without Dask installed.

Binning (:func:`fit_binner`, behind ``StumpBinner.fit``) takes two passes
over the data for ``strategy="per_feature"``:

1. per partition and feature: weighted good/bad counts per distinct value
   (exact), of missing values and of each special value; categories in order
   of first appearance. When a numeric feature has more than
   ``max(EXACT_DISTINCT, max_bin)`` distinct values the exact summary is
   compressed into a mergeable weighted quantile sketch of
   ``max(SKETCH_POINTS, 16 * max_bin)`` points (see :class:`_NumSummary`).
2. only for features whose summary was compressed: exact good/bad counts per
   pre-bin, with pre-bin edges (quantiles) read from the merged sketch.

The summed pre-bin tables then go through exactly the same code as the
in-memory fit (pre-bins, stumps on the count table, exact merge), by feeding
it a small weighted "synthetic" column: one row per (distinct value or
pre-bin, class) weighted by its count. For features with at most
``max(EXACT_DISTINCT, max_bin)`` distinct values the result equals the
in-memory fit; above that, only the pre-bin cuts are approximate quantiles,
while all counts stay exact over all rows.
"""

from __future__ import annotations

import functools
import operator
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted, validate_data

from .._binning._bins import FeatureBins
from .._stats._counts import CountTable
from .._stats._counts import count_codes as _count_codes_np
from .exceptions import DataConditionWarning

if TYPE_CHECKING:  # pragma: no cover
    from .._binning._binner import StumpBinner
    from .._models._encoder import WoEEncoder

__all__ = [
    "is_dask_collection",
    "map_reduce",
    "count_codes",
    "count_table",
    "fit_binner",
    "woe_transform",
    "transform_bins",
    "decision_function",
    "predict_score",
]

FloatArray = NDArray[np.float64]

#: Distinct values per numeric feature kept exactly before sketching (at least
#: ``max_bin``).
EXACT_DISTINCT = 16_384
#: Points of the compressed quantile sketch (at least ``16 * max_bin``).
SKETCH_POINTS = 4_096
#: Fan-in of the tree that sums partition results.
SPLIT_EVERY = 8

INSTALL_HINT = "install the extra: pip install 'infoscore[dask]'"


# --------------------------------------------------------------------------
# detection and imports


def is_dask_collection(obj: Any) -> bool:
    """Whether ``obj`` is a Dask collection, without importing Dask.

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    bool
        True for objects that implement the Dask collection protocol (a
        ``__dask_graph__`` method): Dask DataFrames, Series and Arrays.

    Examples
    --------
    >>> import numpy as np
    >>> is_dask_collection(np.zeros(3))
    False
    """
    return callable(getattr(type(obj), "__dask_graph__", None))


def _dask(what: str) -> Any:
    """Import ``dask.dataframe``; ImportError with the install hint if absent."""
    try:
        import dask  # noqa: F401
        import dask.dataframe as dd
    except ImportError as exc:
        raise ImportError(
            f"{what} got a Dask collection, but Dask (with dask.dataframe) is not "
            f"available: {exc}. To use Dask inputs, {INSTALL_HINT}."
        ) from exc
    return dd


def as_frame(X: Any, what: str) -> Any:
    """A Dask DataFrame from a Dask DataFrame, Series or 2-D Array."""
    dd = _dask(what)
    if isinstance(X, dd.DataFrame):
        return X
    if isinstance(X, dd.Series):
        return X.to_frame()
    if is_dask_collection(X) and getattr(X, "ndim", None) == 2:
        # Integer column names, as a numpy array has no feature names.
        return dd.from_dask_array(X, columns=list(range(X.shape[1])))
    raise TypeError(
        f"{what}: X must be a Dask DataFrame (or a 2-D Dask Array) when Dask "
        f"inputs are used; got {type(X).__name__}."
    )


def as_series(v: Any, name: str, what: str) -> Any:
    """A Dask Series (or None) for a per-row argument of a Dask input."""
    if v is None:
        return None
    dd = _dask(what)
    if isinstance(v, dd.Series):
        return v
    if isinstance(v, dd.DataFrame) and len(v.columns) == 1:
        return v[v.columns[0]]
    if is_dask_collection(v) and getattr(v, "ndim", None) == 1:
        return dd.from_dask_array(v)
    raise TypeError(
        f"{what}: {name} must be a Dask Series partitioned like X when X is a Dask "
        f"collection (e.g. ddf['target']); got {type(v).__name__}."
    )


def meta_frame(X: Any) -> pd.DataFrame:
    """The empty pandas frame describing a Dask DataFrame's columns."""
    return X._meta


# --------------------------------------------------------------------------
# map and tree-sum


def _boxed(*parts: Any, _func: Callable[..., Any], _kwargs: dict[str, Any]) -> Any:
    """Run ``_func`` on one partition; box the result in a 1-element Series."""
    return pd.Series([_func(*parts, **_kwargs)], dtype=object)


def _unbox(item: Any) -> Any:
    return item.iloc[0] if isinstance(item, pd.Series) else item


def _combine(combine: Callable[[Any, Any], Any], *items: Any) -> Any:
    return functools.reduce(combine, [_unbox(i) for i in items])


def map_reduce(
    func: Callable[..., Any],
    *frames: Any,
    combine: Callable[[Any, Any], Any] = operator.add,
    split_every: int = SPLIT_EVERY,
    **kwargs: Any,
) -> Any:
    """Apply ``func`` to every partition and combine the results in a tree.

    Parameters
    ----------
    func : callable
        ``func(*partitions, **kwargs)`` on pandas partitions; ``None``
        arguments are passed through.
    *frames : Dask DataFrame or Series, or None
        Collections partitioned alike (aligned by Dask).
    combine : callable, default=operator.add
        Associative merge of two results, applied in partition order (so
        order-dependent summaries stay deterministic).
    split_every : int, default=8
        Fan-in of the reduction tree.
    **kwargs
        Passed to ``func``.

    Returns
    -------
    object
        The combined result, computed on the current Dask scheduler (the
        default ``distributed.Client`` when one is active).
    """
    dd = _dask("map_reduce")
    import dask

    out = dd.map_partitions(
        _boxed,
        *frames,
        _func=func,
        _kwargs=kwargs,
        meta=pd.Series([], dtype=object),
        enforce_metadata=False,
    )
    level = list(out.to_delayed())
    combine_task = dask.delayed(_combine, pure=True)
    if len(level) == 1:
        level = [combine_task(combine, level[0])]
    while len(level) > 1:
        level = [
            combine_task(combine, *level[i : i + split_every])
            for i in range(0, len(level), split_every)
        ]
    return level[0].compute()


# --------------------------------------------------------------------------
# the count kernel on partitions


def _count_part(
    codes: Any,
    labels: Any,
    weight: Any,
    *,
    n_bins: int,
    n_classes: int,
) -> FloatArray:
    c = np.asarray(codes)
    lab = np.asarray(labels).ravel()
    if lab.size != c.shape[0]:
        raise ValueError(
            f"labels have {lab.size} rows in a partition where codes have "
            f"{c.shape[0]}; partition them alike."
        )
    return _count_codes_np(
        c,
        lab,
        n_bins=n_bins,
        n_classes=n_classes,
        sample_weight=None if weight is None else np.asarray(weight),
    )


def count_codes(
    codes: Any,
    labels: Any,
    *,
    n_bins: int,
    n_classes: int,
    sample_weight: Any = None,
) -> FloatArray:
    """:func:`scorecard._stats._counts.count_codes` on Dask collections, summed.

    Parameters
    ----------
    codes : Dask Array (1-D or 2-D), Dask DataFrame or Series of int
        Bin index of each row.
    labels : Dask Array or Series of int
        Class index of each row (same rows as ``codes``).
    n_bins, n_classes : int
        As in :func:`scorecard._stats._counts.count_codes`.
    sample_weight : Dask Array or Series, default=None
        Row weights.

    Returns
    -------
    ndarray of shape (n_features, n_bins, n_classes)
        The sum of the partition counts, equal to the in-memory counts.
    """
    if not is_dask_collection(codes):
        return _count_codes_np(
            codes,
            labels,
            n_bins=n_bins,
            n_classes=n_classes,
            sample_weight=sample_weight,
        )
    dd = _dask("count_codes")
    if isinstance(codes, dd.DataFrame | dd.Series):
        lab = as_series(labels, "labels", "count_codes")
        w = as_series(sample_weight, "sample_weight", "count_codes")
        return map_reduce(
            _count_part, codes, lab, w, n_bins=n_bins, n_classes=n_classes
        )
    import dask
    import dask.array as da

    arr = codes if codes.ndim == 2 else codes[:, None]
    arr = arr.rechunk({1: -1})
    rows = arr.chunks[0]
    lab_arr = da.asarray(labels).rechunk((rows,))
    blocks = arr.to_delayed().ravel()
    lab_blocks = lab_arr.to_delayed().ravel()
    if sample_weight is None:
        w_blocks: list[Any] = [None] * len(blocks)
    else:
        w_blocks = list(da.asarray(sample_weight).rechunk((rows,)).to_delayed().ravel())
    task = dask.delayed(_count_part, pure=True)
    parts = [
        task(b, lab, w, n_bins=n_bins, n_classes=n_classes)
        for b, lab, w in zip(blocks, lab_blocks, w_blocks, strict=True)
    ]
    total = dask.delayed(sum, pure=True)(parts)
    return np.asarray(total.compute(), dtype=np.float64)


def _table_part(
    part: pd.DataFrame,
    y: pd.Series | None,
    w: pd.Series | None,
    *,
    bins: list[FeatureBins],
    classes: tuple[Any, ...],
) -> CountTable:
    n_bins = max(fb.n_bins for fb in bins)
    if y is None:
        labels = np.zeros(len(part), dtype=np.int64)
    else:
        if len(y) != len(part):
            raise ValueError(
                f"y has {len(y)} rows in a partition where X has {len(part)}; "
                "partition them alike."
            )
        labels = pd.Index(classes).get_indexer(y)
        if np.any(labels < 0):
            bad = pd.unique(y[labels < 0])[:5]
            raise ValueError(
                f"y has values {list(bad)} outside classes {list(classes)}."
            )
    counts = np.zeros((len(bins), n_bins, len(classes)))
    for j, fb in enumerate(bins):
        codes = fb.assign(part[fb.name])
        counts[j] = _count_codes_np(
            codes,
            labels,
            n_bins=n_bins,
            n_classes=len(classes),
            sample_weight=None if w is None else w.to_numpy(dtype=np.float64),
        )[0]
    return CountTable(
        counts=counts, classes=classes, features=tuple(fb.name for fb in bins)
    )


def count_table(
    bins: Mapping[str, FeatureBins] | Sequence[FeatureBins],
    X: Any,
    y: Any = None,
    *,
    classes: Sequence[Any] = (0, 1),
    sample_weight: Any = None,
) -> CountTable:
    """Count the rows of ``X`` per bin of each feature (pandas or Dask input).

    Parameters
    ----------
    bins : mapping of str to FeatureBins, or sequence of FeatureBins
        Bin definitions, e.g. ``StumpBinner.bins_``; features are looked up
        by name in ``X``.
    X : DataFrame or Dask DataFrame
        Raw feature values.
    y : Series or Dask Series, default=None
        Class label of each row (values in ``classes``); ``None`` counts all
        rows in one class ``"rows"``.
    classes : sequence, default=(0, 1)
        Class labels, in column order.
    sample_weight : Series or Dask Series, default=None
        Float row weights.

    Returns
    -------
    CountTable
        One row per feature, padded to the largest number of bins. For a
        Dask input the partition tables are summed, so the result equals the
        in-memory one.

    Examples
    --------
    >>> import pandas as pd
    >>> fb = FeatureBins(name="a", kind="numeric", thresholds=(1.0,),
    ...                  goods=(0, 0, 0), bads=(0, 0, 0))
    >>> X = pd.DataFrame({"a": [0.5, 1.5, 2.0, None]})
    >>> count_table([fb], X, pd.Series([0, 1, 0, 1])).counts[0]
    array([[1., 0.],
           [1., 1.],
           [0., 1.]])
    """
    fbs = list(bins.values()) if isinstance(bins, Mapping) else list(bins)
    if not fbs or not all(isinstance(fb, FeatureBins) for fb in fbs):
        raise TypeError("bins must be a non-empty collection of FeatureBins.")
    cls = ("rows",) if y is None else tuple(classes)
    if is_dask_collection(X) or is_dask_collection(y):
        frame = as_frame(X, "count_table")
        missing = [fb.name for fb in fbs if fb.name not in meta_frame(frame).columns]
        if missing:
            raise ValueError(f"X is missing the binned feature(s) {missing}.")
        return map_reduce(
            _table_part,
            frame[[fb.name for fb in fbs]],
            as_series(y, "y", "count_table"),
            as_series(sample_weight, "sample_weight", "count_table"),
            bins=fbs,
            classes=cls,
        )
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"X must be a pandas or Dask DataFrame; got {type(X).__name__}."
        )
    missing = [fb.name for fb in fbs if fb.name not in X.columns]
    if missing:
        raise ValueError(f"X is missing the binned feature(s) {missing}.")
    y_s = None if y is None else pd.Series(np.asarray(y), index=X.index)
    w_s = None if sample_weight is None else pd.Series(np.asarray(sample_weight))
    return _table_part(X, y_s, w_s, bins=fbs, classes=cls)


# --------------------------------------------------------------------------
# mergeable per-feature summaries for binning


def _wsum(codes: NDArray[np.int64], weights: FloatArray, k: int) -> FloatArray:
    """Weighted counts per code (float64)."""
    return np.bincount(codes, weights=weights, minlength=k).astype(np.float64)


def _compress(
    values: FloatArray, mass: FloatArray, points: int
) -> tuple[FloatArray, FloatArray]:
    """Weighted quantile sketch of ``points`` buckets of (about) equal mass.

    ``values`` are sorted and distinct. Consecutive values are grouped into
    buckets by the midpoint of their mass; a bucket is represented by its
    weighted median (an actual data value) carrying the bucket's mass. A
    quantile read from the result is off by at most one bucket's mass
    (``total / points``, or one heavy value's own mass) in rank; merging two
    sketches and compressing again adds at most one such error, so after a
    tree of depth ``d`` the rank error is at most ``d * total / points``.
    """
    if values.size <= points:
        return values, mass
    cum = np.cumsum(mass)
    total = cum[-1]
    if total <= 0:
        idx = np.linspace(0, values.size - 1, points).astype(np.int64)
        return values[np.unique(idx)], np.zeros(np.unique(idx).size)
    bucket = np.minimum(
        ((cum - mass / 2) / total * points).astype(np.int64), points - 1
    )
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    group_mass = np.add.reduceat(mass, starts)
    before = np.r_[0.0, cum][starts]
    pick = np.searchsorted(cum, before + group_mass / 2, side="left")
    ends = np.r_[starts[1:], values.size] - 1
    pick = np.clip(pick, starts, ends)
    return values[pick], group_mass


@dataclass
class _NumSummary:
    """Regular values of a numeric feature: exact per value, or a sketch."""

    values: FloatArray  # sorted distinct values, or sketch points
    mass: FloatArray  # rows (unweighted) or weight per value / point
    goods: FloatArray  # exact only: weighted goods per value
    bads: FloatArray  # exact only: weighted bads per value
    exact: bool
    minimum: float

    @classmethod
    def build(
        cls,
        x: FloatArray,
        y: FloatArray,
        w: FloatArray,
        weighted: bool,
        cap: int,
        points: int,
    ) -> _NumSummary:
        values, inverse = np.unique(x, return_inverse=True)
        k = values.size
        goods = _wsum(inverse, w * (1 - y), k)
        bads = _wsum(inverse, w * y, k)
        rows = np.bincount(inverse, minlength=k).astype(np.float64)
        out = cls(
            values=values,
            mass=goods + bads if weighted else rows,
            goods=goods,
            bads=bads,
            exact=True,
            minimum=float(values[0]) if k else np.inf,
        )
        return out._fit_to(cap, points)

    def _fit_to(self, cap: int, points: int) -> _NumSummary:
        if self.exact and self.values.size <= cap:
            return self
        values, mass = _compress(self.values, self.mass, points)
        empty = np.zeros(0)
        return _NumSummary(values, mass, empty, empty, False, self.minimum)

    def merge(self, other: _NumSummary, cap: int, points: int) -> _NumSummary:
        values = np.union1d(self.values, other.values)
        k = values.size
        ia = np.searchsorted(values, self.values)
        ib = np.searchsorted(values, other.values)

        def both(a: FloatArray, b: FloatArray) -> FloatArray:
            return _wsum(ia, a, k) + _wsum(ib, b, k)

        mass = both(self.mass, other.mass)
        minimum = min(self.minimum, other.minimum)
        if self.exact and other.exact:
            goods, bads = both(self.goods, other.goods), both(self.bads, other.bads)
            out = _NumSummary(values, mass, goods, bads, True, minimum)
        else:
            out = _NumSummary(values, mass, np.zeros(0), np.zeros(0), False, minimum)
        return out._fit_to(cap, points)


@dataclass
class _CatSummary:
    """Categories in order of first appearance with weighted goods and bads."""

    categories: pd.Index
    goods: FloatArray
    bads: FloatArray

    def merge(self, other: _CatSummary) -> _CatSummary:
        new = other.categories.difference(self.categories, sort=False)
        cats = self.categories.append(other.categories[other.categories.isin(new)])
        goods = np.zeros(len(cats))
        bads = np.zeros(len(cats))
        goods[: len(self.categories)] = self.goods
        bads[: len(self.categories)] = self.bads
        pos = cats.get_indexer(other.categories)
        goods += _wsum(pos, other.goods, len(cats))
        bads += _wsum(pos, other.bads, len(cats))
        return _CatSummary(cats, goods, bads)


@dataclass
class _FeatureStats:
    """Summary of one feature over some partitions (mergeable)."""

    regular: _NumSummary | _CatSummary
    missing: FloatArray  # goods, bads, rows
    special: FloatArray  # (n_special, 3)


@dataclass
class _Stats:
    """Pass-1 summaries of all features (merge with ``+``, in order)."""

    features: list[_FeatureStats]
    totals: FloatArray  # goods, bads, rows
    cap: int
    points: int

    def __add__(self, other: _Stats) -> _Stats:
        merged = []
        for a, b in zip(self.features, other.features, strict=True):
            if isinstance(a.regular, _NumSummary):
                assert isinstance(b.regular, _NumSummary)
                reg: _NumSummary | _CatSummary = a.regular.merge(
                    b.regular, self.cap, self.points
                )
            else:
                assert isinstance(b.regular, _CatSummary)
                reg = a.regular.merge(b.regular)
            merged.append(
                _FeatureStats(reg, a.missing + b.missing, a.special + b.special)
            )
        return _Stats(merged, self.totals + other.totals, self.cap, self.points)


def _sums(mask: NDArray[np.bool_], w: FloatArray, y: FloatArray) -> FloatArray:
    wm = w[mask]
    bads = float(np.dot(wm, y[mask]))
    return np.array([float(wm.sum()) - bads, bads, float(mask.sum())])


def _target_weight(
    y: pd.Series, w: pd.Series | None, n: int, bad: Any
) -> tuple[FloatArray, FloatArray]:
    if len(y) != n:
        raise ValueError(
            f"y has {len(y)} rows in a partition where X has {n}; partition "
            "them alike (e.g. X = ddf[features], y = ddf[target])."
        )
    y01 = (y.to_numpy() == bad).astype(np.float64)
    if w is None:
        return y01, np.ones(n)
    if len(w) != n:
        raise ValueError(
            f"sample_weight has {len(w)} rows in a partition where X has {n}; "
            "partition them alike."
        )
    wa = pd.to_numeric(w, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
    if not np.all(np.isfinite(wa)) or np.any(wa < 0):
        raise ValueError(
            "sample_weight must be finite and non-negative; got NaN, infinite or "
            "negative values."
        )
    return y01, wa


def _stats_part(
    part: pd.DataFrame,
    y: pd.Series,
    w: pd.Series | None,
    *,
    names: list[str],
    kinds: list[str],
    specials: dict[str, tuple[Any, ...]],
    bad: Any,
    cap: int,
    points: int,
) -> _Stats:
    from .._binning._binner import _RawColumn, _regular_mask

    n = len(part)
    y01, wa = _target_weight(y, w, n, bad)
    weighted = w is not None
    feats = []
    for j, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        col = _RawColumn(name, kind, part.iloc[:, j]).convert()  # type: ignore[arg-type]
        spec = specials.get(name, ())
        missing, special_idx = _regular_mask(col, spec)
        regular = ~missing & (special_idx < 0)
        special = np.array(
            [_sums(special_idx == i, wa, y01) for i in range(len(spec))]
        ).reshape(len(spec), 3)
        yr, wr = y01[regular], wa[regular]
        reg: _NumSummary | _CatSummary
        if kind == "numeric":
            reg = _NumSummary.build(col.values[regular], yr, wr, weighted, cap, points)
        else:
            codes, uniques = pd.factorize(col.values[regular], sort=False)
            k = len(uniques)
            reg = _CatSummary(
                pd.Index(uniques, dtype=object),
                _wsum(codes, wr * (1 - yr), k),
                _wsum(codes, wr * yr, k),
            )
        feats.append(_FeatureStats(reg, _sums(missing, wa, y01), special))
    totals = _sums(np.ones(n, dtype=bool), wa, y01)
    return _Stats(feats, totals, cap, points)


def _prebin_part(
    part: pd.DataFrame,
    y: pd.Series,
    w: pd.Series | None,
    *,
    names: list[str],
    edges: list[FloatArray],
    specials: dict[str, tuple[Any, ...]],
    bad: Any,
) -> list[FloatArray]:
    """Exact (goods, bads) per pre-bin ``searchsorted(edges, x, 'right')``."""
    from .._binning._binner import _as_float

    y01, wa = _target_weight(y, w, len(part), bad)
    out = []
    for name, e in zip(names, edges, strict=True):
        x = _as_float(part[name], name)
        regular = ~np.isnan(x)
        for s in specials.get(name, ()):
            regular &= x != s
        codes = np.searchsorted(e, x[regular], side="right")
        wr, yr = wa[regular], y01[regular]
        k = e.size + 1
        out.append(
            np.column_stack(
                [
                    _wsum(codes, wr * (1 - yr), k),
                    _wsum(codes, wr * yr, k),
                ]
            )
        )
    return out


def _add_lists(a: list[FloatArray], b: list[FloatArray]) -> list[FloatArray]:
    return [x + y for x, y in zip(a, b, strict=True)]


def _labels_part(y: pd.Series) -> tuple[NDArray[Any], int]:
    return np.asarray(pd.unique(y.dropna()), dtype=object), int(y.isna().sum())


def _merge_labels(
    a: tuple[NDArray[Any], int], b: tuple[NDArray[Any], int]
) -> tuple[NDArray[Any], int]:
    both = np.concatenate([a[0], b[0]])
    return np.asarray(pd.unique(both), dtype=object), a[1] + b[1]


# --------------------------------------------------------------------------
# StumpBinner.fit on Dask


def _synthetic(
    kind: str,
    stats: _FeatureStats,
    specials: tuple[Any, ...],
    regular_values: Any,
    regular_counts: FloatArray,
) -> tuple[Any, FloatArray, FloatArray]:
    """Weighted rows (value, class) whose in-memory fit equals the full data's.

    ``regular_values[i]`` stands for all rows of one distinct value (exact
    summary, categories) or one pre-bin (sketched feature);
    ``regular_counts[i]`` holds their weighted goods and bads. The fit code
    sorts, factorizes and cuts these rows exactly as the raw rows (see the
    module notes). Special values and the missing value get rows only when
    they occur.
    """
    k = len(regular_values)
    seen = [i for i in range(len(specials)) if stats.special[i, 2] > 0]
    extra: list[Any] = [specials[i] for i in seen]
    extra_w = [stats.special[i, :2] for i in seen]
    if stats.missing[2] > 0:
        extra.append(None)
        extra_w.append(stats.missing[:2])
    y = np.tile([0.0, 1.0], k + len(extra))
    w = np.concatenate(
        [np.asarray(regular_counts, dtype=np.float64).reshape(-1), *extra_w]
    )
    if kind == "numeric":
        tail = np.array(
            [np.nan if v is None else float(v) for v in extra], dtype=np.float64
        )
        values: Any = np.repeat(
            np.r_[np.asarray(regular_values, dtype=np.float64), tail], 2
        )
    else:
        values = pd.Series(
            np.repeat(np.asarray([*regular_values, *extra], dtype=object), 2),
            dtype=object,
        )
    return values, y, w


def _check_columns(binner: Any, X: Any) -> tuple[list[str], list[str]]:
    meta = meta_frame(X)
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
    """``StumpBinner.fit`` on a Dask DataFrame (see the module notes).

    Parameters
    ----------
    binner : StumpBinner
        The estimator to fit (its parameters are validated here).
    X : Dask DataFrame or 2-D Dask Array
        Features.
    y : Dask Series
        Binary target, partitioned like ``X``.
    sample_weight : Dask Series, default=None
        Row weights, partitioned like ``X``.

    Returns
    -------
    StumpBinner
        ``binner``, fitted.
    """
    from .._binning._binner import _check_target

    binner._validate_params()
    for attr in ("bins_", "classes_"):
        if hasattr(binner, attr):
            delattr(binner, attr)
    if y is None:
        raise ValueError("StumpBinner requires y to be passed, but y is None.")
    X = as_frame(X, "StumpBinner.fit")
    y_s = as_series(y, "y", "StumpBinner.fit")
    w_s = as_series(sample_weight, "sample_weight", "StumpBinner.fit")
    names, kinds = _check_columns(binner, X)
    columns = list(meta_frame(X).columns)
    if [str(c) for c in columns] != names:
        X = X.rename(columns=dict(zip(columns, names, strict=True)))
    from .._binning._binner import _RawColumn

    cols = [_RawColumn(n, k, np.zeros(0)) for n, k in zip(names, kinds, strict=True)]  # type: ignore[arg-type]
    specials = binner._specials(cols)
    # Pass 0: the labels (only y is read).
    uniques, n_nan = map_reduce(_labels_part, y_s, combine=_merge_labels)
    if len(uniques) + n_nan == 0:
        raise ValueError("Found 0 sample(s) in y while a minimum of 1 is required.")
    shown = np.concatenate([uniques, [np.nan] * min(n_nan, 1)])
    _, classes = _check_target(pd.Series(shown, dtype=object), len(shown))
    cap = max(EXACT_DISTINCT, binner.max_bin)
    points = max(SKETCH_POINTS, 16 * binner.max_bin)
    # Pass 1: exact per-value (or sketched) class counts of every feature.
    stats: _Stats = map_reduce(
        _stats_part,
        X,
        y_s,
        w_s,
        names=names,
        kinds=kinds,
        specials=specials,
        bad=classes[1],
        cap=cap,
        points=points,
    )
    n_rows = int(stats.totals[2])
    n_g, n_b = float(stats.totals[0]), float(stats.totals[1])
    if n_b <= 0 or n_g <= 0:
        raise ValueError(
            "y must contain both classes 0 and 1 with positive weight; one "
            "class has zero total weight."
        )
    if binner.min_bin_size > 0 and n_rows * binner.min_bin_size < 1:
        warnings.warn(
            f"min_bin_size={binner.min_bin_size} of {n_rows} rows is less than "
            "one row, so the size floor has no effect; use at least "
            f"{int(np.ceil(1 / binner.min_bin_size))} rows or a larger "
            "min_bin_size.",
            DataConditionWarning,
            stacklevel=3,
        )
    # The synthetic rows carry counts as weights (module notes).
    params = binner._fit_params(specials=specials, weighted=True)
    if binner.strategy == "per_feature":
        fitted = _fit_per_feature(X, y_s, w_s, names, kinds, stats, params, classes)
    else:
        fitted = _fit_joint(binner, X, y_s, w_s, names, kinds, stats, params, classes)
    binner._store_bins(names, fitted, classes, stacklevel=4)
    return binner


def _sketched_edges(summary: _NumSummary, max_bin: int) -> FloatArray:
    """Quantile pre-bin edges of a sketched feature, as the in-memory rule."""
    from .._binning._binner import _numeric_prebins

    edges, _ = _numeric_prebins(
        summary.values, summary.mass, np.zeros(summary.values.size), max_bin, True
    )
    return edges


def _fit_per_feature(
    X: Any,
    y_s: Any,
    w_s: Any,
    names: list[str],
    kinds: list[str],
    stats: _Stats,
    params: dict[str, Any],
    classes: tuple[Any, Any],
) -> list[tuple[FeatureBins, bool]]:
    from .._binning._binner import _fit_one_per_feature, _RawColumn

    sketched = [
        j
        for j, f in enumerate(stats.features)
        if isinstance(f.regular, _NumSummary) and not f.regular.exact
    ]
    edges = {
        j: _sketched_edges(stats.features[j].regular, params["max_bin"])  # type: ignore[arg-type]
        for j in sketched
    }
    # Pass 2: exact counts per pre-bin of the sketched features.
    prebins = _interval_counts(
        X, y_s, w_s, names, edges, specials=params["specials"], bad=classes[1]
    )
    out = []
    for j, (name, kind, fstats) in enumerate(
        zip(names, kinds, stats.features, strict=True)
    ):
        reg = fstats.regular
        if isinstance(reg, _CatSummary):
            values: Any = list(reg.categories)
            counts = np.column_stack([reg.goods, reg.bads])
        elif reg.exact:
            values = reg.values
            counts = np.column_stack([reg.goods, reg.bads])
        else:
            values = np.r_[reg.minimum, edges[j]]
            counts = prebins[j]
        x, y, w = _synthetic(
            kind, fstats, params["specials"].get(name, ()), values, counts
        )
        out.append(_fit_one_per_feature(_RawColumn(name, kind, x), y, w, params))  # type: ignore[arg-type]
    return out


def _joint_matrix_part(
    part: pd.DataFrame,
    y: pd.Series,
    w: pd.Series | None,
    *,
    names: list[str],
    kinds: list[str],
    units: list[dict[Any, int]],
    specials: dict[str, tuple[Any, ...]],
    bad: Any,
) -> pd.DataFrame:
    """Float32 matrix of one partition as the in-memory joint fit builds it."""
    from .._binning._binner import _RawColumn, _regular_mask

    y01, wa = _target_weight(y, w, len(part), bad)
    data: dict[str, Any] = {}
    for j, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        col = _RawColumn(name, kind, part[name]).convert()  # type: ignore[arg-type]
        missing, special_idx = _regular_mask(col, specials.get(name, ()))
        regular = ~missing & (special_idx < 0)
        column = np.full(len(part), np.nan, dtype=np.float32)
        if kind == "numeric":
            column[regular] = col.values[regular]
        else:
            rank = pd.Series(units[j]).reindex(col.values[regular].astype(object))
            column[regular] = rank.to_numpy(dtype=np.float64)
        data[f"f{j}"] = column
    data["__label__"] = y01
    data["__weight__"] = wa
    return pd.DataFrame(data, index=part.index)


def _fit_joint(
    binner: StumpBinner,
    X: Any,
    y_s: Any,
    w_s: Any,
    names: list[str],
    kinds: list[str],
    stats: _Stats,
    params: dict[str, Any],
    classes: tuple[Any, Any],
) -> list[tuple[FeatureBins, bool]]:
    """One ``xgboost.dask`` model over all features, then exact counts."""
    try:
        import xgboost.dask as dxgb
        from distributed import get_client
    except ImportError as exc:  # pragma: no cover - part of the dask extra
        raise ImportError(
            f"strategy='joint' on Dask input needs xgboost.dask and distributed; "
            f"{INSTALL_HINT}."
        ) from exc
    from .._binning._binner import (
        _booster_thresholds,
        _finish_joint,
        _joint_xgb_params,
        _prepare,
        _RawColumn,
    )

    try:
        client = get_client()
    except ValueError as exc:
        raise ValueError(
            "StumpBinner(strategy='joint') on Dask input trains with xgboost.dask "
            "and needs a distributed Client (e.g. distributed.Client("
            "distributed.LocalCluster())); no client is running."
        ) from exc
    preps = []
    for name, kind, fstats in zip(names, kinds, stats.features, strict=True):
        reg = fstats.regular
        if isinstance(reg, _CatSummary):
            values: Any = list(reg.categories)
            counts = np.column_stack([reg.goods, reg.bads])
        else:
            # Pre-bins of numeric features are replaced by the model's
            # thresholds below; only specials, missing and totals are kept.
            values = reg.values
            counts = (
                np.column_stack([reg.goods, reg.bads])
                if reg.exact
                else np.column_stack([reg.mass, np.zeros(reg.mass.size)])
            )
        x, y, w = _synthetic(
            kind, fstats, params["specials"].get(name, ()), values, counts
        )
        prep, _, _ = _prepare(
            _RawColumn(name, kind, x).convert(),  # type: ignore[arg-type]
            y,
            w,
            specials=params["specials"].get(name, ()),
            max_bin=params["max_bin"],
            min_category_size=params["min_category_size"],
            weighted=True,
        )
        prep = replace(prep, totals=(float(stats.totals[0]), float(stats.totals[1])))
        preps.append(prep)
    units = [
        {c: r for r, unit in enumerate(p.units or []) for c in unit} for p in preps
    ]
    matrix = X.map_partitions(
        _joint_matrix_part,
        y_s,
        w_s,
        names=names,
        kinds=kinds,
        units=units,
        specials=params["specials"],
        bad=classes[1],
        meta=pd.DataFrame(
            {
                **{f"f{j}": np.zeros(0, np.float32) for j in range(len(names))},
                "__label__": np.zeros(0),
                "__weight__": np.zeros(0),
            }
        ),
    )
    n_jobs = 1 if binner.n_jobs is None else binner.n_jobs
    dtrain = dxgb.DaskDMatrix(
        client,
        matrix[[f"f{j}" for j in range(len(names))]],
        matrix["__label__"],
        weight=matrix["__weight__"],
    )
    n_g, n_b = float(stats.totals[0]), float(stats.totals[1])
    booster = dxgb.train(
        client,
        _joint_xgb_params(params, n_g, n_b, n_jobs),
        dtrain,
        num_boost_round=params["n_rounds"],
    )["booster"]
    thresholds = _booster_thresholds(booster)
    t_all = [
        np.unique(np.asarray(thresholds.get(j, []), dtype=np.float64))
        for j in range(len(names))
    ]
    # Exact counts per stump bin of the numeric features (one more pass).
    stump_counts = _interval_counts(
        X,
        y_s,
        w_s,
        names,
        {j: t_all[j] for j, k in enumerate(kinds) if k == "numeric"},
        specials=params["specials"],
        bad=classes[1],
    )
    out = []
    for j, prep in enumerate(preps):
        fb = _finish_joint(prep, t_all[j], stump_counts.get(j), params)
        out.append((fb, prep.constant))
    return out


# --------------------------------------------------------------------------
# WoE transform and scores on partitions (lazy: Dask collections out)


def _interval_counts(
    X: Any,
    y_s: Any,
    w_s: Any,
    names: list[str],
    edges: dict[int, FloatArray],
    *,
    specials: dict[str, tuple[Any, ...]],
    bad: Any,
) -> dict[int, FloatArray]:
    """Exact (good, bad) counts per interval of the features ``edges`` names.

    One pass over the partitions; ``edges[j]`` are the cut points of feature
    ``j`` (pre-bin edges of a sketched feature, or a joint model's thresholds).
    """
    if not edges:
        return {}
    cols = list(edges)
    sums = map_reduce(
        _prebin_part,
        X[[names[j] for j in cols]],
        y_s,
        w_s,
        combine=_add_lists,
        names=[names[j] for j in cols],
        edges=[edges[j] for j in cols],
        specials=specials,
        bad=bad,
    )
    return dict(zip(cols, sums, strict=True))


def frame_and_meta(X: Any, what: str) -> tuple[Any, pd.DataFrame]:
    """A Dask DataFrame of ``X`` and its empty pandas meta (names and dtypes)."""
    frame = as_frame(X, what)
    return frame, meta_frame(frame)


def _woe_part(
    part: pd.DataFrame,
    *,
    bins: list[FeatureBins],
    tables: list[FloatArray],
    out_names: list[str],
) -> pd.DataFrame:
    from .._binning._binner import _RawColumn

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


def _card_columns(card: Any, X: Any) -> tuple[Any, list[str]]:
    """Dask frame with the model's columns (checked once, on the metadata)."""
    from .validation import check_model_columns

    check_is_fitted(card, "bin_margins_")
    names = [str(n) for n in card.bins_]
    X = as_frame(X, f"{type(card).__name__}")
    columns = [str(c) for c in meta_frame(X).columns]
    check_model_columns(names, columns, stacklevel=5)
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
    frame, names = _card_columns(card, X)
    meta = pd.Series(np.zeros(0), name="score")
    return frame.map_partitions(
        _score_part, card=card, names=names, kind="score", meta=meta
    )


def decision_function(card: Any, X: Any) -> Any:
    """Bad log-odds of a Dask DataFrame: a lazy float64 Dask Series."""
    frame, names = _card_columns(card, X)
    meta = pd.Series(np.zeros(0), name="margin")
    return frame.map_partitions(
        _score_part, card=card, names=names, kind="margin", meta=meta
    )
