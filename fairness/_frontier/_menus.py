"""Candidate binnings of every feature: the menus of the frontier's MIP.

For every feature a menu of candidate binnings is built from one fitted
binning: merges of its bins at several bin caps (:func:`scorecard.optimal_merge`),
fairness-aware merges maximising ``IV_y - mu IV_a`` (every ``mu`` on the upper
hull, or a grid), and the small Pareto-optimal merges found by enumeration.
Each candidate carries its IV against the target and against the protected
attribute with delta-method SEs, all from the spine
(:func:`scorecard.count_codes`, :func:`scorecard.merge_counts`,
:func:`scorecard.information_value`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import clone

from scorecard import (
    DataConditionWarning,
    FeatureBins,
    StumpBinner,
    count_codes,
    information_value,
    merge_counts,
    optimal_merge,
)

FloatArray = NDArray[np.float64]


def _merged_bins(fine: FeatureBins, cuts: Sequence[int]) -> FeatureBins:
    """The bin definition whose regular bins merge ``fine``'s between cuts."""
    goods = fine.counts()[:, 0]
    bads = fine.counts()[:, 1]
    k = fine.n_regular
    reg = merge_counts(np.column_stack([goods[:k], bads[:k]]), tuple(cuts))
    new_goods = (*reg[:, 0], *goods[k:])
    new_bads = (*reg[:, 1], *bads[k:])
    if fine.kind == "numeric":
        thresholds = tuple(fine.thresholds[c - 1] for c in cuts)
        return FeatureBins(
            name=fine.name,
            kind="numeric",
            thresholds=thresholds,
            special_values=fine.special_values,
            goods=new_goods,
            bads=new_bads,
        )
    bounds = [0, *cuts, k]
    groups = tuple(
        tuple(c for g in fine.groups[a:b] for c in g)
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    )
    return FeatureBins(
        name=fine.name,
        kind="categorical",
        groups=groups,
        other=fine.other,
        special_values=fine.special_values,
        goods=new_goods,
        bads=new_bads,
    )


def _two_class_counts(
    codes: NDArray[np.int64], labels: NDArray, n_bins: int
) -> FloatArray:
    """(n_bins, 2) counts of label 0 and label 1 per code (the count kernel)."""
    return count_codes(codes, labels.astype(np.int64), n_bins=n_bins, n_classes=2)[0]


