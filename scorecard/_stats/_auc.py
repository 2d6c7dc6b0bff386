"""Discrimination metrics: AUC with DeLong standard errors, KS and Gini.

The one home of these metrics: ``fairness`` (group AUCs) and ``monitoring``
(AUC drift) import them from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .._kit.compat import StrOptions, check_arguments, renamed, warn_renamed
from .._kit.intervals import two_sided_pvalue, wald_interval, z_critical
from .._kit.validation import check_weight_kind, check_weights
from ._counts import _check_counts

__all__ = ["AUCResult", "delong_auc", "auc_from_counts", "ks_statistic"]

Higher = Literal["bad", "good"]
Interval = Literal["wald", "logit"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False, repr=False)
class AUCResult:
    """Area under the ROC curve with its DeLong standard error.

    Attributes
    ----------
    estimate : float
        AUC, ``P(S_bad > S_good) + P(tie) / 2`` on the risk orientation.
    se : float
        DeLong (structural components) standard error.
    n_events, n_nonevents : float
        Numbers of bads (``y = 1``) and goods (``y = 0``).
    method : str
        ``"delong"`` (raw scores), ``"delong-weighted"`` (sample weights) or
        ``"delong-binned"`` (ordered bin counts).
    interval : {"wald", "logit"}, default="wald"
        How :meth:`ci` is built: Wald on the AUC clipped to [0, 1], or Wald on
        ``logit(AUC)`` mapped back (inside (0, 1) by construction; better
        coverage in small samples, docs/methodology.md "Group AUC").
    n_rows_events, n_rows_nonevents : float
        Rows of each class (equal to ``n_events`` / ``n_nonevents`` without
        weights); the logit interval's boundary rule uses them.
    """

    estimate: float
    se: float
    n_events: float
    n_nonevents: float
    method: str
    interval: Interval = "wald"
    n_rows_events: float = math.nan
    n_rows_nonevents: float = math.nan

    @property
    def n(self) -> float:
        """Number of rows."""
        return self.n_events + self.n_nonevents

    @property
    def gini(self) -> float:
        """Gini coefficient (accuracy ratio), ``2 AUC - 1``."""
        return 2 * self.estimate - 1

    @property
    def statistic(self) -> float:
        """Wald z of ``AUC = 0.5`` (no discrimination)."""
        return (self.estimate - 0.5) / self.se if self.se > 0 else math.nan

    @property
    def pvalue(self) -> float:
        """Two-sided p-value of ``AUC = 0.5``."""
        return float(two_sided_pvalue(self.statistic))

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Interval at level ``1 - alpha`` (see ``interval``)."""
        if self.interval == "logit":
            rows = (self.n_rows_events, self.n_rows_nonevents)
            if not all(np.isfinite(rows)):
                rows = (self.n_events, self.n_nonevents)
            return logit_auc_interval(self.estimate, self.se, *rows, alpha=alpha)
        return wald_interval(self.estimate, self.se, alpha, lower=0.0, upper=1.0)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One-row table: AUC, SE, CI, z, p-value, counts."""
        low, high = self.ci(alpha)
        return pd.DataFrame(
            {
                "auc": [self.estimate],
                "se": [self.se],
                "ci_low": [low],
                "ci_high": [high],
                "statistic": [self.statistic],
                "pvalue": [self.pvalue],
                "n_events": [self.n_events],
                "n_nonevents": [self.n_nonevents],
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain fields, for JSON."""
        return {
            "estimate": self.estimate,
            "se": self.se,
            "n_events": self.n_events,
            "n_nonevents": self.n_nonevents,
            "method": self.method,
            "interval": self.interval,
        }

    def __repr__(self) -> str:
        low, high = self.ci()
        return (
            f"AUCResult(estimate={self.estimate:.4f}, se={self.se:.4f}, "
            f"ci95=[{low:.4f}, {high:.4f}], n_events={self.n_events:g}, "
            f"n_nonevents={self.n_nonevents:g}, method='{self.method}', "
            f"interval='{self.interval}')"
        )


def _hanley_mcneil_se(auc: float, n1: float, n0: float) -> float:
    """Hanley-McNeil (1982) SE of an AUC from its value and the class sizes."""
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    var = auc * (1 - auc) + (n1 - 1) * (q1 - auc**2) + (n0 - 1) * (q2 - auc**2)
    return math.sqrt(max(var, 0.0) / (n1 * n0))


