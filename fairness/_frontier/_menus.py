"""Candidate binnings of every feature: the menus of the frontier's program.

For every feature the candidates are its fitted binning (the pre-bins of
:class:`scorecard.StumpBinner` or the user's binner) and the IV-optimal
merges of those bins at the bin caps (:func:`scorecard.optimal_merge`, target
only: the protected attribute enters the program through the score, not
through the binnings). A feature whose fitted binning has a single non-empty
bin on the training rows carries no information: it is reported and left out
before the optimisation (a feature that is 95% zeros is not constant: its
other 5% form a bin).
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


def _single_bin_reason(column: pd.Series, min_bin_size: float) -> str:
    """Why a feature got a single bin: constant, or its minority too small."""
    shares = column.value_counts(normalize=True, dropna=False)
    if len(shares) <= 1:
        return "a single bin: the feature is constant on the training rows"
    top = float(shares.iloc[0])
    return (
        f"a single bin: {top:.1%} of the training rows share the value "
        f"{shares.index[0]!r} and the other {1 - top:.1%} could not form a bin "
        f"of min_bin_size={min_bin_size} (not constant: lower min_bin_size or "
        "give a binner to keep it)"
    )


def _option_label(n_bins: int, cap: int | None) -> str:
    return f"{n_bins} bins" if cap is None else f"{n_bins} bins (merged, cap {cap})"


def build_menus(
    bins: dict[str, FeatureBins],
    X: pd.DataFrame,
    y: NDArray,
    caps: list[int],
    *,
    min_bin_size: float,
    monotonic_trend: Any,
) -> tuple[pd.DataFrame, dict[tuple[str, str], FeatureBins], dict[str, str]]:
    """Menu table, the candidates' bins and the skipped features with reasons.

    Candidates: the fitted binning when it has at least two non-empty bins,
    and the IV-optimal merge at every cap below its bin count (when that
    merge has two or more bins and differs from the others).
    """
    rows = []
    cand: dict[tuple[str, str], FeatureBins] = {}
    skipped: dict[str, str] = {}
    for col in X.columns:
        name = str(col)
        fine = bins.get(name, bins.get(col))
        if fine is None:
            skipped[name] = "the binner returned no bins for it"
            continue
        codes = fine.assign(X[col])
        ty = _two_class_counts(codes, y, fine.n_bins)
        used = int(np.count_nonzero(ty.sum(axis=1)))
        if used < 2:
            skipped[name] = _single_bin_reason(X[col], min_bin_size)
            continue
        fine = fine.with_counts(ty[:, 0].tolist(), ty[:, 1].tolist())
        options: dict[tuple[int, ...] | None, tuple[str, FeatureBins]] = {
            None: (_option_label(used, None), fine)
        }
        k = fine.n_regular
        totals = (float(ty[:, 0].sum()), float(ty[:, 1].sum()))
        for cap in caps:
            if k < 2 or cap >= k:
                continue
            r = optimal_merge(
                ty[:k],
                max_n_bins=cap,
                min_bin_size=min_bin_size,
                monotonic_trend=monotonic_trend,
                totals=totals,
            )
            if not r.feasible or r.cuts in options:
                continue
            merged = _merged_bins(fine, r.cuts)
            n_used = int(np.count_nonzero(merged.counts().sum(axis=1)))
            if n_used < 2 or n_used >= used:
                continue
            options[r.cuts] = (_option_label(n_used, cap), merged)
        for label, fb in options.values():
            if (name, label) in cand:
                continue
            rows.append({"feature": name, "option": label, "n_bins": fb.n_bins})
            cand[(name, label)] = fb
    if not rows:
        detail = "; ".join(f"{k}: {v}" for k, v in list(skipped.items())[:5])
        raise ValueError(
            "The candidate grid yields no bins: no feature has a binning with "
            f"two or more non-empty bins (min_bin_size={min_bin_size}, "
            f"bin_caps={caps}; {detail}). Lower min_bin_size or check the "
            "features."
        )
    if skipped:
        warnings.warn(
            "Features left out of the frontier before the optimisation: "
            + "; ".join(f"{k!r}: {v}" for k, v in skipped.items()),
            DataConditionWarning,
            stacklevel=3,
        )
    return pd.DataFrame(rows), cand, skipped
