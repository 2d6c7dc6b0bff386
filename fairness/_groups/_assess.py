r"""Group fairness of a credit score at a cutoff: :func:`assess`.

Per-group approval and bad rates, mean score and AUC with a DeLong standard
error; against a reference group the adverse impact ratio (AIR) with a
delta-method interval on the log ratio, the standardised mean difference, the
demographic information value of the score deciles (with the chance
constraint ``IV + z SE <= eps``) and the Jensen-Shannon divergence; and the
distance correlation between the score and all protected attributes.

Conventions: ``y_true = 1`` is bad (the event; other labels need
``bad_value=``), a higher score is better and an applicant is approved when
``y_score >= cutoff``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from scorecard import (
    ChanceConstraint,
    DataConditionWarning,
    Divergence,
    chance_constraint,
    count_codes,
    delong_auc,
)
from scorecard._kit.intervals import check_alpha, wald_interval
from scorecard._kit.validation import check_binary_target

from .._report import FairnessReport
from ._metric import (
    GroupMetric,
    _air_metrics,
    _dependence_metrics,
    _divergence_metrics,
    _scores,
    _smd_metrics,
)
from ._protected import _Groups, _make_groups, _reference_index
from ._renamed import renamed_keyword

FloatArray = NDArray[np.float64]


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

    def to_html(self, path: str | Path | None = None, **options: Any) -> str:
        """The fairness report of this assessment as one HTML page.

        Parameters
        ----------
        path : path-like, default=None
            Also write the page there (UTF-8).
        **options
            Passed to :class:`fairness.FairnessReport` (``proxy``,
            ``frontier``, ``operating_point``, ``title``, ``subtitle``).

        Returns
        -------
        str
            The self-contained HTML document.
        """
        return FairnessReport(self, **options).to_html(path)

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
    y_score: ArrayLike | None = None,
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
    bad_value: Any = None,
    **deprecated: Any,
) -> FairnessAssessment:
    r"""Assess the group fairness of a credit score.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The target: 0/1 or boolean (1 = bad, the event), or two other labels
        with ``bad_value`` naming the bad one.
    y_score : array-like of float, shape (n_samples,)
        The score; higher is better and ``y_score >= cutoff`` is approved.
        (Called ``score`` before 0.2; that keyword still works, with a
        ``FutureWarning``, until 0.3.)
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
    bad_value : object, default=None
        The label of ``y_true`` meaning bad; needed unless ``y_true`` is 0/1
        or boolean (see :func:`scorecard._kit.validation.check_binary_target`).

    Returns
    -------
    FairnessAssessment

    Raises
    ------
    ValueError
        If ``y_true`` is not 0/1 or boolean and ``bad_value`` is not given (the
        message names the labels found), lengths differ, the score is not
        finite, a
        protected column has missing values or a single value, both or an
        invalid ``cutoff``/``approval_rate`` are given, or
        ``reference_group`` is not a group.
    TypeError
        If ``y_score`` is not numeric.

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
    y_score = renamed_keyword(deprecated, "score", "y_score", y_score, "assess")
    s = _scores(y_score)
    y = check_binary_target(
        y_true, s.size, bad_value=bad_value, name="y_true", require_both=False
    ).y01
    for name, value in (
        ("score_bins", score_bins),
        ("continuous_bins", continuous_bins),
    ):
        if not isinstance(value, int | np.integer) or value < 2:
            raise ValueError(f"{name} must be an integer >= 2; got {value!r}.")
    check_alpha(alpha)
    approved, cut, target = _approvals(s, cutoff, approval_rate)
    groups = _make_groups(sensitive_features, s.size, continuous_bins)
    stats_g = _group_stats(y, s, approved, groups.labels, len(groups.names))
    names = list(groups.names)
    ref = _reference_index(names, stats_g["n"], reference_group)
    table = _group_table(y, s, groups, stats_g, ref, alpha)
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
    # goods and bads of each group from the one count kernel
    good_bad = count_codes(g, y, n_bins=k, n_classes=2)[0]
    n = good_bad.sum(axis=1)
    mean = np.bincount(g, weights=s, minlength=k) / n
    ss = np.bincount(g, weights=(s - mean[g]) ** 2, minlength=k)
    approvals = np.bincount(g, weights=approved, minlength=k)
    return {
        "n": n,
        "bad": good_bad[:, 1],
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
    alpha: float,
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
    auc_ci = wald_interval(auc, auc_se, alpha, lower=0.0, upper=1.0)
    air_ci = air[:, None] * np.exp(wald_interval(np.zeros(k), log_se, alpha))
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
            "auc_ci_low": auc_ci[:, 0],
            "auc_ci_high": auc_ci[:, 1],
            "air": air,
            "air_log_se": log_se,
            "air_ci_low": air_ci[:, 0],
            "air_ci_high": air_ci[:, 1],
            "four_fifths": rate < 0.8 * rate.max(),
        },
        index=pd.Index(names, name="group"),
    )
