r"""Adverse impact ratio for small and zero counts: score interval, exact tests.

The AIR of a group is the ratio of two binomial proportions,
:math:`\phi = a_g / a_{ref}`. Its interval inverts Koopman's (1984) score
test of :math:`H_0: p_g = \phi\, p_{ref}`: with the restricted maximum
likelihood :math:`\tilde p_{ref}(\phi)` (root of a quadratic) and
:math:`\tilde p_g = \phi \tilde p_{ref}`,

.. math:: Z(\phi) = \frac{\hat p_g - \phi \hat p_{ref}}
          {\sqrt{\tilde p_g (1 - \tilde p_g) / n_g
                 + \phi^2 \tilde p_{ref} (1 - \tilde p_{ref}) / n_{ref}}}

and the interval is :math:`\{\phi : |Z(\phi)| \le z_{1-\alpha/2}\}`. It is
defined for 0 approvals (lower end 0, finite upper end) and for a group with
all rows approved, where the delta method on the log ratio breaks down. The
test of "no disparity" (:math:`\phi = 1`) is Fisher's exact test (default)
or its mid-p version on the 2x2 table of approvals. Sample weights enter
through effective counts (docs/methodology.md "Group fairness in small
groups").
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from scorecard._kit.intervals import z_critical

__all__ = [
    "AirTest",
    "effective_counts",
    "exact_pvalue",
    "ratio_score_interval",
    "ratio_score_statistic",
]

AirTest = Literal["fisher", "mid-p"]
FloatArray = NDArray[np.float64]

#: Relative tolerance when collecting tables "as or less likely" than the
#: observed one (the same device as R's fisher.test).
_TIE_TOLERANCE = 1e-7


def _restricted(phi: float, x1: float, n1: float, x2: float, n2: float) -> float:
    """Restricted MLE of the reference proportion under ``p1 = phi p2``."""
    a = phi * (n1 + n2)
    b = -(phi * n1 + x1 + n2 + phi * x2)
    c = x1 + x2
    disc = max(b * b - 4 * a * c, 0.0)
    return (-b - math.sqrt(disc)) / (2 * a)


def ratio_score_statistic(
    phi: float, x1: float, n1: float, x2: float, n2: float
) -> float:
    """Koopman's score statistic ``Z(phi)`` of ``p1 / p2 = phi`` (see module)."""
    p2 = _restricted(phi, x1, n1, x2, n2)
    p1 = phi * p2
    var = p1 * (1 - p1) / n1 + phi * phi * p2 * (1 - p2) / n2
    diff = x1 / n1 - phi * x2 / n2
    if var <= 0:
        return math.copysign(math.inf, diff) if diff != 0 else 0.0
    return diff / math.sqrt(var)


def _bound(
    x1: float, n1: float, x2: float, n2: float, z: float, start: float, side: int
) -> float:
    """The end of the interval on ``side`` (-1 lower, +1 upper) of ``start``."""

    def f(t: float) -> float:
        return ratio_score_statistic(math.exp(t), x1, n1, x2, n2) + side * z

    t0 = math.log(start)
    step = 1.0
    t1 = t0 + side * step
    while f(t1) * side > 0:  # still inside the interval
        step *= 2
        t1 = t0 + side * step
        if abs(t1) > 60:
            return 0.0 if side < 0 else math.inf
    lo, hi = sorted((t0, t1))
    return math.exp(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-12))


def ratio_score_interval(
    x1: float, n1: float, x2: float, n2: float, alpha: float = 0.05
) -> FloatArray:
    """Koopman score interval of ``(x1 / n1) / (x2 / n2)``.

    Parameters
    ----------
    x1, n1 : float
        Approvals and rows of the group (floats: effective counts allowed).
    x2, n2 : float
        The same for the reference group.
    alpha : float, default=0.05
        One minus the coverage.

    Returns
    -------
    ndarray of shape (2,)
        ``[low, high]``; ``low = 0`` when ``x1 = 0``, ``high = inf`` when
        ``x2 = 0``; ``[nan, nan]`` when either group is empty.

    Examples
    --------
    0 of 10 approved against 5 of 10: the interval starts at 0 and is not
    empty.

    >>> ratio_score_interval(0, 10, 5, 10).round(4).tolist()
    [0.0, 0.6129]
    """
    z = z_critical(alpha)
    if n1 <= 0 or n2 <= 0:
        return np.array([math.nan, math.nan])
    if x1 <= 0 and x2 <= 0:
        return np.array([0.0, math.inf])
    if x2 <= 0:
        low = _bound(x1, n1, x2, n2, z, 1e6, -1) if x1 > 0 else 0.0
        return np.array([low, math.inf])
    phi_hat = (x1 / n1) / (x2 / n2)
    start = phi_hat if phi_hat > 0 else min(1.0, 0.5 / (n1 * x2 / n2))
    low = 0.0 if x1 <= 0 else _bound(x1, n1, x2, n2, z, start, -1)
    high = _bound(x1, n1, x2, n2, z, start, +1)
    return np.array([low, high])


