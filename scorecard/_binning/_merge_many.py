"""The exact merge of :func:`~scorecard._binning._merge.optimal_merge` on many tables.

The permutation test and the bootstrap of :mod:`scorecard._binning._inference`
re-run the merge on hundreds of candidate tables per feature; one Python loop
over the DP's stages for all of them (tables zero-padded to the widest, each
read at its own last bin) replaces hundreds of loops. Same objective, same
trend rules, same tie-breaking (first maximum) as the single-table DP;
``tests/scorecard/binning/test_merge_many.py`` checks the cuts are equal.
Only ``max_n_bins=None`` is vectorised; other settings loop over
:func:`optimal_merge`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._stats._prepare import _iv_terms, _smooth
from ._merge import _BEND_CRITICAL, optimal_merge

__all__ = ["optimal_merge_many"]

FloatArray = NDArray[np.float64]
Cuts = tuple[int, ...]


def _terms_many(
    tables: FloatArray, totals: FloatArray, smoothing: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Batched ``_merge._terms``: (B, K, K) term, size and rate."""
    n_tab, k, _ = tables.shape
    zero = np.zeros((n_tab, 1))
    cg = np.concatenate([zero, np.cumsum(tables[:, :, 0], axis=1)], axis=1)
    cb = np.concatenate([zero, np.cumsum(tables[:, :, 1], axis=1)], axis=1)
    upper = np.triu(np.ones((k, k), dtype=bool))
    g = np.where(upper, cg[:, None, 1:] - cg[:, :-1, None], 0.0)
    b = np.where(upper, cb[:, None, 1:] - cb[:, :-1, None], 0.0)
    tol_g = 1e-9 * np.maximum(cg[:, -1], 1.0)[:, None, None]
    tol_b = 1e-9 * np.maximum(cb[:, -1], 1.0)[:, None, None]
    g = np.where(np.abs(g) < tol_g, 0.0, g)
    b = np.where(np.abs(b) < tol_b, 0.0, b)
    size = g + b
    present = upper & (size > 0)
    gs, bs, _ = _smooth(g, b, smoothing)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = gs / totals[:, 0, None, None]
        q = bs / totals[:, 1, None, None]
        term = _iv_terms(p, q, present)
        rate = b / size
    term = np.where(present & np.isfinite(term), term, -np.inf)
    rate = np.where(present, rate, np.nan)
    return term, size, rate


def _masked_max(
    values: FloatArray, keys: FloatArray, queries: FloatArray, *, below: bool
) -> FloatArray:
    """``max_h values[:, h]`` over ``keys[:, h] <= q`` (``below``) or ``>= q``.

    ``values``/``keys`` (B, H), ``queries`` (B, J); NaN never qualifies.
    """
    with np.errstate(invalid="ignore"):
        ok = (
            keys[:, :, None] <= queries[:, None, :]
            if below
            else keys[:, :, None] >= queries[:, None, :]
        )
    return np.where(ok, values[:, :, None], -np.inf).max(axis=1)


def _trend_dp(obj: FloatArray, rate: FloatArray, trend: str) -> FloatArray:
    """Batched ``_solve_trend`` without a bin count: best (B, j, i, phase)."""
    n_tab, k, _ = obj.shape
    n_phase = 2 if trend in ("peak", "valley") else 1
    rising = trend in ("ascending", "peak")
    best = np.full((n_tab, k, k, n_phase), -np.inf)
    best[:, :, 0, 0] = obj[:, 0, :]
    for i in range(1, k):
        t = obj[:, i, i:]
        live = np.isfinite(t)
        if not live.any():
            continue
        prev = best[:, i - 1, :i, :]
        r_prev, r_new = rate[:, :i, i - 1], rate[:, i, i:]
        v0 = _masked_max(prev[:, :, 0], r_prev, r_new, below=rising)
        best[:, i:, i, 0] = np.where(live, t + v0, -np.inf)
        if n_phase == 2:
            v1 = _masked_max(prev.max(axis=2), r_prev, r_new, below=not rising)
            best[:, i:, i, 1] = np.where(live, t + v1, -np.inf)
    return best


