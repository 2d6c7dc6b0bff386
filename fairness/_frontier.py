"""Accuracy-fairness Pareto frontier of WoE scorecards by an eps-constraint MIP.

For every feature a menu of candidate binnings is built from one fitted
binning (by default :class:`scorecard.StumpBinner`): merges of its bins at
several bin caps, and fairness-aware merges from the exact dynamic program
maximising ``IV_y - mu IV_a`` over a grid of ``mu`` (docs/design.md section 6).
Each candidate carries its IV against the target and against the protected
attribute with delta-method SEs. The selection MIP (:mod:`fairness._mip`) is
solved over a grid of eps; at every point a WoE logistic regression is
refitted on the chosen binnings and evaluated on held-out data.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from scorecard import DataConditionWarning, information_value
from scorecard._binning._bins import FeatureBins
from scorecard._binning._merge import merge_counts, optimal_merge
from scorecard._kit.compat import HasMethods, Interval, StrOptions
from scorecard._stats._auc import delong_auc

from ._groups import assess
from ._mip import SelectionResult, min_feasible_eps, select_options

__all__ = ["ParetoFrontier"]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
_N_SCORE_BINS = 10


# ------------------------------------------------------------------ helpers


def _merged_bins(fine: FeatureBins, cuts: Sequence[int]) -> FeatureBins:
    """The bin definition whose regular bins merge ``fine``'s between cuts."""
    goods = fine.counts()[:, 0]
    bads = fine.counts()[:, 1]
    k = fine.n_regular
    reg = merge_counts(np.column_stack([goods[:k], bads[:k]]), tuple(cuts))
    new_goods = (*reg[:, 0], *goods[k:])
    new_bads = (*reg[:, 1], *bads[k:])
    if fine.kind == "numeric":
        thresholds = tuple(fine.thresholds[c - 1] for c in cuts)
        return FeatureBins(
            name=fine.name,
            kind="numeric",
            thresholds=thresholds,
            special_values=fine.special_values,
            goods=new_goods,
            bads=new_bads,
        )
    bounds = [0, *cuts, k]
    groups = tuple(
        tuple(c for g in fine.groups[a:b] for c in g)
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    )
    return FeatureBins(
        name=fine.name,
        kind="categorical",
        groups=groups,
        other=fine.other,
        special_values=fine.special_values,
        goods=new_goods,
        bads=new_bads,
    )


def _two_class_counts(
    codes: NDArray[np.int64], labels: NDArray, n_bins: int
) -> FloatArray:
    """(n_bins, 2) counts of label 0 and label 1 per code."""
    out = np.zeros((n_bins, 2))
    np.add.at(out, (codes, labels.astype(np.int64)), 1.0)
    return out


def _iv_pair(table: FloatArray) -> tuple[float, float, int]:
    """IV and SE of a (bins, 2) table, and the number of smoothed bins."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        res = information_value(table[:, 0], table[:, 1])
    smoothed = int(np.sum(res.smoothed)) if caught else 0
    return float(res.estimate), float(res.se), smoothed


def _evaluate(
    y: NDArray,
    score: FloatArray,
    groups: pd.Series,
    approval_rate: float,
    reference_group: str,
) -> tuple[dict[str, float], list[str]]:
    """Held-out metrics of a score (higher = better, i.e. lower risk).

    AIR (with its CI), the demographic IV of the score deciles and dCor^2
    come from :func:`fairness.assess` and the AUC from the shared
    :func:`scorecard.delong_auc`, so a frontier row and an assessment of the
    same scores agree. Returns the metrics and the data-condition warnings
    raised on the way (zero cells smoothed).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        res = assess(
            y,
            score,
            sensitive_features=groups,
            approval_rate=approval_rate,
            reference_group=reference_group,
            score_bins=_N_SCORE_BINS,
        )
        auc = delong_auc(y, score, higher="good")
        edges = res.score_bin_edges
        codes = np.searchsorted(edges[1:-1], score, side="right")
        iv, iv_se, _ = _iv_pair(_two_class_counts(codes, y, edges.size - 1))
    air = res.metric("AIR")
    air_low, air_high = air.ci()
    div = res.metric("demographic IV")
    dcor = res.metric("dCor^2")
    low, high = auc.ci()
    out = {
        "auc": auc.estimate,
        "auc_se": auc.se,
        "auc_ci_low": float(low),
        "auc_ci_high": float(high),
        "iv": iv,
        "iv_se": iv_se,
        "demographic_iv": div.estimate,
        "demographic_iv_se": div.se,
        "air": air.estimate,
        "air_low": float(air_low),
        "air_high": float(air_high),
        "dcor2": dcor.estimate,
        "dcor2_se": dcor.se,
    }
    return out, [str(w.message) for w in caught]


class _LinearLogit:
    """A fitted linear logit ``X @ coef + intercept`` (log-odds of bad)."""

    def __init__(self, coef: FloatArray, intercept: float) -> None:
        self.coef_ = np.asarray(coef, dtype=np.float64)[None, :]
        self.intercept_ = np.array([float(intercept)])

    def decision_function(self, X: ArrayLike) -> FloatArray:
        return np.asarray(X, dtype=np.float64) @ self.coef_[0] + self.intercept_[0]


def _gap_constrained_logit(
    X: FloatArray, y: NDArray, d: FloatArray, gap: float, C: float
) -> _LinearLogit:
    """L2 logistic regression whose coefficients satisfy ``d @ w = gap``.

    Minimises ``sum logloss + |w|^2 / (2 C)`` (scikit-learn's objective, the
    intercept unpenalised) on the affine set ``d @ w = gap``: with ``w = w0 +
    N u``, ``w0 = gap d / |d|^2`` and ``N`` an orthonormal basis of the
    complement of ``d``, ``|w|^2 = |w0|^2 + |u|^2`` and the problem is an
    unconstrained, strictly convex one in ``(u, b)`` (L-BFGS). With ``d`` the
    difference of the groups' mean WoE rows, ``d @ w`` is the difference of
    their mean training log-odds: the covariance constraint of Zafar et al.
    (2017) between group and decision function.
    """
    from scipy.optimize import minimize
    from scipy.special import expit

    p = X.shape[1]
    w0 = gap * d / float(d @ d)
    basis = np.linalg.svd(d[None, :])[2][1:].T  # (p, p - 1), orthonormal
    Z = X @ basis
    offset = X @ w0
    yf = y.astype(np.float64)

    def loss(theta: FloatArray) -> tuple[float, FloatArray]:
        u, b = theta[:-1], theta[-1]
        z = offset + Z @ u + b
        r = expit(z) - yf
        value = float(np.sum(np.logaddexp(0.0, z) - yf * z) + 0.5 / C * (u @ u))
        return value, np.r_[Z.T @ r + u / C, r.sum()]

    res = minimize(
        loss, np.zeros(p), jac=True, method="L-BFGS-B", options={"maxiter": 1000}
    )
    u, b = res.x[:-1], res.x[-1]
    return _LinearLogit(w0 + basis @ u, b)


