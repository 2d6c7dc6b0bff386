"""One fairness metric with inference (:class:`GroupMetric`) and its builders.

AIR (Koopman score interval, exact test: :mod:`fairness._groups._air`),
SMD (Cohen's d, Hedges-Olkin SE), the
demographic IV and JS of the score bins (the spine's
:func:`scorecard.information_value` and :func:`scorecard.jensen_shannon` on
:func:`scorecard.count_codes` tables) and dCor/CCdCov of the score with the
protected attributes. Intervals and p-values come from
:mod:`scorecard._kit.intervals`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from scorecard import (
    DataConditionWarning,
    Divergence,
    count_codes,
    information_value,
    jensen_shannon,
)
from scorecard._kit.intervals import two_sided_pvalue, wald_interval

from .._dcov import ccdcov, distance_correlation
from ._air import ratio_score_interval, ratio_score_statistic
from ._protected import _Groups, _quantile_codes

FloatArray = NDArray[np.float64]


def _scores(y_score: ArrayLike) -> FloatArray:
    """The scores as a finite 1-D float array."""
    try:
        s = np.asarray(y_score, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"y_score must be numeric; got {y_score!r:.60}.") from exc
    if s.ndim != 1:
        raise ValueError(f"y_score must be 1-D; got shape {s.shape}.")
    if not np.all(np.isfinite(s)):
        raise ValueError(
            f"y_score must be finite; got {int((~np.isfinite(s)).sum())} NaN or "
            "infinite values."
        )
    return s


@dataclass(frozen=True, eq=False, repr=False)
class GroupMetric:
    """One fairness metric for one comparison, with inference.

    Attributes
    ----------
    metric : str
        ``"AIR"``, ``"SMD"``, ``"demographic IV"``, ``"JS"``, ``"dCor"`` or
        ``"CCdCov"``.
    comparison : str
        What is compared, e.g. ``"Race=0 vs Race=1"``.
    estimate : float
        Point estimate.
    se : float
        Standard error (NaN when none is available).
    statistic : float
        Test statistic of "no disparity".
    pvalue : float
        Its p-value.
    method : str
        Formula of the SE and the test.
    n : float
        Rows used.
    scale : {"linear", "log", "nonneg", "ratio-score", "dependence"}
        How :meth:`ci` is built: Wald, Wald on the log (``log_se``), Wald
        truncated at 0, Koopman's score interval of a ratio of
        proportions from ``counts`` (the AIR; valid for zero counts), or
        the jackknife Wald interval of a distance statistic reported only
        when its independence test rejects at ``alpha`` (near independence
        it undercovers; ``[nan, nan]`` otherwise, as
        ``fairness.DistanceStatistic.ci``).
    log_se : float
        SE of ``log(estimate)`` for ``scale="log"``.
    null : float
        The value meaning no disparity (1 for AIR, 0 otherwise).
    counts : tuple of float
        ``(x_group, n_group, x_reference, n_reference)``, the (effective)
        approvals and rows behind a ``"ratio-score"`` interval.
    """

    metric: str
    comparison: str
    estimate: float
    se: float
    statistic: float
    pvalue: float
    method: str
    n: float
    scale: Literal["linear", "log", "nonneg", "ratio-score", "dependence"] = "linear"
    log_se: float = float("nan")
    null: float = 0.0
    counts: tuple[float, ...] = ()

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Confidence interval ``[low, high]`` (see ``scale``)."""
        if self.scale == "ratio-score":
            x1, n1, x2, n2 = self.counts
            return ratio_score_interval(x1, n1, x2, n2, alpha)
        if self.scale == "log":
            half = wald_interval(0.0, self.log_se, alpha)  # checks alpha
            if self.estimate > 0 and np.isfinite(self.log_se):
                return self.estimate * np.exp(half)
            return np.array([np.nan, np.nan])
        if self.scale == "nonneg":
            low, high = wald_interval(self.estimate, self.se, alpha)
            return np.array([max(low, 0.0), high])
        interval = wald_interval(self.estimate, self.se, alpha)
        if self.scale == "dependence" and not self.pvalue < alpha:
            return np.array([np.nan, np.nan])
        return interval

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One-row table: metric, comparison, estimate, SE, CI, test, method."""
        low, high = self.ci(alpha)
        return pd.DataFrame(
            {
                "metric": [self.metric],
                "comparison": [self.comparison],
                "estimate": [self.estimate],
                "se": [self.se],
                "ci_low": [low],
                "ci_high": [high],
                "statistic": [self.statistic],
                "pvalue": [self.pvalue],
                "n": [self.n],
                "method": [self.method],
            }
        )

    def __repr__(self) -> str:
        low, high = self.ci()
        return (
            f"GroupMetric({self.metric}, {self.comparison}: estimate="
            f"{self.estimate:.4f}, se={self.se:.4f}, ci95=[{low:.4f}, {high:.4f}], "
            f"pvalue={self.pvalue:.3g}, n={self.n:g}, method='{self.method}')"
        )


def _air_metrics(
    table: pd.DataFrame,
    st: dict[str, FloatArray],
    ref: int,
    others: list[int],
    vs: tuple[str, ...],
    air_test: str,
) -> list[GroupMetric]:
    """AIR of each group: score interval, Koopman z at 1, exact p-value."""
    out = []
    x, n = st["x_eff"], st["n_eff"]
    test = "Fisher's exact test" if air_test == "fisher" else "mid-p exact test"
    for label, i in zip(vs, others, strict=True):
        air, log_se = float(table["air"].iloc[i]), float(table["air_log_se"].iloc[i])
        counts = (float(x[i]), float(n[i]), float(x[ref]), float(n[ref]))
        zstat = ratio_score_statistic(1.0, *counts) if min(n[i], n[ref]) > 0 else np.nan
        out.append(
            GroupMetric(
                metric="AIR",
                comparison=label,
                estimate=air,
                se=air * log_se,
                statistic=float(zstat),
                pvalue=float(table["air_pvalue"].iloc[i]),
                method=(
                    "ratio of approval rates; Koopman score CI; "
                    f"{test}; SE by the delta method"
                ),
                n=float(st["rows"][i] + st["rows"][ref]),
                scale="ratio-score",
                log_se=log_se,
                null=1.0,
                counts=counts,
            )
        )
    return out


def _smd_metrics(
    st: dict[str, FloatArray], ref: int, others: list[int], vs: tuple[str, ...]
) -> list[GroupMetric]:
    out = []
    n, sd, mean = st["n"], st["sd"], st["mean"]
    for label, i in zip(vs, others, strict=True):
        n1, n2 = n[i], n[ref]
        var = ((n1 - 1) * sd[i] ** 2 + (n2 - 1) * sd[ref] ** 2) / (n1 + n2 - 2)
        d = (mean[i] - mean[ref]) / np.sqrt(var) if var > 0 else np.nan
        se = np.sqrt((n1 + n2) / (n1 * n2) + d**2 / (2 * (n1 + n2)))
        out.append(
            GroupMetric(
                metric="SMD",
                comparison=label,
                estimate=float(d),
                se=float(se),
                statistic=float(d / se),
                pvalue=float(two_sided_pvalue(d / se)),
                method="Cohen's d (pooled SD); Hedges-Olkin large-sample SE",
                n=float(n1 + n2),
            )
        )
    return out


def _divergence_metrics(
    s: FloatArray,
    g: NDArray[np.int64],
    n: FloatArray,
    ref: int,
    others: list[int],
    vs: tuple[str, ...],
    score_bins: int,
) -> tuple[FloatArray, Divergence, Divergence, list[GroupMetric]]:
    codes, edges = _quantile_codes(s, score_bins)
    n_bins = edges.size - 1
    if n_bins < 2:
        raise ValueError(
            "score has a single distinct value; the demographic IV needs at least "
            "two score bins."
        )
    counts = count_codes(codes, g, n_bins=n_bins, n_classes=n.size)[0].T
    first = counts[others]
    second = np.broadcast_to(counts[ref], first.shape)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        iv = information_value(first, second, features=vs)
        js = jensen_shannon(first, second, features=vs)
    for w in caught:
        warnings.warn(
            f"Score bins by group: {w.message}", DataConditionWarning, stacklevel=3
        )
    out = []
    for div, name, desc in (
        (iv, "demographic IV", f"IV of {n_bins} score quantile bins; {iv.method}"),
        (js, "JS", f"JS (nats) of {n_bins} score quantile bins; delta SE; chi2 test"),
    ):
        for j, label in enumerate(vs):
            out.append(
                GroupMetric(
                    metric=name,
                    comparison=label,
                    estimate=float(np.atleast_1d(div.estimate)[j]),
                    se=float(np.atleast_1d(div.se)[j]),
                    statistic=float(np.atleast_1d(div.statistic)[j]),
                    pvalue=float(np.atleast_1d(div.pvalue)[j]),
                    method=desc,
                    n=float(n[others[j]] + n[ref]),
                    scale="nonneg",
                )
            )
    return edges, iv, js, out


def _attribute_matrix(groups: _Groups) -> FloatArray:
    """One-hot categorical and min-max scaled continuous attributes."""
    parts = []
    for col in groups.columns:
        values = groups.frame[col]
        if col in groups.continuous:
            x = values.to_numpy(dtype=np.float64)
            parts.append(((x - x.min()) / (x.max() - x.min()))[:, None])
        else:
            codes, uniques = pd.factorize(values, sort=True)
            parts.append(np.eye(len(uniques))[codes])
    return np.hstack(parts)


def _dependence_metrics(score: FloatArray, groups: _Groups) -> list[GroupMetric]:
    """Squared dCor and CCdCov (U-statistics) of the score with the attributes.

    Both use the same attribute distance: Euclidean on the concatenation of
    one-hot categorical and min-max scaled continuous columns, so dCor^2 is
    CCdCov normalised by the two distance variances.
    """
    categorical = [c for c in groups.columns if c not in groups.continuous]
    if len(groups.columns) == 1:
        col = groups.columns[0]
        values = groups.frame[col]
        attribute: Any = (
            values.to_numpy(dtype=np.float64)
            if col in groups.continuous
            else pd.Categorical(values)
        )
    else:
        attribute = _attribute_matrix(groups)
    label = f"score vs {' x '.join(groups.columns)}"
    out = []
    for res in (
        distance_correlation(score, attribute),
        ccdcov(score, groups.frame, categorical=categorical),
    ):
        out.append(
            GroupMetric(
                metric=res.name,
                comparison=label,
                estimate=float(res.estimate),
                se=float(res.se),
                statistic=float(res.statistic),
                pvalue=float(res.pvalue),
                method=res.method,
                n=float(res.n),
                scale="dependence",
            )
        )
    return out
