"""Fairness helpers on divergences: the chance constraint and the trade-off ratio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .._kit.intervals import ncx2_upper, normal_sf
from ._divergence import Divergence
from ._prepare import FloatArray

__all__ = ["ChanceConstraint", "chance_constraint", "tradeoff_ratio"]


@dataclass(frozen=True)
class ChanceConstraint:
    """Outcome of the chance constraint ``upper bound <= eps``.

    Attributes
    ----------
    upper_bound : float or ndarray
        The one-sided upper bound of the IV (``method`` says which).
    eps : float
        The tolerance.
    z : float
        The normal quantile (1.645 is a one-sided 95% chance constraint).
    satisfied : bool or ndarray
        Whether ``upper_bound <= eps``.
    """

    upper_bound: float | FloatArray
    eps: float
    z: float
    satisfied: bool | NDArray[np.bool_]
    method: str = "plugin"


ConstraintMethod = Literal["ncx2", "bias_corrected", "plugin"]


def chance_constraint(
    fairness_iv: Divergence,
    *,
    eps: float,
    z: float = 1.645,
    method: ConstraintMethod = "ncx2",
) -> ChanceConstraint:
    """Check the chance constraint "the demographic IV is below ``eps``".

    Parameters
    ----------
    fairness_iv : Divergence
        IV of a score or feature binning between two protected groups.
    eps : float
        Largest acceptable demographic IV.
    z : float, default=1.645
        Normal quantile of the one-sided level (1.645: 95%); ``0`` gives the
        nominal constraint on the point estimate.
    method : {"ncx2", "bias_corrected", "plugin"}, default="ncx2"
        ``"ncx2"``: the one-sided ``1 - alpha`` upper confidence bound from
        inverting the non-central chi-square law of the test statistic, with
        ``alpha = P(Z > z)``; ``satisfied`` is then an equivalence test of
        ``IV >= eps`` against ``IV < eps`` at level ``alpha``
        (docs/methodology.md). ``"bias_corrected"``: ``bias_corrected + z SE``.
        ``"plugin"``: the source's ``IV + z SE``, which counts the plug-in
        bias against the score and fails fair scores in small samples
        (reproduction only).

    Returns
    -------
    ChanceConstraint

    Raises
    ------
    ValueError
        If ``eps`` is negative or not finite, or ``method`` is unknown.

    Examples
    --------
    >>> from scorecard import information_value
    >>> iv = information_value([500, 500], [480, 520])
    >>> chance_constraint(iv, eps=0.02).satisfied
    True
    """
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be a finite number >= 0; got {eps}.")
    if method not in ("ncx2", "bias_corrected", "plugin"):
        raise ValueError(
            f"method must be 'ncx2', 'bias_corrected' or 'plugin'; got {method!r}."
        )
    est = np.asarray(fairness_iv.estimate, dtype=np.float64)
    se = np.asarray(fairness_iv.se, dtype=np.float64)
    if method == "plugin":
        upper = est + z * se
    elif method == "bias_corrected":
        upper = np.asarray(fairness_iv.bias_corrected, dtype=np.float64) + z * se
    else:
        scale = np.asarray(fairness_iv.null_scale, dtype=np.float64)
        alpha = float(normal_sf(z))
        if not 0 < alpha < 0.5:
            raise ValueError(f"z must be a positive finite number for 'ncx2'; got {z}.")
        upper = ncx2_upper(est / scale, fairness_iv.df, scale, alpha)
    sat = upper <= eps
    if upper.ndim == 0:
        return ChanceConstraint(float(upper), float(eps), float(z), bool(sat), method)
    return ChanceConstraint(upper, float(eps), float(z), sat, method)


def tradeoff_ratio(
    performance_iv: Divergence, fairness_iv: Divergence, *, k: float = 1.0
) -> float | FloatArray:
    """Conservative accuracy-fairness trade-off ratio.

    ``(IV_perf - k SE_perf) / (IV_fair + k SE_fair)``: predictive information
    per unit of protected-group information, both taken at the pessimistic
    end of their ``k``-SE band.

    Parameters
    ----------
    performance_iv : Divergence
        IV against the target.
    fairness_iv : Divergence
        IV against the protected attribute.
    k : float, default=1.0
        Number of standard errors.

    Returns
    -------
    float or ndarray
        The ratio (``inf`` when the denominator is 0).

    Examples
    --------
    >>> from scorecard import information_value
    >>> perf = information_value([300, 200, 100], [20, 30, 50])
    >>> fair = information_value([200, 200, 200], [190, 210, 200])
    >>> tradeoff_ratio(perf, fair, k=1.0) > 1
    True
    """
    num = np.asarray(performance_iv.estimate) - k * np.asarray(performance_iv.se)
    den = np.asarray(fairness_iv.estimate) + k * np.asarray(fairness_iv.se)
    with np.errstate(divide="ignore"):
        ratio = np.where(den > 0, num / np.where(den > 0, den, 1), np.inf)
    return ratio.item() if ratio.ndim == 0 else ratio