#: Most merges a feature's exact enumeration may visit.
_MAX_ENUMERATED = 20_000


def _pareto_small_merges(
    ty: FloatArray,
    ta: FloatArray,
    max_bins: int,
    min_count: float,
    totals_y: tuple[float, float],
    totals_a: tuple[float, float],
) -> list[tuple[int, ...]]:
    """Cuts of the Pareto-optimal merges with at most ``max_bins`` bins.

    Every merge of the ``K`` ordered pre-bins into 2..``max_bins`` bins of at
    least ``min_count`` rows is scored by its target and protected IV (zero
    cells get +0.5, as in the menu), and the merges no other one beats on
    both (more IV_y for no more IV_a) are kept. The DP over ``mu`` only
    reaches the convex hull of these points; the enumeration also finds the
    Pareto points inside it (a proxy feature's menu would otherwise jump
    from almost no group information to a lot). Skipped (empty list) when
    the number of merges exceeds ``_MAX_ENUMERATED``.
    """
    from itertools import combinations
    from math import comb

    k = ty.shape[0]
    top = min(max_bins, k)
    if top < 2 or sum(comb(k - 1, m - 1) for m in range(2, top + 1)) > (
        _MAX_ENUMERATED
    ):
        return []
    cy = np.vstack([np.zeros((1, 2)), np.cumsum(ty, axis=0)])
    ca = np.vstack([np.zeros((1, 2)), np.cumsum(ta, axis=0)])

    def iv(cum: FloatArray, bounds: NDArray[np.int64], tot: tuple[float, float]):
        cells = cum[bounds[:, 1:]] - cum[bounds[:, :-1]]  # (merges, bins, 2)
        zero = (cells <= 0).any(axis=2, keepdims=True)
        cells = cells + 0.5 * zero
        p, q = cells[..., 0] / tot[0], cells[..., 1] / tot[1]
        return ((p - q) * np.log(p / q)).sum(axis=1), cells.sum(axis=2)

    points: list[tuple[float, float, tuple[int, ...]]] = []
    for m in range(2, top + 1):
        cuts = np.array(list(combinations(range(1, k), m - 1)), dtype=np.int64)
        bounds = np.column_stack(
            [np.zeros(len(cuts), np.int64), cuts, np.full(len(cuts), k)]
        )
        iv_y, sizes = iv(cy, bounds, totals_y)
        iv_a, _ = iv(ca, bounds, totals_a)
        ok = (sizes >= min_count).all(axis=1)
        points.extend(
            (float(a), float(v), tuple(int(c) for c in row))
            for a, v, row in zip(iv_a[ok], iv_y[ok], cuts[ok], strict=True)
        )
    points.sort(key=lambda t: (t[0], -t[1]))
    out, best = [], -np.inf
    for _, v, cut in points:
        if v > best + 1e-12:
            out.append(cut)
            best = v
    return out


#: Most merge DPs per feature and bin cap in the search for the hull.
_MAX_HULL_SOLVES = 60


def _hull_merges(
    counts: FloatArray, cap: int, fair: dict[str, Any]
) -> list[tuple[float, Any]]:
    """Every merge on the upper hull of (protected IV, target IV), with its mu.

    Maximising ``IV_y - mu IV_a`` over merges for all ``mu >= 0`` reaches
    exactly the merges on the upper-left convex hull of the feature's
    (IV_a, IV_y) points. The dichotomic search (Aneja and Nair, 1979) finds
    them all without a grid: between two hull merges L and R it solves with
    ``mu`` the slope of the segment LR; a merge strictly above the segment is
    a new hull vertex and both halves are searched, otherwise LR is an edge.
    """
    solves = 0

    def solve(mu: float) -> Any:
        nonlocal solves
        solves += 1
        return optimal_merge(counts, max_n_bins=cap, mu=mu, **fair)

    right = solve(0.0)  # most target information
    left = solve(1e6)  # least protected information (often a single bin)
    out: list[tuple[float, Any]] = [(0.0, right)]
    stack = [(left, right)]
    while stack and solves < _MAX_HULL_SOLVES:
        lo, hi = stack.pop()
        da = float(hi.protected_iv) - float(lo.protected_iv)
        dv = hi.iv - lo.iv
        if da <= 1e-12 or dv <= 1e-12:
            continue
        mu = dv / da
        mid = solve(mu)
        line = lo.iv - mu * float(lo.protected_iv)
        if mid.objective > line + 1e-9 * max(1.0, abs(line)) and mid.cuts not in (
            lo.cuts,
            hi.cuts,
        ):
            out.append((mu, mid))
            stack.extend([(lo, mid), (mid, hi)])
    out.append((1e6, left))
    return out


# ---------------------------------------------------------------- estimator


