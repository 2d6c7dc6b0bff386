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
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from scorecard import DataConditionWarning, FeatureBins
from scorecard._kit.compat import HasMethods, Interval, StrOptions

from .._groups import assess
from .._groups._renamed import renamed_keyword
from .._mip import make_solver
from .._report import FairnessReport
from ._checks import check_caps as _check_caps
from ._checks import check_y
from ._evaluation import METRICS, calibrate, choose_operating_point, evaluate, to_points
from ._menus import build_menus, fit_binner
from ._oa import ScoreProgramResult, sweep
from ._plot import _PlotMixin
from ._program import Moments, dominated, moments
from ._protected import GroupCoding, split_protected

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]


class ParetoFrontier(_PlotMixin, BaseEstimator):
    r"""Accuracy-fairness frontier of WoE scorecards that holds on held-out data.

    Every point maximises the normal-theory (LDA) information value of a
    linear WoE score against the target, subject to the score's
    normal-theory demographic IV being at most ``eps`` for every protected
    group (one-vs-rest), over the choice of features, of one binning per
    feature and of sign-constrained weights: a mixed-integer program solved
    by outer approximation with CBC or HiGHS (zero gap; CBC ``increment
    0``). Every point is refitted on the training rows and evaluated on
    held-out rows; points dominated there are marked and hidden by default.

    Parameters
    ----------
    eps : int or array-like of float, default=15
        Budgets on the training normal-theory demographic IV (the largest
        one-vs-rest value over groups). An int ``n``: ``n`` budgets
        ``D (t_i / (n - 1))^2`` with ``t = 1/4, 1, 2, ..., n - 1`` and ``D``
        that of the unconstrained best score (a square-root grid: AIR moves
        with the root of an IV; the first budget is 1/16 of the second, near
        parity).
        An array: those budgets.
    max_features : int or None, default=None
        Most features in a scorecard.
    bin_caps : sequence of int, default=(3,)
        Besides its fitted binning, each feature may enter through its
        IV-optimal merge at each of these bin caps.
    min_bin_size : float, default=0.05
        Smallest share of training rows per bin (default binner and merges).
    monotonic_trend : str or None, default=None
        One of None, "auto", "ascending", "descending", "peak", "valley".
        Event-rate trend of the merged binnings.
    binner : estimator or None, default=None
        Unfitted binner with ``fit(X, y)`` and a ``bins_`` dict of
        :class:`scorecard.FeatureBins`; ``None``: ``scorecard.StumpBinner``.
    min_group_size : int, default=30
        Groups with fewer training rows are pooled into ``"other"`` (they are
        too small to constrain); at least two groups must reach it, and a
        pooled ``"other"`` still below it is reported (AIR) but neither
        constrained nor counted in the demographic IV.
    max_groups : int, default=8
        Most groups (intersections of several attributes included): beyond
        it the smallest are pooled into ``"other"``.
    continuous_bins : int, default=4
        Training quantile bins of a continuous protected attribute (a
        numeric column with more than 10 distinct values).
    solver : {"cbc", "highs"}, default="cbc"
        MILP solver of the outer approximation.
    time_limit : float or None, default=10.0
        Seconds per master solve.
    approval_rate : float, default=0.5
        Approval rate at which the adverse impact ratio and the cutoff (in
        points) are reported.
    validation_size : float, default=0.3
        Share of rows held out (stratified by target and group) when no
        validation data are given.
    alpha : float, default=0.05
        Level (one minus the coverage) of the held-out intervals.
    bad_value : object, default=None
        The label of ``y`` meaning bad; needed unless ``y`` is 0/1 or boolean.
    random_state : int, RandomState instance or None, default=None
        Seed of the split and of the default binner.

    Attributes
    ----------
    frontier_ : pandas.DataFrame
        One row per budget: ``eps``, ``status`` (``"optimal"`` within the
        relative gap 1e-4 of the outer approximation; ``"relaxed"``: the
        convex relaxation's optimum, whose training normal-theory
        demographic IV exceeds ``eps``; ``"feasible"``: stopped by a limit;
        ``"infeasible"``, ``"not_solved"``), ``iterations``, ``solve_time``,
        ``n_features``, ``features`` (the feature set in words),
        ``train_iv`` and ``train_demographic_iv`` (normal-theory values on
        the training rows; the latter is what ``eps`` bounds), then held-out
        ``auc``, ``auc_se``, ``auc_ci_low``, ``auc_ci_high`` (DeLong),
        ``demographic_iv`` (bias-corrected max one-vs-rest IV of the score
        deciles), ``demographic_iv_se``, ``demographic_iv_ci_low/high`` (its
        interval), ``demographic_iv_pi_low/high`` (the range a fresh sample
        of the held-out size would show: the interval widened by sqrt 2),
        ``demographic_iv_group``, ``air``, ``air_low``, ``air_high``
        (smallest adverse impact ratio against the reference group at
        ``approval_rate``, from :func:`fairness.assess`), ``air_group``,
        ``cutoff_points`` (the approval cutoff in points) and ``dominated``
        (another row has at least the held-out AUC and at most the held-out
        demographic IV, one strictly).
    menu_ : pandas.DataFrame
        Candidate binnings: ``feature``, ``option``, ``n_bins``.
    candidate_bins_ : dict
        ``(feature, option) -> FeatureBins``.
    skipped_features_ : dict
        Features left out before the optimisation and why.
    results_ : list of ScoreProgramResult
        The program's result at every budget.
    models_ : dict
        ``eps -> (chosen bins dict, weights, intercept, slope)``.
    groups_ : list of str
        The protected groups (after pooling).
    group_sizes_ : dict
        Training rows per group.
    pooled_groups_ : list of str
        Groups pooled into ``"other"``.
    reference_group_ : str
        The largest training group (the reference of :func:`fairness.assess`).
    binner_ : estimator
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    See docs/methodology.md section 16. The budget bounds
    the *training* normal-theory demographic IV of the score; the held-out
    bias-corrected value is measured, not bounded, and is reported with its
    interval next to it.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> n = 3000
    >>> group = rng.integers(0, 2, n)
    >>> X = pd.DataFrame({"fair": rng.normal(size=n),
    ...                   "proxy": rng.normal(size=n) + group})
    >>> y = (rng.random(n) < 1 / (1 + np.exp(1 - X.fair - X.proxy))).astype(int)
    >>> front = ParetoFrontier(eps=4, random_state=0)
    >>> front = front.fit(X, y, sensitive_features=group)
    >>> front.frontier_["status"].tolist()
    ['optimal', 'optimal', 'optimal', 'optimal']
    """

    _parameter_constraints: dict = {
        "eps": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "bin_caps": ["array-like"],
        "min_bin_size": [Interval(Real, 0, 0.5, closed="left")],
        "monotonic_trend": [
            StrOptions({"auto", "ascending", "descending", "peak", "valley"}),
            None,
        ],
        "binner": [HasMethods(["fit"]), None],
        "min_group_size": [Interval(Integral, 1, None, closed="left")],
        "max_groups": [Interval(Integral, 2, None, closed="left")],
        "continuous_bins": [Interval(Integral, 2, None, closed="left")],
        "solver": [StrOptions({"cbc", "highs"})],
        "time_limit": [Interval(Real, 0, None, closed="neither"), None],
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
        max_features: int | None = None,
        bin_caps: Sequence[int] = (3,),
        min_bin_size: float = 0.05,
        monotonic_trend: Literal["auto", "ascending", "descending", "peak", "valley"]
        | None = None,
        binner: Any = None,
        min_group_size: int = 30,
        max_groups: int = 8,
        continuous_bins: int = 4,
        solver: Literal["cbc", "highs"] = "cbc",
        time_limit: float | None = 10.0,
        approval_rate: float = 0.5,
        validation_size: float = 0.3,
        random_state: Any = None,
        alpha: float = 0.05,
        bad_value: Any = None,
    ) -> None:
        self.eps = eps
        self.max_features = max_features
        self.bin_caps = bin_caps
        self.min_bin_size = min_bin_size
        self.monotonic_trend = monotonic_trend
        self.binner = binner
        self.min_group_size = min_group_size
        self.max_groups = max_groups
        self.continuous_bins = continuous_bins
        self.solver = solver
        self.time_limit = time_limit
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
        """Build the menus, solve the program at every budget, refit, evaluate.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Candidate features (numeric or categorical).
        y : array-like of shape (n_samples,)
            Binary target: 0/1 or boolean (1 = bad), or two labels with
            ``bad_value`` naming the bad one.
        sensitive_features : str, list of str, Series, DataFrame or array
            The protected attribute(s): binary, multi-level, continuous, or
            several columns (intersectional groups); names are columns of
            ``X`` (then not features).
        X_valid, y_valid, sensitive_features_valid : default=None
            Held-out data (all three or none). ``None``: a stratified
            ``validation_size`` split. (``sensitive_valid`` before 0.2 still
            works, with a ``FutureWarning``, until 0.3.)

        Returns
        -------
        self

        Raises
        ------
        ValueError
            A protected attribute with a single value or missing values;
            fewer than two groups of ``min_group_size`` rows; a target that
            is not binary; incomplete validation data; no feature with a
            binning of two or more bins; every ``eps`` below the smallest
            feasible value; an unavailable solver.
        """
        sensitive_features_valid = renamed_keyword(
            deprecated,
            "sensitive_valid",
            "sensitive_features_valid",
            sensitive_features_valid,
            "fit",
            required=False,
        )
        caps = _check_caps(self.bin_caps)
        make_solver(self.solver, self.time_limit)  # no solver: fail before work
        Xt, yt, at, Xv, yv, av = self._data(
            X, y, sensitive_features, (X_valid, y_valid, sensitive_features_valid)
        )
        start = time.perf_counter()
        self.binner_ = fit_binner(
            self.binner, self.min_bin_size, self.random_state, Xt, yt
        )
        self.menu_, self.candidate_bins_, self.skipped_features_ = build_menus(
            self.binner_.bins_,
            Xt,
            yt,
            caps,
            min_bin_size=self.min_bin_size,
            monotonic_trend=self.monotonic_trend,
        )
        keys = list(zip(self.menu_["feature"], self.menu_["option"], strict=True))
        Wt = self._woe(keys, Xt)
        Wv = self._woe(keys, Xv)
        self._constrained = [
            i
            for i, g in enumerate(self.groups_)
            if self.group_sizes_.get(g, 0) >= self.min_group_size
        ]
        self._moments = moments(Wt, yt, at, len(self.groups_), self._constrained)
        logger.info(
            "menus: %d candidates in %.2fs", len(keys), time.perf_counter() - start
        )
        self.results_ = self._sweep(self._moments, keys)
        rows: list[dict[str, Any]] = []
        notes: dict[str, None] = {}
        self.models_: dict[
            float, tuple[dict[str, FeatureBins], FloatArray, float, float]
        ] = {}
        for res in self.results_:
            rows.append(self._point(res, keys, (Wt, yt), (Wv, yv, av), notes))
        frame = pd.DataFrame(rows)
        frame["dominated"] = dominated(
            frame["auc"].to_numpy(float), frame["demographic_iv"].to_numpy(float)
        )
        self.frontier_ = frame
        self._valid_data = (Xv, yv, av)
        if notes:
            warnings.warn(
                "Held-out evaluation of the frontier: " + " | ".join(notes),
                DataConditionWarning,
                stacklevel=3,
            )
        return self

    def _data(
        self, X: Any, y: Any, sensitive: Any, valid: tuple[Any, Any, Any]
    ) -> tuple[Any, ...]:
        """Training and held-out features, targets and group codes."""
        X, prot = split_protected(X, sensitive, "sensitive_features")
        y_arr = check_y(y, len(X), "y", self.bad_value)
        if X.shape[1] == 0:
            raise ValueError("X has no feature columns besides the protected one(s).")
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = X.shape[1]
        X = X.reset_index(drop=True)
        given = [v is not None for v in valid]
        if any(given) and not all(given):
            raise ValueError(
                "X_valid, y_valid and sensitive_features_valid must be given "
                f"together; given: X_valid={given[0]}, y_valid={given[1]}, "
                f"sensitive_features_valid={given[2]}."
            )
        self._coding = GroupCoding(
            int(self.min_group_size), int(self.max_groups), int(self.continuous_bins)
        )
        if all(given):
            at = self._coding.fit(prot, "sensitive_features")
            Xv, pv = split_protected(valid[0], valid[2], "sensitive_features_valid")
            missing = [c for c in X.columns if c not in Xv.columns]
            if missing:
                raise ValueError(f"X_valid lacks the feature columns {missing}.")
            Xv = Xv[X.columns].reset_index(drop=True)
            yv = check_y(valid[1], len(Xv), "y_valid", self.bad_value)
            av = self._coding.transform(pv, "sensitive_features_valid")
            Xt, yt = X, y_arr
        else:
            idx = np.arange(len(X))
            strata = (
                pd.Series(y_arr).astype(str)
                + "|"
                + prot.astype(str).agg("|".join, axis=1)
            )
            counts = strata.map(strata.value_counts())
            strata = strata.where(counts >= 2, "rare")
            ti, vi = train_test_split(
                idx,
                test_size=self.validation_size,
                stratify=strata if (strata.value_counts() >= 2).all() else y_arr,
                random_state=self.random_state,
            )
            at = self._coding.fit(
                prot.iloc[ti].reset_index(drop=True), "sensitive_features"
            )
            av = self._coding.transform(
                prot.iloc[vi].reset_index(drop=True), "sensitive_features_valid"
            )
            Xt, yt = X.iloc[ti].reset_index(drop=True), y_arr[ti]
            Xv, yv = X.iloc[vi].reset_index(drop=True), y_arr[vi]
        self.groups_ = list(self._coding.names)
        self.group_sizes_ = dict(self._coding.sizes)
        self.pooled_groups_ = list(self._coding.pooled)
        self.reference_group_ = max(
            self.groups_, key=lambda g: self.group_sizes_.get(g, 0)
        )
        if self.pooled_groups_:
            warnings.warn(
                f"Protected groups pooled into 'other' (under min_group_size="
                f"{self.min_group_size} training rows, or beyond max_groups="
                f"{self.max_groups}): {self.pooled_groups_[:10]}"
                + (" ..." if len(self.pooled_groups_) > 10 else ""),
                DataConditionWarning,
                stacklevel=4,
            )
        return Xt, yt, at, Xv, yv, av

    def _woe(self, keys: list[tuple[str, str]], X: pd.DataFrame) -> FloatArray:
        cols = []
        names = [str(c) for c in X.columns]
        for feature, option in keys:
            fb = self.candidate_bins_[(feature, option)]
            column = X.iloc[:, names.index(feature)]
            cols.append(np.asarray(fb.woe(), dtype=np.float64)[fb.assign(column)])
        return np.column_stack(cols)

    def _sweep(
        self, m: Moments, keys: list[tuple[str, str]]
    ) -> list[ScoreProgramResult]:
        features = pd.factorize(pd.Series([k[0] for k in keys]))[0].astype(np.int64)
        return sweep(
            m,
            features,
            self.eps,
            max_features=self.max_features,
            solver=self.solver,
            time_limit=self.time_limit,
        )

    def _point(
        self,
        res: ScoreProgramResult,
        keys: list[tuple[str, str]],
        train: tuple[FloatArray, NDArray],
        valid: tuple[FloatArray, NDArray, NDArray],
        notes: dict[str, None],
    ) -> dict[str, Any]:
        Wt, yt = train
        Wv, yv, av = valid
        chosen = [keys[i] for i in res.chosen]
        row: dict[str, Any] = {
            "eps": res.eps,
            "status": res.status,
            "iterations": res.iterations,
            "solve_time": res.solve_time,
            "n_features": len(chosen),
            "features": ", ".join(f"{f} ({o})" for f, o in chosen),
            "train_iv": res.estimate,
            "train_demographic_iv": res.divergence,
        }
        row.update(dict.fromkeys(METRICS, float("nan")))
        if not res.has_solution:
            return row
        intercept, slope = calibrate(Wt @ res.b, yt)
        points = to_points(intercept + slope * (Wv @ res.b))
        met, caught = evaluate(
            yv,
            points,
            av,
            self.groups_,
            self._coding.label,
            self.reference_group_,
            self.approval_rate,
            self.alpha,
            self._constrained,
        )
        notes.update(dict.fromkeys(caught))
        bins = {f: self.candidate_bins_[(f, o)] for f, o in chosen}
        self.models_[res.eps] = (bins, res.b[res.chosen], intercept, slope)
        row.update(met)
        return row

    def predict_score(self, X: Any, *, eps: float) -> FloatArray:
        """Score in points of the frontier point at budget ``eps`` (higher = better).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows with the training feature columns (extra columns, such as the
            protected attribute, are ignored).
        eps : float
            A budget of a :attr:`frontier_` row with a solution.

        Returns
        -------
        ndarray of shape (n_samples,)
            Points on the scale of :class:`scorecard.Scorecard`'s defaults
            (600 at odds 50:1, 20 points to double the odds).

        Raises
        ------
        ValueError
            If ``eps`` is not the budget of a solved row, or ``X`` lacks a
            chosen feature.
        """
        check_is_fitted(self, "models_")
        keys = np.asarray(list(self.models_), dtype=np.float64)
        hit = np.flatnonzero(np.isclose(keys, float(eps), rtol=1e-9, atol=0.0))
        if hit.size == 0:
            raise ValueError(
                f"eps must be the budget of a frontier row with a solution, one of "
                f"{[float(k) for k in keys]}; got {eps!r}."
            )
        bins, weights, intercept, slope = self.models_[list(self.models_)[int(hit[0])]]
        frame = (
            X
            if isinstance(X, pd.DataFrame)
            else pd.DataFrame(np.asarray(X), columns=list(self.feature_names_in_))
        )
        names = [str(c) for c in frame.columns]
        missing = [f for f in bins if f not in names]
        if missing:
            raise ValueError(f"X lacks the chosen feature columns {missing}.")
        score = np.zeros(len(frame))
        for w, (f, fb) in zip(weights, bins.items(), strict=True):
            column = frame.iloc[:, names.index(f)]
            score += w * np.asarray(fb.woe(), dtype=np.float64)[fb.assign(column)]
        return to_points(intercept + slope * score)

    def held_out_groups(self) -> pd.Series:
        """The protected group of every held-out row (after pooling)."""
        check_is_fitted(self, "frontier_")
        codes = self._valid_data[2]
        labels = np.asarray(self.groups_, dtype=object)[codes]
        return pd.Series(labels, name=self._coding.label)

    def assess_point(self, eps: float) -> Any:
        """:func:`fairness.assess` of a point's held-out scores (in points).

        Same groups (pooled), reference group, approval rate and ``alpha``
        as :attr:`frontier_`.
        """
        Xv, yv, _ = self._valid_data
        groups = self.held_out_groups()
        return assess(
            yv,
            self.predict_score(Xv, eps=float(eps)),
            sensitive_features=groups,
            approval_rate=self.approval_rate,
            reference_group=f"{groups.name}={self.reference_group_}",
            alpha=self.alpha,
        )

    def to_html(self, path: str | Path | None = None, **options: Any) -> str:
        """The frontier report: the operating point assessed on the held-out rows.

        The operating point is :func:`choose_operating_point` of
        :attr:`frontier_` (the best held-out AUC among the shown points with
        an AIR in ``[min_air, 1 / min_air]``) unless ``operating_point`` is
        given; its held-out scores (points) are assessed with
        :func:`fairness.assess` (same approval rate, reference group and
        ``alpha``) and shown with the frontier.

        Parameters
        ----------
        path : path-like, default=None
            Also write the page there (UTF-8).
        **options
            ``operating_point`` (an eps of :attr:`frontier_`), ``min_air``
            (default 0.8), ``title``, ``subtitle``, ``show_dominated``
            (default False), ``models`` (other models on the frontier plot,
            see :meth:`model_points`).

        Returns
        -------
        str
            The self-contained HTML document.
        """
        check_is_fitted(self, "frontier_")
        allowed = {
            "operating_point",
            "min_air",
            "title",
            "subtitle",
            "show_dominated",
            "models",
        }
        unknown = sorted(set(options) - allowed)
        if unknown:
            raise TypeError(
                "to_html options must be operating_point, min_air, title, "
                f"subtitle, show_dominated or models; got {unknown}."
            )
        point = options.get("operating_point")
        if point is None:
            point = choose_operating_point(self.frontier_, options.get("min_air", 0.8))
        res = self.assess_point(float(point))
        table = self.frontier_
        if not options.get("show_dominated", False):
            keep = ~table["dominated"].astype(bool) | np.isclose(
                table["eps"].to_numpy(float), float(point)
            )
            table = table[keep]
        report = FairnessReport(
            res,
            frontier=table,
            operating_point=float(point),
            title=options.get("title", "Accuracy-fairness frontier"),
            subtitle=options.get("subtitle"),
            frontier_models=(
                self.model_points(options["models"]) if options.get("models") else None
            ),
        )
        return report.to_html(path)