def _log_hypergeom(
    x: NDArray[np.int64], total: int, approved: int, drawn: int
) -> FloatArray:
    """Log-probabilities of ``x`` approvals among ``drawn`` of ``total`` rows.

    ``log C(approved, x) + log C(total - approved, drawn - x) - log C(total,
    drawn)`` from ``gammaln``: the whole support at once in microseconds
    (scipy's per-point ``hypergeom.pmf`` took about a second for 50,000 rows),
    absolute error about ``1e-16 * total log total``, far inside the tie
    tolerance.
    """
    g = special.gammaln
    xf = x.astype(np.float64)
    log_c = -g(xf + 1) - g(approved - xf + 1) - g(drawn - xf + 1)
    log_c -= g(total - approved - drawn + xf + 1)
    const = g(approved + 1) + g(total - approved + 1) + g(drawn + 1)
    const += g(total - drawn + 1) - g(total + 1)
    return np.asarray(log_c + const, dtype=np.float64)


def exact_pvalue(
    x1: float, n1: float, x2: float, n2: float, test: AirTest = "fisher"
) -> float:
    """Two-sided exact p-value of equal approval rates (2x2 table).

    Parameters
    ----------
    x1, n1, x2, n2 : float
        Approvals and rows of the group and of the reference, rounded to
        whole numbers (split ties and effective counts are fractional).
    test : {"fisher", "mid-p"}, default="fisher"
        Fisher's exact test (the tables no more likely than the observed
        one, conditional on the margins), or its mid-p version (half the
        probability of the tables as likely as the observed one), whose size
        is closer to the nominal level.

    Returns
    -------
    float

    Examples
    --------
    0 of 2 approved against a reference with half approved:

    >>> round(exact_pvalue(0, 2, 500, 1000), 2)
    0.5
    """
    a, m, b, k = (int(round(v)) for v in (x1, n1, x2, n2))
    total, approved = m + k, a + b
    if m == 0 or k == 0 or approved in (0, total):
        return 1.0
    support = np.arange(max(0, approved - k), min(m, approved) + 1)
    log_probs = _log_hypergeom(support, total, approved, m)
    log_observed = float(_log_hypergeom(np.array([a]), total, approved, m)[0])
    probs = np.exp(log_probs - log_probs.max())
    probs /= probs.sum()  # the support's mass is 1: the rounding removed
    less = log_probs < log_observed + math.log1p(-_TIE_TOLERANCE)
    same = ~less & (log_probs <= log_observed + math.log1p(_TIE_TOLERANCE))
    if test == "fisher":
        p = probs[less].sum() + probs[same].sum()
    else:
        p = probs[less].sum() + 0.5 * probs[same].sum()
    return float(min(1.0, p))


def effective_counts(
    approved: FloatArray, weight: FloatArray, kind: str
) -> tuple[float, float, float, float]:
    """Approval rate, its variance, and effective approvals and rows of a group.

    ``approved`` is each row's approval (0..1; a fraction for rows sharing a
    tie at the cutoff, counted as a Bernoulli draw). Frequency weights are
    replication counts: the counts are the weighted sums. Sampling weights:
    the linearisation variance of the weighted rate ``a = sum w d / sum w``,
    ``V = sum w^2 [(d - a)^2 + d (1 - d)] / (sum w)^2``, and the effective
    rows ``a (1 - a) / V`` (Kish's ``(sum w)^2 / sum w^2`` when ``a`` is 0 or
    1), so equal weights give the unweighted counts.
    """
    total = float(weight.sum())
    rate = float((weight * approved).sum() / total)
    if kind == "frequency":
        var = rate * (1 - rate) / total
        return rate, var, rate * total, total
    w2 = weight**2
    var = float(
        (w2 * ((approved - rate) ** 2 + approved * (1 - approved))).sum() / total**2
    )
    if var > 0 and 0 < rate < 1:
        n_eff = rate * (1 - rate) / var
    else:
        n_eff = total**2 / float(w2.sum())
    return rate, var, rate * n_eff, n_eff