def logit_auc_interval(
    auc: float, se: float, n1: float, n0: float, *, alpha: float = 0.05
) -> FloatArray:
    """Wald interval of ``logit(AUC)`` mapped back to the AUC scale.

    ``logit(AUC) -+ z se / (AUC (1 - AUC))``. At a perfect (or perfectly
    wrong) ordering the DeLong SE is 0 and the logit infinite: the AUC is
    then moved half a pair inside, ``1 - 1 / (2 n1 n0)``, its SE is the
    Hanley-McNeil SE there, and the end at the boundary is the boundary
    itself (docs/methodology.md "Group AUC").
    """
    z = z_critical(alpha)
    if not (np.isfinite(auc) and np.isfinite(se)) or n1 <= 0 or n0 <= 0:
        return np.array([math.nan, math.nan])
    half_pair = 1.0 / (2.0 * n1 * n0)
    edge = auc <= half_pair or auc >= 1 - half_pair or se <= 0
    a = min(max(auc, half_pair), 1 - half_pair)
    s = max(se, _hanley_mcneil_se(a, n1, n0)) if edge else se
    centre = math.log(a / (1 - a))
    half = z * s / (a * (1 - a))
    low, high = (
        1 / (1 + math.exp(-(centre - half))),
        1 / (1 + math.exp(-(centre + half))),
    )
    if edge and auc >= 0.5:
        high = 1.0
    elif edge:
        low = 0.0
    return np.array([low, high])


def _check_higher(higher: str) -> Higher:
    if higher not in ("bad", "good"):
        raise ValueError(f"higher must be 'bad' or 'good'; got {higher!r}.")
    return higher  # type: ignore[return-value]


def _renamed_score(y_score: ArrayLike | None, score: ArrayLike | None) -> ArrayLike:
    """``y_score``, or the old ``score=`` keyword with a FutureWarning."""
    if score is not None:
        warn_renamed("score", "y_score", stacklevel=3)
        if y_score is not None:
            raise TypeError("Pass y_score only ('score' is its old name), not both.")
        return score
    if y_score is None:
        raise TypeError("y_score is required (the scores of the rows of y_true).")
    return y_score


def _labels_and_scores(
    y_true: ArrayLike, score: ArrayLike
) -> tuple[NDArray[np.bool_], FloatArray]:
    y = np.asarray(y_true)
    s = np.asarray(score, dtype=np.float64)
    if y.ndim != 1 or s.shape != y.shape:
        raise ValueError(
            f"y_true and y_score must be 1-D of the same length; got shapes {y.shape} "
            f"and {s.shape}."
        )
    if not np.all(np.isfinite(s)):
        raise ValueError("y_score must be finite; got NaN or infinite values.")
    values = set(np.unique(y).tolist())
    if not values <= {0, 1} or len(values) < 2:
        raise ValueError(
            f"y_true must hold both classes 0 and 1; got values {sorted(values)}."
        )
    return y == 1, s


#: Argument constraints (checked by ``check_arguments``).
HIGHER = [StrOptions({"good", "bad"})]


#: Interval options of :func:`delong_auc`.
INTERVALS = [StrOptions({"wald", "logit"})]
WEIGHT_KIND = [StrOptions({"frequency", "sampling"}), None]


