"""Candidate cuts: XGBoost depth-1 stumps, size-floor cuts, and the final merge.

:func:`stump_cuts` fits boosted stumps on a feature's pre-bin count table;
:func:`size_floor_cuts` adds the depth-1 cuts that are best given the size
floor; :func:`_finish` merges the candidate bins with the exact dynamic program
of :mod:`scorecard._binning._merge` into a :class:`FeatureBins`. The joint
strategy's pieces (one XGBoost model over all features) live here too, for the
in-memory and the Dask fits. XGBoost is imported on first use.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._bins import FeatureBins
from ._columns import _prepare, _Prepared, _RawColumn, class_counts
from ._merge import merge_counts, merge_objective, optimal_merge

if TYPE_CHECKING:  # pragma: no cover
    import xgboost as xgb

FloatArray = NDArray[np.float64]


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
    import xgboost as xgb

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
    return size_floor_cuts_many([np.asarray(counts, dtype=np.float64)], [floor])[0]


def size_floor_cuts_many(
    tables: list[FloatArray], floors: list[float]
) -> list[NDArray[np.int64]]:
    """:func:`size_floor_cuts` of many tables at once (one loop per depth).

    Segments are independent, so all segments of all tables at one depth of
    the recursion are cut together; sums over a segment are differences of
    one running sum. Used by the fit and by the permutation test alike.
    """
    presents = [np.flatnonzero(t.sum(axis=1) > 0) for t in tables]
    sizes = np.array([p.size for p in presents], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(sizes)]
    rows = np.concatenate(
        [t[p].sum(axis=1) for t, p in zip(tables, presents, strict=True)]
        or [np.zeros(0)]
    )
    bads = np.concatenate(
        [t[p, 1] for t, p in zip(tables, presents, strict=True)] or [np.zeros(0)]
    )
    pr = np.r_[0.0, np.cumsum(rows)]
    pb = np.r_[0.0, np.cumsum(bads)]
    limits = np.asarray(floors, dtype=np.float64) * (1 - 1e-12)
    seg_t = np.arange(len(tables))
    seg_a, seg_b = offsets[:-1].copy(), offsets[1:].copy()
    found: list[list[int]] = [[] for _ in tables]
    while seg_t.size:
        length = seg_b - seg_a
        keep = length >= 2
        seg_t, seg_a, seg_b, length = (
            seg_t[keep],
            seg_a[keep],
            seg_b[keep],
            length[keep],
        )
        if not seg_t.size:
            break
        n_cand = length - 1
        starts = np.r_[0, np.cumsum(n_cand)[:-1]]
        seg = np.repeat(np.arange(seg_t.size), n_cand)
        cut = seg_a[seg] + 1 + (np.arange(seg.size) - starts[seg])
        n_left = pr[cut] - pr[seg_a[seg]]
        b_left = pb[cut] - pb[seg_a[seg]]
        n_all = (pr[seg_b] - pr[seg_a])[seg]
        b_all = (pb[seg_b] - pb[seg_a])[seg]
        n_right, b_right = n_all - n_left, b_all - b_left
        limit = limits[seg_t[seg]]
        allowed = (n_left >= limit) & (n_right >= limit)
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = b_left**2 / n_left + b_right**2 / n_right
        gain = np.where(allowed, gain, -np.inf)
        seg_max = np.maximum.reduceat(gain, starts)
        first = np.minimum.reduceat(
            np.where(gain == seg_max[seg], np.arange(seg.size), seg.size), starts
        )
        nb = pb[seg_b] - pb[seg_a]
        nn = pr[seg_b] - pr[seg_a]
        with np.errstate(divide="ignore", invalid="ignore"):
            flat = nb**2 / nn * (1 + 1e-12)
        ok = (seg_max > -np.inf) & (nb > 0) & (nb < nn) & (seg_max > flat)
        chosen = cut[np.minimum(first, seg.size - 1)]
        for t, c in zip(seg_t[ok], chosen[ok], strict=True):
            found[int(t)].append(int(c - offsets[t]))
        seg_t = np.r_[seg_t[ok], seg_t[ok]]
        seg_a, seg_b = (
            np.r_[seg_a[ok], chosen[ok]],
            np.r_[chosen[ok], seg_b[ok]],
        )
    return [
        np.sort(p[np.asarray(f, dtype=np.int64)])
        for p, f in zip(presents, found, strict=True)
    ]


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
            pure_bins=params.get("pure_bins", "avoid"),
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


def feature_settings(params: dict[str, Any], name: str) -> dict[str, Any]:
    """The fit settings of one feature: ``params`` with its ``feature_params``."""
    over = params.get("features", {}).get(name)
    return {**params, **over} if over else params


def _regular_iv(fb: FeatureBins, prep: _Prepared, smoothing: float) -> float:
    """Sum of the IV terms of the regular bins (shares over the feature totals)."""
    counts = fb.counts()[: fb.n_regular]
    return merge_objective(
        counts, np.arange(1, counts.shape[0]), totals=prep.totals, smoothing=smoothing
    )


def _n_present(fb: FeatureBins) -> int:
    counts = np.asarray(fb.goods[: fb.n_regular]) + np.asarray(fb.bads[: fb.n_regular])
    return int(np.sum(counts > 0))


def fit_prepared(
    prep: _Prepared, params: dict[str, Any]
) -> tuple[FeatureBins, dict[str, Any], str]:
    """Bins of a prepared feature, with the small-strong-segment rule.

    The standard search (boosted stumps, size-floor cuts, exact merge under
    ``min_bin_size``) runs first. For a feature with few distinct values (at
    most ``1 / min_bin_size`` non-empty pre-bins: distinct values or
    categories), when ``min_bin_count`` rows are fewer than the
    ``min_bin_size`` floor, the search is re-run with the floor lowered to
    ``min_bin_count`` rows; its bins replace the standard ones only when
    they have more non-empty bins and the IV gain is highly significant:
    ``n_G n_B / n * (IV_relaxed - IV_standard)`` above the 99.9% quantile of
    chi-square with the number of extra bins as degrees of freedom (the rule
    of the ``"auto"`` trend; docs/methodology.md, "Expert edits and small
    strong segments").

    Returns
    -------
    fb : FeatureBins
    settings : dict
        The settings the chosen bins were searched with (``min_bin_size`` as
        a share; what the permutation test must re-run).
    note : str
        What happened, in a sentence.
    """
    p = feature_settings(params, prep.name)
    stumps = stump_cuts(
        prep.prebin_counts,
        n_rounds=p["n_rounds"],
        learning_rate=p["learning_rate"],
        seed=p["seed"],
    )
    n = sum(prep.totals)
    share = float(p["min_bin_size"])

    def search(s: float) -> FeatureBins:
        starts = stumps
        if s * n > 0:
            cuts = size_floor_cuts(prep.prebin_counts, floor=s * n)
            starts = np.union1d(starts, cuts)
        return _finish(prep, starts, {**p, "min_bin_size": s})

    fb = search(share)
    settings = {k: p[k] for k in ("min_bin_size", "max_n_bins", "monotonic_trend")}
    k_std = _n_present(fb)
    note = f"{k_std} regular bin(s) under min_bin_size={share:g}"
    count = p.get("min_bin_count")
    if prep.constant:
        return fb, settings, "constant: one bin"
    n_values = int(np.sum(prep.prebin_counts.sum(axis=1) > 0))
    if count is None or share <= 0 or count >= share * n or n <= 0:
        return fb, settings, note + "."
    if n_values > int(1 / share * (1 + 1e-12)):
        # many distinct values: the data, not the floor, limit the bins (and a
        # search over many small intervals would find noise)
        return fb, settings, note + "."
    relaxed_share = float(count) / n
    fb_rel = search(relaxed_share)
    extra = _n_present(fb_rel) - k_std
    gain = _regular_iv(fb_rel, prep, p["smoothing"]) - _regular_iv(
        fb, prep, p["smoothing"]
    )
    stat = prep.totals[0] * prep.totals[1] / n * gain
    if extra <= 0:
        return (
            fb,
            settings,
            note + (f"; bins of at least min_bin_count={count:g} rows add none."),
        )
    from scipy.stats import chi2

    pvalue = float(chi2.sf(stat, extra))
    if pvalue < SMALL_SEGMENT_LEVEL:
        settings["min_bin_size"] = relaxed_share
        return (
            fb_rel,
            settings,
            (
                f"{k_std + extra} regular bins: {extra} more than min_bin_size="
                f"{share:g} ({share * n:.0f} rows) allows, kept because bins of at "
                f"least min_bin_count={count:g} rows gain chi-square {stat:.1f} on "
                f"{extra} df (p = {pvalue:.2g} < {SMALL_SEGMENT_LEVEL:g})."
            ),
        )
    return (
        fb,
        settings,
        note
        + (
            f"; {extra} more bin(s) of at least min_bin_count={count:g} rows were "
            f"not significant (chi-square {stat:.1f} on {extra} df, p = {pvalue:.2g})."
        ),
    )


#: Level of the test that keeps bins below ``min_bin_size`` (see fit_prepared).
SMALL_SEGMENT_LEVEL = 0.001


def _fit_one_per_feature(
    raw: _RawColumn,
    y: FloatArray,
    w: FloatArray,
    params: dict[str, Any],
) -> tuple[FeatureBins, bool]:
    """One feature's bins from its (possibly synthetic, Dask) rows."""
    col = raw.convert()
    p = feature_settings(params, col.name)
    prep, _, _ = _prepare(
        col,
        y,
        w,
        specials=p["specials"].get(col.name, ()),
        max_bin=p["max_bin"],
        min_category_size=p["min_category_size"],
        weighted=p["weighted"],
    )
    return fit_prepared(prep, p)[0], prep.constant


def fit_joint(
    raw_cols: list[_RawColumn],
    y: FloatArray,
    w: FloatArray,
    params: dict[str, Any],
    n_jobs: int,
) -> list[tuple[FeatureBins, bool]]:
    """One XGBoost model over all features on the raw rows (in memory)."""
    import xgboost as xgb

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
        preps.append((prep, regular))
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
    for j, ((prep, regular), col) in enumerate(zip(preps, cols, strict=True)):
        t = np.unique(np.asarray(thresholds.get(j, []), dtype=np.float64))
        counts: FloatArray | None = None
        if prep.kind == "numeric":
            tcodes = np.searchsorted(t, col.values[regular], side="right")
            counts = class_counts(tcodes, y[regular], w[regular], t.size + 1)
        fb = _finish_joint(prep, t, counts, params)
        out.append((fb, prep.constant))
    return out
