r"""Group fairness of a credit score: approval rates, AIR, SMD, AUC, divergences.

:func:`assess` compares protected groups on one score at one cutoff:
per-group approval and bad rates, mean score and AUC with a DeLong standard
error; against a reference group the adverse impact ratio (AIR) with a
delta-method interval on the log ratio, the standardised mean difference, the
demographic information value of the score deciles (with the chance
constraint ``IV + z SE <= eps``) and the Jensen-Shannon divergence; and the
distance correlation between the score and all protected attributes.
:func:`proxy_table` ranks features by their IV against the protected groups.

Conventions: ``y_true = 1`` is bad (the event), a higher score is better and
an applicant is approved when ``score >= cutoff``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from scorecard import (
    ChanceConstraint,
    DataConditionWarning,
    Divergence,
    chance_constraint,
    information_value,
    jensen_shannon,
    tradeoff_ratio,
)
from scorecard._stats._auc import AUCResult, delong_auc  # re-exported: one AUC
from scorecard._stats._counts import count_codes

__all__ = [
    "AUCResult",
    "GroupMetric",
    "FairnessAssessment",
    "ProxyTable",
    "delong_auc",
    "assess",
    "proxy_table",
]

FloatArray = NDArray[np.float64]

#: A numeric attribute with more distinct values than this is continuous.
MAX_CATEGORIES = 10


# --------------------------------------------------------------------------
# input checks (the AUC and its DeLong SE live in scorecard._stats._auc)


def _z(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}.")
    return float(stats.norm.ppf(1 - alpha / 2))


def _binary_target(y_true: ArrayLike, n: int | None = None) -> NDArray[np.int64]:
    y = np.asarray(y_true)
    if y.ndim != 1:
        raise ValueError(f"y_true must be 1-D; got shape {y.shape}.")
    if n is not None and y.size != n:
        raise ValueError(f"y_true has {y.size} rows; score has {n}.")
    if y.dtype.kind == "b":
        return y.astype(np.int64)
    if y.dtype.kind not in "iuf":
        raise TypeError(f"y_true must be numeric 0/1 or bool; got dtype {y.dtype}.")
    values = np.unique(y)
    if not np.all(np.isin(values, [0, 1])):
        raise ValueError(
            f"y_true must hold only 0 (good) and 1 (bad); got values {values[:5]}."
        )
    return y.astype(np.int64)


def _scores(score: ArrayLike) -> FloatArray:
    try:
        s = np.asarray(score, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"score must be numeric; got {score!r:.60}.") from exc
    if s.ndim != 1:
        raise ValueError(f"score must be 1-D; got shape {s.shape}.")
    if not np.all(np.isfinite(s)):
        raise ValueError(
            f"score must be finite; got {int((~np.isfinite(s)).sum())} NaN or "
            "infinite values."
        )
    return s


# --------------------------------------------------------------------------
# a summary metric with inference


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
    scale : {"linear", "log", "nonneg"}
        How :meth:`ci` is built: Wald, Wald on the log (``log_se``), or Wald
        truncated at 0.
    log_se : float
        SE of ``log(estimate)`` for ``scale="log"``.
    null : float
        The value meaning no disparity (1 for AIR, 0 otherwise).
    """

    metric: str
    comparison: str
    estimate: float
    se: float
    statistic: float
    pvalue: float
    method: str
    n: float
    scale: Literal["linear", "log", "nonneg"] = "linear"
    log_se: float = float("nan")
    null: float = 0.0

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Confidence interval ``[low, high]`` (see ``scale``)."""
        z = _z(alpha)
        if self.scale == "log":
            if self.estimate > 0 and np.isfinite(self.log_se):
                return self.estimate * np.exp([-z * self.log_se, z * self.log_se])
            return np.array([np.nan, np.nan])
        low, high = self.estimate - z * self.se, self.estimate + z * self.se
        if self.scale == "nonneg":
            low = max(low, 0.0)
        return np.array([low, high])

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


# --------------------------------------------------------------------------
# protected groups


@dataclass(frozen=True)
class _Groups:
    labels: NDArray[np.int64]  # group index of each row
    names: tuple[str, ...]  # group label, in index order
    columns: tuple[str, ...]
    continuous: tuple[str, ...]
    frame: pd.DataFrame  # the raw attributes (for distance correlation)
    definition: pd.DataFrame  # one row per (column, level): how rows were grouped


def _as_frame(sensitive_features: Any, n: int, name: str) -> pd.DataFrame:
    if isinstance(sensitive_features, pd.DataFrame):
        frame = sensitive_features.reset_index(drop=True)
    elif isinstance(sensitive_features, pd.Series):
        frame = sensitive_features.reset_index(drop=True).to_frame(
            name=sensitive_features.name if sensitive_features.name is not None else "s"
        )
    elif isinstance(sensitive_features, Mapping):
        frame = pd.DataFrame(
            {str(k): np.asarray(v) for k, v in sensitive_features.items()}
        )
    else:
        arr = np.asarray(sensitive_features)
        if arr.ndim == 1:
            frame = pd.DataFrame({"s": arr})
        elif arr.ndim == 2:
            frame = pd.DataFrame(arr, columns=[f"s{i}" for i in range(arr.shape[1])])
        else:
            raise ValueError(f"{name} must be 1-D or 2-D; got ndim={arr.ndim}.")
    frame.columns = [str(c) for c in frame.columns]
    if frame.shape[1] == 0:
        raise ValueError(f"{name} has no columns.")
    if len(frame) != n:
        raise ValueError(f"{name} has {len(frame)} rows; expected {n}.")
    for col in frame.columns:
        missing = int(frame[col].isna().sum())
        if missing:
            raise ValueError(
                f"{name} column {col!r} has {missing} missing values; give them an "
                "explicit category (e.g. 'unknown') or drop those rows."
            )
        if frame[col].nunique() < 2:
            raise ValueError(
                f"{name} column {col!r} has a single value "
                f"({frame[col].iloc[0]!r}); a protected attribute needs at least "
                "two groups."
            )
    return frame


def _is_continuous(column: pd.Series) -> bool:
    return (
        pd.api.types.is_numeric_dtype(column.dtype)
        and not pd.api.types.is_bool_dtype(column.dtype)
        and column.nunique() > MAX_CATEGORIES
    )


def _quantile_codes(
    values: FloatArray, n_bins: int
) -> tuple[NDArray[np.int64], FloatArray]:
    """Codes of left-closed quantile bins ``[e_k, e_{k+1})`` and the edges.

    With at most ``n_bins`` distinct values (a scorecard with few
    features), every value is its own bin. Otherwise the cuts are the
    distinct inner quantiles above the minimum, so a value that fills
    several quantiles (a heavy tie) gets its own bin instead of being merged
    with the values below it.
    """
    low, high = float(values.min()), float(values.max())
    distinct = np.unique(values)
    if distinct.size <= n_bins:
        cuts = distinct[1:]
    else:
        cuts = np.unique(np.quantile(values, np.linspace(0, 1, n_bins + 1)[1:-1]))
        cuts = cuts[cuts > low]
    codes = np.searchsorted(cuts, values, side="right")
    return codes.astype(np.int64), np.r_[low, cuts, high]


def _make_groups(sensitive_features: Any, n: int, continuous_bins: int) -> _Groups:
    frame = _as_frame(sensitive_features, n, "sensitive_features")
    codes: list[NDArray[np.int64]] = []
    level_names: list[list[str]] = []
    cont: list[str] = []
    rows: list[dict[str, str]] = []
    for col in frame.columns:
        values = frame[col]
        if _is_continuous(values):
            c, edges = _quantile_codes(
                values.to_numpy(dtype=np.float64), continuous_bins
            )
            names = []
            for k in range(edges.size - 1):
                close = "]" if k == edges.size - 2 else ")"
                names.append(f"{col} in [{edges[k]:.4g}, {edges[k + 1]:.4g}{close}")
            cont.append(col)
        else:
            c, uniques = pd.factorize(values, sort=True)
            names = [f"{col}={u}" for u in uniques]
        codes.append(np.asarray(c, dtype=np.int64))
        level_names.append(names)
        rows.extend({"column": col, "group": g} for g in names)
    joint = np.column_stack(codes)
    combos, labels = np.unique(joint, axis=0, return_inverse=True)
    group_names = tuple(
        ", ".join(level_names[j][k] for j, k in enumerate(combo)) for combo in combos
    )
    return _Groups(
        labels=labels.ravel().astype(np.int64),
        names=group_names,
        columns=tuple(frame.columns),
        continuous=tuple(cont),
        frame=frame,
        definition=pd.DataFrame(rows),
    )


# --------------------------------------------------------------------------
# the assessment


@dataclass(frozen=True, eq=False, repr=False)
class FairnessAssessment:
    """Group fairness of a score at a cutoff; returned by :func:`assess`.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per group (index: group label): ``n``, ``share``,
        ``n_bad``, ``bad_rate``, ``approval_rate`` (``approval_se``),
        ``mean_score``, ``sd_score``, ``auc``, ``auc_se``, ``auc_ci_low``,
        ``auc_ci_high``, ``air`` (against the reference), ``air_ci_low``,
        ``air_ci_high``, ``four_fifths`` (approval rate below 4/5 of the
        highest group's: the four-fifths rule, whatever the reference).
    metrics : tuple of GroupMetric
        AIR, SMD, demographic IV and JS of each group against the reference,
        then dCor and CCdCov of the score with all protected attributes.
    demographic_iv : Divergence
        IV of the score bins, one row per non-reference group (against the
        reference); per-bin detail via ``to_frame()``.
    js : Divergence
        Jensen-Shannon divergence over the same bins.
    constraint : ChanceConstraint
        ``IV + z SE <= eps`` for each non-reference group.
    cutoff : float
        Approve when ``score >= cutoff``.
    approval_rate : float
        Share of all rows approved at the cutoff.
    target_approval_rate : float or None
        The requested approval rate, if the cutoff came from one.
    reference_group : str
        Group every comparison is against.
    protected : tuple of str
        Protected columns (several: their intersection defines the groups).
    continuous : tuple of str
        Protected columns treated as continuous (quantile-binned for the
        group view; raw, min-max scaled, for dCor).
    score_bin_edges : ndarray
        Edges of the score's quantile bins used by the IV and JS.
    eps, z : float
        The chance-constraint tolerance and normal quantile.
    n : int
        Rows.
    alpha : float
        Level of the intervals stored in ``groups``.
    method : str
        Short description of the methods.
    """

    groups: pd.DataFrame
    metrics: tuple[GroupMetric, ...]
    demographic_iv: Divergence
    js: Divergence
    constraint: ChanceConstraint
    cutoff: float
    approval_rate: float
    target_approval_rate: float | None
    reference_group: str
    protected: tuple[str, ...]
    continuous: tuple[str, ...]
    score_bin_edges: FloatArray
    eps: float
    z: float
    n: int
    alpha: float
    method: str
    group_definition: pd.DataFrame = field(default_factory=pd.DataFrame)

    def metric(self, name: str, comparison: str | None = None) -> GroupMetric:
        """The metric ``name`` (for ``comparison``, or the first one)."""
        for m in self.metrics:
            if m.metric == name and (comparison is None or comparison == m.comparison):
                return m
        available = sorted({(m.metric, m.comparison) for m in self.metrics})
        raise KeyError(f"No metric {name!r} for {comparison!r}; have {available}.")

    @property
    def four_fifths_violations(self) -> list[str]:
        """Groups approved at under 4/5 of the highest group's rate."""
        return list(self.groups.index[self.groups["four_fifths"]])

    @property
    def constraint_satisfied(self) -> bool:
        """Whether every group's demographic IV meets ``IV + z SE <= eps``."""
        return bool(np.all(self.constraint.satisfied))

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """All metrics with intervals, one row per (metric, comparison)."""
        return pd.concat([m.to_frame(alpha) for m in self.metrics], ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy of ``groups``)."""
        return self.groups.copy()

    def __repr__(self) -> str:
        head = (
            f"FairnessAssessment(n={self.n}, protected={list(self.protected)}, "
            f"cutoff={self.cutoff:.6g}, approval_rate={self.approval_rate:.4f}, "
            f"reference={self.reference_group!r})"
        )
        cols = ["n", "approval_rate", "bad_rate", "mean_score", "auc", "air"]
        summary = self.summary()[
            ["metric", "comparison", "estimate", "se", "ci_low", "ci_high", "pvalue"]
        ]
        with pd.option_context("display.width", 120, "display.precision", 4):
            return (
                f"{head}\n{self.groups[cols].to_string()}\n\n"
                f"{summary.to_string(index=False)}"
            )


def _cutoff(
    score: FloatArray, cutoff: float | None, approval_rate: float | None
) -> tuple[float, float | None]:
    if cutoff is not None and approval_rate is not None:
        raise ValueError(
            f"Give cutoff or approval_rate, not both; got cutoff={cutoff} and "
            f"approval_rate={approval_rate}."
        )
    if cutoff is not None:
        if not np.isfinite(cutoff):
            raise ValueError(f"cutoff must be a finite number; got {cutoff}.")
        return float(cutoff), None
    rate = 0.5 if approval_rate is None else approval_rate
    if not 0 < rate < 1:
        raise ValueError(f"approval_rate must be in (0, 1); got {rate}.")
    k = max(1, round(rate * score.size))  # approve the k best scores
    return float(np.sort(score)[::-1][k - 1]), float(rate)


def _approvals(
    score: FloatArray, cutoff: float | None, approval_rate: float | None
) -> tuple[FloatArray, float, float | None]:
    """Approval of each row (0..1), the cutoff and the requested rate.

    With a cutoff, ``score >= cutoff`` is approved. With an approval rate,
    the ``k = round(rate * n)`` best scores are approved; rows tied at the
    cutoff share the approvals left over (a random tie-break counted by its
    expectation), so exactly ``k`` rows are approved even for a scorecard
    with few distinct scores.
    """
    cut, target = _cutoff(score, cutoff, approval_rate)
    if target is None:
        return (score >= cut).astype(np.float64), cut, None
    k = max(1, round(target * score.size))
    above = score > cut
    at = score == cut
    fill = (k - int(above.sum())) / int(at.sum())
    return above + fill * at, cut, target


def _reference_index(
    names: list[str], n: ArrayLike, reference_group: str | None
) -> int:
    """The reference group of :func:`assess`, :func:`proxy_table` and the frontier.

    One rule everywhere: the named group, else the largest group (ties: the
    first label). A fixed control group keeps the AIR comparable across
    cutoffs and models (a frontier, a lambda path, monitoring runs), unlike
    "the group with the highest approval rate", which changes with them.
    """
    if reference_group is None:
        return int(np.argmax(np.asarray(n)))
    if reference_group not in names:
        raise ValueError(
            f"reference_group must be one of {names}; got {reference_group!r}."
        )
    return names.index(reference_group)


def _air_log_se(
    approved: FloatArray, n: FloatArray, ref: int
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """SE of log(a_g / a_ref) for independent binomials, per group.

    A group with no approvals or only approvals has an infinite log-variance;
    its interval uses 0.5 added to approvals and denials (flagged).
    """
    edge = (approved == 0) | (approved == n)
    x = np.where(edge, approved + 0.5, approved)
    m = np.where(edge, n + 1.0, n)
    var = (1 - x / m) / x
    return np.sqrt(var + var[ref]), edge


def assess(
    y_true: ArrayLike,
    score: ArrayLike,
    *,
    sensitive_features: Any,
    cutoff: float | None = None,
    approval_rate: float | None = None,
    reference_group: str | None = None,
    score_bins: int = 10,
    continuous_bins: int = 4,
    eps: float = 0.02,
    z: float = 1.645,
    alpha: float = 0.05,
) -> FairnessAssessment:
    r"""Assess the group fairness of a credit score.

    Parameters
    ----------
    y_true : array-like of {0, 1}, shape (n_samples,)
        1 for bad (the event), 0 for good.
    score : array-like of float, shape (n_samples,)
        The score; higher is better and ``score >= cutoff`` is approved.
    sensitive_features : Series, DataFrame, array or mapping of columns
        Protected attributes. Several columns define intersectional groups
        (every observed combination). A numeric column with more than 10
        distinct values is continuous: it enters dCor/CCdCov as is (min-max
        scaled) and the group view through ``continuous_bins`` quantile bins.
    cutoff : float, default=None
        Approval cutoff. Give this or ``approval_rate``.
    approval_rate : float, default=None
        Approve this share of all rows: the cutoff is the score of the
        ``round(rate * n)``-th best applicant, and rows tied at it share the
        approvals left (a random tie-break counted by its expectation), so
        the rate is exact. With neither, ``approval_rate=0.5``.
    reference_group : str, default=None
        Group label (as in ``groups.index``, e.g. ``"Race=1"``) that every
        comparison is against; by default the largest group (ties: the first
        label). The same rule picks the reference of :func:`proxy_table` and
        :class:`fairness.ParetoFrontier`; a fixed control group keeps the AIR
        comparable across cutoffs and models, so an AIR above 1 means the
        group is approved more often than the reference.
    score_bins : int, default=10
        Number of quantile bins (deciles) of the pooled score used for the
        demographic IV and the JS divergence; tied edges are merged.
    continuous_bins : int, default=4
        Quantile bins of a continuous protected attribute (quartiles).
    eps : float, default=0.02
        Tolerance of the chance constraint on the demographic IV (an IV under
        0.02 is conventionally "not predictive").
    z : float, default=1.645
        Normal quantile of the chance constraint (one-sided 95%).
    alpha : float, default=0.05
        Level of the intervals stored in the ``groups`` table.

    Returns
    -------
    FairnessAssessment

    Raises
    ------
    ValueError
        If ``y_true`` is not 0/1, lengths differ, the score is not finite, a
        protected column has missing values or a single value, both or an
        invalid ``cutoff``/``approval_rate`` are given, or
        ``reference_group`` is not a group.
    TypeError
        If ``y_true`` or ``score`` is not numeric.

    Warns
    -----
    DataConditionWarning
        A group with fewer than 2 goods or bads (its AUC is NaN), with no
        approvals or only approvals (its AIR interval uses +0.5 counts), or a
        zero cell in the score bins of a group (Haldane-Anscombe smoothing).

    Notes
    -----
    With approval rates :math:`a_g` of :math:`n_g` rows,
    :math:`AIR_g = a_g / a_{ref}` and, for independent binomials,

    .. math:: Var(\ln AIR_g) = \frac{1 - a_g}{n_g a_g}
              + \frac{1 - a_{ref}}{n_{ref} a_{ref}};

    the interval is :math:`AIR_g \exp(\pm z\,SE)`. The four-fifths rule
    flags :math:`a_g < 0.8 \max_h a_h`. The standardised mean difference is Cohen's
    :math:`d = (\bar s_g - \bar s_{ref}) / s_{pooled}` with the large-sample
    SE :math:`\sqrt{(n_g + n_{ref})/(n_g n_{ref}) + d^2 / (2(n_g + n_{ref}))}`
    (Hedges and Olkin). The demographic IV is the IV between the group's and
    the reference's counts over the pooled score's quantile bins, with the
    delta-method SE of :func:`scorecard.information_value`; the chance
    constraint is :math:`IV + z\,SE \le \varepsilon`.

    Examples
    --------
    Group ``a`` has 3 of 4 approved at the cutoff 600, group ``b`` 1 of 4,
    so the AIR of ``b`` against ``a`` is (1/4) / (3/4):

    >>> score = [650, 620, 610, 590, 640, 595, 580, 570]
    >>> y = [0, 0, 1, 1, 0, 1, 0, 1]
    >>> group = pd.Series(["a"] * 4 + ["b"] * 4, name="g")
    >>> res = assess(y, score, sensitive_features=group, cutoff=600, score_bins=2)
    >>> res.groups["approval_rate"].tolist(), res.groups["air"].round(4).tolist()
    ([0.75, 0.25], [1.0, 0.3333])
    >>> res.reference_group, res.four_fifths_violations
    ('g=a', ['g=b'])
    """
    s = _scores(score)
    y = _binary_target(y_true, s.size)
    for name, value in (
        ("score_bins", score_bins),
        ("continuous_bins", continuous_bins),
    ):
        if not isinstance(value, int | np.integer) or value < 2:
            raise ValueError(f"{name} must be an integer >= 2; got {value!r}.")
    zq = _z(alpha)
    approved, cut, target = _approvals(s, cutoff, approval_rate)
    groups = _make_groups(sensitive_features, s.size, continuous_bins)
    stats_g = _group_stats(y, s, approved, groups.labels, len(groups.names))
    names = list(groups.names)
    ref = _reference_index(names, stats_g["n"], reference_group)
    table = _group_table(y, s, groups, stats_g, ref, zq)
    others = [i for i in range(len(names)) if i != ref]
    vs = tuple(f"{names[i]} vs {names[ref]}" for i in others)
    metrics = _air_metrics(table, ref, others, vs)
    metrics += _smd_metrics(stats_g, ref, others, vs)
    edges, iv, js, div_metrics = _divergence_metrics(
        s, groups.labels, stats_g["n"], ref, others, vs, score_bins
    )
    metrics += div_metrics
    metrics += _dependence_metrics(s, groups)
    return FairnessAssessment(
        groups=table,
        metrics=tuple(metrics),
        demographic_iv=iv,
        js=js,
        constraint=chance_constraint(iv, eps=eps, z=z),
        cutoff=cut,
        approval_rate=float(approved.mean()),
        target_approval_rate=target,
        reference_group=names[ref],
        protected=groups.columns,
        continuous=groups.continuous,
        score_bin_edges=edges,
        eps=float(eps),
        z=float(z),
        n=int(s.size),
        alpha=float(alpha),
        method=(
            "AIR: delta method on the log ratio; SMD: Cohen's d; AUC: DeLong; "
            f"IV/JS: {edges.size - 1} score quantile bins, delta-method SE"
        ),
        group_definition=groups.definition,
    )


def _group_stats(
    y: NDArray[np.int64],
    s: FloatArray,
    approved: FloatArray,
    g: NDArray[np.int64],
    k: int,
) -> dict[str, FloatArray]:
    n = np.bincount(g, minlength=k).astype(np.float64)
    mean = np.bincount(g, weights=s, minlength=k) / n
    ss = np.bincount(g, weights=(s - mean[g]) ** 2, minlength=k)
    approvals = np.bincount(g, weights=approved, minlength=k)
    return {
        "n": n,
        "bad": np.bincount(g, weights=y, minlength=k),
        "approved": approvals,
        "rate": approvals / n,
        "mean": mean,
        "sd": np.sqrt(np.where(n > 1, ss / np.maximum(n - 1, 1), np.nan)),
    }


def _group_table(
    y: NDArray[np.int64],
    s: FloatArray,
    groups: _Groups,
    st: dict[str, FloatArray],
    ref: int,
    zq: float,
) -> pd.DataFrame:
    names, g = groups.names, groups.labels
    k = len(names)
    auc, auc_se = np.full(k, np.nan), np.full(k, np.nan)
    for i in range(k):
        rows = g == i
        good, bad = s[rows & (y == 0)], s[rows & (y == 1)]
        if good.size < 2 or bad.size < 2:
            warnings.warn(
                f"Group {names[i]!r} has {good.size} goods and {bad.size} bads; "
                "its AUC needs at least 2 of each and is NaN.",
                DataConditionWarning,
                stacklevel=3,
            )
            continue
        res = delong_auc(y[rows], s[rows], higher="good")
        auc[i], auc_se[i] = res.estimate, res.se
    rate, n = st["rate"], st["n"]
    air = rate / rate[ref] if rate[ref] > 0 else np.full(k, np.nan)
    log_se, edge = _air_log_se(st["approved"], n, ref)
    for i in np.flatnonzero(edge).tolist():
        warnings.warn(
            f"Group {names[i]!r} has {int(st['approved'][i])} of {int(n[i])} "
            "approved; its AIR interval adds 0.5 to approvals and denials.",
            DataConditionWarning,
            stacklevel=3,
        )
    log_se[ref] = 0.0
    return pd.DataFrame(
        {
            "n": n.astype(np.int64),
            "share": n / n.sum(),
            "n_bad": st["bad"].astype(np.int64),
            "bad_rate": st["bad"] / n,
            "approval_rate": rate,
            "approval_se": np.sqrt(rate * (1 - rate) / n),
            "mean_score": st["mean"],
            "sd_score": st["sd"],
            "auc": auc,
            "auc_se": auc_se,
            "auc_ci_low": np.clip(auc - zq * auc_se, 0, 1),
            "auc_ci_high": np.clip(auc + zq * auc_se, 0, 1),
            "air": air,
            "air_log_se": log_se,
            "air_ci_low": air * np.exp(-zq * log_se),
            "air_ci_high": air * np.exp(zq * log_se),
            "four_fifths": rate < 0.8 * rate.max(),
        },
        index=pd.Index(names, name="group"),
    )


def _air_metrics(
    table: pd.DataFrame, ref: int, others: list[int], vs: tuple[str, ...]
) -> list[GroupMetric]:
    out = []
    n = table["n"].to_numpy(np.float64)
    for label, i in zip(vs, others, strict=True):
        air, log_se = float(table["air"].iloc[i]), float(table["air_log_se"].iloc[i])
        with np.errstate(divide="ignore"):
            zstat = float(np.log(air) / log_se) if log_se > 0 else np.nan
        out.append(
            GroupMetric(
                metric="AIR",
                comparison=label,
                estimate=air,
                se=air * log_se,
                statistic=zstat,
                pvalue=float(2 * stats.norm.sf(abs(zstat))),
                method="ratio of approval rates; delta-method CI on the log ratio",
                n=float(n[i] + n[ref]),
                scale="log",
                log_se=log_se,
                null=1.0,
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
                pvalue=float(2 * stats.norm.sf(abs(d / se))),
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
    from ._dcov import ccdcov, distance_correlation

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
            )
        )
    return out


# --------------------------------------------------------------------------
# proxy features


@dataclass(frozen=True, eq=False, repr=False)
class ProxyTable:
    """Each feature's IV against the protected groups; see :func:`proxy_table`.

    Attributes
    ----------
    divergences : tuple of Divergence
        One 2-D IV result per comparison (rows = features).
    comparisons : tuple of str
        ``"<group> vs <reference>"`` for each non-reference group.
    reference_group : str
        The reference group.
    target_iv : Divergence or None
        Each feature's IV against the target, when ``y`` was given.
    bins : dict
        Feature to bin description (``"quantile(10)"``, ``"categories(3)"``).
    n : int
        Rows.
    method : str
        Binning and SE method.
    """

    divergences: tuple[Divergence, ...]
    comparisons: tuple[str, ...]
    reference_group: str
    target_iv: Divergence | None
    bins: Mapping[str, str]
    n: int
    method: str

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per (feature, comparison), highest IV first."""
        frames = []
        for label, div in zip(self.comparisons, self.divergences, strict=True):
            part = div.summary(alpha).reset_index()
            part = part.rename(columns={"IV": "iv"})[
                ["feature", "iv", "se", "ci_low", "ci_high", "pvalue"]
            ]
            part.insert(1, "comparison", label)
            part.insert(2, "bins", [self.bins[f] for f in part["feature"]])
            if self.target_iv is not None:
                part["target_iv"] = np.atleast_1d(self.target_iv.estimate)
                part["target_iv_se"] = np.atleast_1d(self.target_iv.se)
                part["tradeoff"] = np.atleast_1d(
                    tradeoff_ratio(self.target_iv, div, k=1.0)
                )
            frames.append(part)
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values("iv", ascending=False, kind="stable").reset_index(
            drop=True
        )

    def __repr__(self) -> str:
        with pd.option_context("display.width", 120, "display.precision", 4):
            return (
                f"ProxyTable(n={self.n}, reference={self.reference_group!r}, "
                f"method='{self.method}')\n{self.to_frame().to_string(index=False)}"
            )


def _feature_codes(
    column: pd.Series, n_bins: int
) -> tuple[NDArray[np.int64], int, str]:
    missing = column.isna().to_numpy()
    if _is_continuous(column) and column.nunique() > n_bins:
        values = column.to_numpy(dtype=np.float64)
        codes = np.zeros(values.size, np.int64)
        c, edges = _quantile_codes(values[~missing], n_bins)
        codes[~missing] = c
        k = edges.size - 1
        desc = f"quantile({k})"
    else:
        c, uniques = pd.factorize(column, sort=True)
        codes = np.asarray(c, dtype=np.int64)
        k = len(uniques)
        desc = f"categories({k})"
    if missing.any():
        codes[missing] = k
        k += 1
        desc += "+missing"
    return codes, k, desc


def _binner_codes(
    binner: Any, X: pd.DataFrame
) -> tuple[list[str], NDArray[np.int64], dict[str, str]]:
    """Codes of a fitted StumpBinner's bins; single-bin features dropped."""
    fitted = getattr(binner, "bins_", None)
    if not isinstance(fitted, Mapping) or not hasattr(binner, "transform"):
        raise TypeError(
            "binner must be a fitted StumpBinner (with bins_ and transform); got "
            f"{type(binner).__name__}."
        )
    codes = np.asarray(binner.transform(X), dtype=np.int64)
    names = [str(f) for f in fitted]
    keep, bins = [], {}
    for j, name in enumerate(names):
        fb = fitted[name]
        if fb.n_regular < 2:
            continue
        keep.append(j)
        bins[name] = f"stump({fb.n_regular})"
    dropped = [names[j] for j in range(len(names)) if j not in keep]
    if dropped:
        warnings.warn(
            f"Features {dropped} have a single bin in the binner and carry no "
            "information; they are left out of the proxy table.",
            DataConditionWarning,
            stacklevel=3,
        )
    if not keep:
        raise ValueError("binner has no feature with two or more bins.")
    return [names[j] for j in keep], codes[:, keep], bins


def proxy_table(
    X: pd.DataFrame,
    sensitive_features: Any,
    *,
    y: ArrayLike | None = None,
    n_bins: int = 10,
    reference_group: str | None = None,
    continuous_bins: int = 4,
    smoothing: float = 0.5,
    binner: Any = None,
) -> ProxyTable:
    r"""Which features carry information about the protected groups.

    Each feature is binned, and the IV between a group's and the reference
    group's distributions over those bins is computed with its delta-method
    SE (the same formula as the target IV with goods and bads replaced by the
    two groups). A high IV marks a proxy of the protected attribute.

    Parameters
    ----------
    X : pandas.DataFrame
        Features (not containing the protected attributes, normally).
    sensitive_features : Series, DataFrame, array or mapping
        Protected attributes, as in :func:`assess`.
    y : array-like of {0, 1}, default=None
        Target (1 = bad). When given, each feature's IV against the target
        and the conservative trade-off ratio
        ``(IV_y - SE_y) / (IV_a + SE_a)`` are added.
    n_bins : int, default=10
        Quantile bins of a numeric feature with more than ``n_bins`` (and
        more than 10) distinct values; other features use one bin per value.
        Missing values get their own bin.
    reference_group : str, default=None
        Reference group label; by default the largest group.
    continuous_bins : int, default=4
        Quantile bins of a continuous protected attribute.
    smoothing : float, default=0.5
        Zero-cell smoothing (with a warning naming the bin), as in
        :func:`scorecard.information_value`.
    binner : fitted StumpBinner, default=None
        Use this binner's bins (e.g. the scorecard's own, fitted on the
        target) instead of quantile bins; ``X`` must have the binner's
        columns. Features it left with a single bin carry no information by
        construction and are left out with a warning.

    Returns
    -------
    ProxyTable

    Raises
    ------
    TypeError
        If ``X`` is not a DataFrame.
    ValueError
        As :func:`assess` for the protected attributes; also for an empty
        ``X``, length mismatches or an unknown ``reference_group``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> race = rng.integers(0, 2, 3000)
    >>> X = pd.DataFrame({"proxy": rng.normal(size=3000) + race,
    ...                   "noise": rng.normal(size=3000)})
    >>> table = proxy_table(X, pd.Series(race, name="race")).to_frame()
    >>> list(table["feature"])
    ['proxy', 'noise']
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame; got {type(X).__name__}.")
    if X.shape[1] == 0 or X.shape[0] == 0:
        raise ValueError(f"X must have rows and columns; got shape {X.shape}.")
    if not isinstance(n_bins, int | np.integer) or n_bins < 2:
        raise ValueError(f"n_bins must be an integer >= 2; got {n_bins!r}.")
    n = X.shape[0]
    groups = _make_groups(sensitive_features, n, continuous_bins)
    names = list(groups.names)
    k = len(names)
    n_g = np.bincount(groups.labels, minlength=k)
    ref = _reference_index(names, n_g, reference_group)
    if binner is None:
        features = [str(c) for c in X.columns]
        coded = [_feature_codes(X.iloc[:, j], n_bins) for j in range(X.shape[1])]
        for f, c in zip(features, coded, strict=True):
            if c[1] < 2:
                raise ValueError(
                    f"Feature {f!r} has a single bin; drop constant features."
                )
        codes = np.column_stack([c[0] for c in coded])
        bins = {f: c[2] for f, c in zip(features, coded, strict=True)}
        method = f"quantile({n_bins}) or category bins"
    else:
        features, codes, bins = _binner_codes(binner, X)
        method = f"{type(binner).__name__} bins"
    width = int(codes.max()) + 1
    counts = count_codes(codes, groups.labels, n_bins=width, n_classes=k)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        divergences = [
            information_value(
                counts[:, :, i],
                counts[:, :, ref],
                features=features,
                smoothing=smoothing,
            )
            for i in range(k)
            if i != ref
        ]
        target_iv = None
        if y is not None:
            yy = _binary_target(y, n)
            tcounts = count_codes(codes, yy, n_bins=width, n_classes=2)
            target_iv = information_value(
                tcounts[:, :, 0],
                tcounts[:, :, 1],
                features=features,
                smoothing=smoothing,
            )
    for w in caught:
        warnings.warn(str(w.message), DataConditionWarning, stacklevel=2)
    comparisons = [f"{names[i]} vs {names[ref]}" for i in range(k) if i != ref]
    return ProxyTable(
        divergences=tuple(divergences),
        comparisons=tuple(comparisons),
        reference_group=names[ref],
        target_iv=target_iv,
        bins=dict(bins),
        n=n,
        method=f"IV of group vs reference over {method}; delta-method SE; chi2 test",
    )
