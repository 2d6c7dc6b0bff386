"""Normal-theory pieces every result object shares: level checks, z, Wald intervals.

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
