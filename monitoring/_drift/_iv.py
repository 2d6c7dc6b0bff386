"""Information value now vs reference, via scorecard.information_value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from scorecard import CountTable, Divergence, information_value
from scorecard._kit.intervals import two_sided_pvalue, wald_interval

from ._checks import FloatArray, class_counts, row_names

__all__ = ["IVDrift", "iv_drift"]


@dataclass(frozen=True, eq=False, repr=False)
class IVDrift:
    """Information value now vs reference, with a difference test.

    Attributes
    ----------
    features : tuple of str
        Feature names.
    reference, current : Divergence
        IV of the reference and of the current labelled sample (2-D results).
    estimate : ndarray
        ``IV_current - IV_reference`` per feature.
    se : ndarray
        ``sqrt(se_reference^2 + se_current^2)`` (independent samples).
    statistic : ndarray
        ``estimate / se``.
    pvalue : ndarray
        Two-sided normal p-value of no change in IV.
    method : str
        ``"se=delta; test=wald-difference"``.
    n : ndarray
        Total count of both samples.

    Notes
    -----
    The delta-method SE of an IV degenerates when the IV is near 0 (the
    gradient vanishes), so the test is only meaningful for features that carry
    information in the reference.
    """

    features: tuple[str, ...]
    reference: Divergence
    current: Divergence
    estimate: FloatArray
    se: FloatArray
    statistic: FloatArray
    pvalue: FloatArray
    method: str
    n: FloatArray

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the IV difference, shape ``(n_features, 2)``."""
        return wald_interval(self.estimate, self.se, alpha)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per feature: IVs, SEs, difference, CI, z, p-value."""
        ci = self.ci(alpha)
        return pd.DataFrame(
            {
                "iv_reference": np.atleast_1d(self.reference.estimate),
                "se_reference": np.atleast_1d(self.reference.se),
                "iv_current": np.atleast_1d(self.current.estimate),
                "se_current": np.atleast_1d(self.current.se),
                "difference": self.estimate,
                "se": self.se,
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "statistic": self.statistic,
                "pvalue": self.pvalue,
            },
            index=pd.Index(self.features, name="feature"),
        )

    def __repr__(self) -> str:
        return f"IVDrift(method='{self.method}')\n{self.to_frame().to_string()}"


def iv_drift(
    reference: ArrayLike | CountTable,
    current: ArrayLike | CountTable,
    *,
    features: Sequence[str] | None = None,
    smoothing: float = 0.5,
) -> IVDrift:
    """Compare the information value of each feature now vs the reference.

    Parameters
    ----------
    reference, current : CountTable or array-like of shape (n_features, n_bins, 2)
        Good (``y = 0``) and bad (``y = 1``) counts per bin; a 2-D array is one
        feature. A :class:`scorecard.CountTable` must have classes (good, bad);
        one built with sampling weights carries its squared-weight sums, and
        its IV then has linearised variances.
    features : sequence of str, default=None
        Feature names (taken from a CountTable when omitted).
    smoothing : float, default=0.5
        Zero-cell smoothing of :func:`scorecard.information_value`.

    Returns
    -------
    IVDrift

    Raises
    ------
    ValueError
        For shapes that differ or invalid counts.

    Notes
    -----
    ``D = IV_cur - IV_ref``, ``SE(D) = sqrt(SE_ref^2 + SE_cur^2)``,
    ``z = D / SE(D)``, two-sided normal p-value.

    Examples
    --------
    >>> ref = [[400, 20], [300, 40], [100, 60]]
    >>> cur = [[390, 30], [310, 40], [100, 50]]
    >>> res = iv_drift(ref, cur)
    >>> res.reference.estimate.round(4), res.current.estimate.round(4)
    (array([0.891]), array([0.5179]))
    >>> res.pvalue.round(3)
    array([0.114])
    """
    ref = class_counts(reference, "reference")
    cur = class_counts(current, "current")
    if ref.shape != cur.shape:
        raise ValueError(
            f"reference and current must have the same shape; got {ref.shape} "
            f"and {cur.shape}."
        )
    default = (
        reference.features
        if isinstance(reference, CountTable)
        else tuple(f"x{i}" for i in range(ref.shape[0]))
    )
    names = row_names(features, ref.shape[0], default)
    iv_ref = information_value(
        ref[:, :, 0],
        ref[:, :, 1],
        smoothing=smoothing,
        features=names,
        **_squares(reference),
    )
    iv_cur = information_value(
        cur[:, :, 0],
        cur[:, :, 1],
        smoothing=smoothing,
        features=names,
        **_squares(current),
    )
    diff = np.atleast_1d(iv_cur.estimate) - np.atleast_1d(iv_ref.estimate)
    se = np.hypot(np.atleast_1d(iv_ref.se), np.atleast_1d(iv_cur.se))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, np.nan)
    return IVDrift(
        features=names,
        reference=iv_ref,
        current=iv_cur,
        estimate=diff,
        se=se,
        statistic=z,
        pvalue=two_sided_pvalue(z),
        method="se=delta; test=wald-difference",
        n=np.atleast_1d(iv_ref.n) + np.atleast_1d(iv_cur.n),
    )


def _squares(table: object) -> dict[str, Any]:
    """Squared-weight sums of a sampling-weighted CountTable (linearised SEs)."""
    if isinstance(table, CountTable) and table.squares is not None:
        return {
            "weight_kind": "sampling",
            "goods_sq": table.squares[:, :, 0],
            "bads_sq": table.squares[:, :, 1],
        }
    return {}
