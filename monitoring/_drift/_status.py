"""The status rule: stable, watch or drift from magnitude and evidence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scorecard._kit.intervals import check_alpha

from ._checks import check_bands

__all__ = ["drift_status"]


def drift_status(
    estimate: ArrayLike,
    ci_low: ArrayLike,
    pvalue: ArrayLike,
    *,
    psi_bands: Sequence[float] = (0.10, 0.25),
    alpha: float = 0.05,
) -> NDArray[np.str_]:
    """Status per feature from magnitude (bands) and evidence (test, CI).

    Parameters
    ----------
    estimate : array-like of float
        PSI estimates.
    ci_low : array-like of float
        Lower bounds of the ``1 - alpha`` intervals of PSI.
    pvalue : array-like of float
        P-values of the chi-square test of no change.
    psi_bands : (float, float), default=(0.10, 0.25)
        Lower (watch) and upper (drift) PSI bands, ``0 <= low <= high``.
    alpha : float, default=0.05
        Significance level of the test.

    Returns
    -------
    ndarray of str
        ``"stable"``, ``"watch"`` or ``"drift"`` per entry.

    Raises
    ------
    ValueError
        For bands that are not ``0 <= low <= high`` or ``alpha`` outside (0, 1).

    Notes
    -----
    drift: ``pvalue < alpha`` and ``ci_low >= high``; watch: not drift,
    ``pvalue < alpha`` and ``estimate >= low``; stable otherwise. Both flags
    need a significant test, so under no change each is raised for at most a
    share ``alpha`` of features.

    Examples
    --------
    >>> drift_status([0.30, 0.30, 0.12, 0.40], [0.27, 0.20, 0.05, 0.30],
    ...              [1e-9, 1e-6, 0.01, 0.20])
    array(['drift', 'watch', 'watch', 'stable'], dtype='<U6')
    """
    low, high = check_bands(psi_bands)
    alpha = check_alpha(alpha)
    est = np.asarray(estimate, dtype=np.float64)
    lower = np.asarray(ci_low, dtype=np.float64)
    p = np.asarray(pvalue, dtype=np.float64)
    significant = p < alpha
    drift = significant & (lower >= high)
    watch = significant & ~drift & (est >= low)
    return np.where(drift, "drift", np.where(watch, "watch", "stable"))
