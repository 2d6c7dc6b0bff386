"""The result object of the divergences: estimate, SE, test and intervals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._kit.intervals import (
    NCX2_INTERVALS,
    check_alpha,
    divergence_interval,
    wald_interval,
)
from ._prepare import (
    CIMethod,
    FloatArray,
    IntervalMethod,
    Kind,
    _safe_log_ratio,
    _shares,
)

__all__ = ["Divergence", "SE_FLOOR_NOTE"]

#: What ``summary()`` writes next to an SE at its null floor.
SE_FLOOR_NOTE = (
    "null SD (estimate within noise of 0): not a sampling SE; use the ncx2 interval"
)


#: How ``method`` strings and tables name each ``interval``.
INTERVAL_LABELS = {
    "ncx2": "ncx2-unified",
    "ncx2_equal_tailed": "ncx2-equal-tailed",
    "wald": "wald",
}


@dataclass(frozen=True, eq=False, repr=False)
class Divergence:
    """A divergence between two binned distributions, with inference.

    Returned by :func:`information_value`, :func:`psi` and
    :func:`jensen_shannon`. For 1-D input the numeric fields are floats; for
    2-D input (one row per feature) they are arrays of shape ``(n_features,)``.

    Attributes
    ----------
    name : {"IV", "PSI", "JS"}
        The statistic.
    estimate : float or ndarray
        The plug-in estimate.
    se : float or ndarray
        Standard error (``method`` says which formula).
    bias_corrected : float or ndarray
        ``estimate`` minus its first-order expectation under no difference,
        ``null_scale * (J - 1)``; it can be negative.
    statistic : float or ndarray
        Test statistic (chi-square ``estimate / null_scale`` or the paper's Z).
    pvalue : float or ndarray
        P-value of the test of no difference.
    df : int or ndarray
        Chi-square degrees of freedom, the number of non-empty bins minus one.
    n : float or ndarray
        Total count of both distributions as given: observations (or their
        total weight), not the pseudo-counts the smoothing added.
    method : str
        Standard-error method, test, interval and reference, e.g.
        ``"se=delta; test=chi2; interval=ncx2-unified"``.
    labels : tuple of str
        Names of the two distributions (``("goods", "bads")`` for IV).
    features : tuple of str
        Row names for 2-D input.
    first, second : ndarray of shape (n_features, n_bins)
        Counts after smoothing.
    contributions : ndarray of shape (n_features, n_bins)
        Per-bin terms summing to the estimate (0 for absent bins).
    smoothed : ndarray of bool
        Bins that had a zero cell and were smoothed.
    smoothing : float
        The pseudo-count added to both cells of each smoothed bin.
    reference_fixed : bool
        Whether the first distribution was taken as the population.
    null_scale : float or ndarray
        ``s`` with ``estimate / s ~ chi2(df)`` under no difference
        (``scale * (1/n1 + 1/n2)``; Rao-Scott corrected for sampling weights).
    interval : {"ncx2", "ncx2_equal_tailed", "wald"}
        Default method of :meth:`ci` (``"ncx2"``: the unified belt).
    weight_kind : {"frequency", "sampling"}
        How the counts were read by the variances.
    smoothing_added : float or ndarray
        Total pseudo-count the smoothing added (not counted in ``n``).
    se_at_floor : bool or ndarray
        ``True`` where the corrected SE sits at its floor, the null SD
        ``s sqrt(2 df)``: the estimate is within noise of 0, the SE describes
        the null law rather than the estimate's sampling spread (at a true
        value of 0 it overstates the SD by 15-30%, measured), and the ncx2
        interval is the figure to use. ``summary()`` says so in ``se_note``.
    design_effect : float or ndarray
        Variance inflation ``c >= 1`` of the ncx2 interval (1 for frequency
        counts). With sampling weights the Rao-Scott scale describes the null
        part of the law only; away from the null the linearised variance of
        the estimate can exceed what ``ncx2(df, lam)`` implies. ``c`` is the
        first-order linearised variance over the multinomial one at the
        Rao-Scott effective size (exactly 1 for equal weights), and the
        interval inverts ``c ncx2(df / c, lam / c)`` (same mean, variance times
        ``c``; docs/methodology.md, section 14).
    """

    name: Kind
    estimate: float | FloatArray
    se: float | FloatArray
    bias_corrected: float | FloatArray
    statistic: float | FloatArray
    pvalue: float | FloatArray
    df: int | NDArray[np.int64]
    n: float | FloatArray
    method: str
    labels: tuple[str, str]
    features: tuple[str, ...]
    first: FloatArray
    second: FloatArray
    contributions: FloatArray
    smoothed: NDArray[np.bool_]
    smoothing: float
    reference_fixed: bool
    null_scale: float | FloatArray = 0.0
    interval: IntervalMethod = "ncx2"
    weight_kind: str = "frequency"
    smoothing_added: float | FloatArray = 0.0
    se_at_floor: bool | NDArray[np.bool_] = False
    design_effect: float | FloatArray = 1.0

    def ci(
        self,
        alpha: float = 0.05,
        *,
        method: CIMethod | None = None,
        n_boot: int = 2000,
        random_state: int | np.random.Generator | None = None,
    ) -> FloatArray:
        """Confidence interval of the divergence (never below 0).

        The ncx2 interval is conditional on the bins: it is valid for bins
        fixed in advance (or chosen on other data), not for bins fitted on
        the same sample.

        Parameters
        ----------
        alpha : float, default=0.05
            One minus the coverage.
        method : {"ncx2", "ncx2_equal_tailed", "wald", "bootstrap"}, default=None
            ``None`` uses the result's ``interval`` (``"ncx2"`` unless the
            function was called with another ``interval``). ``"ncx2"`` inverts
            the non-central chi-square law of ``statistic`` with the unified
            (Feldman-Cousins) belt: it covers near the null, where the Wald
            interval undercovers, and at a true value of 0, where the
            equal-tailed belt over-covers (97.5% for a 95% interval);
            ``"ncx2_equal_tailed"`` is the equal-tailed inversion (the
            default before 0.x; :func:`scorecard._kit.intervals.ncx2_interval`
            describes both); ``"wald"`` is
            ``estimate +- z * se`` truncated at 0. ``"bootstrap"`` was removed
            (it raises): the percentile and basic bootstrap intervals covered
            1-4% and 63% near the null (docs/methodology.md).
        n_boot : int, default=2000
            No effect since the bootstrap was removed; kept so calls that
            pass it keep their signature until the next release.
        random_state : int, Generator or None, default=None
            No effect (as ``n_boot``).

        Returns
        -------
        ndarray
            ``[low, high]``, or shape ``(n_features, 2)`` for 2-D input.
        """
        alpha = check_alpha(alpha)
        method = self.interval if method is None else method
        est = np.atleast_1d(np.asarray(self.estimate, dtype=np.float64))
        if method in NCX2_INTERVALS:
            out = divergence_interval(
                est,
                self.se,
                np.atleast_1d(self.df),
                self.null_scale,
                alpha,
                interval=method,
                design_effect=self.design_effect,
            )
        elif method == "wald":
            se = np.atleast_1d(np.asarray(self.se, dtype=np.float64))
            out = wald_interval(est, se, alpha, lower=0.0)
        elif method == "bootstrap":
            raise ValueError(
                "method='bootstrap' was removed: its measured coverage of a 95% "
                "interval was 1-4% (percentile) and 63% (basic) for weak two-bin "
                "features at n = 1,000 (benchmarks/bench_inference.py). Use "
                "method='ncx2' (the default) or 'wald'."
            )
        else:
            raise ValueError(
                "method must be 'ncx2', 'ncx2_equal_tailed', 'wald' or "
                f"'bootstrap'; got {method!r}."
            )
        return out[0] if np.ndim(self.estimate) == 0 else out

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per feature: estimate, SE, CI, bias-corrected, test.

        ``attrs["interval"]`` names the interval method of ``ci_low``/``ci_high``;
        ``se_note`` is :data:`SE_FLOOR_NOTE` where ``se_at_floor``.
        """
        ci = np.atleast_2d(self.ci(alpha))
        out = pd.DataFrame(
            {
                self.name: np.atleast_1d(self.estimate),
                "se": np.atleast_1d(self.se),
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "bias_corrected": np.atleast_1d(self.bias_corrected),
                "statistic": np.atleast_1d(self.statistic),
                "df": np.atleast_1d(self.df),
                "pvalue": np.atleast_1d(self.pvalue),
                "n": np.atleast_1d(self.n),
                "se_note": np.where(np.atleast_1d(self.se_at_floor), SE_FLOOR_NOTE, ""),
            },
            index=pd.Index(self.features, name="feature"),
        )

        out.attrs["interval"] = INTERVAL_LABELS.get(self.interval, self.interval)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Per-bin table: counts, shares, log ratio and contribution."""
        present = (self.first + self.second) > 0
        rows, cols = np.nonzero(present)
        p = _shares(self.first, present)
        q = _shares(self.second, present)
        la, lb = self.labels
        return pd.DataFrame(
            {
                "feature": np.asarray(self.features, dtype=object)[rows],
                "bin": cols,
                la: self.first[rows, cols],
                lb: self.second[rows, cols],
                f"{la}_share": p[rows, cols],
                f"{lb}_share": q[rows, cols],
                "log_ratio": _safe_log_ratio(p, q, present)[rows, cols],
                "contribution": self.contributions[rows, cols],
                "smoothed": self.smoothed[rows, cols],
            }
        )

    def __repr__(self) -> str:
        if np.ndim(self.estimate) == 0:
            low, high = self.ci()
            return (
                f"{self.name}(estimate={self.estimate:.4f}, se={self.se:.4f}, "
                f"ci95=[{low:.4f}, {high:.4f}], statistic={self.statistic:.3f}, "
                f"df={self.df}, pvalue={self.pvalue:.3g}, n={self.n:g}, "
                f"method='{self.method}')"
            )
        return f"{self.name}(method='{self.method}')\n{self.summary().to_string()}"
