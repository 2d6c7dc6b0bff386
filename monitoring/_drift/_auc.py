"""AUC now vs reference (DeLong standard errors from scorecard)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from scorecard import AUCResult
from scorecard._kit.intervals import two_sided_pvalue, wald_interval

from ._checks import FloatArray

__all__ = ["AUCDrift", "auc_drift"]


# AUCResult, delong_auc and auc_from_counts are scorecard's (one shared
# implementation); the monitoring package re-exports them for its users.


@dataclass(frozen=True, eq=False, repr=False)
class AUCDrift:
    """AUC now vs reference for independent samples.

    Attributes
    ----------
    reference, current : AUCResult
        The two AUCs.
    estimate : float
        ``AUC_current - AUC_reference``.
    se : float
        ``sqrt(se_reference^2 + se_current^2)``.
    statistic : float
        ``estimate / se``.
    pvalue : float
        Two-sided normal p-value of no change.
    method : str
        ``"delong; test=wald-difference"``.
    """

    reference: AUCResult
    current: AUCResult
    estimate: float
    se: float
    statistic: float
    pvalue: float
    method: str

    @property
    def n(self) -> float:
        """Rows of both samples."""
        return self.reference.n + self.current.n

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the difference."""
        return wald_interval(self.estimate, self.se, alpha)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """Rows reference, current and difference with SE and CI."""
        rows = []
        for name, res in (("reference", self.reference), ("current", self.current)):
            low, high = res.ci(alpha)
            rows.append((name, res.estimate, res.se, low, high, res.pvalue))
        low, high = self.ci(alpha)
        rows.append(("difference", self.estimate, self.se, low, high, self.pvalue))
        return pd.DataFrame(
            rows, columns=["row", "auc", "se", "ci_low", "ci_high", "pvalue"]
        ).set_index("row")

    def __repr__(self) -> str:
        return f"AUCDrift(method='{self.method}')\n{self.to_frame().to_string()}"


def auc_drift(reference: AUCResult, current: AUCResult) -> AUCDrift:
    """Test the change of AUC between two independent samples.

    Parameters
    ----------
    reference, current : AUCResult
        From :func:`delong_auc` or :func:`auc_from_counts`.

    Returns
    -------
    AUCDrift

    Raises
    ------
    TypeError
        If an argument is not an :class:`AUCResult`.

    Examples
    --------
    >>> from scorecard import auc_from_counts
    >>> ref = auc_from_counts([50, 30, 20], [5, 10, 25])
    >>> cur = auc_from_counts([45, 35, 20], [8, 12, 20])
    >>> round(auc_drift(ref, cur).estimate, 5)
    -0.07375
    """
    for name, res in (("reference", reference), ("current", current)):
        if not isinstance(res, AUCResult):
            raise TypeError(f"{name} must be an AUCResult; got {type(res).__name__}.")
    diff = current.estimate - reference.estimate
    se = math.hypot(reference.se, current.se)
    z = diff / se if se > 0 else math.nan
    return AUCDrift(
        reference=reference,
        current=current,
        estimate=diff,
        se=se,
        statistic=z,
        pvalue=float(two_sided_pvalue(z)),
        method="delong; test=wald-difference",
    )
