"""Mergeable per-feature summaries of Dask partitions for the binner.

Pass 1 of the Dask fit (see :mod:`scorecard._binning._dask`): per partition and
feature, weighted good/bad counts per distinct value (exact), of missing values
and of each special value; categories in order of first appearance. When a
numeric feature has more than ``max(EXACT_DISTINCT, max_bin)`` distinct values
the exact summary is compressed into a mergeable weighted quantile sketch of
``max(SKETCH_POINTS, 16 * max_bin)`` points (see :class:`_NumSummary`). Pass 2
counts the pre-bins of the sketched features exactly (:func:`_interval_counts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._kit.dask import map_reduce
from .._kit.validation import (
    fractional_frequency_error,
    search_weight_scale,
    warn_unsaid_kind,
)
from ._columns import _as_float, _RawColumn, _regular_mask

if TYPE_CHECKING:  # pragma: no cover
    from ._binner import StumpBinner

FloatArray = NDArray[np.float64]

#: Distinct values per numeric feature kept exactly before sketching (at least
#: ``max_bin``).
EXACT_DISTINCT = 16_384
#: Points of the compressed quantile sketch (at least ``16 * max_bin``).
SKETCH_POINTS = 4_096


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
    #: rows carried sample weights (the selection-adjusted figures need to know
    #: whether the counts are row counts: docs/methodology.md section 18)
    weighted: bool = False
    #: some weight is not a whole number (``weight_kind="frequency"`` refuses)
    fractional: bool = False

    def scaled(self, scale: float) -> _Stats:
        """The summaries with every weighted count divided by ``scale``.

        Row counts (the third column of ``totals``, ``missing`` and
        ``special``) are kept; the mass of an unweighted sketch is rows.
        """

        def sums(a: FloatArray) -> FloatArray:
            out = np.array(a, dtype=np.float64, copy=True)
            out[..., :2] /= scale
            return out

        feats = []
        for f in self.features:
            reg = f.regular
            if isinstance(reg, _NumSummary):
                reg = _NumSummary(
                    reg.values,
                    reg.mass / scale if self.weighted else reg.mass,
                    reg.goods / scale,
                    reg.bads / scale,
                    reg.exact,
                    reg.minimum,
                )
            else:
                reg = _CatSummary(reg.categories, reg.goods / scale, reg.bads / scale)
            feats.append(_FeatureStats(reg, sums(f.missing), sums(f.special)))
        return _Stats(
            feats,
            sums(self.totals),
            self.cap,
            self.points,
            self.weighted,
            self.fractional,
        )

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
        return _Stats(
            merged,
            self.totals + other.totals,
            self.cap,
            self.points,
            self.weighted or other.weighted,
            self.fractional or other.fractional,
        )


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
    fractional = weighted and not np.array_equal(wa, np.round(wa))
    return _Stats(feats, totals, cap, points, weighted, fractional)


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


def summary_weight_scale(
    binner: StumpBinner, stats: _Stats, *, weighted: bool
) -> _Stats:
    """``binner.weight_kind`` applied to pass-1 summaries; sets ``weight_scale_``.

    The distributed form of the in-memory rule (``StumpBinner.fit``): the
    summed weights and the row count are known after counting, so sampling
    weights are rescaled to sum to the row count from the sums (the later
    passes divide their weights by the same ``weight_scale_``); fractional
    frequency weights raise, and unsaid weights not summing to the row count
    warn, as in memory.
    """
    binner.weight_scale_ = 1.0
    if not weighted:
        return stats
    kind = binner.weight_kind
    if kind == "frequency" and stats.fractional:
        raise fractional_frequency_error()
    total = float(stats.totals[0] + stats.totals[1])
    n_rows = float(stats.totals[2])
    if kind is None:
        warn_unsaid_kind(total, int(n_rows), stacklevel=5)
    scale = search_weight_scale(
        total, n_rows, "frequency" if kind == "frequency" else "sampling"
    )
    binner.weight_scale_ = scale
    return stats if scale == 1.0 else stats.scaled(scale)
