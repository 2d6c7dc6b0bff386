"""The per-feature binning search re-run on many count tables at once.

:class:`SearchInputs` holds what the per-feature search of
:class:`~scorecard._binning._binner.StumpBinner` needs from one feature, free
of labels: the rows (weighted) of every cell (numeric pre-bins or categorical
units, then special values, then missing). :func:`search_many` runs the
whole search (category ordering, boosted stumps, size-floor cuts, the exact
merge) on ``B`` bad-count vectors of those cells, so a permutation test or a
bootstrap of the search never touches a row. The boosted stumps are
re-implemented here on the pre-bin gradient/hessian histogram, vectorised over
the ``B`` tables (XGBoost's depth-1 ``hist`` split rule: gain
``G_L^2/(H_L+1) + G_R^2/(H_R+1) - G^2/(H+1)`` with ``min_child_weight=1``);
``tests/scorecard/binning/test_search.py`` checks that the bins equal the real
fit's on unpermuted labels. See docs/methodology.md, "Inference after binning".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ._bins import FeatureBins
from ._columns import _prepare, _RawColumn, _regular_mask
from ._merge import merge_counts
from ._merge_many import optimal_merge_many
from ._stumps import (
    _candidate_starts,
    _finish,
    feature_settings,
    fit_prepared,
    size_floor_cuts_many,
)

__all__ = [
    "WEIGHTED_WHY",
    "SearchInputs",
    "SummaryFit",
    "bin_counts",
    "fit_summary_feature",
    "search_inputs",
    "search_many",
    "stump_cuts_many",
]

FloatArray = NDArray[np.float64]

_LAMBDA = 1.0  # XGBoost reg_lambda default
_MIN_CHILD_WEIGHT = 1.0  # XGBoost default
_RT_EPS = 1e-6  # XGBoost kRtEps: a split must gain more than this


@dataclass(frozen=True)
class SearchInputs:
    """Label-free inputs of one feature's binning search.

    Attributes
    ----------
    name : str
        Feature name.
    kind : {"numeric", "categorical"}
        Feature kind.
    n_regular : int
        Number of regular cells (numeric pre-bins, categorical units); the
        cells after them are the special values, then the missing cell.
    n_special : int
        Number of special-value cells.
    rows : ndarray of shape (C,)
        Rows (weighted) of every cell.
    bads : ndarray of shape (C,)
        Observed bad counts (weighted) of every cell.
    codes : ndarray of int32 or None
        Cell of every row, kept only for weighted fits (the weighted counts of
        a permutation or a bootstrap need the rows).
    """

    name: str
    kind: Literal["numeric", "categorical"]
    n_regular: int
    n_special: int
    rows: FloatArray
    bads: FloatArray
    codes: NDArray[np.int32] | None = None

    @property
    def goods(self) -> FloatArray:
        return self.rows - self.bads


def search_inputs(
    prep: Any,
    col: Any,
    regular_codes: Any,
    *,
    weighted: bool,
    specials: tuple[Any, ...],
) -> SearchInputs:
    """Build the search inputs of a prepared feature (``_columns._Prepared``)."""
    reg = np.asarray(prep.prebin_counts, dtype=np.float64)
    table = np.vstack(
        [reg, np.asarray(prep.special_counts).reshape(-1, 2), prep.missing_counts]
    )
    codes = None
    if weighted:
        missing, special_idx = _regular_mask(col, specials)
        regular = ~missing & (special_idx < 0)
        cell = np.empty(missing.size, dtype=np.int32)
        if prep.kind == "numeric":
            edges = prep.edges if prep.edges is not None else np.zeros(0)
            cell[regular] = np.searchsorted(edges, col.values[regular], side="right")
        else:
            cell[regular] = regular_codes
        specials_at = special_idx >= 0
        cell[specials_at] = reg.shape[0] + special_idx[specials_at]
        cell[missing] = table.shape[0] - 1
        codes = cell
    return SearchInputs(
        name=prep.name,
        kind=prep.kind,
        n_regular=reg.shape[0],
        n_special=int(np.asarray(prep.special_counts).reshape(-1, 2).shape[0]),
        rows=table.sum(axis=1),
        bads=table[:, 1].copy(),
        codes=codes,
    )


def _fit_one_with_search(
    raw: _RawColumn,
    y: FloatArray,
    w: FloatArray,
    params: dict[str, Any],
) -> tuple[FeatureBins, bool, SearchInputs]:
    """:func:`_fit_one_per_feature` plus the feature's label-free search inputs."""
    col = raw.convert()
    specials = params["specials"].get(col.name, ())
    prep, codes, _ = _prepare(
        col,
        y,
        w,
        specials=specials,
        max_bin=params["max_bin"],
        min_category_size=params["min_category_size"],
        weighted=params["weighted"],
    )
    fb = _finish(prep, _candidate_starts(prep, params), params)
    search = search_inputs(
        prep, col, codes, weighted=params["weighted"], specials=specials
    )
    return fb, prep.constant, search