class ParetoFrontier(BaseEstimator):
    r"""Accuracy-fairness frontier of WoE scorecards by an eps-constraint MIP.

    Parameters
    ----------
    eps : int or array-like of float, default=15
        An int ``n``: ``n`` budgets chosen adaptively, the smallest feasible
        one, ``top`` (the cost of the unconstrained best selection) and
        then, one at a time, a probe of the largest remaining gap between
        neighbouring solutions (by the area a point there could add, cost on
        a square-root scale), so the points
        spread along the whole frontier (fewer rows when every
        Pareto-optimal selection is found first).
        An array: those budgets; values below the smallest feasible one give
        ``status="infeasible"`` rows (with a warning).
    z : float, default=0.0
        Normal quantile of the chance constraint
        ``sum (IV_a + z SE_a) x <= eps``; ``1.645`` for 95%.
    max_features : int or None, default=None
        Most features in a scorecard.
    bin_caps : sequence of int, default=(2, 3, 4, 6, 8)
        Bin caps of the IV-optimal and of the fairness-aware merges in every
        menu.
    mu_grid : sequence of float or None, default=None
        Weights of ``IV_a`` in the fairness-aware merges ``IV_y - mu IV_a``
        (at every bin cap). ``None``: no grid; every merge reachable by some
        ``mu >= 0`` (the upper convex hull of the feature's (IV_a, IV_y)
        points) is found exactly by a dichotomic search over ``mu``.
    pareto_bins : int or None, default=4
        Also enumerate every merge with at most this many bins and add the
        Pareto-optimal ones (no other merge has more IV_y for no more IV_a)
        to the menu: the scalarised DP only reaches the convex hull, and a
        strong proxy's menu would otherwise jump from almost no to a lot of
        group information. Skipped for a feature with more than 20,000 such
        merges, and when ``monotonic_trend`` is set. ``None``: off.
    min_bin_size : float, default=0.05
        Smallest share of training rows per merged bin.
    monotonic_trend : {None, "auto", "ascending", "descending", "peak", \
"valley"}, default=None
        Event-rate trend imposed on every merged binning.
    binner : estimator or None, default=None
        Unfitted binner with ``fit(X, y)`` and a ``bins_`` dict of
        :class:`scorecard._binning._bins.FeatureBins`; its bins are the pre-bins of
        every menu. ``None`` uses ``scorecard.StumpBinner(min_bin_size=...,
        monotonic_trend=None, random_state=...)`` (the menus impose
        ``monotonic_trend`` themselves).
    solver : {"cbc", "highs"}, default="cbc"
        MIP solver.
    time_limit : float or None, default=10.0
        Seconds per MIP solve; a solve stopped by it is reported as
        ``"feasible"`` or ``"not_solved"`` (never ``"optimal"``).
    C : float, default=1.0
        Inverse L2 strength of the refitted logistic regression.
    parity_refit : sequence of float or None, default=None
        Shares ``t`` of the groups' gap in mean training score removed by
        extra refits of every distinct selection of the sweep: the logistic
        regression is refitted on the same WoE columns under the linear
        constraint that the difference of the groups' mean training log-odds
        is ``1 - t`` times that of the plain refit (a bound on the covariance
        of group and decision function, Zafar et al., 2017). ``0`` repeats
        the plain refit, ``1`` equalises the group means, above ``1``
        reverses the gap (past parity). The refits are evaluated like the
        frontier and reported in :attr:`parity_frontier_`. ``None``: off.
    approval_rate : float, default=0.5
        Approval rate at which the adverse impact ratio is evaluated.
    validation_size : float, default=0.3
        Share of rows held out (stratified by target) when no validation
        data are given.
    random_state : int, RandomState instance or None, default=None
        Seed of the split and of the default binner.

    Attributes
    ----------
    frontier_ : pandas.DataFrame
        One row per eps: ``eps``, ``status`` (``"optimal"``, ``"feasible"``,
        ``"infeasible"``, ``"not_solved"``), ``solver_status``,
        ``solve_time``, ``time_limit`` (of the solve), ``n_features``,
        ``features``, ``train_iv`` (MIP objective), ``train_iv_a`` and
        ``constraint`` (chosen ``IV_a`` sum and constraint value), then
        held-out ``auc``, ``auc_se``,
        ``auc_ci_low``, ``auc_ci_high`` (DeLong, 95% Wald), ``iv``,
        ``iv_se``, ``demographic_iv``, ``demographic_iv_se`` (IV of score
        deciles against the target and between the groups, delta-method
        SEs), ``air``, ``air_low``, ``air_high`` (adverse impact ratio at
        ``approval_rate``: approval rate of the other group over the
        reference group's, 95% delta-method CI on the log ratio), ``dcor2``,
        ``dcor2_se`` (squared U-statistic distance correlation between score
        and group, jackknife SE); metrics are NaN on rows without a solution.
        AIR, demographic IV and dCor^2 are those of :func:`fairness.assess`
        on the held-out scores (same reference group, ties at the cutoff
        shared), the AUC that of :func:`scorecard.delong_auc`.
    menu_ : pandas.DataFrame
        Candidate options: ``feature``, ``option``, ``n_bins``, ``iv_y``,
        ``se_y``, ``iv_a``, ``se_a``, ``smoothed_bins``.
    selections_ : list of SelectionResult
        The MIP result of every eps.
    candidate_bins_ : dict
        ``(feature, option) -> FeatureBins`` of every candidate.
    models_ : dict
        ``eps -> (chosen bins dict, fitted LogisticRegression)`` for rows
        with a solution.
    parity_frontier_ : pandas.DataFrame
        Only with ``parity_refit``: one row per distinct selection and share
        ``t``: ``eps`` (the smallest budget of the selection), ``parity``
        (``t``), ``n_features``, ``features``, ``train_gap`` (mean training
        log-odds of good of the other group minus the reference group's)
        and the held-out metric columns of :attr:`frontier_`. A refit whose
        score is constant (a single feature at ``t = 1``) is left out.
    parity_models_ : dict
        Only with ``parity_refit``: ``(eps, t) -> (chosen bins dict, linear
        logit)``.
    binner_ : estimator
        The fitted binner.
    groups_ : ndarray
        The two protected-group values; ``groups_[1]`` is coded 1.
    reference_group_ : object
        The larger training group (denominator of the adverse impact ratio;
        the reference rule of :func:`fairness.assess`).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    Eps-constraint method: for every eps the MIP

    .. math:: \max \sum IV_{jk} x_{jk}\ \text{s.t.}\
              \sum (IV_{a,jk} + z\,SE_{a,jk}) x_{jk} \le \varepsilon

    picks at most one binning per feature. Under conditional independence of
    the features given the group, the sum bounds the score's demographic IV
    (data processing), so the constraint is a budget on it.

    The refit is scikit-learn's ``LogisticRegression`` on the WoE of the
    chosen binnings, not :class:`scorecard.Scorecard`: the scorecard re-bins
    its features with its own binner (there is no fixed-bins entry), and its
    points are an affine, decreasing map of the same log-odds, so AUC, AIR
    at an approval rate, the decile IVs and dCor would be unchanged.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> n = 2000
    >>> group = rng.integers(0, 2, n)
    >>> X = pd.DataFrame({"fair": rng.normal(size=n),
    ...                   "proxy": rng.normal(size=n) + group})
    >>> y = (rng.random(n) < 1 / (1 + np.exp(1 - X.fair - X.proxy))).astype(int)
    >>> front = ParetoFrontier(eps=4, random_state=0)
    >>> front = front.fit(X, y, sensitive_features=group)
    >>> front.frontier_[["status", "n_features"]].iloc[[0, -1]].to_numpy().tolist()
    [['optimal', 1], ['optimal', 2]]
    """

    _parameter_constraints: dict = {
        "eps": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "z": [Interval(Real, 0, None, closed="left")],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "bin_caps": ["array-like"],
        "mu_grid": ["array-like", None],
        "pareto_bins": [Interval(Integral, 2, None, closed="left"), None],
        "min_bin_size": [Interval(Real, 0, 0.5, closed="left")],
        "monotonic_trend": [
            StrOptions({"auto", "ascending", "descending", "peak", "valley"}),
            None,
        ],
        "binner": [HasMethods(["fit"]), None],
        "solver": [StrOptions({"cbc", "highs"})],
        "time_limit": [Interval(Real, 0, None, closed="neither"), None],
        "C": [Interval(Real, 0, None, closed="neither")],
        "parity_refit": ["array-like", None],
        "approval_rate": [Interval(Real, 0, 1, closed="neither")],
        "validation_size": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        eps: int | ArrayLike = 15,
        z: float = 0.0,
        max_features: int | None = None,
        bin_caps: Sequence[int] = (2, 3, 4, 6, 8),
        mu_grid: Sequence[float] | None = None,
        pareto_bins: int | None = 4,
        min_bin_size: float = 0.05,
        monotonic_trend: Literal["auto", "ascending", "descending", "peak", "valley"]
        | None = None,
        binner: Any = None,
        solver: Literal["cbc", "highs"] = "cbc",
        time_limit: float | None = 10.0,
        C: float = 1.0,
        parity_refit: Sequence[float] | None = None,
        approval_rate: float = 0.5,
        validation_size: float = 0.3,
        random_state: Any = None,
    ) -> None:
        self.eps = eps
        self.z = z
        self.max_features = max_features
        self.bin_caps = bin_caps
        self.mu_grid = mu_grid
        self.pareto_bins = pareto_bins
        self.min_bin_size = min_bin_size
        self.monotonic_trend = monotonic_trend
        self.binner = binner
        self.solver = solver
        self.time_limit = time_limit
        self.C = C
        self.parity_refit = parity_refit
        self.approval_rate = approval_rate
        self.validation_size = validation_size
        self.random_state = random_state

    # ------------------------------------------------------------ validation

    def _check_grids(self) -> tuple[list[int], list[float] | None]:
        caps = np.asarray(self.bin_caps)
        if caps.ndim != 1 or caps.size == 0 or caps.dtype.kind not in "iu":
            raise ValueError(
                "bin_caps must be a non-empty sequence of ints >= 2; got "
                f"{self.bin_caps!r}."
            )
        if np.any(caps < 2):
            raise ValueError(
                f"bin_caps must be ints >= 2 (a 1-bin feature carries no "
                f"information); got {self.bin_caps!r}."
            )
        if self.mu_grid is None:
            return sorted({int(c) for c in caps}), None
        mus = np.asarray(self.mu_grid, dtype=np.float64)
        if mus.ndim != 1 or not np.all(np.isfinite(mus)) or np.any(mus < 0):
            raise ValueError(
                "mu_grid must be a sequence of finite numbers >= 0; got "
                f"{self.mu_grid!r}."
            )
        return sorted({int(c) for c in caps}), sorted({float(m) for m in mus})

    def _check_parity(self) -> list[float]:
        if self.parity_refit is None:
            return []
        shares = np.asarray(self.parity_refit, dtype=np.float64)
        if (
            shares.ndim != 1
            or shares.size == 0
            or not np.all(np.isfinite(shares))
            or np.any(shares < 0)
        ):
            raise ValueError(
                "parity_refit must be None or a non-empty sequence of finite "
                f"numbers >= 0 (shares of the mean score gap removed); got "
                f"{self.parity_refit!r}."
            )
        return sorted({float(t) for t in shares})

    @staticmethod
    def _as_frame(X: Any, name: str) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            return X
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise ValueError(
                f"{name} must be 2-D (rows x features); got ndim={arr.ndim}."
            )
        return pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])

    def _groups(
        self, X: pd.DataFrame, sensitive: Any, name: str
    ) -> tuple[pd.DataFrame, NDArray]:
        """Split the protected column off X (if named) and validate it."""
        if isinstance(sensitive, str):
            if sensitive not in X.columns:
                raise ValueError(
                    f"{name} {sensitive!r} is not a column of the data; columns are "
                    f"{list(map(str, X.columns))}."
                )
            values = X[sensitive].to_numpy()
            X = X.drop(columns=sensitive)
        else:
            values = np.asarray(sensitive)
            if values.ndim == 2 and values.shape[1] == 1:
                values = values[:, 0]
            if values.ndim != 1 or values.shape[0] != len(X):
                raise ValueError(
                    f"{name} must be one value per row ({len(X)}); got shape "
                    f"{values.shape}."
                )
        if pd.isna(values).any():
            raise ValueError(
                f"{name} has {int(pd.isna(values).sum())} missing values; the "
                "protected attribute must be known for every row."
            )
        return X, values

    def _code_groups(self, values: NDArray, name: str) -> NDArray[np.int64]:
        codes = pd.Index(self.groups_).get_indexer(values)
        if np.any(codes < 0):
            raise ValueError(
                f"{name} has values {list(pd.unique(values[codes < 0]))[:5]} not "
                f"among the training groups {list(self.groups_)}."
            )
        return codes.astype(np.int64)

    @staticmethod
    def _check_y(y: Any, n: int, name: str) -> NDArray[np.int64]:
        arr = np.asarray(y)
        if arr.ndim != 1 or arr.shape[0] != n:
            raise ValueError(f"{name} must have shape ({n},); got {arr.shape}.")
        if pd.isna(arr).any() or not set(np.unique(arr).tolist()) <= {0, 1}:
            raise ValueError(
                f"{name} must be binary 0/1 (1 = bad); got values "
                f"{list(pd.unique(arr))[:5]}."
            )
        if np.unique(arr).size < 2:
            raise ValueError(f"{name} has a single class; both 0 and 1 are needed.")
        return arr.astype(np.int64)

    # ------------------------------------------------------------------ fit

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: Any,
        y: Any,
        *,
        sensitive_features: Any,
        X_valid: Any = None,
        y_valid: Any = None,
        sensitive_valid: Any = None,
    ) -> ParetoFrontier:
        """Build the menus, sweep eps, refit and evaluate on held-out data.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Candidate features (numeric or categorical).
        y : array-like of shape (n_samples,)
            Binary target, 1 = bad.
        sensitive_features : str or array-like of shape (n_samples,)
            The protected attribute with exactly two groups, or the name of a
            column of ``X`` holding it (that column is then not a feature).
        X_valid, y_valid, sensitive_valid : default=None
            Held-out data (all three or none); ``sensitive_valid`` may name a
            column like ``sensitive_features``. ``None``: a stratified
            ``validation_size`` split of ``X``.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            Protected attribute missing, with missing values, constant or not
            binary; target not binary; validation data incomplete; no feature
            yields a candidate with two or more bins; every eps below the
            smallest feasible value.
        """
        caps, mus = self._check_grids()
        shares = self._check_parity()
        X = self._as_frame(X, "X")
        X, sens = self._groups(X, sensitive_features, "sensitive_features")
        y_arr = self._check_y(y, len(X), "y")
        groups = pd.unique(sens)
        if groups.size == 1:
            raise ValueError(
                f"sensitive_features is constant (every row is {groups[0]!r}); "
                "a fairness frontier needs two groups."
            )
        if groups.size > 2:
            raise ValueError(
                f"sensitive_features must have exactly two groups; got {groups.size} "
                f"({list(groups)[:6]}). Code the protected group against the rest."
            )
        self.groups_ = np.sort(groups)
        a_arr = self._code_groups(sens, "sensitive_features")
        sizes = np.bincount(a_arr, minlength=2)
        # the one reference rule of fairness.assess: the largest group
        reference = int(np.argmax(sizes))
        self.reference_group_ = self.groups_[reference]
        name = sensitive_features if isinstance(sensitive_features, str) else "group"
        reference_label = f"{name}={self.reference_group_}"
        if X.shape[1] == 0:
            raise ValueError("X has no feature columns besides the protected one.")
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = X.shape[1]

        given = [v is not None for v in (X_valid, y_valid, sensitive_valid)]
        if any(given) and not all(given):
            raise ValueError(
                "X_valid, y_valid and sensitive_valid must be given together; given: "
                f"X_valid={given[0]}, y_valid={given[1]}, sensitive_valid={given[2]}."
            )
        if all(given):
            Xv = self._as_frame(X_valid, "X_valid")
            Xv, sv = self._groups(Xv, sensitive_valid, "sensitive_valid")
            missing = [c for c in X.columns if c not in Xv.columns]
            if missing:
                raise ValueError(f"X_valid lacks the feature columns {missing}.")
            Xv = Xv[X.columns]
            yv = self._check_y(y_valid, len(Xv), "y_valid")
            av = self._code_groups(sv, "sensitive_valid")
            Xt, yt, at = X, y_arr, a_arr
        else:
            strata = y_arr * 2 + a_arr
            Xt, Xv, yt, yv, at, av = train_test_split(
                X,
                y_arr,
                a_arr,
                test_size=self.validation_size,
                stratify=strata,
                random_state=self.random_state,
            )

        start = time.perf_counter()
        self.binner_ = self._fit_binner(Xt, yt)
        self.menu_, self.candidate_bins_ = self._build_menus(Xt, yt, at, caps, mus)
        logger.info(
            "menus: %d candidates in %.2fs",
            len(self.menu_),
            time.perf_counter() - start,
        )
        self.selections_ = self._sweep()
        self.models_: dict[float, tuple[dict[str, FeatureBins], Any]] = {}
        rows = []
        codes_cache: dict[tuple[str, str], tuple[FloatArray, FloatArray]] = {}
        fit_cache: dict[tuple, tuple[dict, LogisticRegression, dict]] = {}
        valid_groups = pd.Series(self.groups_[av], name=name)
        notes: dict[str, None] = {}
        for res in self.selections_:
            rows.append(
                self._row(
                    res,
                    (Xt, yt),
                    (Xv, yv, valid_groups, reference_label),
                    codes_cache,
                    fit_cache,
                    notes,
                )
            )
        self.frontier_ = pd.DataFrame(rows)
        if shares:
            self._parity_refits(
                shares,
                (Xt, yt, at),
                codes_cache,
                fit_cache,
                notes,
                (Xv, yv, valid_groups, reference_label),
            )
        if notes:
            warnings.warn(
                "Held-out evaluation of the frontier: " + " | ".join(notes),
                DataConditionWarning,
                stacklevel=3,
            )
        return self

    def _fit_binner(self, X: pd.DataFrame, y: NDArray) -> Any:
        if self.binner is None:
            from scorecard import StumpBinner  # type: ignore[attr-defined]

            binner = StumpBinner(
                min_bin_size=self.min_bin_size,
                monotonic_trend=None,
                random_state=self.random_state,
            )
        else:
            binner = clone(self.binner)
        binner.fit(X, y)
        bins = getattr(binner, "bins_", None)
        if not isinstance(bins, dict):
            raise TypeError(
                f"binner {type(binner).__name__} must expose a fitted bins_ dict "
                "(feature -> FeatureBins)."
            )
        return binner

    def _build_menus(
        self,
        X: pd.DataFrame,
        y: NDArray,
        a: NDArray,
        caps: list[int],
        mus: list[float] | None,
    ) -> tuple[pd.DataFrame, dict[tuple[str, str], FeatureBins]]:
        bins: dict[str, FeatureBins] = self.binner_.bins_
        rows = []
        cand: dict[tuple[str, str], FeatureBins] = {}
        skipped = []
        for col in X.columns:
            name = str(col)
            fine = bins.get(name, bins.get(col))
            if fine is None:
                raise ValueError(f"The binner has no bins for feature {name!r}.")
            codes = fine.assign(X[col])
            ty = _two_class_counts(codes, y, fine.n_bins)
            ta = _two_class_counts(codes, a, fine.n_bins)
            fine = fine.with_counts(ty[:, 0].tolist(), ty[:, 1].tolist())
            k = fine.n_regular
            tot_y = (float(ty[:, 0].sum()), float(ty[:, 1].sum()))
            tot_a = (float(ta[:, 0].sum()), float(ta[:, 1].sum()))
            common: dict[str, Any] = dict(
                min_bin_size=self.min_bin_size,
                monotonic_trend=self.monotonic_trend,
                totals=tot_y,
            )
            options: dict[tuple[int, ...], str] = {}
            if k >= 2:
                for cap in caps:
                    r = optimal_merge(ty[:k], max_n_bins=cap, **common)
                    if r.feasible:
                        options.setdefault(r.cuts, f"iv_max_{cap}")
                fair: dict[str, Any] = dict(
                    protected=ta[:k], protected_totals=tot_a, **common
                )
                for cap in caps:
                    found = (
                        _hull_merges(ty[:k], cap, fair)
                        if mus is None
                        else [
                            (mu, optimal_merge(ty[:k], max_n_bins=cap, mu=mu, **fair))
                            for mu in mus
                        ]
                    )
                    for mu, r in found:
                        if r.feasible and mu > 0:
                            options.setdefault(r.cuts, f"fair_{cap}_mu{mu:.4g}")
                if self.pareto_bins and self.monotonic_trend is None:
                    for cuts in _pareto_small_merges(
                        ty[:k],
                        ta[:k],
                        int(self.pareto_bins),
                        self.min_bin_size * sum(tot_y),
                        tot_y,
                        tot_a,
                    ):
                        label = "pareto_" + "-".join(map(str, cuts))
                        options.setdefault(cuts, label)
            kept = 0
            for cuts, label in options.items():
                fb = _merged_bins(fine, cuts)
                bounds = np.r_[0, np.asarray(cuts, dtype=np.int64)]
                merged = np.searchsorted(bounds, np.arange(k), side="right") - 1
                extra = np.arange(k, fine.n_bins) - k + len(cuts) + 1
                mapping = np.r_[merged, extra]
                my = np.zeros((fb.n_bins, 2))
                ma = np.zeros((fb.n_bins, 2))
                np.add.at(my, mapping, ty)
                np.add.at(ma, mapping, ta)
                if np.count_nonzero(my.sum(axis=1)) < 2:
                    continue
                iv_y, se_y, sm_y = _iv_pair(my)
                iv_a, se_a, sm_a = _iv_pair(ma)
                rows.append(
                    {
                        "feature": name,
                        "option": label,
                        "n_bins": int(np.count_nonzero(my.sum(axis=1))),
                        "iv_y": iv_y,
                        "se_y": se_y,
                        "iv_a": iv_a,
                        "se_a": se_a,
                        "smoothed_bins": sm_y + sm_a,
                    }
                )
                cand[(name, label)] = fb
                kept += 1
            if kept == 0:
                skipped.append(name)
        if not rows:
            raise ValueError(
                "The candidate grid yields no bins: no feature has a candidate "
                f"binning with two or more bins (min_bin_size={self.min_bin_size}, "
                f"bin_caps={caps}, monotonic_trend={self.monotonic_trend!r}). Lower "
                "min_bin_size or relax monotonic_trend."
            )
        if skipped:
            warnings.warn(
                f"Features {skipped} yield no candidate binning with two or more "
                f"bins (min_bin_size={self.min_bin_size}, bin_caps={caps}); they "
                "are left out of the frontier.",
                DataConditionWarning,
                stacklevel=3,
            )
        return pd.DataFrame(rows), cand

    def _solve(self, eps: float) -> SelectionResult:
        return select_options(
            self.menu_[["feature", "option", "iv_y", "se_y", "iv_a", "se_a"]],
            eps=float(eps),
            z=float(self.z),
            max_features=self.max_features,
            solver=self.solver,
            time_limit=self.time_limit,
        )

    def _sweep(self) -> list[SelectionResult]:
        """MIP results of the eps sweep, in increasing eps."""
        if isinstance(self.eps, Integral):
            return self._adaptive_sweep(int(self.eps))
        return [self._solve(eps) for eps in self._eps_grid()]

    def _adaptive_sweep(self, n: int) -> list[SelectionResult]:
        """``n`` budgets placed where the frontier has its largest gaps.

        The first budgets are the smallest feasible one and the cost of the
        unconstrained best selection. Each further budget probes the pair of
        neighbouring solutions A, B with the largest rectangle between them
        in (sqrt(cost), IV) space, both scaled to [0, 1] (the most a point
        between them could add to the area the frontier dominates; the root
        because a demographic IV grows like the square of a group difference,
        so the AIR moves with the root of the cost). The probe bisects the
        part of the gap not yet searched; a probe returning A shows that no
        selection up to it beats A. Once under 1/8 of a gap is left, the
        probe goes just below B's cost: it returns the best selection
        cheaper than B (a new Pareto point) or A (the gap is closed). The
        sweep stops early when every gap is closed, i.e. every
        Pareto-optimal selection has been found.
        """
        menu = self.menu_
        lo = min_feasible_eps(menu, z=float(self.z))
        everything = float((menu["iv_a"] + self.z * menu["se_a"]).sum()) + 1.0
        top = self._solve(everything)
        hi = top.constraint_value if top.has_solution else everything
        if n == 1 or hi <= lo:
            return [self._solve(hi)]
        found = [self._solve(lo), self._solve(hi)]
        floors: dict[tuple[tuple, tuple], float] = {}
        closed: set[tuple[tuple, tuple]] = set()

        def key(r: SelectionResult) -> tuple:
            return tuple(sorted(r.chosen.items()))

        while len(found) < n:
            points: dict[tuple, SelectionResult] = {}
            for r in found:
                if r.has_solution:
                    points.setdefault(key(r), r)
            ordered = sorted(points.values(), key=lambda r: r.constraint_value)
            root = np.sqrt(np.maximum([r.constraint_value for r in ordered], 0.0))
            value = np.array([r.estimate for r in ordered])
            c_range = max(float(np.ptp(root)), 1e-12) if root.size else 1.0
            v_range = max(float(np.ptp(value)), 1e-12) if value.size else 1.0
            best, pick = 0.0, None
            for i, (a, b) in enumerate(zip(ordered[:-1], ordered[1:], strict=True)):
                ends = (key(a), key(b))
                if ends in closed or b.estimate <= a.estimate + 1e-12:
                    continue
                floor = floors.get(ends, a.constraint_value)
                # the most a point between a and b can add to the area the
                # frontier dominates in (sqrt(cost), IV), both scaled to [0, 1]
                open_root = root[i + 1] - np.sqrt(max(floor, 0.0))
                gap = open_root / c_range * (b.estimate - a.estimate) / v_range
                if gap > best:
                    best, pick = gap, (a, b, floor, open_root / (root[i + 1] - root[i]))
            if pick is None:
                break  # every Pareto-optimal selection found
            a, b, floor, share = pick
            ends = (key(a), key(b))
            if share < 0.125:
                # bisection found nothing in most of the gap: the best
                # selection cheaper than b is a new point or closes the gap
                eps = b.constraint_value * (1 - 1e-6)
                res = self._solve(eps)
                found.append(res)
                if not res.has_solution or key(res) in ends:
                    closed.add(ends)
                else:
                    closed.add((key(res), key(b)))
                    floors[(key(a), key(res))] = floor
            else:
                eps = (
                    (np.sqrt(max(floor, 0.0)) + np.sqrt(b.constraint_value)) / 2
                ) ** 2
                res = self._solve(eps)
                found.append(res)
                if not res.has_solution or key(res) == key(a):
                    floors[ends] = eps
                else:
                    floors[(key(res), key(b))] = eps
                    floors[(key(a), key(res))] = floor
        return sorted(found, key=lambda r: r.eps)

    def _eps_grid(self) -> FloatArray:
        menu = self.menu_
        lo = min_feasible_eps(menu, z=float(self.z))
        grid = np.sort(np.asarray(self.eps, dtype=np.float64).ravel())
        if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
            raise ValueError(
                f"eps must be an int >= 1 or a non-empty array of finite numbers "
                f">= 0; got {self.eps!r}."
            )
        below = grid[grid < lo]
        if below.size == grid.size:
            raise ValueError(
                f"Every eps is below the smallest feasible value {lo:.6g} (the "
                f"cheapest single candidate's IV_a + {self.z:g} SE_a); got eps in "
                f"[{grid.min():.6g}, {grid.max():.6g}]."
            )
        if below.size:
            warnings.warn(
                f"eps values {below.round(6).tolist()} are below the smallest "
                f"feasible value {lo:.6g}; their rows are reported as infeasible.",
                DataConditionWarning,
                stacklevel=4,
            )
        return grid

    def _row(
        self,
        res: SelectionResult,
        train: tuple[pd.DataFrame, NDArray],
        valid: tuple[pd.DataFrame, NDArray, pd.Series, str],
        codes_cache: dict,
        fit_cache: dict,
        notes: dict[str, None],
    ) -> dict[str, Any]:
        Xt, yt = train
        Xv, yv, groups, reference_label = valid
        row: dict[str, Any] = {
            "eps": res.eps,
            "status": res.status,
            "solver_status": res.solver_status,
            "solve_time": res.solve_time,
            "time_limit": res.time_limit,
            "n_features": len(res.selection),
            "features": ", ".join(f"{f}:{o}" for f, o in res.chosen.items()),
            "train_iv": res.estimate,
            "train_iv_a": res.iv_a,
            "constraint": res.constraint_value,
        }
        metrics = dict.fromkeys(
            [
                "auc",
                "auc_se",
                "auc_ci_low",
                "auc_ci_high",
                "iv",
                "iv_se",
                "demographic_iv",
                "demographic_iv_se",
                "air",
                "air_low",
                "air_high",
                "dcor2",
                "dcor2_se",
            ],
            float("nan"),
        )
        if res.has_solution:
            key = tuple(sorted(res.chosen.items()))
            if key not in fit_cache:
                chosen = {
                    f: self.candidate_bins_[(f, o)] for f, o in res.chosen.items()
                }
                wt = self._woe_matrix(chosen, Xt, "train", codes_cache)
                wv = self._woe_matrix(chosen, Xv, "valid", codes_cache)
                model = LogisticRegression(C=self.C, max_iter=1000).fit(wt, yt)
                # score: log-odds of good, higher = lower risk
                score = -model.decision_function(wv)
                met, caught = _evaluate(
                    yv, score, groups, self.approval_rate, reference_label
                )
                notes.update(dict.fromkeys(caught))
                fit_cache[key] = (chosen, model, met)
            chosen, model, met = fit_cache[key]
            self.models_[res.eps] = (chosen, model)
            metrics.update(met)
        row.update(metrics)
        return row

    def _parity_refits(
        self,
        shares: list[float],
        train: tuple[pd.DataFrame, NDArray, NDArray],
        codes_cache: dict,
        fit_cache: dict,
        notes: dict[str, None],
        valid: tuple[pd.DataFrame, NDArray, pd.Series, str],
    ) -> None:
        """Gap-constrained refits of every distinct selection (parity_refit)."""
        Xt, yt, at = train
        Xv, yv, groups, reference_label = valid
        reference = int(pd.Index(self.groups_).get_loc(self.reference_group_))
        self.parity_models_: dict[tuple[float, float], tuple[dict, Any]] = {}
        rows = []
        seen: set[tuple] = set()
        for res in self.selections_:
            if not res.has_solution:
                continue
            key = tuple(sorted(res.chosen.items()))
            if key in seen:
                continue
            seen.add(key)
            chosen, model, _ = fit_cache[key]
            wt = self._woe_matrix(chosen, Xt, "train", codes_cache)
            wv = self._woe_matrix(chosen, Xv, "valid", codes_cache)
            # log-odds of bad: the gap of the other group minus the reference
            d = wt[at != reference].mean(axis=0) - wt[at == reference].mean(axis=0)
            plain_gap = float(d @ model.coef_[0])
            for t in shares:
                if float(d @ d) <= 1e-24:
                    fitted: Any = model  # no gap to move
                else:
                    fitted = _gap_constrained_logit(
                        wt, yt, d, (1.0 - t) * plain_gap, float(self.C)
                    )
                score = -fitted.decision_function(wv)
                if np.ptp(score) <= 0:
                    continue
                met, caught = _evaluate(
                    yv, score, groups, self.approval_rate, reference_label
                )
                notes.update(dict.fromkeys(caught))
                self.parity_models_[(res.eps, t)] = (chosen, fitted)
                rows.append(
                    {
                        "eps": res.eps,
                        "parity": t,
                        "n_features": len(chosen),
                        "features": ", ".join(
                            f"{f}:{o}" for f, o in res.chosen.items()
                        ),
                        "train_gap": -float(d @ fitted.coef_[0]),
                        **met,
                    }
                )
        self.parity_frontier_ = pd.DataFrame(rows)

    def predict_score(
        self, X: Any, *, eps: float, parity: float | None = None
    ) -> FloatArray:
        """Score of the scorecard refitted at budget ``eps`` (higher = better).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows with the training feature columns (extra columns, such as the
            protected attribute, are ignored).
        eps : float
            A budget of a :attr:`frontier_` row with a solution.
        parity : float or None, default=None
            A share of :attr:`parity_frontier_`: the score of that
            gap-constrained refit (``eps`` then a budget of that table).

        Returns
        -------
        ndarray of shape (n_samples,)
            Log-odds of good, ``-decision_function`` of the refitted logistic
            regression on the WoE of the chosen binnings.

        Raises
        ------
        ValueError
            If ``eps`` is not the budget of a solved row, or ``X`` lacks a
            chosen feature.
        """
        check_is_fitted(self, "models_")
        if parity is None:
            models: dict = self.models_
            wanted = float(eps)
        else:
            models = {
                e: m
                for (e, t), m in getattr(self, "parity_models_", {}).items()
                if np.isclose(t, float(parity), rtol=1e-9, atol=1e-12)
            }
            if not models:
                raise ValueError(
                    "parity must be a share of parity_frontier_ (fit with "
                    f"parity_refit={self.parity_refit!r}); got {parity!r}."
                )
            wanted = float(eps)
        keys = np.asarray(list(models), dtype=np.float64)
        hit = np.flatnonzero(np.isclose(keys, wanted, rtol=1e-9, atol=0.0))
        if hit.size == 0:
            raise ValueError(
                f"eps must be the budget of a frontier row with a solution, one of "
                f"{[float(k) for k in keys]}; got {eps!r}."
            )
        chosen, model = models[list(models)[int(hit[0])]]
        frame = self._as_frame(X, "X")
        missing = [f for f in chosen if f not in [str(c) for c in frame.columns]]
        if missing:
            raise ValueError(f"X lacks the chosen feature columns {missing}.")
        woe = self._woe_matrix(chosen, frame, "predict", {})
        return -np.asarray(model.decision_function(woe), dtype=np.float64)

    @staticmethod
    def _woe_matrix(
        chosen: dict[str, FeatureBins], X: pd.DataFrame, tag: str, cache: dict
    ) -> FloatArray:
        cols = []
        for name, fb in chosen.items():
            key = (tag, name, id(fb))
            if key not in cache:
                position = [str(c) for c in X.columns].index(name)
                cache[key] = fb.woe()[fb.assign(X.iloc[:, position])]
            cols.append(cache[key])
        return np.column_stack(cols)

    # ----------------------------------------------------------------- plot

    def plot(
        self,
        ax: Any = None,
        *,
        x: str = "air",
        y: str = "auc",
        lambda_path: pd.DataFrame | None = None,
        label: str = "MIP frontier",
    ) -> Any:
        """Plot the held-out frontier with error bars.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        x, y : str, default="air", "auc"
            Columns of :attr:`frontier_` on the axes. Error bars use
            ``{col}_low``/``{col}_high`` columns, or ``{col}_se`` (+- 1.96 SE),
            when present.
        lambda_path : pandas.DataFrame, default=None
            A second frontier on the same axes, e.g. the lambda path of
            ``DCovLogisticRegression``, with columns ``x`` and ``y`` (and
            optional interval columns named as above).
        label : str, default="MIP frontier"
            Legend label of this frontier.

        Returns
        -------
        matplotlib Axes
        """
        check_is_fitted(self, "frontier_")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4.5))
        ok = self.frontier_[self.frontier_[y].notna()]
        _errorbar(ax, ok, x, y, label=label, fmt="o-", color="C0")
        if lambda_path is not None:
            missing = [c for c in (x, y) if c not in lambda_path.columns]
            if missing:
                raise ValueError(
                    f"lambda_path lacks the columns {missing}; it needs {x!r} and "
                    f"{y!r}."
                )
            _errorbar(ax, lambda_path, x, y, label="lambda path", fmt="s--", color="C1")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        n_bad = int((~self.frontier_["status"].isin(["optimal"])).sum())
        title = "Accuracy-fairness frontier (held-out)"
        if n_bad:
            title += f"; {n_bad} eps not optimal/infeasible"
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        return ax


def _interval(frame: pd.DataFrame, col: str) -> FloatArray | None:
    """Asymmetric error bar lengths for ``col`` from its CI or SE columns."""
    if f"{col}_low" in frame and f"{col}_high" in frame:
        mid = frame[col].to_numpy(float)
        return np.vstack(
            [mid - frame[f"{col}_low"].to_numpy(float), frame[f"{col}_high"] - mid]
        )
    if f"{col}_se" in frame:
        half = 1.96 * frame[f"{col}_se"].to_numpy(float)
        return np.vstack([half, half])
    return None


def _errorbar(ax: Any, frame: pd.DataFrame, x: str, y: str, **kwargs: Any) -> None:
    order = frame.sort_values("eps" if "eps" in frame else x)  # the sweep order
    ax.errorbar(
        order[x],
        order[y],
        xerr=_interval(order, x),
        yerr=_interval(order, y),
        capsize=2,
        markersize=4,
        elinewidth=0.8,
        **kwargs,
    )