def _iv_pair(table: FloatArray) -> tuple[float, float, int]:
    """IV and SE of a (bins, 2) table, and the number of smoothed bins."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        res = information_value(table[:, 0], table[:, 1])
    smoothed = int(np.sum(res.smoothed)) if caught else 0
    return float(res.estimate), float(res.se), smoothed


_MAX_ENUMERATED = 20_000


def _merge_ivs(cells: FloatArray) -> FloatArray:
    """IV of each merge in a ``(merges, bins, 2)`` stack of count tables.

    The spine's :func:`scorecard.information_value` on all merges at once
    (one row each), with its zero-cell smoothing; its warnings are dropped
    (a merge is only scored here, the chosen ones are warned about in the
    menu). A merge with fewer than two non-empty bins scores NaN.
    """
    out = np.full(cells.shape[0], np.nan)
    scored = ((cells.sum(axis=2) > 0).sum(axis=1) >= 2) & (cells.shape[1] >= 2)
    if scored.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            res = information_value(cells[scored, :, 0], cells[scored, :, 1])
        out[scored] = np.asarray(res.estimate, dtype=np.float64)
    return out


def _pareto_small_merges(
    ty: FloatArray,
    ta: FloatArray,
    max_bins: int,
    min_count: float,
) -> list[tuple[int, ...]]:
    """Cuts of the Pareto-optimal merges with at most ``max_bins`` bins.

    Every merge of the ``K`` ordered pre-bins into 2..``max_bins`` bins of at
    least ``min_count`` rows is scored by its target and protected IV (the
    spine's :func:`scorecard.information_value`, as in the menu), and the
    merges no other one beats on both (more IV_y for no more IV_a) are
    kept. The DP over ``mu`` only reaches the convex hull of these points;
    the enumeration also finds the Pareto points inside it (a proxy
    feature's menu would otherwise jump from almost no group information to
    a lot). Skipped (empty list) when
    the number of merges exceeds ``_MAX_ENUMERATED``.
    """
    from itertools import combinations
    from math import comb

    k = ty.shape[0]
    top = min(max_bins, k)
    if top < 2 or sum(comb(k - 1, m - 1) for m in range(2, top + 1)) > (
        _MAX_ENUMERATED
    ):
        return []
    cy = np.vstack([np.zeros((1, 2)), np.cumsum(ty, axis=0)])
    ca = np.vstack([np.zeros((1, 2)), np.cumsum(ta, axis=0)])

    def iv(cum: FloatArray, bounds: NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
        cells = cum[bounds[:, 1:]] - cum[bounds[:, :-1]]  # (merges, bins, 2)
        return _merge_ivs(cells), cells.sum(axis=2)

    points: list[tuple[float, float, tuple[int, ...]]] = []
    for m in range(2, top + 1):
        cuts = np.array(list(combinations(range(1, k), m - 1)), dtype=np.int64)
        bounds = np.column_stack(
            [np.zeros(len(cuts), np.int64), cuts, np.full(len(cuts), k)]
        )
        iv_y, sizes = iv(cy, bounds)
        iv_a, _ = iv(ca, bounds)
        ok = (sizes >= min_count).all(axis=1) & np.isfinite(iv_y) & np.isfinite(iv_a)
        points.extend(
            (float(a), float(v), tuple(int(c) for c in row))
            for a, v, row in zip(iv_a[ok], iv_y[ok], cuts[ok], strict=True)
        )
    points.sort(key=lambda t: (t[0], -t[1]))
    out, best = [], -np.inf
    for _, v, cut in points:
        if v > best + 1e-12:
            out.append(cut)
            best = v
    return out


#: Most merge DPs per feature and bin cap in the search for the hull.
_MAX_HULL_SOLVES = 60


def _hull_merges(
    counts: FloatArray, cap: int, fair: dict[str, Any]
) -> list[tuple[float, Any]]:
    """Every merge on the upper hull of (protected IV, target IV), with its mu.

    Maximising ``IV_y - mu IV_a`` over merges for all ``mu >= 0`` reaches
    exactly the merges on the upper-left convex hull of the feature's
    (IV_a, IV_y) points. The dichotomic search (Aneja and Nair, 1979) finds
    them all without a grid: between two hull merges L and R it solves with
    ``mu`` the slope of the segment LR; a merge strictly above the segment is
    a new hull vertex and both halves are searched, otherwise LR is an edge.
    """
    solves = 0

    def solve(mu: float) -> Any:
        nonlocal solves
        solves += 1
        return optimal_merge(counts, max_n_bins=cap, mu=mu, **fair)

    right = solve(0.0)  # most target information
    left = solve(1e6)  # least protected information (often a single bin)
    out: list[tuple[float, Any]] = [(0.0, right)]
    stack = [(left, right)]
    while stack and solves < _MAX_HULL_SOLVES:
        lo, hi = stack.pop()
        da = float(hi.protected_iv) - float(lo.protected_iv)
        dv = hi.iv - lo.iv
        if da <= 1e-12 or dv <= 1e-12:
            continue
        mu = dv / da
        mid = solve(mu)
        line = lo.iv - mu * float(lo.protected_iv)
        if mid.objective > line + 1e-9 * max(1.0, abs(line)) and mid.cuts not in (
            lo.cuts,
            hi.cuts,
        ):
            out.append((mu, mid))
            stack.extend([(lo, mid), (mid, hi)])
    out.append((1e6, left))
    return out


def fit_binner(
    binner: Any, min_bin_size: float, random_state: Any, X: pd.DataFrame, y: NDArray
) -> Any:
    """The fitted pre-binner: a clone of ``binner``, or a default StumpBinner."""
    if binner is None:
        binner = StumpBinner(
            min_bin_size=min_bin_size,
            monotonic_trend=None,
            random_state=random_state,
        )
    else:
        binner = clone(binner)
    binner.fit(X, y)
    bins = getattr(binner, "bins_", None)
    if not isinstance(bins, dict):
        raise TypeError(
            f"binner {type(binner).__name__} must expose a fitted bins_ dict "
            "(feature -> FeatureBins)."
        )
    return binner


def feature_options(
    ty: FloatArray,
    ta: FloatArray,
    caps: list[int],
    mus: list[float] | None,
    *,
    min_bin_size: float,
    monotonic_trend: str | None,
    pareto_bins: int | None,
) -> dict[tuple[int, ...], str]:
    """Cuts and labels of one feature's candidate merges of its regular bins."""
    tot_y = (float(ty[:, 0].sum()), float(ty[:, 1].sum()))
    tot_a = (float(ta[:, 0].sum()), float(ta[:, 1].sum()))
    common: dict[str, Any] = dict(
        min_bin_size=min_bin_size,
        monotonic_trend=monotonic_trend,
        totals=tot_y,
    )
    options: dict[tuple[int, ...], str] = {}
    for cap in caps:
        r = optimal_merge(ty, max_n_bins=cap, **common)
        if r.feasible:
            options.setdefault(r.cuts, f"iv_max_{cap}")
    fair: dict[str, Any] = dict(sensitive_counts=ta, sensitive_totals=tot_a, **common)
    for cap in caps:
        found = (
            _hull_merges(ty, cap, fair)
            if mus is None
            else [(mu, optimal_merge(ty, max_n_bins=cap, mu=mu, **fair)) for mu in mus]
        )
        for mu, r in found:
            if r.feasible and mu > 0:
                options.setdefault(r.cuts, f"fair_{cap}_mu{mu:.4g}")
    if pareto_bins and monotonic_trend is None:
        for cuts in _pareto_small_merges(
            ty, ta, int(pareto_bins), min_bin_size * sum(tot_y)
        ):
            options.setdefault(cuts, "pareto_" + "-".join(map(str, cuts)))
    return options


def _merged_counts(table: FloatArray, k: int, cuts: tuple[int, ...]) -> FloatArray:
    """Counts of the merged regular bins (the spine's merge), then the others."""
    return np.vstack([merge_counts(table[:k], cuts), table[k:]])


def build_menus(
    bins: dict[str, FeatureBins],
    X: pd.DataFrame,
    y: NDArray,
    a: NDArray,
    caps: list[int],
    mus: list[float] | None,
    *,
    min_bin_size: float,
    monotonic_trend: str | None,
    pareto_bins: int | None,
) -> tuple[pd.DataFrame, dict[tuple[str, str], FeatureBins]]:
    """The menu table (one row per candidate) and the candidates' bins."""
    settings: dict[str, Any] = dict(
        min_bin_size=min_bin_size,
        monotonic_trend=monotonic_trend,
        pareto_bins=pareto_bins,
    )
    rows = []
    cand: dict[tuple[str, str], FeatureBins] = {}
    skipped = []
    for col in X.columns:
        name = str(col)
        fine = bins.get(name, bins.get(col))
        if fine is None:
            raise ValueError(f"The binner has no bins for feature {name!r}.")
        codes = fine.assign(X[col])
        ty = _two_class_counts(codes, y, fine.n_bins)
        ta = _two_class_counts(codes, a, fine.n_bins)
        fine = fine.with_counts(ty[:, 0].tolist(), ty[:, 1].tolist())
        k = fine.n_regular
        options = (
            feature_options(ty[:k], ta[:k], caps, mus, **settings) if k >= 2 else {}
        )
        kept = 0
        for cuts, label in options.items():
            my = _merged_counts(ty, k, cuts)
            ma = _merged_counts(ta, k, cuts)
            if np.count_nonzero(my.sum(axis=1)) < 2:
                continue
            iv_y, se_y, sm_y = _iv_pair(my)
            iv_a, se_a, sm_a = _iv_pair(ma)
            rows.append(
                {
                    "feature": name,
                    "option": label,
                    "n_bins": int(np.count_nonzero(my.sum(axis=1))),
                    "iv_y": iv_y,
                    "se_y": se_y,
                    "iv_a": iv_a,
                    "se_a": se_a,
                    "smoothed_bins": sm_y + sm_a,
                }
            )
            cand[(name, label)] = _merged_bins(fine, cuts)
            kept += 1
        if kept == 0:
            skipped.append(name)
    if not rows:
        raise ValueError(
            "The candidate grid yields no bins: no feature has a candidate "
            f"binning with two or more bins (min_bin_size={min_bin_size}, "
            f"bin_caps={caps}, monotonic_trend={monotonic_trend!r}). Lower "
            "min_bin_size or relax monotonic_trend."
        )
    if skipped:
        warnings.warn(
            f"Features {skipped} yield no candidate binning with two or more "
            f"bins (min_bin_size={min_bin_size}, bin_caps={caps}); they "
            "are left out of the frontier.",
            DataConditionWarning,
            stacklevel=3,
        )
    return pd.DataFrame(rows), cand
