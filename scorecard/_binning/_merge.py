"""Exact dynamic program over merges of adjacent pre-bins.

Given the good/bad counts of ``K`` ordered pre-bins, choose the partition into
contiguous bins that maximises the information value subject to a minimum
bin size, a maximum number of bins and an optional event-rate trend; with a
second count table of a protected attribute, maximise
``IV(target) - mu * IV(protected)`` instead (fairness-aware binning). Both
IVs are sums of per-bin terms, which is what makes the problem a dynamic
program: there is no solver dependency and no greedy loss.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kit.compat import renamed, warn_renamed
from .._stats._prepare import _iv_terms, _smooth

__all__ = ["MergeResult", "optimal_merge", "merge_counts", "merge_objective"]

Trend = Literal["auto", "ascending", "descending", "peak", "valley"]
_TRENDS = (None, "auto", "ascending", "descending", "peak", "valley")
FloatArray = NDArray[np.float64]

#: 99.9% quantile of chi-square(1): a peak/valley must beat the best monotone
#: binning by this much in ``n_G n_B / n * IV`` for ``"auto"`` to choose it.
_BEND_CRITICAL = 10.827566170662733


@dataclass(frozen=True)
class MergeResult:
    """The optimal merge of ordered pre-bins.

    Attributes
    ----------
    cuts : tuple of int
        Pre-bin indices where a new bin starts (``0 < c < K``, increasing);
        bin ``k`` is pre-bins ``[c_{k-1}, c_k)`` with ``c_0 = 0``, ``c_n = K``.
    objective : float
        ``iv - mu * protected_iv`` of the chosen partition.
    iv : float
        Sum of the target IV terms of the chosen bins (shares relative to
        ``totals``).
    protected_iv : float or None
        Sum of the protected-attribute IV terms, ``None`` without a protected
        table.
    n_bins : int
        Number of bins, ``len(cuts) + 1``.
    monotonic_trend : str or None
        The trend enforced (``"auto"`` resolved to the one chosen).
    feasible : bool
        ``False`` when no partition met the constraints and the single bin
        was returned.
    pure_bins : bool
        Whether a chosen bin has goods only or bads only (with
        ``pure_bins="avoid"`` only when no partition could avoid it).
    """

    cuts: tuple[int, ...]
    objective: float
    iv: float
    protected_iv: float | None
    n_bins: int
    monotonic_trend: str | None
    feasible: bool
    pure_bins: bool = False


def merge_counts(counts: ArrayLike, cuts: ArrayLike) -> FloatArray:
    """Sum the rows of ordered pre-bin counts between cuts.

    Parameters
    ----------
    counts : array-like of shape (K, c)
        Counts of the pre-bins.
    cuts : sequence of int
        Start indices of the bins after the first, as in :attr:`MergeResult.cuts`.

    Returns
    -------
    ndarray of shape (len(cuts) + 1, c)

    Examples
    --------
    >>> merge_counts([[1, 2], [3, 4], [5, 6]], (2,))
    array([[4., 6.],
           [5., 6.]])
    """
    arr = np.asarray(counts, dtype=np.float64)
    return np.add.reduceat(arr, np.r_[0, np.asarray(cuts, dtype=np.int64)], axis=0)


def _check_table(x: ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 1:
        raise ValueError(f"{name} must have shape (K, 2) with K >= 1; got {arr.shape}.")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and non-negative.")
    return arr


def _terms(
    table: FloatArray, totals: tuple[float, float], smoothing: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """IV term, size and event rate of every bin ``i..j`` (upper triangle).

    Returns arrays of shape (K, K) indexed ``[i, j]``; entries with ``i > j``
    are ``-inf`` / 0 / NaN.
    """
    k = table.shape[0]
    cg = np.r_[0.0, np.cumsum(table[:, 0])]
    cb = np.r_[0.0, np.cumsum(table[:, 1])]
    i, j = np.triu_indices(k)
    g = np.zeros((k, k))
    b = np.zeros((k, k))
    g[i, j] = cg[j + 1] - cg[i]
    b[i, j] = cb[j + 1] - cb[i]
    # Differences of cumulative sums can leave rounding residue; clip it.
    g = np.where(np.abs(g) < 1e-9 * max(cg[-1], 1.0), 0.0, g)
    b = np.where(np.abs(b) < 1e-9 * max(cb[-1], 1.0), 0.0, b)
    size = g + b
    upper = np.zeros((k, k), dtype=bool)
    upper[i, j] = True
    present = upper & (size > 0)
    # The spine's smoothing rule and IV term; shares over the fixed totals
    # (so the objective stays additive over bins).
    gs, bs, _ = _smooth(g, b, smoothing)
    n_g, n_b = totals
    with np.errstate(divide="ignore", invalid="ignore"):
        p, q = gs / n_g, bs / n_b
        term = _iv_terms(p, q, present)
        rate = b / size
    term = np.where(present & np.isfinite(term), term, -np.inf)
    rate = np.where(present, rate, np.nan)
    return term, size, rate


def merge_objective(
    counts: ArrayLike,
    cuts: ArrayLike,
    *,
    totals: tuple[float, float] | None = None,
    smoothing: float = 0.5,
) -> float:
    """Sum of the IV terms of a given partition (the DP's objective).

    Parameters
    ----------
    counts : array-like of shape (K, 2)
        Goods and bads per pre-bin.
    cuts : sequence of int
        Partition, as in :attr:`MergeResult.cuts`.
    totals : (float, float), default=None
        Class totals for the shares; the column sums of ``counts`` if None.
    smoothing : float, default=0.5
        Added to both cells of a merged bin with a zero cell.

    Returns
    -------
    float
        ``sum_b (p_b - q_b) ln(p_b / q_b)``.

    Examples
    --------
    >>> round(merge_objective([[300, 20], [200, 30], [100, 50]], (1, 2)), 4)
    0.6446
    """
    table = merge_counts(_check_table(counts, "counts"), cuts)
    tot = tuple(table.sum(axis=0)) if totals is None else totals
    term, _, _ = _terms(table, (float(tot[0]), float(tot[1])), smoothing)
    diag = np.diagonal(term)
    return float(np.sum(np.where(np.isfinite(diag), diag, 0.0)))


@renamed(protected="sensitive_counts", protected_totals="sensitive_totals")
def optimal_merge(
    counts: ArrayLike,
    *,
    min_bin_size: float = 0.0,
    max_n_bins: int | None = None,
    monotonic_trend: Trend | None = None,
    sensitive_counts: ArrayLike | None = None,
    mu: float = 0.0,
    totals: tuple[float, float] | None = None,
    sensitive_totals: tuple[float, float] | None = None,
    smoothing: float = 0.5,
    protected: ArrayLike | None = None,
    protected_totals: tuple[float, float] | None = None,
    pure_bins: Literal["avoid", "allow"] = "avoid",
) -> MergeResult:
    r"""Merge ordered pre-bins optimally under size, count and trend limits.

    Parameters
    ----------
    counts : array-like of shape (K, 2)
        Weighted goods (column 0, ``y = 0``) and bads (column 1) of the
        pre-bins, in order.
    min_bin_size : float, default=0.0
        Smallest share of rows per bin, relative to ``sum(totals)``.
    max_n_bins : int or None, default=None
        Largest number of bins; no limit when None.
    monotonic_trend : str or None, default=None
        One of None, "auto", "ascending", "descending", "peak", "valley".
        Constraint on the bins' event rates ``b / (g + b)`` in order
        (non-strict). ``"peak"`` rises then falls, ``"valley"`` falls then
        rises. ``"auto"`` takes the better of ascending and descending, unless
        the better of peak and valley gains significantly more: when
        ``n_G n_B / (n_G + n_B) * (IV_bend - IV_monotone)`` exceeds the 99.9%
        quantile of chi-square(1), 10.83 (the IV chi-square statistic of
        docs/design.md section 3 applied to the gain).
    sensitive_counts : array-like of shape (K, 2), default=None
        Counts of the two protected groups per pre-bin.
    mu : float, default=0.0
        Weight of the protected IV in the objective ``IV - mu * IV_protected``.
    totals : (float, float), default=None
        Class totals for the shares and the size floor (pass the totals of
        the whole feature when missing or special bins sit outside
        ``counts``); the column sums of ``counts`` if None.
    sensitive_totals : (float, float), default=None
        Group totals of ``sensitive_counts``; its column sums if None.
    smoothing : float, default=0.5
        Added to both cells of a merged bin with a zero cell (its shares use
        the unsmoothed totals, so the objective stays a sum of bin terms);
        ``0`` forbids bins with a zero cell.
    protected, protected_totals : default=None
        Deprecated old names of ``sensitive_counts`` and ``sensitive_totals``
        (FutureWarning; removed in 0.3).
    pure_bins : {"avoid", "allow"}, default="avoid"
        ``"avoid"``: a bin with goods only or bads only (whose WoE and IV are
        set by ``smoothing``, not by the data) is allowed only when no
        partition meeting the other limits avoids it; then the best partition
        with such bins is returned and :attr:`MergeResult.pure_bins` says so.
        ``"allow"``: such bins compete like any other (the behaviour before
        0.2).

    Returns
    -------
    MergeResult
        The cut indices, the objective and its parts.

    Raises
    ------
    ValueError
        For malformed tables or parameters outside their ranges.

    Notes
    -----
    With cumulative counts every bin term is O(1). ``best(j, m, i)``, the
    best objective of pre-bins ``0..j`` cut into ``m`` bins whose last bin
    is ``i..j``, is

    .. math:: best(j, m, i) = t(i, j) + \max_{h:\ ok(h, i, j)} best(i-1, m-1, h)

    where ``ok`` checks the trend between bins ``h..i-1`` and ``i..j``;
    bins below the size floor have :math:`t = -\infty`. Peak and valley
    carry one more flag (trend switched). Without a trend the ``h`` index is
    not needed and the cost is :math:`O(K^2 M)` for ``M = max_n_bins``.
    With one, the states are filled by the start ``i`` of the last bin: the
    predecessors ``h`` are sorted once by event rate, so the trend-masked
    maxima for every end ``j`` are reads of one running maximum, again
    :math:`O(K^2 M)` (plus :math:`O(K^2 \log K)` for the sorts) instead of
    :math:`O(K^3 M)`. The single bin is always
    allowed, so a result exists; ``feasible`` reports whether it met the
    floor.

    Examples
    --------
    >>> counts = [[90, 10], [80, 20], [85, 15], [60, 40]]
    >>> res = optimal_merge(counts, monotonic_trend="ascending")
    >>> res.cuts, round(res.iv, 4)
    ((1, 3), 0.4294)
    >>> optimal_merge(counts, max_n_bins=2).cuts
    (3,)
    """
    table = _check_table(counts, "counts")
    k = table.shape[0]
    if monotonic_trend not in _TRENDS:
        raise ValueError(
            f"monotonic_trend must be one of {list(_TRENDS)}; got {monotonic_trend!r}."
        )
    if not 0 <= min_bin_size < 1:
        raise ValueError(f"min_bin_size must be in [0, 1); got {min_bin_size}.")
    if max_n_bins is not None and (
        isinstance(max_n_bins, bool)
        or not isinstance(max_n_bins, int | np.integer)
        or max_n_bins < 1
    ):
        raise ValueError(f"max_n_bins must be an int >= 1 or None; got {max_n_bins!r}.")
    if not math.isfinite(mu) or mu < 0:
        raise ValueError(f"mu must be a finite number >= 0; got {mu}.")
    if not math.isfinite(smoothing) or smoothing < 0:
        raise ValueError(f"smoothing must be a finite number >= 0; got {smoothing}.")
    tot = _totals(table, totals, "totals")
    term, size, rate = _terms(table, tot, smoothing)
    floor = min_bin_size * (tot[0] + tot[1]) * (1 - 1e-12)
    term = np.where(size >= floor, term, -np.inf)
    objective = term
    if protected is not None:
        warn_renamed("protected", "sensitive_counts")
        sensitive_counts = protected
    if protected_totals is not None:
        warn_renamed("protected_totals", "sensitive_totals")
        sensitive_totals = protected_totals
    prot_term = _sensitive_terms(sensitive_counts, sensitive_totals, k, smoothing)
    if prot_term is not None and mu > 0:
        objective = term - mu * prot_term
    if pure_bins not in ("avoid", "allow"):
        raise ValueError(f"pure_bins must be 'avoid' or 'allow'; got {pure_bins!r}.")
    m_max = k if max_n_bins is None else min(k, int(max_n_bins))
    if min_bin_size > 0:  # no more bins than the size floor allows
        m_max = max(1, min(m_max, int(1 / (min_bin_size * (1 - 1e-12)))))
    # The trend DP counts bins only when max_n_bins can bind (the floor
    # already keeps out every partition with too many bins).
    trend_m_max = m_max if max_n_bins is not None and m_max < k else None
    solve_args = (rate, tot, monotonic_trend, m_max, trend_m_max)
    pure = (rate == 0) | (rate == 1)
    cuts: tuple[int, ...] | None = None
    value, trend_used = -np.inf, str(monotonic_trend) if monotonic_trend else None
    if pure_bins == "avoid" and pure.any():
        cuts, value, trend_used = _solve(
            np.where(pure, -np.inf, objective), *solve_args
        )
    if cuts is None or not np.isfinite(value):
        cuts, value, trend_used = _solve(objective, *solve_args)
    feasible = cuts is not None and np.isfinite(value)
    if not feasible:
        cuts = ()
    assert cuts is not None
    bounds = [0, *cuts, k]
    pieces = list(zip(bounds[:-1], [b - 1 for b in bounds[1:]], strict=True))
    full_term, _, _ = _terms(table, tot, smoothing)
    iv = float(sum(_finite(full_term[i, j]) for i, j in pieces))
    piv = None
    if prot_term is not None:
        piv = float(sum(_finite(prot_term[i, j]) for i, j in pieces))
    return MergeResult(
        cuts=tuple(int(c) for c in cuts),
        objective=iv - mu * piv if piv is not None else iv,
        iv=iv,
        protected_iv=piv,
        n_bins=len(cuts) + 1,
        monotonic_trend=trend_used,
        feasible=bool(feasible),
        pure_bins=bool(any(pure[i, j] for i, j in pieces)),
    )


def _solve(
    objective: FloatArray,
    rate: FloatArray,
    tot: tuple[float, float],
    monotonic_trend: str | None,
    m_max: int,
    trend_m_max: int | None,
) -> tuple[tuple[int, ...] | None, float, str | None]:
    """Best partition under the trend: ``(cuts, value, trend used)``."""
    if monotonic_trend == "auto":
        trends = ("ascending", "descending", "peak", "valley")
        # A peak DP's first phase alone is the ascending DP (a valley's the
        # descending one), so two solves give all four optima.
        asc, peak = _solve_trend(objective, rate, trend_m_max, "peak", both=True)
        desc, valley = _solve_trend(objective, rate, trend_m_max, "valley", both=True)
        results = [asc, desc, peak, valley]
        mono = max(range(2), key=lambda r: (results[r][1], -r))
        bend = max(range(2, 4), key=lambda r: (results[r][1], -r))
        # A peak or valley always fits at least as well (monotone is a special
        # case); take it only when its gain is significant (chi-square, 1 df).
        gain = (
            tot[0] * tot[1] / (tot[0] + tot[1]) * (results[bend][1] - results[mono][1])
        )
        best = bend if np.isfinite(gain) and gain > _BEND_CRITICAL else mono
        if not np.isfinite(results[mono][1]):
            best = bend
        cuts, value = results[best]
        trend_used: str | None = trends[best]
    else:
        if monotonic_trend is None:
            cuts, value = _solve_free(objective, m_max)
        else:
            cuts, value = _solve_trend(objective, rate, trend_m_max, monotonic_trend)
        trend_used = monotonic_trend
    return cuts, value, trend_used


def _sensitive_terms(
    counts: ArrayLike | None,
    totals: tuple[float, float] | None,
    k: int,
    smoothing: float,
) -> FloatArray | None:
    """Per-candidate-bin IV terms of the protected groups (``None`` without)."""
    if counts is None:
        return None
    table = _check_table(counts, "sensitive_counts")
    if table.shape[0] != k:
        raise ValueError(
            f"sensitive_counts must have {k} rows like counts; got {table.shape[0]}."
        )
    tot = _totals(table, totals, "sensitive_totals")
    term, size, _ = _terms(table, tot, smoothing)
    term = np.where(size > 0, term, 0.0)
    return np.where(np.isfinite(term), term, np.inf)


def _finite(x: float) -> float:
    return float(x) if np.isfinite(x) else 0.0


def _totals(
    table: FloatArray, totals: tuple[float, float] | None, name: str
) -> tuple[float, float]:
    tot = tuple(table.sum(axis=0)) if totals is None else tuple(totals)
    if len(tot) != 2 or not all(math.isfinite(t) for t in tot):
        raise ValueError(f"{name} must be two finite numbers; got {totals!r}.")
    if tot[0] <= 0 or tot[1] <= 0:
        raise ValueError(f"{name} must both be > 0; got {tot}.")
    if np.any(table.sum(axis=0) > np.asarray(tot) * (1 + 1e-9)):
        raise ValueError(f"{name} {tot} are smaller than the table's column sums.")
    return float(tot[0]), float(tot[1])


def _solve_free(term: FloatArray, m_max: int) -> tuple[tuple[int, ...] | None, float]:
    """DP without a trend: state (end j, number of bins m)."""
    k = term.shape[0]
    best = np.full((k, m_max + 1), -np.inf)
    arg = np.zeros((k, m_max + 1), dtype=np.int64)
    best[:, 1] = term[0, :]
    for j in range(1, k):
        # last bin i..j for i = 1..j, previous state (i - 1, m - 1)
        if m_max < 2:
            break
        cand = term[1 : j + 1, j][:, None] + best[:j, 1:-1]  # (j, m_max - 1)
        idx = np.argmax(cand, axis=0)
        best[j, 2:] = cand[idx, np.arange(m_max - 1)]
        arg[j, 2:] = idx + 1
    m = int(np.argmax(best[k - 1]))
    value = float(best[k - 1, m])
    if not np.isfinite(value):
        return None, value
    cuts = []
    j = k - 1
    while m > 1:
        i = int(arg[j, m])
        cuts.append(i)
        j, m = i - 1, m - 1
    return tuple(sorted(cuts)), value


def _solve_trend(
    term: FloatArray,
    rate: FloatArray,
    m_max: int | None,
    trend: str,
    *,
    both: bool = False,
) -> Any:
    """DP with a trend: state (end j, bins m, start i of last bin, phase s).

    ``m_max=None``: no limit on the number of bins, and the ``m`` axis
    collapses to one slot. Returns ``(cuts, value)``; with ``both=True``
    (peak or valley) a pair of them: the best path that never left the first
    phase (the monotone optimum) and the best path overall.
    """
    k = term.shape[0]
    n_phase = 2 if trend in ("peak", "valley") else 1
    counting = m_max is not None
    n_m = m_max if m_max is not None else 1
    best = np.full((k, n_m + 1, k, n_phase), -np.inf)
    best[:, 1, 0, 0] = term[0, :]
    # bins m - 1 before the last bin; without counting, slot 1 throughout
    before = slice(0, n_m) if counting else slice(1, 2)
    rising = trend in ("ascending", "peak")
    # Bins starting at i follow bins ending at i - 1, whose states are final
    # once every start h < i is done; all ends j >= i are filled at once.
    for i in range(1, k):
        t = term[i, i:]  # last bin i..j for j = i..k-1
        live = np.isfinite(t)
        if not live.any():
            continue
        prev = best[i - 1, before, :i, :]  # (m - 1, h, phase)
        r_prev, r_new = rate[:i, i - 1], rate[i, i:]
        # phase 0 keeps the first direction (rising: new rate >= previous)
        v0 = _threshold_max(prev[:, :, 0], r_prev, r_new, below=rising)
        best[i:, 1:, i, 0] = np.where(live, t + v0, -np.inf).T
        if n_phase == 2:
            # phase 1 goes the other way, switching now or having switched
            v = _threshold_max(
                prev.transpose(2, 0, 1).reshape(2 * n_m, i),
                r_prev,
                r_new,
                below=not rising,
            )
            v1 = np.maximum(v[:n_m], v[n_m:])
            best[i:, 1:, i, 1] = np.where(live, t + v1, -np.inf).T

    def predecessor(j: int, m: int, i: int, s: int) -> tuple[int, int]:
        """The (start, phase) of the bin before bin i..j on a best path."""
        prev = best[i - 1, m - 1 if counting else 1, :i, :]
        r_prev, r_new = rate[:i, i - 1], rate[i, j]
        with np.errstate(invalid="ignore"):
            up, down = r_new >= r_prev, r_new <= r_prev
        if s == 0:
            first = np.where(up if rising else down, prev[:, 0], -np.inf)
            return int(np.argmax(first)), 0
        ok = down if rising else up
        switch = np.where(ok, prev[:, 0], -np.inf)
        stay = np.where(ok, prev[:, 1], -np.inf)
        if switch.max() >= stay.max():
            return int(np.argmax(switch)), 0
        return int(np.argmax(stay)), 1

    def backtrack(final: FloatArray) -> tuple[tuple[int, ...] | None, float]:
        flat = int(np.argmax(final))
        m, i, s = (int(v) for v in np.unravel_index(flat, final.shape))
        value = float(final[m, i, s])
        if not np.isfinite(value):
            return None, value
        cuts = []
        j = k - 1
        while i > 0:  # the first bin starts at pre-bin 0
            cuts.append(i)
            h, s = predecessor(j, m, i, s)
            j, i = i - 1, h
            m = m - 1 if counting else m
        return tuple(sorted(cuts)), value

    if both:
        return backtrack(best[k - 1, :, :, :1]), backtrack(best[k - 1])
    return backtrack(best[k - 1])


def _threshold_max(
    values: FloatArray, keys: FloatArray, queries: FloatArray, *, below: bool
) -> FloatArray:
    """Masked row maxima of ``values`` for many thresholds at once.

    Per query ``q``: the max of ``values[:, h]`` over the ``h`` with
    ``keys[h] <= q`` (``below``) or ``keys[h] >= q``. ``values`` is
    ``(M, H)``, ``keys`` ``(H,)``, ``queries`` ``(J,)``; the result is
    ``(M, J)``. NaN keys never qualify and NaN queries get ``-inf``. Sorting
    the keys once turns the masked maxima into one running maximum read at
    ``searchsorted`` positions.
    """
    order = np.argsort(keys, kind="stable")  # NaN keys sort last
    n_ok = keys.size - int(np.isnan(keys).sum())
    order = order[:n_ok]
    sorted_keys = keys[order]
    if below:
        count = np.searchsorted(sorted_keys, queries, side="right")
    else:  # keys >= q, scanned from the largest down
        order = order[::-1]
        count = n_ok - np.searchsorted(sorted_keys, queries, side="left")
    nan_query = np.isnan(queries)
    if nan_query.any():
        count[nan_query] = 0
    if n_ok == 0:
        return np.full((values.shape[0], queries.size), -np.inf)
    running = np.maximum.accumulate(values[:, order], axis=1)
    out = running[:, np.maximum(count - 1, 0)]
    out[:, count == 0] = -np.inf
    return out