#: Why a weighted distributed fit has no selection-adjusted figures.
WEIGHTED_WHY = (
    "the fit was distributed (Dask or Spark) with sample_weight: the "
    "selection-adjusted test permutes (label, weight) pairs over the rows, "
    "and a distributed fit keeps only the summed weighted counts per pre-bin, "
    "from which the permutation law of weighted counts does not follow "
    "(docs/methodology.md section 18); fit in memory, or use inference='split'."
)


class SummaryFit(tuple[FeatureBins, bool]):
    """``(bins, constant)`` of one feature fitted from summaries, plus its search.

    A tuple, so every engine hands it on as the in-memory fits' pairs; the
    attributes carry what the selection-adjusted figures need
    (docs/methodology.md section 18, "Distributed fits").

    Attributes
    ----------
    search : SearchInputs or None
        The feature's cells with their row and bad counts (unweighted fits),
        ``None`` for weighted fits.
    settings : dict
        The settings the bins were searched with (as ``StumpBinner._settings_``).
    params : dict
        The fit settings of all features.
    why : str or None
        Why ``search`` is ``None``.
    """

    search: SearchInputs | None
    settings: dict[str, Any]
    params: dict[str, Any]
    why: str | None

    def __new__(
        cls,
        fb: FeatureBins,
        constant: bool,
        search: SearchInputs | None,
        settings: dict[str, Any],
        params: dict[str, Any],
        why: str | None = None,
    ) -> SummaryFit:
        out = super().__new__(cls, (fb, constant))
        out.search, out.settings, out.params, out.why = search, settings, params, why
        return out


def fit_summary_feature(
    raw: _RawColumn,
    y: FloatArray,
    w: FloatArray,
    params: dict[str, Any],
    weighted: bool,
) -> SummaryFit:
    """One feature's bins from its synthetic rows, with its search inputs.

    Without weights every synthetic row's weight is a row count, so the
    prepared cells are the exact per-value (or per-pre-bin) count tables of
    the data and :func:`~scorecard._binning._search.search_inputs` takes them
    as they are: the selection-adjusted test draws the permuted bad counts of
    those cells (multivariate hypergeometric given the cell sizes), the same
    law as permuting the labels of the rows.
    """
    col = raw.convert()
    p = feature_settings(params, col.name)
    specials = p["specials"].get(col.name, ())
    prep, _, _ = _prepare(
        col,
        y,
        w,
        specials=specials,
        max_bin=p["max_bin"],
        min_category_size=p["min_category_size"],
        weighted=p["weighted"],
    )
    fb, settings, _ = fit_prepared(prep, p)
    if weighted:
        return SummaryFit(fb, prep.constant, None, settings, params, WEIGHTED_WHY)
    search = search_inputs(prep, col, None, weighted=False, specials=specials)
    return SummaryFit(fb, prep.constant, search, settings, params)


def _sigmoid32(margin: NDArray[np.float32]) -> NDArray[np.float32]:
    one = np.float32(1.0)
    with np.errstate(over="ignore"):
        return (one / (one + np.exp(-margin))).astype(np.float32)