def _backtrack_trend(
    best: FloatArray, rate: FloatArray, end: int, rising: bool, phases: int
) -> tuple[Cuts | None, float]:
    """One table's cuts from the batched DP (the single-table backtrack)."""
    final = best[end, :, :phases]
    flat = int(np.argmax(final))
    i, s = (int(v) for v in np.unravel_index(flat, final.shape))
    value = float(final[i, s])
    if not np.isfinite(value):
        return None, value
    cuts = []
    j = end
    while i > 0:
        cuts.append(i)
        prev = best[i - 1, :i, :]
        r_prev, r_new = rate[:i, i - 1], rate[i, j]
        with np.errstate(invalid="ignore"):
            up, down = r_new >= r_prev, r_new <= r_prev
        if s == 0:
            h = int(np.argmax(np.where(up if rising else down, prev[:, 0], -np.inf)))
        else:
            ok = down if rising else up
            switch = np.where(ok, prev[:, 0], -np.inf)
            stay = np.where(ok, prev[:, 1], -np.inf)
            if switch.max() >= stay.max():
                h, s = int(np.argmax(switch)), 0
            else:
                h = int(np.argmax(stay))
        j, i = i - 1, h
    return tuple(sorted(cuts)), value


def _free_dp(obj: FloatArray, ends: NDArray[np.int64], m_max: int) -> list[Any]:
    """Batched ``_solve_free``: per table ``(cuts, value)``."""
    n_tab, k, _ = obj.shape
    best = np.full((n_tab, k, m_max + 1), -np.inf)
    arg = np.zeros((n_tab, k, m_max + 1), dtype=np.int64)
    best[:, :, 1] = obj[:, 0, :]
    for j in range(1, k):
        if m_max < 2:
            break
        cand = obj[:, 1 : j + 1, j][:, :, None] + best[:, :j, 1:-1]
        idx = np.argmax(cand, axis=1)
        best[:, j, 2:] = np.take_along_axis(cand, idx[:, None, :], axis=1)[:, 0, :]
        arg[:, j, 2:] = idx + 1
    out: list[tuple[Cuts | None, float]] = []
    for t in range(n_tab):
        end = int(ends[t])
        m = int(np.argmax(best[t, end]))
        value = float(best[t, end, m])
        if not np.isfinite(value):
            out.append((None, value))
            continue
        cuts, j = [], end
        while m > 1:
            i = int(arg[t, j, m])
            cuts.append(i)
            j, m = i - 1, m - 1
        out.append((tuple(sorted(cuts)), value))
    return out


def _solve_many(
    obj: FloatArray,
    rate: FloatArray,
    totals: FloatArray,
    ends: NDArray[np.int64],
    trend: str | None,
    m_max: int,
) -> list[tuple[Cuts | None, float]]:
    """Per table ``(cuts, value)`` as ``_merge._solve`` (no bin count limit)."""
    n_tab = obj.shape[0]
    if trend is None:
        return _free_dp(obj, ends, m_max)
    if trend != "auto":
        best = _trend_dp(obj, rate, trend)
        rising = trend in ("ascending", "peak")
        phases = 2 if trend in ("peak", "valley") else 1
        return [
            _backtrack_trend(best[t], rate[t], int(ends[t]), rising, phases)
            for t in range(n_tab)
        ]
    peak = _trend_dp(obj, rate, "peak")
    valley = _trend_dp(obj, rate, "valley")
    out = []
    dps = ((peak, True, 1), (valley, False, 1), (peak, True, 2), (valley, False, 2))
    for t in range(n_tab):
        e = int(ends[t])
        values = [float(dp[t, e, :, :ph].max()) for dp, _, ph in dps]
        mono = max(range(2), key=lambda r: (values[r], -r))
        bend = max(range(2, 4), key=lambda r: (values[r], -r))
        n_g, n_b = totals[t]
        gain = n_g * n_b / (n_g + n_b) * (values[bend] - values[mono])
        pick = bend if np.isfinite(gain) and gain > _BEND_CRITICAL else mono
        if not np.isfinite(values[mono]):
            pick = bend
        dp, rising, ph = dps[pick]
        out.append(_backtrack_trend(dp[t], rate[t], e, rising, ph))
    return out


