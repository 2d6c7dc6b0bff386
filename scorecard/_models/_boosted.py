"""BoostedScorecard: depth-1 XGBoost read back as an additive points table."""

from __future__ import annotations

import json
import math
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin

from .._binning._bins import FeatureBins
from .._kit.artifacts import ArtifactMixin, register_artifact, require
from .._kit.compat import Interval, StrOptions
from .._kit.validation import check_binary_target, check_weights
from .._stats._counts import count_codes
from ._boosted_family import (
    FAMILIES,
    Family,
    Objective,
    check_family_target,
    check_offset,
    event_indicator,
    family_gradient,
    initial_margin,
    regression_weights,
    train_custom,
)
from ._points import AdditiveScorecardMixin, score_reference_bins
from ._report import ScorecardReportMixin, boosted_sections

__all__ = ["BoostedScorecard"]


def _is_categorical(series: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(series.dtype)
        or pd.api.types.is_bool_dtype(series.dtype)
    )


@register_artifact("BoostedScorecard")
class BoostedScorecard(
    ArtifactMixin,
    ScorecardReportMixin,
    AdditiveScorecardMixin,
    ClassifierMixin,
    BaseEstimator,
):
    """Depth-1 gradient-boosted scorecard with monotone constraints.

    Fits XGBoost stumps (``max_depth=1``) on the raw features. Because every
    tree splits one feature once, the model is additive: the points of a
    feature's bin are the summed leaf values of the stumps on that feature,
    evaluated on the intervals between its split thresholds. The points table
    reproduces XGBoost's own margin.

    Parameters
    ----------
    n_rounds : int, default=100
        Boosting rounds (stumps).
    learning_rate : float, default=0.1
        XGBoost ``eta``.
    monotone : {"auto"} or None or dict, default="auto"
        ``"auto"``: each numeric feature gets the sign of its Spearman
        correlation with the event when significant at 5% (else none), and
        categorical features (coded by event-rate order) are increasing.
        ``None``: no constraints. A dict maps features to -1, 0 or 1.
    max_bin : int, default=256
        XGBoost ``max_bin`` (histogram cuts per feature).
    min_child_weight : float, default=1.0
        XGBoost ``min_child_weight``.
    reg_lambda : float, default=1.0
        XGBoost L2 penalty on leaf values.
    pdo : float, default=20
        Points to double the odds.
    base_score : float, default=600
        Score at ``base_odds``.
    base_odds : float, default=50
        Good:bad odds scoring ``base_score``.
    rounding : bool, default=False
        Round each bin's points to an integer.
    random_state : int, default=0
        Seed passed to XGBoost.
    n_jobs : int or None, default=None
        XGBoost threads.
    bad_value : object, default=None
        The label of ``y`` that means bad (the event). Needed unless ``y`` is
        boolean or numeric 0/1 (then 1 is bad); with any other labels and no
        ``bad_value``, ``fit`` raises a ``ValueError`` naming the labels.

    Attributes
    ----------
    bins_ : dict of str to FeatureBins
        Intervals (or category groups) between each feature's thresholds, with
        training counts.
    bin_margins_ : dict of str to ndarray
        Margin (bad log-odds) contribution of every bin.
    intercept_margin_ : float
        XGBoost's base margin plus leaves of trees without a split.
    monotone_constraints_ : dict of str to int
        The constraints used.
    family_ : {"binomial", "poisson", "gaussian"}
        Link of the margin: ``"binomial"`` from :meth:`fit`, the ``family``
        of :meth:`fit_objective`.
    booster_ : xgboost.Booster
        The fitted booster (not stored in artifacts).
    classes_ : ndarray
        The two classes; ``classes_[1]`` is the event (bad).
    score_bins_ : FeatureBins
        Training score deciles with good/bad counts (monitoring reference).

    Notes
    -----
    Special values are not given bins of their own here (declare them in the
    WoE :class:`Scorecard`); missing values follow XGBoost's learned default
    direction, so the missing bin has its own points. Categorical features
    are coded by smoothed event-rate order before boosting; categories unseen
    in training are sent to XGBoost as missing and warned about.

    Examples
    --------
    >>> import numpy as np, pandas as pd, xgboost as xgb
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=500), "b": rng.normal(size=500)})
    >>> y = (rng.random(500) < 1 / (1 + np.exp(-X["a"]))).astype(int)
    >>> card = BoostedScorecard(n_rounds=20).fit(X, y)
    >>> margin = card.booster_.predict(xgb.DMatrix(X.to_numpy(np.float32)),
    ...                                output_margin=True)
    >>> bool(np.allclose(card.decision_function(X), margin, atol=1e-5))
    True
    """

    _neutral_treatment = "XGBoost's learned missing-value direction"

    _parameter_constraints: dict[str, Any] = {
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "monotone": [StrOptions({"auto"}), dict, None],
        "max_bin": [Interval(Integral, 2, None, closed="left")],
        "min_child_weight": [Interval(Real, 0, None, closed="left")],
        "reg_lambda": [Interval(Real, 0, None, closed="left")],
        "pdo": [Interval(Real, 0, None, closed="neither")],
        "base_score": [Real],
        "base_odds": [Interval(Real, 0, None, closed="neither")],
        "rounding": ["boolean"],
        "random_state": [Interval(Integral, 0, None, closed="left")],
        "n_jobs": [Integral, None],
        "bad_value": "no_validation",
    }

    def __init__(
        self,
        *,
        n_rounds: int = 100,
        learning_rate: float = 0.1,
        monotone: Literal["auto"] | dict[str, int] | None = "auto",
        max_bin: int = 256,
        min_child_weight: float = 1.0,
        reg_lambda: float = 1.0,
        pdo: float = 20,
        base_score: float = 600,
        base_odds: float = 50,
        rounding: bool = False,
        random_state: int = 0,
        n_jobs: int | None = None,
        bad_value: Any = None,
    ) -> None:
        self.n_rounds = n_rounds
        self.learning_rate = learning_rate
        self.monotone = monotone
        self.max_bin = max_bin
        self.min_child_weight = min_child_weight
        self.reg_lambda = reg_lambda
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.rounding = rounding
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.bad_value = bad_value

    # ------------------------------------------------------------------- fit

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> BoostedScorecard:
        """Fit the stumps and read the points table from the trees.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Numeric and categorical (object/str/category) features.
        y : array-like of shape (n_samples,)
            Binary target: 0/1 (1 = bad) or boolean, or any two labels with
            ``bad_value`` naming the bad one.
        sample_weight : array-like of shape (n_samples,), default=None
            Float row weights.

        Returns
        -------
        self
        """
        self._validate_params()
        return self._fit_stumps(X, y, "binomial", None, None, sample_weight)

    def fit_objective(
        self,
        X: Any,
        y: Any,
        *,
        family: Family = "binomial",
        objective: Objective | None = None,
        offset: Any = None,
        sample_weight: Any = None,
    ) -> BoostedScorecard:
        """Fit the same stumps under a family's likelihood or a custom objective.

        The public extension point of the boosted scorecard: the features,
        the category coding, the monotone constraints, the depth-1 trees and
        their reading back into a points table are those of :meth:`fit`;
        only the training objective changes. ``fairness.FairBoostedScorecard``
        adds its distance-covariance penalty here.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            As in :meth:`fit`.
        y : array-like of shape (n_samples,)
            ``"binomial"``: a binary target as in :meth:`fit`; ``"poisson"``:
            counts >= 0; ``"gaussian"``: real values.
        family : {"binomial", "poisson", "gaussian"}, default="binomial"
            Link of the margin: logit, log (a rate when ``offset`` is the log
            exposure) or identity. The monotone constraints (``"auto"``) and
            the category order follow the observed event rate, rate per unit
            of ``exp(offset)``, or mean.
        objective : callable, default=None
            ``objective(margin) -> (grad, hess)``: gradient and Hessian
            diagonal (positive) of the training objective with respect to
            every row's margin ``offset + intercept + sum of stumps``, as
            float arrays of shape ``(n_samples,)``; called once per round on
            the current margins. Summed over rows, like XGBoost's built-in
            objectives (``min_child_weight`` and ``reg_lambda`` act on that
            scale). ``None``: the family's negative log-likelihood weighted
            by ``sample_weight``.
        offset : array-like of shape (n_samples,), default=None
            A fixed margin per row (for Poisson: ``log(exposure)``), used in
            fitting only: :meth:`decision_function` is the margin without it.
        sample_weight : array-like of shape (n_samples,), default=None
            Float row weights of the likelihood (``objective=None``) and of
            the bins' counts.

        Returns
        -------
        self

        Notes
        -----
        ``fit_objective(X, y)`` (binomial, no objective, no offset) is
        :meth:`fit`. Otherwise the booster is trained by ``xgboost.train``
        with the custom objective, starting from the null model's margin;
        :attr:`decision_function` still equals the booster's own margin.
        For Poisson and Gaussian families the bins' good/bad counts (reports,
        monitoring) count rows without / with an event (a claim), or below /
        above the weighted mean target, and ``classes_`` is ``[0, 1]``;
        ``predict_proba`` is meaningful for the binomial family only.
        """
        self._validate_params()
        if family not in FAMILIES:
            raise ValueError(f"family must be one of {list(FAMILIES)}; got {family!r}.")
        if objective is not None and not callable(objective):
            raise TypeError(
                f"objective must be a callable or None; got {type(objective)}."
            )
        return self._fit_stumps(X, y, family, objective, offset, sample_weight)

    def _fit_stumps(
        self,
        X: Any,
        y: Any,
        family: Family,
        objective: Objective | None,
        offset: Any,
        sample_weight: Any,
    ) -> BoostedScorecard:
        frame = self._fit_frame(X)
        if family == "binomial":
            target = check_binary_target(y, len(frame), bad_value=self.bad_value)
            y01, self.classes_ = target.y01, target.classes
            w = check_weights(sample_weight, y01)
            yf = y01.astype(np.float64)
        else:
            yf = check_family_target(family, y, len(frame))
            w = regression_weights(sample_weight, len(frame))
            y01 = event_indicator(family, yf, w)
            self.classes_ = np.array([0, 1])
        custom = objective is not None or offset is not None or family != "binomial"
        off = check_offset(offset, len(frame))
        # order and constraints follow the event rate (per unit exp(offset))
        rate = yf if not custom else yf / np.exp(off)
        self.feature_dtypes_ = {
            name: "categorical" if _is_categorical(frame[name]) else "numeric"
            for name in frame.columns
        }
        for name in frame.columns:
            if self.feature_dtypes_[name] == "numeric":
                values = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
                if np.isinf(values).any():
                    raise ValueError(f"Feature {name!r} has infinite values.")
        self._category_order_: dict[str, list[Any]] = {}
        for name in frame.columns:
            if self.feature_dtypes_[name] == "categorical":
                self._category_order_[name] = self._order_categories(
                    frame[name],
                    y01 if family == "binomial" else rate,
                    w if family != "poisson" else w * np.exp(off),
                )
        matrix = self._matrix(frame)
        self.monotone_constraints_ = self._constraints(
            frame, matrix, y01 if family == "binomial" else rate
        )
        self.family_ = family
        if custom:
            self._boost_custom(frame, matrix, yf, w, off, family, objective)
        else:
            self._boost(frame, matrix, y01, w)
        self._read_trees(frame, matrix, y01, w)
        score = self.scaling_.score(self.decision_function(frame))
        self.score_bins_ = score_reference_bins(score, y01, w)
        return self

    def _xgb_params(self, frame: pd.DataFrame) -> dict[str, Any]:
        return {
            "max_depth": 1,
            "learning_rate": self.learning_rate,
            "tree_method": "hist",
            "max_bin": self.max_bin,
            "min_child_weight": self.min_child_weight,
            "reg_lambda": self.reg_lambda,
            "monotone_constraints": tuple(
                self.monotone_constraints_[n] for n in frame.columns
            ),
            "random_state": self.random_state,
            "n_jobs": self.n_jobs,
        }

    def _boost(
        self,
        frame: pd.DataFrame,
        matrix: NDArray[np.float32],
        y01: NDArray[np.int64],
        w: NDArray[np.float64],
    ) -> None:
        import xgboost as xgb

        model = xgb.XGBClassifier(n_estimators=self.n_rounds, **self._xgb_params(frame))
        model.fit(matrix, y01, sample_weight=w)
        self.booster_ = model.get_booster()

    def _boost_custom(
        self,
        frame: pd.DataFrame,
        matrix: NDArray[np.float32],
        y: NDArray[np.float64],
        w: NDArray[np.float64],
        offset: NDArray[np.float64],
        family: Family,
        objective: Objective | None,
    ) -> None:
        start = initial_margin(family, y, w, offset)
        params = self._xgb_params(frame)
        params["seed"] = params.pop("random_state")
        params["nthread"] = params.pop("n_jobs")
        if params["nthread"] is None:
            del params["nthread"]
        params["base_score"] = start
        if family == "poisson":
            params["max_delta_step"] = 0.7  # XGBoost's default for count:poisson

        def likelihood(margin: NDArray[np.float64]) -> Any:
            return family_gradient(family, y, w, margin)

        self.booster_ = train_custom(
            params, matrix, start + offset, w, self.n_rounds, objective or likelihood
        )

    @staticmethod
    def _order_categories(
        values: pd.Series, y01: NDArray[Any], w: NDArray[np.float64]
    ) -> list[Any]:
        present = values.notna().to_numpy()
        keys = values[present].astype(object).to_numpy()
        table = pd.DataFrame(
            {"k": keys, "b": w[present] * y01[present], "n": w[present]}
        )
        agg = table.groupby("k", sort=True).sum()
        rate = (agg["b"] + 0.5) / (agg["n"] + 1.0)
        return list(rate.sort_values(kind="stable").index)

    def _prepare_values(self, name: str, values: pd.Series) -> Any:
        # XGBoost compares float32 values with float32 thresholds: bin the same.
        if self.feature_dtypes_[name] == "numeric":
            x = pd.to_numeric(values, errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
            bad = np.isnan(x) & values.notna().to_numpy()
            if bad.any():
                raise TypeError(
                    f"Feature {name!r} is numeric; got non-numeric values such as "
                    f"{values[bad].iloc[0]!r}."
                )
            return x.astype(np.float32).astype(np.float64)
        return values

    def _matrix(self, frame: pd.DataFrame) -> NDArray[np.float32]:
        cols = []
        for name in self.feature_dtypes_:
            if self.feature_dtypes_[name] == "categorical":
                order = self._category_order_[name]
                index = pd.Index(order, dtype=object)
                pos = index.get_indexer(frame[name].astype(object)).astype(np.float64)
                pos[pos < 0] = np.nan
                cols.append(pos)
            else:
                cols.append(self._prepare_values(name, frame[name]))
        return np.column_stack(cols).astype(np.float32)

    def _constraints(
        self, frame: pd.DataFrame, matrix: NDArray[np.float32], y01: NDArray[Any]
    ) -> dict[str, int]:
        names = list(self.feature_dtypes_)
        if self.monotone is None:
            return dict.fromkeys(names, 0)
        if isinstance(self.monotone, dict):
            unknown = sorted(set(self.monotone) - set(names))
            if unknown:
                raise ValueError(f"monotone names unknown features {unknown}.")
            bad = {k: v for k, v in self.monotone.items() if v not in (-1, 0, 1)}
            if bad:
                raise ValueError(f"monotone values must be -1, 0 or 1; got {bad}.")
            return {n: int(self.monotone.get(n, 0)) for n in names}
        out = {}
        for j, name in enumerate(names):
            if self.feature_dtypes_[name] == "categorical":
                out[name] = 1
                continue
            x = matrix[:, j].astype(np.float64)
            ok = ~np.isnan(x)
            if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y01[ok]) == 0:
                out[name] = 0
                continue
            rho, pvalue = stats.spearmanr(x[ok], y01[ok])
            out[name] = int(np.sign(rho)) if pvalue < 0.05 else 0
        return out

    # ------------------------------------------------------------ tree reading

    def _read_trees(
        self,
        frame: pd.DataFrame,
        matrix: NDArray[np.float32],
        y01: NDArray[np.int64],
        w: NDArray[np.float64],
    ) -> None:
        model = json.loads(self.booster_.save_raw("json"))
        learner = model["learner"]
        base = float(
            str(learner["learner_model_param"]["base_score"]).strip("[]").split(",")[0]
        )
        if learner["objective"]["name"] == "binary:logistic":
            intercept = math.log(base / (1 - base))
        else:  # fit_objective: XGBoost's identity-link default, a margin
            intercept = base
        splits: dict[int, list[tuple[float, float, float, bool]]] = {}
        for tree in learner["gradient_booster"]["model"]["trees"]:
            left = tree["left_children"]
            cond = tree["split_conditions"]
            if left[0] == -1:  # a single leaf: a constant
                intercept += float(np.float32(cond[0]))
                continue
            right = tree["right_children"]
            feat = int(tree["split_indices"][0])
            splits.setdefault(feat, []).append(
                (
                    float(np.float32(cond[0])),
                    float(np.float32(cond[left[0]])),
                    float(np.float32(cond[right[0]])),
                    bool(tree["default_left"][0]),
                )
            )
        self.intercept_margin_ = intercept
        self.bins_ = {}
        self.bin_margins_ = {}
        for j, name in enumerate(self.feature_dtypes_):
            stumps = splits.get(j, [])
            fb = self._feature_bins(str(name), sorted({s[0] for s in stumps}))
            starts = self._regular_starts(fb)
            margins = np.zeros(fb.n_bins)
            for t, left_value, right_value, default_left in stumps:
                # Every value of a regular bin lies on the same side of t.
                margins[: fb.n_regular] += np.where(starts < t, left_value, right_value)
                missing_value = left_value if default_left else right_value
                margins[fb.missing_code] += missing_value
                if fb.unseen_code is not None:  # unseen categories go in as missing
                    margins[fb.unseen_code] += missing_value
            codes = fb.assign(self._prepare_values(str(name), frame[name]))
            counts = count_codes(
                codes, y01, n_bins=fb.n_bins, n_classes=2, sample_weight=w
            )[0]
            self.bins_[str(name)] = fb.with_counts(counts[:, 0], counts[:, 1])
            self.bin_margins_[str(name)] = margins

    def _regular_starts(self, fb: FeatureBins) -> NDArray[np.float64]:
        """A value inside each regular bin, on XGBoost's input scale."""
        if fb.kind == "numeric":
            return np.asarray([-np.inf, *fb.thresholds])
        return np.cumsum([0] + [len(g) for g in fb.groups[:-1]]).astype(np.float64)

    def _feature_bins(self, name: str, thresholds: list[float]) -> FeatureBins:
        if self.feature_dtypes_[name] == "numeric":
            n = len(thresholds) + 2
            return FeatureBins(
                name=name,
                kind="numeric",
                thresholds=tuple(thresholds),
                goods=(0.0,) * n,
                bads=(0.0,) * n,
            )
        order = self._category_order_[name]
        # Category at rank r goes left of threshold t when r < t.
        cuts = sorted(
            {int(math.ceil(t)) for t in thresholds} & set(range(1, len(order)))
        )
        edges = [0, *cuts, len(order)]
        groups = tuple(
            tuple(order[a:b]) for a, b in zip(edges, edges[1:], strict=False)
        )
        n = len(groups) + 2
        return FeatureBins(
            name=name,
            kind="categorical",
            groups=groups,
            goods=(0.0,) * n,
            bads=(0.0,) * n,
        )

    # --------------------------------------------------------------- reports

    _report_title = "Boosted scorecard report"

    def _report_sections(self, data: Any, alpha: float) -> list[Any]:
        return boosted_sections(self, data, alpha)

    # -------------------------------------------------------------- artifacts

    def _to_payload(self) -> dict[str, Any]:
        payload = self._additive_payload()
        payload["monotone_constraints"] = dict(self.monotone_constraints_)
        family = getattr(self, "family_", "binomial")
        if family != "binomial":  # binomial artifacts keep their old format
            payload["family"] = family
        return payload

    @classmethod
    def _from_payload(cls, payload: dict[str, Any]) -> BoostedScorecard:
        params = dict(require(payload, "params", dict))
        card = cls(**params)
        card._restore_additive(payload)
        card.monotone_constraints_ = dict(
            require(payload, "monotone_constraints", dict)
        )
        family = payload.get("family", "binomial")
        if family not in FAMILIES:
            raise ValueError(
                f"Artifact field 'family' must be one of {list(FAMILIES)}; got "
                f"{family!r}."
            )
        card.family_ = family
        return card