def stump_cuts_many(
    goods: FloatArray,
    bads: FloatArray,
    *,
    n_rounds: int,
    learning_rate: float,
) -> list[NDArray[np.int64]]:
    """Cut positions of boosted depth-1 stumps on ``B`` pre-bin tables at once.

    Parameters
    ----------
    goods, bads : ndarray of shape (B, K)
        Weighted goods and bads of ``K`` ordered pre-bins, one table per row.
    n_rounds, learning_rate : int, float
        Boosting rounds and ``eta``, as for
        :func:`scorecard._binning._stumps.stump_cuts`.

    Returns
    -------
    list of ndarray of int64
        Per table, the sorted pre-bin indices ``c`` in ``[1, K)`` where a stump
        bin starts (as :func:`~scorecard._binning._stumps.stump_cuts`).

    Notes
    -----
    Every row of a pre-bin has the same prediction, so the gradient and
    hessian sums per pre-bin, ``G_k = p_k g_k + (p_k - 1) b_k`` and
    ``H_k = p_k (1 - p_k)(g_k + b_k)``, are XGBoost's histogram; the split is
    the one maximising the loss change over cuts between non-empty pre-bins
    with both children's hessian at least 1. Gradients are formed in float32
    and summed in float64, as XGBoost does.
    """
    g32 = goods.astype(np.float32)
    b32 = bads.astype(np.float32)
    n_tab, k = goods.shape
    present = (goods + bads) > 0
    n_g, n_b = goods.sum(axis=1), bads.sum(axis=1)
    ok = (n_g > 0) & (n_b > 0) & (present.sum(axis=1) >= 2)
    base = np.where(ok, n_b / np.where(ok, n_g + n_b, 1.0), 0.5).astype(np.float32)
    margin0 = (-np.log(np.float32(1.0) / base - np.float32(1.0))).astype(np.float32)
    margin = np.repeat(margin0[:, None], k, axis=1)
    eta = np.float32(learning_rate)
    # A cut after pre-bin i is allowed only when i and some later pre-bin are
    # present: the split sits where the next present pre-bin starts.
    later = np.flip(np.cumsum(np.flip(present, axis=1), axis=1), axis=1)
    allowed = present[:, :-1] & (later[:, 1:] > 0) if k > 1 else present[:, :0]
    # next present pre-bin after i (the cut index), per table
    idx = np.where(present, np.arange(k), k)
    next_present = np.flip(np.minimum.accumulate(np.flip(idx, axis=1), axis=1), axis=1)
    cut_of = next_present[:, 1:] if k > 1 else next_present[:, :0]
    chosen = np.zeros((n_tab, max(k - 1, 0)), dtype=bool)
    rows_all = np.arange(n_tab)
    for _ in range(n_rounds if k > 1 else 0):
        p = _sigmoid32(margin)
        hess = np.maximum(p * (np.float32(1.0) - p), np.float32(1e-16))
        grad_k = (p * g32).astype(np.float64) + ((p - np.float32(1.0)) * b32).astype(
            np.float64
        )
        hess_k = (hess * g32).astype(np.float64) + (hess * b32).astype(np.float64)
        grad_k = np.where(present, grad_k, 0.0)
        hess_k = np.where(present, hess_k, 0.0)
        g_left = np.cumsum(grad_k, axis=1)[:, :-1]
        h_left = np.cumsum(hess_k, axis=1)[:, :-1]
        g_all, h_all = grad_k.sum(axis=1), hess_k.sum(axis=1)
        g_right = g_all[:, None] - g_left
        h_right = h_all[:, None] - h_left
        root = g_all**2 / (h_all + _LAMBDA)
        gain = (
            g_left**2 / (h_left + _LAMBDA)
            + g_right**2 / (h_right + _LAMBDA)
            - root[:, None]
        )
        valid = allowed & (h_left >= _MIN_CHILD_WEIGHT) & (h_right >= _MIN_CHILD_WEIGHT)
        gain = np.where(valid, gain, -np.inf)
        best = np.argmax(gain, axis=1)
        best_gain = gain[rows_all, best]
        split = ok & (best_gain > _RT_EPS)
        chosen[rows_all[split], best[split]] = True
        # leaf values: -G / (H + lambda) times eta, added in float32
        gl, hl = g_left[rows_all, best], h_left[rows_all, best]
        gr, hr = g_right[rows_all, best], h_right[rows_all, best]
        w_left = (-gl / (hl + _LAMBDA)).astype(np.float32) * eta
        w_right = (-gr / (hr + _LAMBDA)).astype(np.float32) * eta
        w_root = (-g_all / (h_all + _LAMBDA)).astype(np.float32) * eta
        cut = cut_of[rows_all, best]
        left = np.arange(k)[None, :] < cut[:, None]
        step = np.where(left, w_left[:, None], w_right[:, None])
        step = np.where(split[:, None], step, w_root[:, None])
        margin = (margin + step.astype(np.float32)).astype(np.float32)
    out = []
    for t in range(n_tab):
        if not ok[t]:
            out.append(np.zeros(0, dtype=np.int64))
            continue
        cuts = np.unique(cut_of[t][chosen[t]]).astype(np.int64)
        out.append(cuts[(cuts >= 1) & (cuts < k)])
    return out


def _order_categories(
    goods: FloatArray, bads: FloatArray, rate0: FloatArray
) -> NDArray[np.int64]:
    """Per table, the units ordered by smoothed event rate (as ``_prepare``)."""
    smoothed = (bads + rate0[:, None]) / (goods + bads + 1.0)
    return np.argsort(smoothed, axis=1, kind="stable")


