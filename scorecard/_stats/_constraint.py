"""Fairness helpers on divergences: the chance constraint and the trade-off ratio."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._divergence import Divergence
from ._prepare import FloatArray

__all__ = ["ChanceConstraint", "chance_constraint", "tradeoff_ratio"]


@dataclass(frozen=True)
class ChanceConstraint:
    """Outcome of the probabilistic constraint ``IV + z * SE <= eps``.

    Attributes
    ----------
    upper_bound : float or ndarray
        ``IV + z * SE``.
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


def chance_constraint(
    fairness_iv: Divergence, *, eps: float, z: float = 1.645
) -> ChanceConstraint:
    """Check the probabilistic fairness constraint ``IV + z * SE <= eps``.

    Parameters
    ----------
    fairness_iv : Divergence
        IV of a score or feature binning between two protected groups.
    eps : float
        Largest acceptable demographic IV.
    z : float, default=1.645
        Normal quantile; ``0`` gives the nominal constraint.

    Returns
    -------
    ChanceConstraint

    Raises
    ------
    ValueError
        If ``eps`` is negative or not finite.

    Examples
    --------
    >>> from scorecard import information_value
    >>> iv = information_value([500, 500], [480, 520])
    >>> chance_constraint(iv, eps=0.02).satisfied
    True
    """
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be a finite number >= 0; got {eps}.")
    upper = np.asarray(fairness_iv.estimate) + z * np.asarray(fairness_iv.se)
    sat = upper <= eps
    if upper.ndim == 0:
        return ChanceConstraint(float(upper), float(eps), float(z), bool(sat))
    return ChanceConstraint(upper, float(eps), float(z), sat)


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
