"""Result objects of the distance-covariance family."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scorecard._kit.intervals import wald_interval

from ._common import FloatArray


@dataclass(frozen=True, eq=False, repr=False)
class DistanceStatistic:
    """A distance-covariance type statistic with standard error and test.

    Returned by :func:`distance_covariance`, :func:`distance_correlation`,
    :func:`ccdcov` and :func:`jdcov`. All estimates are *squared* quantities
    (``dCov^2``, ``dCor^2``), as the unbiased versions can be negative.

    Attributes
    ----------
    name : str
        ``"dCov^2"``, ``"dCor^2"``, ``"CCdCov^2"`` or ``"JdCov^2"``.
    estimate : float
        The estimate (U- or V-statistic, see ``estimator``).
    se : float
        Jackknife standard error (the U-statistic's leave-one-out sums are
        O(n), see Notes of :func:`distance_covariance`); NaN where the
        jackknife does not apply (JdCov).
    statistic : float
        Test statistic: ``n dCor_U^2 + 1`` (chi-square test) or the estimate
        itself (permutation test); NaN without a test.
    pvalue : float
        P-value of independence; NaN without a test.
    method : str
        Estimator, evaluator, SE and test, e.g.
        ``"U; categorical; se=jackknife; test=chi2"``.
    n : int
        Number of observations.
    estimator : {"U", "V"}
        Unbiased (U) or biased (V) statistic; see also :attr:`unbiased`.
    components : tuple of (str, float)
        Named parts (for JdCov: the model part and the attribute part).
    """

    name: str
    estimate: float
    se: float
    statistic: float
    pvalue: float
    method: str
    n: int
    estimator: str
    components: tuple[tuple[str, float], ...] = field(default=())

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval ``estimate +- z se`` (truncated at 0 for V-statistics).

        Parameters
        ----------
        alpha : float, default=0.05
            One minus the coverage.

        Returns
        -------
        ndarray of shape (2,)
        """
        # a V-statistic is >= 0, so its interval is truncated at 0
        lower = 0.0 if self.estimator == "V" else None
        return wald_interval(self.estimate, self.se, alpha, lower=lower)

    @property
    def unbiased(self) -> bool:
        """``True`` for the U-statistic, ``False`` for the V-statistic."""
        return self.estimator == "U"

    def to_frame(self) -> pd.DataFrame:
        """One row: estimate, SE, CI, statistic, p-value, n; plus components."""
        low, high = self.ci()
        row = {
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": low,
            "ci_high": high,
            "statistic": self.statistic,
            "pvalue": self.pvalue,
            "n": self.n,
            "method": self.method,
        }
        for key, val in self.components:
            row[key] = val
        return pd.DataFrame([row], index=pd.Index([self.name], name="statistic"))

    def __repr__(self) -> str:
        low, high = self.ci()
        parts = "".join(f", {k}={v:.4g}" for k, v in self.components)
        return (
            f"{self.name}(estimate={self.estimate:.4g}, se={self.se:.3g}, "
            f"ci95=[{low:.4g}, {high:.4g}], statistic={self.statistic:.4g}, "
            f"pvalue={self.pvalue:.3g}, n={self.n}{parts}, method='{self.method}')"
        )


@dataclass(frozen=True, eq=False, repr=False)
class DCovGradient:
    """Value of a squared distance covariance and its gradient wrt the predictions.

    Attributes
    ----------
    value : float
        ``dCov^2`` (U or V).
    gradient : ndarray of shape (n,)
        Partial derivatives with respect to each prediction (a subgradient
        with ``sign(0) = 0`` at ties).
    estimator : {"U", "V"}
    method : str
        Evaluator used.
    n : int
    """

    value: float
    gradient: FloatArray
    estimator: str
    method: str
    n: int

    @property
    def unbiased(self) -> bool:
        """``True`` for the U-statistic, ``False`` for the V-statistic."""
        return self.estimator == "U"

    def __repr__(self) -> str:
        return (
            f"DCovGradient(value={self.value:.6g}, "
            f"|gradient|={np.linalg.norm(self.gradient):.4g}, "
            f"estimator='{self.estimator}', method='{self.method}', n={self.n})"
        )