def search_many(
    inputs: SearchInputs,
    bads: FloatArray,
    params: dict[str, Any],
    rows: FloatArray | None = None,
) -> NDArray[np.int64]:
    """Re-run a feature's binning search on ``B`` cell count tables.

    Parameters
    ----------
    inputs : SearchInputs
        The feature's cells.
    bads : ndarray of shape (B, C)
        Bad counts per cell, one table per row.
    params : dict
        The binner's fit settings (``StumpBinner._fit_params``).
    rows : ndarray of shape (B, C), default=None
        Rows per cell when they vary by table (bootstrap, weighted
        permutations); ``inputs.rows`` for every table otherwise.

    Returns
    -------
    ndarray of int64, shape (B, C)
        The final bin of every cell in every table's search: regular bins
        ``0 .. W-1`` (``W`` the most regular bins of any table), then the
        special bins and the missing bin. :func:`bin_counts` sums any table
        into these bins.
    """
    bads = np.atleast_2d(np.asarray(bads, dtype=np.float64))
    n_tab, n_cells = bads.shape
    rows_t = (
        np.broadcast_to(inputs.rows, bads.shape)
        if rows is None
        else np.atleast_2d(np.asarray(rows, dtype=np.float64))
    )
    goods = np.maximum(rows_t - bads, 0.0)
    r = inputs.n_regular
    reg_g, reg_b = goods[:, :r], bads[:, :r]
    position = np.broadcast_to(np.arange(r), (n_tab, r))
    if inputs.kind == "categorical":
        n_all = np.maximum(rows_t.sum(axis=1), 1e-300)
        order = _order_categories(reg_g, reg_b, bads.sum(axis=1) / n_all)
        reg_g = np.take_along_axis(reg_g, order, axis=1)
        reg_b = np.take_along_axis(reg_b, order, axis=1)
        position = np.empty((n_tab, r), dtype=np.int64)
        np.put_along_axis(position, order, np.arange(r)[None, :], axis=1)
    starts = stump_cuts_many(
        reg_g, reg_b, n_rounds=params["n_rounds"], learning_rate=params["learning_rate"]
    )
    cands, tables, totals, merge_at = [], [], [], []
    reg_tables = [np.column_stack([reg_g[t], reg_b[t]]) for t in range(n_tab)]
    floors = params["min_bin_size"] * rows_t.sum(axis=1)
    with_floor = np.flatnonzero(floors > 0)
    floor_cuts = dict(
        zip(
            with_floor.tolist(),
            size_floor_cuts_many(
                [reg_tables[t] for t in with_floor], list(floors[with_floor])
            ),
            strict=True,
        )
    )
    for t in range(n_tab):
        table = reg_tables[t]
        tot = (float(goods[t].sum()), float(bads[t].sum()))
        cand = starts[t]
        if t in floor_cuts:
            cand = np.union1d(cand, floor_cuts[t])
        cands.append(cand)
        candidate_table = merge_counts(table, cand)
        if (
            candidate_table.shape[0] > 1
            and candidate_table.sum() > 0
            and tot[0] > 0
            and tot[1] > 0
        ):
            merge_at.append(t)
            tables.append(candidate_table)
            totals.append(tot)
    merged = optimal_merge_many(
        tables,
        totals,
        min_bin_size=params["min_bin_size"],
        max_n_bins=params["max_n_bins"],
        monotonic_trend=params["monotonic_trend"] if inputs.kind == "numeric" else None,
        smoothing=params["smoothing"],
        pure_bins=params.get("pure_bins", "avoid"),
    )
    all_cuts: list[tuple[int, ...]] = [()] * n_tab
    for t, cuts in zip(merge_at, merged, strict=True):
        all_cuts[t] = cuts
    regular_bin = np.zeros((n_tab, r), dtype=np.int64)
    for t in range(n_tab):
        candidate = np.searchsorted(cands[t], position[t], side="right")
        regular_bin[t] = np.searchsorted(
            np.asarray(all_cuts[t], dtype=np.int64), candidate, side="right"
        )
    width = int(regular_bin.max()) + 1 if r else 0
    out = np.empty((n_tab, n_cells), dtype=np.int64)
    out[:, :r] = regular_bin
    out[:, r:] = width + np.arange(n_cells - r)
    return out


def bin_counts(assign: NDArray[np.int64], values: FloatArray) -> FloatArray:
    """Sum cell values into bins: ``out[t, m]`` sums ``values[t, c]`` in bin ``m``."""
    values = np.broadcast_to(values, assign.shape)
    n_tab = assign.shape[0]
    width = int(assign.max()) + 1
    flat = (assign + width * np.arange(n_tab)[:, None]).ravel()
    sums = np.bincount(flat, weights=values.ravel(), minlength=n_tab * width)
    return np.asarray(sums, dtype=np.float64).reshape(n_tab, width)
