"""Inference after binning: selection-adjusted test, bias-reduced IV, split counts.

The bins of :class:`~scorecard._binning._binner.StumpBinner` are chosen to
maximise the IV of the very counts that the textbook test and interval then
use, so those figures are conditional on a choice the data made. Three
remedies (docs/methodology.md, "Inference after binning"):

- :func:`selection_inference`: a permutation test of "no information" that
  re-runs the whole per-feature search (pre-bins, stumps, size-floor cuts,
  merge) on permuted labels, and an optimism-corrected IV with a bootstrap
  interval for the IV of the fitted bins on fresh data; both work on the
  cell count tables of :mod:`scorecard._binning._search`, so no row is touched
  without weights (permuted bad counts per cell are multivariate
  hypergeometric given the cell sizes; bootstrap counts multinomial).
- :func:`split_halves` and :func:`recount`: bins chosen on one half of the
  rows, counted on the other (sample splitting), the building blocks of
  ``StumpBinner(inference="split")`` and
  :func:`scorecard._binning._split.split_information`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._stats._divergence import information_value
from ._search import SearchInputs, bin_counts, search_many

__all__ = [
    "SelectionInference",
    "recount",
    "selection_inference",
    "split_halves",
    "take_rows",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SelectionInference:
    """Selection-adjusted figures of one feature.

    Attributes
    ----------
    statistic : float
        IV of the bins the search chose on the observed labels.
    pvalue : float
        Permutation p-value of "no information", ``(1 + #{IV_b >= IV}) /
        (B + 1)``, the whole search re-run for every permutation.
    null_mean : float
        Mean IV of the searched bins under permuted labels.
    iv_adjusted : float
        Optimism-corrected IV: the IV minus the mean bootstrap optimism
        (bootstrap bins' IV on their own resample minus on the sample); it
        estimates the IV of the fitted bins on fresh data.
    ci_low, ci_high : float
        Basic bootstrap interval for that fresh-data IV (lower end clipped
        at 0).
    n_resamples : int
        Permutations (and bootstrap resamples).
    """

    statistic: float
    pvalue: float
    null_mean: float
    iv_adjusted: float
    ci_low: float
    ci_high: float
    n_resamples: int


def _iv(goods: FloatArray, bads: FloatArray, smoothing: float) -> FloatArray:
    """IV of every row of a batch of count tables, through the spine."""
    goods, bads = np.atleast_2d(goods), np.atleast_2d(bads)
    out = np.zeros(goods.shape[0])
    # one non-empty bin (or one class) carries no information: IV 0
    ok = (
        (((goods + bads) > 0).sum(axis=1) >= 2)
        & (goods.sum(axis=1) > 0)
        & (bads.sum(axis=1) > 0)
    )
    if not ok.any():
        return out
    g, b = goods[ok], bads[ok]
    keep = (g + b).sum(axis=0) > 0  # bins empty in every table
    with warnings.catch_warnings():
        # smoothed zero cells are expected in resampled tables
        warnings.simplefilter("ignore")
        res = information_value(g[:, keep], b[:, keep], smoothing=smoothing)
    out[ok] = np.atleast_1d(np.asarray(res.estimate, dtype=np.float64))
    return out


def _permuted(
    inputs: SearchInputs, n: int, rng: np.random.Generator, data: Any
) -> tuple[FloatArray, FloatArray | None]:
    """Bad counts (and rows, when weighted) per cell under ``n`` permutations."""
    if inputs.codes is None:
        colors = np.rint(inputs.rows).astype(np.int64)
        n_bad = int(round(float(inputs.bads.sum())))
        draws = rng.multivariate_hypergeometric(colors, n_bad, size=n)
        return draws.astype(np.float64), None
    y, w = data
    c = inputs.rows.size
    bads = np.empty((n, c))
    rows = np.empty((n, c))
    for t in range(n):
        perm = rng.permutation(y.size)
        rows[t] = np.bincount(inputs.codes, weights=w[perm], minlength=c)
        bads[t] = np.bincount(inputs.codes, weights=(w * y)[perm], minlength=c)
    return bads, rows


def _resampled(
    inputs: SearchInputs, n: int, rng: np.random.Generator, data: Any
) -> tuple[FloatArray, FloatArray]:
    """Bootstrap bad and row counts per cell (rows drawn with replacement)."""
    c = inputs.rows.size
    if inputs.codes is None:
        cells = np.concatenate([inputs.goods, inputs.bads])
        total = int(round(float(cells.sum())))
        draws = rng.multinomial(total, cells / cells.sum(), size=n).astype(np.float64)
        bads = draws[:, c:]
        return bads, draws[:, :c] + bads
    y, w = data
    bads = np.empty((n, c))
    rows = np.empty((n, c))
    for t in range(n):
        idx = rng.integers(0, y.size, size=y.size)
        rows[t] = np.bincount(inputs.codes[idx], weights=w[idx], minlength=c)
        bads[t] = np.bincount(inputs.codes[idx], weights=(w * y)[idx], minlength=c)
    return bads, rows


def selection_inference(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    *,
    n_resamples: int = 199,
    alpha: float = 0.05,
    random_state: Any = None,
    data: Any = None,
    bootstrap: bool = True,
) -> SelectionInference:
    """Permutation test and bias-reduced IV of one feature's searched bins.

    Parameters
    ----------
    inputs : SearchInputs
        The feature's cells (:func:`scorecard._binning._search.search_inputs`).
    params : dict
        The binner's fit settings.
    smoothing : float
        Smoothing of the IV.
    n_resamples : int, default=199
        Permutations, and bootstrap resamples.
    alpha : float, default=0.05
        One minus the coverage of the interval.
    random_state : int, sequence of int, Generator or None, default=None
        Seed of the permutations and resamples (``numpy.random.default_rng``).
    data : (y, w) or None
        Labels and weights of the rows, needed when ``inputs.codes`` is set
        (weighted fits).
    bootstrap : bool, default=True
        ``False`` skips the bootstrap (``iv_adjusted`` and the interval are
        NaN): the test alone.

    Returns
    -------
    SelectionInference
    """
    rng = np.random.default_rng(random_state)
    observed = search_many(inputs, inputs.bads[None, :], params)
    iv_obs = float(
        _iv(
            bin_counts(observed, inputs.goods),
            bin_counts(observed, inputs.bads),
            smoothing,
        )[0]
    )
    # permutation test: the whole search on every permuted table
    p_bads, p_rows = _permuted(inputs, n_resamples, rng, data)
    p_goods = (inputs.rows if p_rows is None else p_rows) - p_bads
    assign = search_many(inputs, p_bads, params, rows=p_rows)
    iv_null = _iv(bin_counts(assign, p_goods), bin_counts(assign, p_bads), smoothing)
    tol = 1e-9 * max(abs(iv_obs), 1e-12)
    pvalue = (1.0 + float(np.sum(iv_null >= iv_obs - tol))) / (n_resamples + 1.0)
    if not bootstrap:
        nan = float("nan")
        return SelectionInference(
            iv_obs, pvalue, float(iv_null.mean()), nan, nan, nan, int(n_resamples)
        )
    # bootstrap optimism: bins searched on a resample, counted on the resample
    # and on the sample
    b_bads, b_rows = _resampled(inputs, n_resamples, rng, data)
    b_goods = b_rows - b_bads
    assign = search_many(inputs, b_bads, params, rows=b_rows)
    iv_own = _iv(bin_counts(assign, b_goods), bin_counts(assign, b_bads), smoothing)
    iv_sample = _iv(
        bin_counts(assign, inputs.goods), bin_counts(assign, inputs.bads), smoothing
    )
    optimism = iv_own - iv_sample
    mean_opt = float(optimism.mean())
    adjusted = iv_obs - mean_opt
    err = optimism - mean_opt
    lo_q, hi_q = np.quantile(err, [alpha / 2, 1 - alpha / 2])
    return SelectionInference(
        statistic=iv_obs,
        pvalue=pvalue,
        null_mean=float(iv_null.mean()),
        iv_adjusted=adjusted,
        ci_low=max(0.0, adjusted - float(hi_q)),
        ci_high=max(0.0, adjusted - float(lo_q)),
        n_resamples=int(n_resamples),
    )


# --------------------------------------------------------------------------
# sample splitting


def split_halves(y01: NDArray[Any], seed: int) -> tuple[NDArray[np.int64], ...]:
    """Two halves of the row indices, stratified by class (seeded)."""
    rng = np.random.default_rng(seed)
    first, second = [], []
    for cls in (0, 1):
        idx = rng.permutation(np.flatnonzero(y01 == cls))
        cut = idx.size // 2
        first.append(idx[:cut])
        second.append(idx[cut:])
    return np.sort(np.concatenate(first)), np.sort(np.concatenate(second))


def take_rows(raw: Any, idx: NDArray[np.int64]) -> Any:
    """Rows ``idx`` of a raw column (pandas Series or array)."""
    if hasattr(raw, "iloc"):
        return raw.iloc[idx]
    return np.asarray(raw)[idx]


def recount(fb: Any, values: Any, y: FloatArray, w: FloatArray) -> Any:
    """The bins ``fb`` with goods and bads counted on other rows."""
    codes = fb.assign(values)
    n = fb.n_bins
    bads = np.bincount(codes, weights=w * y, minlength=n)
    rows = np.bincount(codes, weights=w, minlength=n)
    return fb.with_counts(np.maximum(rows - bads, 0.0), bads)