@check_arguments(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like", None],
        "higher": HIGHER,
        "sample_weight": ["array-like", None],
        "weight_kind": WEIGHT_KIND,
        "interval": INTERVALS,
        "score": ["array-like", None],
    }
)
@renamed(score="y_score")
def delong_auc(
    y_true: ArrayLike,
    y_score: ArrayLike | None = None,
    *,
    higher: Higher = "bad",
    sample_weight: ArrayLike | None = None,
    weight_kind: Literal["frequency", "sampling"] | None = None,
    interval: Interval = "wald",
    score: ArrayLike | None = None,
) -> AUCResult:
    """AUC of a score with the DeLong standard error, in O(n log n).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary target, 1 = event (bad), 0 = good.
    y_score : array-like of shape (n_samples,)
        Score; ties count one half.
    higher : {"bad", "good"}, default="bad"
        What a higher score means: ``"bad"`` for a probability of default,
        ``"good"`` for scorecard points.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights (floats). The AUC is the weighted share of ordered
        bad-good pairs.
    weight_kind : {"frequency", "sampling"}, default=None
        How the weights enter the SE: ``"frequency"`` weights replicate rows
        (the SE of the expanded data); ``"sampling"`` weights (survey,
        inverse-probability, case-control) get the linearisation (sandwich)
        SE with the row as the unit. Not said (``None``):
        :data:`scorecard._kit.validation.WEIGHT_KIND_RULE`.
    interval : {"wald", "logit"}, default="wald"
        The interval of :meth:`AUCResult.ci`: Wald on the AUC clipped to
        [0, 1] (the large-sample interval), or Wald on ``logit(AUC)``, which
        stays inside (0, 1) and covers better in small groups.
    score : array-like, default=None
        Deprecated old name of ``y_score`` (FutureWarning; removed in 0.3).

    Returns
    -------
    AUCResult

    Raises
    ------
    ValueError
        For labels other than 0/1, a single class, NaN scores, lengths
        that differ, or invalid weights.

    Notes
    -----
    With midranks (Sun and Xu, 2014), the placement value of bad ``i`` is
    ``V10_i`` = share of goods scored below it (ties 1/2), of good ``j``
    ``V01_j`` = share of bads scored above it;
    ``AUC = mean(V10)`` and ``Var = s^2(V10)/n_B + s^2(V01)/n_G``.
    With weights the shares and means are weighted; the sampling-weight
    variance is ``sum_i w_i^2 (V10_i - AUC)^2 / W_B^2 * n_B / (n_B - 1)``
    plus the same for the goods, so equal weights give the unweighted SE
    exactly (docs/methodology.md "Group AUC").

    References
    ----------
    .. [1] DeLong, E. R., DeLong, D. M. and Clarke-Pearson, D. L. (1988).
       Comparing the areas under two or more correlated ROC curves.
       *Biometrics* 44, 837-845.
    .. [2] Sun, X. and Xu, W. (2014). Fast implementation of DeLong's
       algorithm. *IEEE Signal Processing Letters* 21, 1389-1393.

    Examples
    --------
    >>> res = delong_auc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    >>> round(res.estimate, 4), round(res.se, 4)
    (0.8889, 0.1571)
    >>> delong_auc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9],
    ...            interval="logit").ci().round(4).tolist()
    [0.2614, 0.9945]
    """
    higher = _check_higher(higher)
    bad, s = _labels_and_scores(y_true, _renamed_score(y_score, score))
    if higher == "good":
        s = -s
    n1, n0 = int(bad.sum()), int((~bad).sum())
    if sample_weight is not None:
        w = check_weights(sample_weight, bad.astype(np.int64))
        kind = check_weight_kind(weight_kind, w)
        auc, se, w1, w0 = _weighted_delong(bad, s, w, kind)
        return AUCResult(
            auc, se, w1, w0, "delong-weighted", interval, float(n1), float(n0)
        )
    ranks = stats.rankdata(s)
    pos, neg = ranks[bad], ranks[~bad]
    v10 = (pos - stats.rankdata(s[bad])) / n0
    v01 = 1.0 - (neg - stats.rankdata(s[~bad])) / n1
    auc = float(v10.mean())
    var = (v10.var(ddof=1) if n1 > 1 else 0.0) / n1 + (
        v01.var(ddof=1) if n0 > 1 else 0.0
    ) / n0
    return AUCResult(
        auc, float(np.sqrt(var)), float(n1), float(n0), "delong", interval, n1, n0
    )


def _weighted_delong(
    bad: NDArray[np.bool_], s: FloatArray, w: FloatArray, kind: str
) -> tuple[float, float, float, float]:
    """Weighted AUC and its SE from weighted placements (see :func:`delong_auc`)."""
    values, codes = np.unique(s, return_inverse=True)
    k = values.size
    wg = np.bincount(codes[~bad], weights=w[~bad], minlength=k)
    wb = np.bincount(codes[bad], weights=w[bad], minlength=k)
    w0, w1 = float(wg.sum()), float(wb.sum())
    below_g = (np.cumsum(wg) - wg + 0.5 * wg) / w0  # goods below a value, ties 1/2
    above_b = (w1 - np.cumsum(wb) + 0.5 * wb) / w1  # bads above a value, ties 1/2
    v10, v01 = below_g[codes[bad]], above_b[codes[~bad]]
    wbad, wgood = w[bad], w[~bad]
    auc = float((wbad * v10).sum() / w1)
    if kind == "frequency":  # the expanded data's DeLong variance
        s10 = (wbad * (v10 - auc) ** 2).sum() / (w1 - 1) if w1 > 1 else 0.0
        s01 = (wgood * (v01 - auc) ** 2).sum() / (w0 - 1) if w0 > 1 else 0.0
        return auc, float(np.sqrt(s10 / w1 + s01 / w0)), w1, w0
    m1, m0 = wbad.size, wgood.size
    var = 0.0
    for ww, v, m, tot in ((wbad, v10, m1, w1), (wgood, v01, m0, w0)):
        if m > 1:
            var += float((ww**2 * (v - auc) ** 2).sum()) / tot**2 * m / (m - 1)
    return auc, float(np.sqrt(var)), w1, w0


