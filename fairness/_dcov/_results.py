"""Result objects of the distance-covariance family."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
        jackknife does not apply (JdCov). Near independence :meth:`ci`
        reports only the test (docs/methodology.md section 10.6).
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

    def ci(
        self, alpha: float = 0.05, *, near_null: Literal["test", "wald"] = "test"
    ) -> FloatArray:
        """Jackknife Wald interval ``estimate +- z se``, away from independence.

        The jackknife is consistent only when the statistic is
        non-degenerate (dependence). Near independence its Wald interval
        undercovers (dCor^2 of a score with a binary attribute: 82-88%
        measured, issue 13; docs/calibration.md), and no interval of this
        package is calibrated there, so by default only the test is
        reported: when the statistic carries an independence test that
        does not reject at level ``alpha`` the interval is ``[nan, nan]``
        (``to_frame`` says so in ``ci_note``). Without a test (``test=None``)
        the Wald interval is returned and its validity is the user's
        assumption.

        Parameters
        ----------
        alpha : float, default=0.05
            One minus the coverage (also the level of the test that decides
            "near independence").
        near_null : {"test", "wald"}, default="test"
            ``"wald"``: the Wald interval always (the old behaviour).

        Returns
        -------
        ndarray of shape (2,)
            Truncated at 0 for V-statistics (which are >= 0).

        Raises
        ------
        ValueError
            ``alpha`` outside (0, 1) or an unknown ``near_null``.
        """
        if near_null not in ("test", "wald"):
            raise ValueError(f"near_null must be 'test' or 'wald'; got {near_null!r}.")
        # a V-statistic is >= 0, so its interval is truncated at 0
        lower = 0.0 if self.estimator == "V" else None
        interval = wald_interval(self.estimate, self.se, alpha, lower=lower)
        if near_null == "test" and self._near_null(alpha):
            return np.array([np.nan, np.nan])
        return interval

    def _near_null(self, alpha: float) -> bool:
        return bool(np.isfinite(self.pvalue) and self.pvalue >= alpha)

    def ci_note(self, alpha: float = 0.05) -> str:
        """What :meth:`ci` reports at ``alpha`` and why (the ``ci_note`` column)."""
        if not np.isfinite(self.se):
            return "no standard error"
        if self._near_null(alpha):
            return (
                f"test only: independence not rejected at {alpha:g} (near "
                "independence the jackknife interval undercovers)"
            )
        if not np.isfinite(self.pvalue):
            return "jackknife Wald; valid away from independence (no test run)"
        return "jackknife Wald (independence rejected)"

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
            "ci_note": self.ci_note(),
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
