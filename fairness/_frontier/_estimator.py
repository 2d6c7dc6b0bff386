"""The :class:`ParetoFrontier` estimator: menus, eps sweep, refits, report."""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, _fit_context
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from scorecard import DataConditionWarning, FeatureBins
from scorecard._kit.compat import HasMethods, Interval, StrOptions

from .._groups import assess
from .._groups._renamed import renamed_keyword
from .._report import FairnessReport
from ._checks import (
    as_frame,
    check_grids,
    check_parity,
    check_y,
    code_groups,
    split_sensitive,
)
from ._evaluation import _EvaluationMixin, choose_operating_point
from ._menus import build_menus, fit_binner
from ._plot import _PlotMixin
from ._sweep import _SweepMixin

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]


class ParetoFrontier(_SweepMixin, _EvaluationMixin, _PlotMixin, BaseEstimator):
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
        :class:`scorecard.FeatureBins`; its bins are the pre-bins of
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
    alpha : float, default=0.05
        Level (one minus the coverage) of the held-out intervals in
        :attr:`frontier_`, of the plot's error bars and of :meth:`to_html`.
    bad_value : object, default=None
        The label of ``y`` meaning bad; needed unless ``y`` is 0/1 or
        boolean (the one rule of ``scorecard._kit.validation``).
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
        ``auc_ci_low``, ``auc_ci_high`` (DeLong, Wald at ``alpha``), ``iv``,
        ``iv_se``, ``demographic_iv``, ``demographic_iv_se`` (IV of score
        deciles against the target and between the groups, delta-method
        SEs), ``air``, ``air_low``, ``air_high`` (adverse impact ratio at
        ``approval_rate``: approval rate of the other group over the
        reference group's, delta-method CI on the log ratio), ``dcor2``,
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
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "bad_value": "no_validation",
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
        alpha: float = 0.05,
        bad_value: Any = None,
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
        self.alpha = alpha
        self.bad_value = bad_value

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
        sensitive_features_valid: Any = None,
        **deprecated: Any,
    ) -> ParetoFrontier:
        """Build the menus, sweep eps, refit and evaluate on held-out data.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Candidate features (numeric or categorical).
        y : array-like of shape (n_samples,)
            Binary target: 0/1 or boolean (1 = bad), or two labels with
            ``bad_value`` naming the bad one.
        sensitive_features : str or array-like of shape (n_samples,)
            The protected attribute with exactly two groups, or the name of a
            column of ``X`` holding it (that column is then not a feature).
        X_valid, y_valid, sensitive_features_valid : default=None
            Held-out data (all three or none); ``sensitive_features_valid``
            may name a column like ``sensitive_features``. ``None``: a
            stratified ``validation_size`` split of ``X``. (Called
            ``sensitive_valid`` before 0.2; that keyword still works, with a
            ``FutureWarning``, until 0.3.)

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
        sensitive_features_valid = renamed_keyword(
            deprecated,
            "sensitive_valid",
            "sensitive_features_valid",
            sensitive_features_valid,
            "fit",
            required=False,
        )
        caps, mus = check_grids(self.bin_caps, self.mu_grid)
        shares = check_parity(self.parity_refit)
        X, y_arr, a_arr, name = self._training_data(X, y, sensitive_features)
        reference_label = f"{name}={self.reference_group_}"
        valid = (X_valid, y_valid, sensitive_features_valid)
        Xt, yt, at, Xv, yv, av = self._held_out(X, y_arr, a_arr, valid)

        start = time.perf_counter()
        self.binner_ = fit_binner(
            self.binner, self.min_bin_size, self.random_state, Xt, yt
        )
        self.menu_, self.candidate_bins_ = build_menus(
            self.binner_.bins_,
            Xt,
            yt,
            at,
            caps,
            mus,
            min_bin_size=self.min_bin_size,
            monotonic_trend=self.monotonic_trend,
            pareto_bins=self.pareto_bins,
        )
        logger.info(
            "menus: %d candidates in %.2fs",
            len(self.menu_),
            time.perf_counter() - start,
        )
        self.selections_ = self._sweep()
        self.models_: dict[float, tuple[dict[str, FeatureBins], Any]] = {}
        codes_cache: dict[tuple[str, str], tuple[FloatArray, FloatArray]] = {}
        fit_cache: dict[tuple, tuple[dict, LogisticRegression, dict]] = {}
        valid_groups = pd.Series(self.groups_[av], name=name)
        held_out = (Xv, yv, valid_groups, reference_label)
        self._valid_data = held_out  # the rows to_html assesses
        notes: dict[str, None] = {}
        rows = [
            self._row(res, (Xt, yt), held_out, codes_cache, fit_cache, notes)
            for res in self.selections_
        ]
        self.frontier_ = pd.DataFrame(rows)
        if shares:
            self._parity_refits(
                shares, (Xt, yt, at), codes_cache, fit_cache, notes, held_out
            )
        if notes:
            warnings.warn(
                "Held-out evaluation of the frontier: " + " | ".join(notes),
                DataConditionWarning,
                stacklevel=3,
            )
        return self

    def _training_data(
        self, X: Any, y: Any, sensitive_features: Any
    ) -> tuple[pd.DataFrame, NDArray[np.int64], NDArray[np.int64], str]:
        """Features, 0/1 target, group codes and the attribute's name."""
        X = as_frame(X, "X")
        X, sens = split_sensitive(X, sensitive_features, "sensitive_features")
        y_arr = check_y(y, len(X), "y", self.bad_value)
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
        a_arr = code_groups(self.groups_, sens, "sensitive_features")
        sizes = np.bincount(a_arr, minlength=2)
        # the one reference rule of fairness.assess: the largest group
        self.reference_group_ = self.groups_[int(np.argmax(sizes))]
        name = sensitive_features if isinstance(sensitive_features, str) else "group"
        if X.shape[1] == 0:
            raise ValueError("X has no feature columns besides the protected one.")
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = X.shape[1]
        return X, y_arr, a_arr, name

    def _held_out(
        self,
        X: pd.DataFrame,
        y_arr: NDArray[np.int64],
        a_arr: NDArray[np.int64],
        valid: tuple[Any, Any, Any],
    ) -> tuple[Any, ...]:
        """Training then held-out rows: the given validation data or a split."""
        given = [v is not None for v in valid]
        if any(given) and not all(given):
            raise ValueError(
                "X_valid, y_valid and sensitive_features_valid must be given "
                f"together; given: X_valid={given[0]}, y_valid={given[1]}, "
                f"sensitive_features_valid={given[2]}."
            )
        if not all(given):
            Xt, Xv, yt, yv, at, av = train_test_split(
                X,
                y_arr,
                a_arr,
                test_size=self.validation_size,
                stratify=y_arr * 2 + a_arr,
                random_state=self.random_state,
            )
            return Xt, yt, at, Xv, yv, av
        Xv = as_frame(valid[0], "X_valid")
        Xv, sv = split_sensitive(Xv, valid[2], "sensitive_features_valid")
        missing = [c for c in X.columns if c not in Xv.columns]
        if missing:
            raise ValueError(f"X_valid lacks the feature columns {missing}.")
        Xv = Xv[X.columns]
        yv = check_y(valid[1], len(Xv), "y_valid", self.bad_value)
        av = code_groups(self.groups_, sv, "sensitive_features_valid")
        return X, y_arr, a_arr, Xv, yv, av

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
        frame = as_frame(X, "X")
        missing = [f for f in chosen if f not in [str(c) for c in frame.columns]]
        if missing:
            raise ValueError(f"X lacks the chosen feature columns {missing}.")
        woe = self._woe_matrix(chosen, frame, "predict", {})
        return -np.asarray(model.decision_function(woe), dtype=np.float64)

    def to_html(self, path: str | Path | None = None, **options: Any) -> str:
        """The frontier report: the operating point assessed on the held-out rows.

        The operating point is :func:`choose_operating_point` of
        :attr:`frontier_` (the best held-out AUC with an AIR in
        ``[min_air, 1 / min_air]``) unless ``operating_point`` is given; its
        scores on the held-out rows are assessed with :func:`fairness.assess`
        (same approval rate, reference group and ``alpha``) and shown with
        the frontier.

        Parameters
        ----------
        path : path-like, default=None
            Also write the page there (UTF-8).
        **options
            ``operating_point`` (an eps of :attr:`frontier_`), ``min_air``
            (default 0.8), ``title``, ``subtitle``.

        Returns
        -------
        str
            The self-contained HTML document.
        """
        check_is_fitted(self, "frontier_")
        unknown = sorted(
            set(options) - {"operating_point", "min_air", "title", "subtitle"}
        )
        if unknown:
            raise TypeError(
                "to_html options must be operating_point, min_air, title or "
                f"subtitle; got {unknown}."
            )
        point = options.get("operating_point")
        if point is None:
            point = choose_operating_point(self.frontier_, options.get("min_air", 0.8))
        Xv, yv, groups, reference_label = self._valid_data
        score = self.predict_score(Xv, eps=float(point))
        res = assess(
            yv,
            score,
            sensitive_features=groups.reset_index(drop=True),
            approval_rate=self.approval_rate,
            reference_group=reference_label,
            alpha=self.alpha,
        )
        report = FairnessReport(
            res,
            frontier=self,
            operating_point=float(point),
            title=options.get("title", "Accuracy-fairness frontier"),
            subtitle=options.get("subtitle"),
        )
        return report.to_html(path)