@check_arguments({"goods": ["array-like"], "bads": ["array-like"], "higher": HIGHER})
def auc_from_counts(
    goods: ArrayLike, bads: ArrayLike, *, higher: Higher = "bad"
) -> AUCResult:
    """AUC and DeLong SE from good/bad counts of ordered score bins.

    Parameters
    ----------
    goods, bads : array-like of shape (n_bins,)
        Counts per score bin, bins in increasing score order; rows in the
        same bin are ties. Float (weighted) counts are allowed.
    higher : {"bad", "good"}, default="bad"
        What a higher score bin means.

    Returns
    -------
    AUCResult
        Equal to :func:`delong_auc` on the binned score (bins as tied
        values), with ``method="delong-binned"``.

    Raises
    ------
    ValueError
        For invalid counts or a class with no observation.

    Examples
    --------
    >>> res = auc_from_counts([3, 2, 1], [1, 2, 3])
    >>> round(res.estimate, 4)
    0.7222
    """
    higher = _check_higher(higher)
    g = np.asarray(goods, dtype=np.float64)
    b = np.asarray(bads, dtype=np.float64)
    if g.ndim != 1 or g.shape != b.shape:
        raise ValueError(
            "goods and bads must be 1-D of the same length; got shapes "
            f"{g.shape} and {b.shape}."
        )
    _check_counts(g, "goods")
    _check_counts(b, "bads")
    if higher == "good":
        g, b = g[::-1], b[::-1]
    n0, n1 = g.sum(), b.sum()
    if n0 <= 0 or n1 <= 0:
        raise ValueError("goods and bads must each have a positive total.")
    below_g = np.cumsum(g) - g
    above_b = b.sum() - np.cumsum(b)
    v10 = (below_g + 0.5 * g) / n0  # placement of a bad in bin k
    v01 = (above_b + 0.5 * b) / n1  # placement of a good in bin k
    auc = float((b * v10).sum() / n1)
    s10 = (b * (v10 - auc) ** 2).sum() / (n1 - 1) if n1 > 1 else 0.0
    s01 = (g * (v01 - auc) ** 2).sum() / (n0 - 1) if n0 > 1 else 0.0
    se = float(np.sqrt(s10 / n1 + s01 / n0))
    return AUCResult(auc, se, float(n1), float(n0), "delong-binned")


@check_arguments(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like", None],
        "score": ["array-like", None],
    }
)
@renamed(score="y_score")
def ks_statistic(
    y_true: ArrayLike,
    y_score: ArrayLike | None = None,
    *,
    score: ArrayLike | None = None,
) -> float:
    """Kolmogorov-Smirnov distance between the goods' and bads' score CDFs.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary target, 1 = event (bad).
    y_score : array-like of shape (n_samples,)
        Any score (the orientation does not matter).
    score : array-like, default=None
        Deprecated old name of ``y_score`` (FutureWarning; removed in 0.3).

    Returns
    -------
    float
        ``max_s |F_bad(s) - F_good(s)|``.

    Examples
    --------
    >>> ks_statistic([0, 0, 1, 1], [1, 2, 3, 4])
    1.0
    """
    bad, s = _labels_and_scores(y_true, _renamed_score(y_score, score))
    order = np.argsort(s, kind="mergesort")
    s_sorted, bad_sorted = s[order], bad[order]
    cum_bad = np.cumsum(bad_sorted) / bad.sum()
    cum_good = np.cumsum(~bad_sorted) / (~bad).sum()
    last_of_tie = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    return float(np.max(np.abs(cum_bad - cum_good)[last_of_tie]))
