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
from dataclasses import dataclass, field, replace
from numbers import Integral
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from scorecard import (
    ChanceConstraint,
    DataConditionWarning,
    Divergence,
    chance_constraint,
)
from scorecard._kit.compat import Interval, StrOptions, check_arguments
from scorecard._kit.intervals import check_alpha
from scorecard._kit.validation import (
    check_binary_target,
    check_weight_kind,
    check_weights,
)

from .._report import FairnessReport
from ._air import AirTest
from ._metric import (
    GroupMetric,
    _air_metrics,
    _dependence_metrics,
    _divergence_metrics,
    _scores,
    _smd_metrics,
)
from ._protected import (
    OTHER,
    ReferenceRule,
    _check_group_sizes,
    _Groups,
    _limit_groups,
    _make_groups,
    _reference_index,
)
from ._renamed import renamed_keyword
from ._table import _group_stats, _group_table, _TableOptions

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False, repr=False)
class FairnessAssessment:
    """Group fairness of a score at a cutoff; returned by :func:`assess`.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per group (index: group label): ``n``, ``share``,
        ``n_bad``, ``bad_rate``, ``approval_rate`` (``approval_se``),
        ``n_effective`` (rows, or effective rows with sampling weights),
        ``mean_score``, ``sd_score``, ``auc``, ``auc_se``, ``auc_ci_low``,
        ``auc_ci_high`` (logit interval by default), ``air`` (against the
        reference), ``air_log_se`` (delta method), ``air_ci_low``,
        ``air_ci_high`` (Koopman score interval), ``air_pvalue`` (exact
        test), ``reference``, ``small_group`` (under ``min_group_size``
        rows) and ``four_fifths`` (AIR under 0.8 against the reference, for
        groups that are neither small nor the reference).
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
    group_definition : pandas.DataFrame
        One row per (column, level): how rows were grouped.
    min_group_size : int
        Groups with fewer rows are reported but not flagged.
    reference_rule : str
        ``"given"`` (``reference_group`` named), ``"largest"`` or
        ``"most_favoured"``.
    pooled : tuple of str
        Groups pooled into ``"other"`` (small or beyond ``max_groups``).
    weight_kind : str or None
        ``"frequency"`` or ``"sampling"`` with sample weights, else None.
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
    min_group_size: int = 30
    reference_rule: str = "largest"
    pooled: tuple[str, ...] = ()
    weight_kind: str | None = None

    def metric(self, name: str, comparison: str | None = None) -> GroupMetric:
        """The metric ``name`` (for ``comparison``, or the first one)."""
        for m in self.metrics:
            if m.metric == name and (comparison is None or comparison == m.comparison):
                return m
        available = sorted({(m.metric, m.comparison) for m in self.metrics})
        raise KeyError(f"No metric {name!r} for {comparison!r}; have {available}.")

    @property
    def four_fifths_violations(self) -> list[str]:
        """Flagged groups: AIR against the reference under 0.8, ``n >= min_group_size``.

        The reference group is never flagged against itself; a group under
        ``min_group_size`` rows is reported but not flagged.
        """
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


@check_arguments(
    {
        "reference_rule": [StrOptions({"largest", "most_favoured"})],
        "min_group_size": [Interval(Integral, 1, None, closed="left")],
        "pool_small_groups": ["boolean"],
        "max_groups": [Interval(Integral, 2, None, closed="left")],
        "air_test": [StrOptions({"fisher", "mid-p"})],
        "auc_interval": [StrOptions({"logit", "wald"})],
        "sample_weight": ["array-like", None],
        "weight_kind": [StrOptions({"frequency", "sampling"}), None],
    }
)
def assess(
    y_true: ArrayLike,
    y_score: ArrayLike | None = None,
    *,
    sensitive_features: Any,
    cutoff: float | None = None,
    approval_rate: float | None = None,
    reference_group: str | None = None,
    reference_rule: ReferenceRule = "largest",
    min_group_size: int = 30,
    pool_small_groups: bool = False,
    max_groups: int = 20,
    score_bins: int = 10,
    continuous_bins: int = 4,
    eps: float = 0.02,
    z: float = 1.645,
    alpha: float = 0.05,
    air_test: AirTest = "fisher",
    auc_interval: Literal["logit", "wald"] = "logit",
    sample_weight: ArrayLike | None = None,
    weight_kind: Literal["frequency", "sampling"] | None = None,
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
        comparison is against: the AIR column, the four-fifths flag, the
        plot and the report text all use it. Not given: chosen by
        ``reference_rule``.
    reference_rule : {"largest", "most_favoured"}, default="largest"
        The reference when ``reference_group`` is not given: the largest
        group (ties: the first label; the same rule as
        :func:`proxy_table` and :class:`fairness.ParetoFrontier`, and a
        fixed control group keeps the AIR comparable across cutoffs and
        models), or the most favoured group (highest approval rate, the
        literal reading of the four-fifths rule). Only groups with at least
        ``min_group_size`` rows, never the pooled ``"other"``, qualify. An
        AIR above 1 means the group is approved more often than the
        reference.
    min_group_size : int, default=30
        A group with fewer rows is reported (with its exact interval and
        test) but never flagged by the four-fifths rule nor chosen as the
        reference.
    pool_small_groups : bool, default=False
        Pool the groups under ``min_group_size`` rows into one group
        ``"other"`` (reported, flagged like any group of its size).
    max_groups : int, default=20
        Intersection cap: with more groups than this, the ``max_groups - 1``
        largest are kept and the rest pooled into ``"other"`` (warned), so
        four protected columns do not make a hundred groups of a few rows.
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
    air_test : {"fisher", "mid-p"}, default="fisher"
        The test of "AIR = 1" (equal approval rates): Fisher's exact test
        (conservative: its size never exceeds alpha) or the mid-p exact
        test (size closer to alpha). The interval is Koopman's score
        interval either way.
    auc_interval : {"logit", "wald"}, default="logit"
        Interval of the within-group AUC: Wald on ``logit(AUC)`` (inside
        (0, 1), better coverage in small groups) or Wald clipped to [0, 1].
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights for the rates, the AIR and the AUC (linearisation
        variances for sampling weights; effective counts enter the AIR
        interval and test). SMD, IV, JS and dCor stay unweighted and say so
        in their ``method``.
    weight_kind : {"frequency", "sampling"}, default=None
        What the weights are; not said follows the package's one rule,
        ``scorecard._kit.validation.WEIGHT_KIND_RULE`` (row weights: sampling,
        with a warning when they do not sum to the row count).
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
        invalid ``cutoff``/``approval_rate`` are given, ``reference_group``
        is not a group, every group has fewer than ``min_group_size`` rows,
        or an option is not one of its allowed values.
    TypeError
        If ``y_score`` is not numeric.

    Warns
    -----
    DataConditionWarning
        A group with fewer than 2 goods or bads (its AUC is NaN) or fewer
        than 5 (its AUC interval is approximate), groups pooled into
        ``"other"``, sample weights of unsaid kind that do not sum to the
        row count, or a zero cell in the score bins of a group
        (Haldane-Anscombe smoothing of the IV and JS).

    Notes
    -----
    With approval rates :math:`a_g` of :math:`n_g` rows,
    :math:`AIR_g = a_g / a_{ref}`. Its interval inverts Koopman's score test
    of :math:`a_g = \phi\, a_{ref}` (no zero-count patch: 0 approvals give
    the interval :math:`[0, u]`); the p-value of :math:`AIR = 1` is Fisher's
    exact test (``air_test="fisher"``, default) or the mid-p test on the
    2x2 table. The reported SE is the delta method's,
    :math:`AIR \sqrt{(1 - a_g)/(n_g a_g) + (1 - a_{ref})/(n_{ref} a_{ref})}`.
    The four-fifths rule flags :math:`AIR_g < 0.8` against the same
    reference, for groups of at least ``min_group_size`` rows other than the
    reference. The AUC interval is Wald on the logit scale,
    :math:`\mathrm{logit}(A) \pm z\,SE / (A (1 - A))`. With sampling
    weights, the linearisation variance :math:`V_g` of the weighted rate
    gives effective rows :math:`a_g (1 - a_g) / V_g` and approvals, used by
    the interval and the test; equal weights give the unweighted figures.
    The standardised mean difference is Cohen's
    :math:`d = (\bar s_g - \bar s_{ref}) / s_{pooled}` with the large-sample
    SE :math:`\sqrt{(n_g + n_{ref})/(n_g n_{ref}) + d^2 / (2(n_g + n_{ref}))}`
    (Hedges and Olkin). The demographic IV is the IV between the group's and
    the reference's counts over the pooled score's quantile bins, with the
    delta-method SE of :func:`scorecard.information_value`; the chance
    constraint is :math:`IV + z\,SE \le \varepsilon`. See
    docs/methodology.md "Group fairness in small groups".

    References
    ----------
    .. [1] Koopman, P. A. R. (1984). Confidence intervals for the ratio of
       two binomial proportions. *Biometrics* 40, 513-517.

    Examples
    --------
    Group ``a`` has 3 of 4 approved at the cutoff 600, group ``b`` 1 of 4,
    so the AIR of ``b`` against ``a`` is (1/4) / (3/4):

    >>> score = [650, 620, 610, 590, 640, 595, 580, 570]
    >>> y = [0, 0, 1, 1, 0, 1, 0, 1]
    >>> group = pd.Series(["a"] * 4 + ["b"] * 4, name="g")
    >>> import warnings
    >>> with warnings.catch_warnings():  # 2 bads per group: AUC warning
    ...     warnings.simplefilter("ignore")
    ...     res = assess(y, score, sensitive_features=group, cutoff=600,
    ...                  score_bins=2, min_group_size=4)
    >>> res.groups["approval_rate"].tolist(), res.groups["air"].round(4).tolist()
    ([0.75, 0.25], [1.0, 0.3333])
    >>> res.reference_group, res.four_fifths_violations
    ('g=a', ['g=b'])

    With four rows a group is far too small for a firm conclusion: the exact
    test does not reject equal approval rates.

    >>> round(res.metric("AIR").pvalue, 4)
    0.4857
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
    w, kind = _weights(sample_weight, weight_kind, y)
    approved, cut, target = _approvals(s, cutoff, approval_rate)
    groups = _make_groups(sensitive_features, s.size, continuous_bins)
    _check_group_sizes(groups, min_group_size)
    groups = _limit_groups(
        groups,
        min_group_size=min_group_size,
        pool_small=pool_small_groups,
        max_groups=max_groups,
    )
    _warn_pooled(groups, min_group_size, max_groups)
    names = list(groups.names)
    stats_g = _group_stats(y, s, approved, groups.labels, len(names), w, kind)
    stats_g["n"] = stats_g["rows"]
    ref = _reference_index(
        names,
        stats_g["rows"],
        reference_group,
        rule=reference_rule,
        rates=stats_g["rate"],
        eligible=stats_g["rows"] >= min_group_size,
    )
    opts = _TableOptions(
        alpha=alpha,
        min_group_size=min_group_size,
        air_test=air_test,
        auc_interval=auc_interval,
        weight_kind=kind,
        weighted=sample_weight is not None,
    )
    table = _group_table(y, s, groups, stats_g, ref, w, opts)
    others = [i for i in range(len(names)) if i != ref]
    vs = tuple(f"{names[i]} vs {names[ref]}" for i in others)
    metrics = _air_metrics(table, stats_g, ref, others, vs, air_test)
    weighted = sample_weight is not None
    metrics += _smd_metrics(stats_g, ref, others, vs)
    edges, iv, js, div_metrics = _divergence_metrics(
        s, groups.labels, stats_g["n"], ref, others, vs, score_bins
    )
    metrics += div_metrics
    metrics += _dependence_metrics(s, groups)
    if weighted:
        metrics = [
            m if m.metric == "AIR" else replace(m, method=m.method + UNWEIGHTED)
            for m in metrics
        ]
    return FairnessAssessment(
        groups=table,
        metrics=tuple(metrics),
        demographic_iv=iv,
        js=js,
        constraint=chance_constraint(iv, eps=eps, z=z),
        cutoff=cut,
        approval_rate=float((w * approved).sum() / w.sum()),
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
            f"AIR: Koopman score interval, {AIR_TESTS[air_test]}; SMD: Cohen's d; "
            f"AUC: DeLong, {auc_interval} interval; IV/JS: {edges.size - 1} score "
            "quantile bins, delta-method SE"
            + ("" if sample_weight is None else f"; {kind} weights (AIR, AUC, rates)")
        ),
        group_definition=groups.definition,
        min_group_size=int(min_group_size),
        reference_rule=(
            "given" if reference_group is not None else str(reference_rule)
        ),
        pooled=groups.pooled,
        weight_kind=None if sample_weight is None else kind,
    )


#: Names of the AIR tests in ``method`` strings.
AIR_TESTS = {"fisher": "Fisher's exact test", "mid-p": "mid-p exact test"}
#: Appended to the method of a metric that ignores the sample weights.
UNWEIGHTED = "; unweighted (sample_weight applies to AIR, AUC and rates only)"


def _weights(
    sample_weight: Any, weight_kind: Any, y: NDArray[np.int64]
) -> tuple[FloatArray, str]:
    """Checked row weights (ones when none) and their kind."""
    if sample_weight is None:
        check_weight_kind(weight_kind, None)
        return np.ones(y.size), "frequency"
    w = check_weights(sample_weight, y)
    return w, check_weight_kind(weight_kind, w)


def _warn_pooled(groups: _Groups, min_group_size: int, max_groups: int) -> None:
    if groups.pooled:
        warnings.warn(
            f"{len(groups.pooled)} groups are pooled into {OTHER!r} (under "
            f"min_group_size={min_group_size} rows, or beyond max_groups="
            f"{max_groups}): {', '.join(groups.pooled[:10])}"
            + (", ..." if len(groups.pooled) > 10 else "")
            + ".",
            DataConditionWarning,
            stacklevel=3,
        )