def optimal_merge_many(
    tables: list[FloatArray],
    totals: list[tuple[float, float]],
    *,
    min_bin_size: float,
    max_n_bins: int | None,
    monotonic_trend: str | None,
    smoothing: float,
    pure_bins: str = "avoid",
) -> list[Cuts]:
    """The cuts of :func:`optimal_merge` for many candidate tables at once.

    Parameters
    ----------
    tables : list of ndarray of shape (K_t, 2)
        Candidate tables (each with ``K_t >= 2`` rows).
    totals : list of (float, float)
        Class totals of each table's feature.
    min_bin_size, max_n_bins, monotonic_trend, smoothing, pure_bins
        As for :func:`optimal_merge`.

    Returns
    -------
    list of tuple of int
        The cuts of every table.
    """
    if max_n_bins is not None or not tables:
        return [
            optimal_merge(
                t,
                min_bin_size=min_bin_size,
                max_n_bins=max_n_bins,
                monotonic_trend=monotonic_trend,  # type: ignore[arg-type]
                totals=tot,
                smoothing=smoothing,
                pure_bins=pure_bins,  # type: ignore[arg-type]
            ).cuts
            for t, tot in zip(tables, totals, strict=True)
        ]
    n_tab = len(tables)
    k = max(t.shape[0] for t in tables)
    padded = np.zeros((n_tab, k, 2))
    for i, t in enumerate(tables):
        padded[i, : t.shape[0]] = t
    ends = np.array([t.shape[0] - 1 for t in tables], dtype=np.int64)
    tot = np.asarray(totals, dtype=np.float64)
    term, size, rate = _terms_many(padded, tot, smoothing)
    floor = min_bin_size * tot.sum(axis=1) * (1 - 1e-12)
    term = np.where(size >= floor[:, None, None], term, -np.inf)
    m_max = k
    if min_bin_size > 0:
        m_max = max(1, min(m_max, int(1 / (min_bin_size * (1 - 1e-12)))))
    m_tab = np.minimum(m_max, ends + 1)
    # _solve_free caps the bins at min(K_t, m_max): equal for every table
    # only if the padding never allows more; padded bins are -inf, so a table
    # never uses more than K_t bins anyway.
    results: list[tuple[Cuts | None, float]] = [(None, -np.inf)] * n_tab
    pure = (rate == 0) | (rate == 1)
    todo = np.arange(n_tab)
    if pure_bins == "avoid":
        has = pure.reshape(n_tab, -1).any(axis=1)
        masked = np.where(pure, -np.inf, term)
        sel = np.flatnonzero(has)
        if sel.size:
            for tab, res in zip(
                sel,
                _solve_many(
                    masked[sel],
                    rate[sel],
                    tot[sel],
                    ends[sel],
                    monotonic_trend,
                    int(m_tab[sel].max()),
                ),
                strict=True,
            ):
                results[int(tab)] = res
        todo = np.array(
            [
                t
                for t in range(n_tab)
                if results[t][0] is None or not np.isfinite(results[t][1])
            ],
            dtype=np.int64,
        )
    if todo.size:
        for tab, res in zip(
            todo,
            _solve_many(
                term[todo],
                rate[todo],
                tot[todo],
                ends[todo],
                monotonic_trend,
                int(m_tab[todo].max()),
            ),
            strict=True,
        ):
            results[int(tab)] = res
    return [() if c is None or not np.isfinite(v) else c for c, v in results]
