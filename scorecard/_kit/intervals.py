"""Interval pieces every result object shares: level checks, z, Wald and ncx2 intervals.

One implementation of ``ci()`` arithmetic for the whole package: the spine's
divergences, the AUC, the fairness metrics and the drift results all call
these, so a change of rule (truncation, clipping, the level check) happens in
one place.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "check_alpha",
    "divergence_interval",
    "ncx2_interval",
    "ncx2_upper",
    "normal_sf",
    "two_sided_pvalue",
    "wald_interval",
    "z_critical",
]

FloatArray = NDArray[np.float64]

#: Message for a level outside (0, 1); ``alpha`` is always one minus coverage.
ALPHA_MESSAGE = "alpha (one minus the coverage) must be a number in (0, 1); got {!r}."


def check_alpha(alpha: object) -> float:
    """Return ``alpha`` as a float after checking ``0 < alpha < 1``.

    Raises
    ------
    ValueError
        If ``alpha`` is not a real number strictly between 0 and 1.
    """
    if (
        isinstance(alpha, bool)
        or not isinstance(alpha, int | float | np.floating | np.integer)
        or not 0 < float(alpha) < 1
    ):
        raise ValueError(ALPHA_MESSAGE.format(alpha))
    return float(alpha)


def z_critical(alpha: float) -> float:
    """Two-sided standard normal critical value ``z_{1 - alpha/2}``."""
    from scipy import special

    return float(-special.ndtri(check_alpha(alpha) / 2))


def normal_sf(z: ArrayLike) -> FloatArray:
    """Upper tail ``P(Z > z)`` of the standard normal."""
    from scipy import special

    return np.asarray(special.ndtr(-np.asarray(z, dtype=np.float64)))


def two_sided_pvalue(z: ArrayLike) -> FloatArray:
    """Two-sided normal p-value ``2 P(Z > |z|)``."""
    return 2 * normal_sf(np.abs(np.asarray(z, dtype=np.float64)))


def wald_interval(
    estimate: ArrayLike,
    se: ArrayLike,
    alpha: float = 0.05,
    *,
    lower: float | None = None,
    upper: float | None = None,
) -> FloatArray:
    """Wald interval ``estimate -+ z se``, optionally truncated to ``[lower, upper]``.

    Parameters
    ----------
    estimate, se : array-like
        Estimates and standard errors of the same shape.
    alpha : float, default=0.05
        One minus the coverage.
    lower, upper : float, default=None
        Truncation bounds (e.g. ``lower=0`` for a divergence, ``[0, 1]`` for
        an AUC).

    Returns
    -------
    ndarray
        Shape ``estimate.shape + (2,)``: ``[..., 0]`` the lower end.

    Examples
    --------
    >>> wald_interval(0.5, 0.1).round(4).tolist()
    [0.304, 0.696]
    >>> wald_interval([0.05], [0.1], lower=0.0).round(4).tolist()
    [[0.0, 0.246]]
    """
    z = z_critical(alpha)
    est = np.asarray(estimate, dtype=np.float64)
    half = z * np.asarray(se, dtype=np.float64)
    low, high = est - half, est + half
    if lower is not None:
        low, high = np.maximum(low, lower), np.maximum(high, lower)
    if upper is not None:
        low, high = np.minimum(low, upper), np.minimum(high, upper)
    return np.stack([low, high], axis=-1)


def _ncx2_tail(
    t: FloatArray, k: FloatArray, lam: FloatArray, upper: bool
) -> FloatArray:
    from scipy import stats

    lam = np.maximum(lam, 0.0)
    with np.errstate(all="ignore"):
        central = stats.chi2.cdf(t, k) if upper else stats.chi2.sf(t, k)
        shifted = (
            stats.ncx2.cdf(t, k, np.maximum(lam, 1e-300))
            if upper
            else stats.ncx2.sf(t, k, np.maximum(lam, 1e-300))
        )
    return np.asarray(np.where(lam > 0, shifted, central), dtype=np.float64)


def _ncx2_lambda(
    statistic: FloatArray, df: FloatArray, tail: float, *, upper: bool
) -> FloatArray:
    """Non-centrality ``lam >= 0`` of an interval end (0 when none exists).

    The lower end solves ``P(T >= t; df, lam) = tail``, the upper end
    ``P(T <= t; df, lam) = tail``: scipy's ``chndtrinc`` (the inverse of the
    non-central chi-square CDF in ``lam``), with a bisection where it fails.
    """
    from scipy import special

    t = np.asarray(statistic, dtype=np.float64)
    k = np.asarray(df, dtype=np.float64)
    target = tail if upper else 1.0 - tail
    ok = np.isfinite(t) & (k > 0) & (t > 0)
    central = np.where(ok, special.chdtr(np.where(ok, k, 1), np.where(ok, t, 1)), 0.0)
    todo = ok & (central > target)
    out = np.where(np.isfinite(t), 0.0, np.nan)
    if todo.any():
        lam = _ncx2_cornish_fisher(t[todo], k[todo], target, upper=upper)
        slow = ~np.isfinite(lam)
        if slow.any():
            with np.errstate(all="ignore"):
                lam[slow] = special.chndtrinc(t[todo][slow], k[todo][slow], target)
        bad = ~np.isfinite(lam) | (lam < 0)
        if bad.any():
            lam[bad] = _ncx2_bisect(t[todo][bad], k[todo][bad], tail, upper=upper)
        out[todo] = lam
    return out


#: Above this statistic the interval ends use the Cornish-Fisher expansion
#: (error below 1e-4 of the interval width there; scipy's exact inversion
#: costs ~0.5 ms per value at statistics in the thousands).
CORNISH_FISHER_FROM = 100.0


def _ncx2_cornish_fisher(
    t: FloatArray, k: FloatArray, target: float, *, upper: bool
) -> FloatArray:
    """``lam`` with ``t`` the ``target`` quantile of ``ncx2(k, lam)`` (large t).

    Fixed point of ``lam = t - k - sd(lam) * q(lam)`` with ``q`` the
    four-term Cornish-Fisher quantile of the standardised law (skewness
    and kurtosis of the non-central chi-square); NaN for ``t`` at or below
    :data:`CORNISH_FISHER_FROM` (the caller inverts exactly there).
    """
    from scipy import special

    out = np.full(t.shape, np.nan)
    big = t > CORNISH_FISHER_FROM
    if not big.any():
        return out
    tb, kb = t[big], k[big]
    z = special.ndtri(target)
    lam = np.maximum(tb - kb, 1.0)
    for _ in range(60):
        scale = kb + 2 * lam
        skew = 2**1.5 * (kb + 3 * lam) / scale**1.5
        kurt = 12 * (kb + 4 * lam) / scale**2
        q = (
            z
            + skew * (z**2 - 1) / 6
            + kurt * (z**3 - 3 * z) / 24
            - skew**2 * (2 * z**3 - 5 * z) / 36
        )
        new = np.maximum(tb - kb - np.sqrt(2 * scale) * q, 0.0)
        if np.all(np.abs(new - lam) <= 1e-10 * np.maximum(1.0, lam)):
            lam = new
            break
        lam = new
    out[big] = lam
    return out


def _ncx2_bisect(
    statistic: FloatArray, df: FloatArray, tail: float, *, upper: bool
) -> FloatArray:
    """Bisection fallback of :func:`_ncx2_lambda` (same contract)."""
    t = np.asarray(statistic, dtype=np.float64).ravel()
    k = np.asarray(df, dtype=np.float64).ravel()
    out = np.zeros(t.shape)
    ok = np.isfinite(t) & (k > 0)
    out[~np.isfinite(t)] = np.nan
    sign = -1.0 if upper else 1.0  # make the target increasing in lam
    at0 = sign * (_ncx2_tail(t, k, np.zeros_like(t), upper) - tail)
    todo = ok & (at0 < 0)
    if todo.any():
        tt, kk = t[todo], k[todo]
        lo = np.zeros(tt.shape)
        hi = np.maximum(1.0, 2.0 * tt + 4.0 * np.sqrt(tt + kk) + 10.0)
        for _ in range(60):
            short = sign * (_ncx2_tail(tt, kk, hi, upper) - tail) < 0
            if not short.any():
                break
            hi = np.where(short, 2.0 * hi, hi)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            below = sign * (_ncx2_tail(tt, kk, mid, upper) - tail) < 0
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
            if np.all(hi - lo <= 1e-9 * np.maximum(1.0, hi)):
                break
        out[todo] = 0.5 * (lo + hi)
    return out.reshape(np.shape(statistic))


#: Belts of :func:`ncx2_interval` (``method=``).
NCX2_METHODS = ("unified", "equal_tailed")

#: The ``interval`` names of the divergence results and the drift report,
#: with their belt (:func:`divergence_interval`).
NCX2_INTERVALS = {"ncx2": "unified", "ncx2_equal_tailed": "equal_tailed"}


def ncx2_interval(
    statistic: ArrayLike,
    df: ArrayLike,
    scale: ArrayLike,
    alpha: float = 0.05,
    *,
    method: str = "equal_tailed",
) -> FloatArray:
    """Interval for ``D = scale * lam`` by inverting ``T ~ ncx2(df, lam)``.

    The test statistic of a divergence ``D`` is ``T = D_hat / scale``; under
    local alternatives it is non-central chi-square with ``df`` degrees of
    freedom and non-centrality ``lam = D / scale`` (docs/methodology.md,
    "Near-null intervals"; the RMSEA interval of Steiger & Lind 1980 and
    Browne & Cudeck 1993). Two belts (``method``):

    ``"equal_tailed"``
        The ends are the ``lam`` whose upper and lower tail probabilities at
        the observed ``T`` are ``alpha / 2``; an end with no such ``lam`` is
        0. It covers exactly ``1 - alpha`` at every ``lam > 0`` but
        ``1 - alpha / 2`` at ``lam = 0`` (the lower end is positive only when
        ``T`` passes the central ``1 - alpha / 2`` quantile).
    ``"unified"``
        Feldman & Cousins (1998): the acceptance region of each ``lam``
        holds the ``t`` of highest likelihood ratio ``f(t; lam) / f(t;
        lam_hat(t))``; it covers ``1 - alpha`` at every ``lam`` including 0
        and passes smoothly from an upper limit (lower end 0) near the null
        to a two-sided interval. Computed from a belt tabulated per
        ``(df, alpha)`` and cached (:mod:`scorecard._kit._unified`; the
        coverage error of the ends is below 1e-3, checked by integrating
        the law); above ``T = 85,000`` it uses the equal-tailed ends, which
        agree there to well below 1% of the width.

    Parameters
    ----------
    statistic, df, scale : array-like
        Observed statistic, degrees of freedom (real, > 0) and the null
        scale.
    alpha : float, default=0.05
        One minus the coverage.
    method : {"equal_tailed", "unified"}, default="equal_tailed"
        The belt (above).

    Returns
    -------
    ndarray
        Shape ``statistic.shape + (2,)``.

    Examples
    --------
    >>> ncx2_interval(0.5, 2, 0.01).round(4).tolist()  # T small: [0, hi]
    [0.0, 0.0492]
    >>> ncx2_interval(0.5, 2, 0.01, method="unified").round(4).tolist()
    [0.0, 0.0491]
    """
    alpha = check_alpha(alpha)
    if method not in NCX2_METHODS:
        raise ValueError(f"method must be 'unified' or 'equal_tailed'; got {method!r}.")
    t = np.asarray(statistic, dtype=np.float64)
    k = np.broadcast_to(np.asarray(df, dtype=np.float64), t.shape)
    s = np.broadcast_to(np.asarray(scale, dtype=np.float64), t.shape)
    if method == "unified":
        from ._unified import unified_lambda

        low, high = unified_lambda(np.maximum(t, 0.0), k, alpha)
        far = np.isnan(low) & np.isfinite(t)
        if far.any():  # beyond the tabulated belt: the equal-tailed ends
            low[far] = _ncx2_lambda(t[far], k[far], alpha / 2, upper=False)
            high[far] = _ncx2_lambda(t[far], k[far], alpha / 2, upper=True)
    else:
        low = _ncx2_lambda(t, k, alpha / 2, upper=False)
        high = _ncx2_lambda(t, k, alpha / 2, upper=True)
    return np.stack([low * s, high * s], axis=-1)


def ncx2_upper(
    statistic: ArrayLike, df: ArrayLike, scale: ArrayLike, alpha: float = 0.05
) -> FloatArray:
    """One-sided ``1 - alpha`` upper confidence bound ``scale * lam_U``.

    ``lam_U`` solves ``P(T <= t; df, lam_U) = alpha``: the equivalence-test
    bound (``D < eps`` is shown at level ``alpha`` when the bound is below
    ``eps``).
    """
    alpha = check_alpha(alpha)
    t = np.asarray(statistic, dtype=np.float64)
    k = np.broadcast_to(np.asarray(df, dtype=np.float64), t.shape)
    s = np.broadcast_to(np.asarray(scale, dtype=np.float64), t.shape)
    return _ncx2_lambda(t, k, alpha, upper=True) * s


def divergence_interval(
    estimate: ArrayLike,
    se: ArrayLike,
    df: ArrayLike,
    scale: ArrayLike,
    alpha: float = 0.05,
    *,
    interval: str = "ncx2",
    design_effect: ArrayLike = 1.0,
) -> FloatArray:
    """The ncx2 interval of a divergence, its law scaled to the SE where larger.

    ``interval``: a key of :data:`NCX2_INTERVALS`, the result's name of the
    belt (``"ncx2"``: unified; ``"ncx2_equal_tailed"``).

    Inverts ``c ncx2(df / c, lam / c)`` (:func:`ncx2_interval` of ``T / c``
    with ``df / c`` and scale ``s c``; ``T = estimate / s``): the
    non-central law's mean with ``c`` times its variance ``2 df + 4 lam``.
    ``c`` is the largest of ``design_effect`` (sampling weights) and
    ``(se / s)^2 / (2 df + 4 lam_hat)``, ``lam_hat = max(T - df, 0)``, and at
    least 1: far from the null (a strong feature with a thin bin) the
    statistic's variance can exceed the law's, which holds only near it
    (docs/methodology.md, section 14). The one rule of ``Divergence.ci`` and
    of the drift report's ``FeatureDrift.ci``.
    """
    s = np.atleast_1d(np.asarray(scale, dtype=np.float64))
    t = np.atleast_1d(np.asarray(estimate, dtype=np.float64)) / s
    k = np.atleast_1d(np.asarray(df, dtype=np.float64))
    law = 2.0 * k + 4.0 * np.maximum(t - k, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (np.asarray(se, dtype=np.float64) / s) ** 2 / law
    match = np.where(np.isfinite(ratio) & (ratio > 1 + 1e-9), ratio, 1.0)
    c = np.maximum(np.asarray(design_effect, dtype=np.float64), match)
    return ncx2_interval(t / c, k / c, s * c, alpha, method=NCX2_INTERVALS[interval])
