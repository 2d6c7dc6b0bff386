"""PDCalibrator: a scorecard's points mapped to probabilities of default.

The calibrator wraps a fitted (or to-be-fitted) :class:`~scorecard.Scorecard`
or :class:`~scorecard.BoostedScorecard` and uses only its public methods
(``fit``, ``predict_score``, ``to_json``). The map from points to PD is a
logistic curve (Platt), an isotonic step function, either shifted on the
logit scale to a long-run central tendency, and the PDs are cut into the
grades of a :class:`MasterScale`. Formulas: docs/methodology.md
section 15.
"""

from __future__ import annotations

import json
import math
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize, special
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from .._kit.artifacts import (
    ArtifactMixin,
    decode_float,
    load,
    register_artifact,
    require,
)
from .._kit.compat import HasMethods, Interval, StrOptions
from .._kit.spark import is_spark_dataframe
from .._kit.validation import check_binary_target, check_weights
from .._models._scorecard import Scorecard
from ._scale import MasterScale, build_scale, scale_from_rows

__all__ = ["PDCalibrator"]

FloatArray = NDArray[np.float64]
#: Isotonic PDs of exactly 0 or 1 are held this far inside (0, 1) on the logit
#: scale of the central-tendency shift (a PD of 0 cannot be shifted).
LOGIT_FLOOR = 1e-9


def _platt(score: FloatArray, y01: NDArray[np.int64], w: FloatArray) -> tuple:
    """Weighted logistic regression of ``y`` on the score by Newton's method.

    Returns ``(a, b)`` with ``logit(PD) = a + b * score``. The score is
    standardised for the iterations; on separable data the slope grows
    until the iteration limit (no penalty is added).
    """
    mu = float(np.average(score, weights=w))
    sd = float(np.sqrt(np.average((score - mu) ** 2, weights=w)))
    sd = sd if sd > 0 else 1.0
    z = (score - mu) / sd
    rate = float(np.clip(np.average(y01, weights=w), 1e-6, 1 - 1e-6))
    beta = np.array([math.log(rate / (1 - rate)), 0.0])
    design = np.column_stack([np.ones_like(z), z])

    def loss(b: FloatArray) -> float:
        eta = design @ b
        return float(np.sum(w * (np.logaddexp(0.0, eta) - y01 * eta)))

    current = loss(beta)
    for _ in range(100):
        p = special.expit(design @ beta)
        grad = design.T @ (w * (p - y01))
        hess = design.T @ (design * (w * p * (1 - p))[:, None])
        try:
            step = np.linalg.solve(hess + 1e-12 * np.eye(2), grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-8:
            trial = beta - t * step
            value = loss(trial)
            if value <= current:
                break
            t /= 2
        else:
            break
        done = abs(current - value) <= 1e-12 * max(1.0, abs(current))
        beta, current = trial, value
        if done:
            break
    return float(beta[0] - beta[1] * mu / sd), float(beta[1] / sd)


def _isotonic(score: FloatArray, y01: NDArray[np.int64], w: FloatArray) -> tuple:
    """Decreasing isotonic fit of the default indicator on the points."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(
        increasing=False, y_min=0.0, y_max=1.0, out_of_bounds="clip"
    )
    iso.fit(score, y01.astype(np.float64), sample_weight=w)
    return (
        np.asarray(iso.X_thresholds_, dtype=np.float64),
        np.asarray(iso.y_thresholds_, dtype=np.float64),
    )


def _logit(p: FloatArray) -> FloatArray:
    return special.logit(np.clip(p, LOGIT_FLOOR, 1 - LOGIT_FLOOR))


def _shift(p: FloatArray, w: FloatArray, target: float) -> float:
    """Intercept shift ``c`` with ``mean(expit(logit(p) + c)) = target``."""
    eta = _logit(p)

    def gap(c: float) -> float:
        return float(np.average(special.expit(eta + c), weights=w)) - target

    return float(optimize.brentq(gap, -50.0, 50.0, xtol=1e-14))


@register_artifact("PDCalibrator")
class PDCalibrator(ClassifierMixin, BaseEstimator, ArtifactMixin):
    """Map a scorecard's points to PDs and rating grades (a master scale).

    Parameters
    ----------
    estimator : Scorecard or BoostedScorecard, default=None
        The scorecard; ``None`` fits a ``Scorecard()``. Only its public
        methods are used (``fit``, ``predict_score``, ``to_json``).
    method : {"platt", "isotonic"}, default="platt"
        ``"platt"``: ``logit(PD) = a + b * points`` by maximum likelihood;
        ``"isotonic"``: a PD step function decreasing in the points.
    central_tendency : float in (0, 1), default=None
        Long-run default rate to calibrate to: the logit of every PD is
        shifted by one constant so that the mean PD of the calibration data
        equals it. ``None`` keeps the calibration sample's own level.
    prefit : bool, default=False
        ``True``: ``estimator`` is already fitted and is used as is (the
        calibrator only learns the map on the data given to ``fit``, e.g. a
        calibration sample). ``False``: a clone is fitted on the same data,
        and the map is then in-sample.
    boundaries : array-like of shape (K + 1,), default=None
        PD edges of the grades, ``0 = b_0 < ... < b_K = 1``. ``None`` builds
        the scale to ``n_grades``.
    n_grades : int, default=7
        Largest number of grades of a built scale.
    min_grade_size : float in [0, 0.5), default=0.05
        Smallest share of the calibration rows in a built grade.
    grade_pd : {"mean", "midpoint"}, default="mean"
        The PD of a grade: the mean calibrated PD of its calibration rows, or
        the calibrated PD at the midpoint of its points range.
    bad_value : object, default=None
        The label meaning bad, for targets other than 0/1 or boolean.

    Attributes
    ----------
    estimator_ : Scorecard or BoostedScorecard
        The fitted scorecard.
    coef_ : ndarray of shape (2,)
        ``(a, b)`` of the Platt map (NaN for isotonic).
    thresholds_ : tuple of ndarray
        Points and PDs of the isotonic map (empty for Platt).
    shift_ : float
        Logit shift to the central tendency (0 without one).
    master_scale_ : MasterScale
        The grades.
    classes_ : ndarray of shape (2,)
        ``[good, bad]`` labels.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> data = load_german_credit()
    >>> X = data[["duration_in_month", "credit_amount", "age_in_years"]]
    >>> y = data["creditability"]
    >>> cal = PDCalibrator(n_grades=4, central_tendency=0.25, bad_value="bad")
    >>> cal = cal.fit(X, y)
    >>> round(float(cal.predict_pd(X).mean()), 6)
    0.25
    >>> cal.master_scale_.to_frame()["grade"].tolist()
    ['1', '2', '3', '4']
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_score", "to_json"]), None],
        "method": [StrOptions({"platt", "isotonic"})],
        "central_tendency": [Interval(Real, 0, 1, closed="neither"), None],
        "prefit": ["boolean"],
        "boundaries": ["array-like", None],
        "n_grades": [Interval(Integral, 2, None, closed="left")],
        "min_grade_size": [Interval(Real, 0, 0.5, closed="left")],
        "grade_pd": [StrOptions({"mean", "midpoint"})],
        "bad_value": "no_validation",
    }

    def __init__(
        self,
        *,
        estimator: Any = None,
        method: str = "platt",
        central_tendency: float | None = None,
        prefit: bool = False,
        boundaries: Any = None,
        n_grades: int = 7,
        min_grade_size: float = 0.05,
        grade_pd: str = "mean",
        bad_value: Any = None,
    ) -> None:
        self.estimator = estimator
        self.method = method
        self.central_tendency = central_tendency
        self.prefit = prefit
        self.boundaries = boundaries
        self.n_grades = n_grades
        self.min_grade_size = min_grade_size
        self.grade_pd = grade_pd
        self.bad_value = bad_value

    def __sklearn_tags__(self) -> Any:
        """The wrapped scorecard's input tags; a binary classifier."""
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator if self.estimator is not None else Scorecard())
        tags.input_tags = inner.input_tags
        tags.classifier_tags.multi_class = False
        return tags

    # ------------------------------------------------------------------ fit

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> PDCalibrator:
        """Fit (or take) the scorecard, the PD map and the master scale.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Features the scorecard reads.
        y : array-like of shape (n_samples,)
            Binary target (1 = bad), or labels with ``bad_value``.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights (floats).

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For a target that is not binary, bad weights, invalid
            boundaries, or a grade with no calibration rows.
        """
        self._validate_params()
        shape = X.shape if hasattr(X, "shape") else np.asarray(X).shape
        if shape[0] == 0:
            raise ValueError(
                f"Found array with 0 sample(s) (shape={shape}) while a "
                "minimum of 1 is required by PDCalibrator."
            )
        target = check_binary_target(y, bad_value=self.bad_value)
        y01 = target.y01
        w = (
            np.ones(y01.shape[0])
            if sample_weight is None
            else check_weights(sample_weight, y01)
        )
        if self.prefit:
            if self.estimator is None:
                raise ValueError("prefit=True needs a fitted estimator; got None.")
            check_is_fitted(self.estimator)
            est = self.estimator
        else:
            base = self.estimator if self.estimator is not None else Scorecard()
            est = clone(base).fit(X, y01, sample_weight=sample_weight)
        self.estimator_ = est
        self.n_features_in_ = est.n_features_in_
        if hasattr(est, "feature_names_in_"):
            self.feature_names_in_ = est.feature_names_in_
        self.classes_ = target.classes
        score = np.asarray(est.predict_score(X), dtype=np.float64)
        if self.method == "platt":
            self.coef_ = np.array(_platt(score, y01, w))
            self.thresholds_ = (np.empty(0), np.empty(0))
        else:
            self.coef_ = np.array([math.nan, math.nan])
            self.thresholds_ = _isotonic(score, y01, w)
        self.shift_ = 0.0
        if self.central_tendency is not None:
            self.shift_ = _shift(self._map(score), w, float(self.central_tendency))
        p = self._map(score)
        edges = build_scale(
            p,
            y01,
            w,
            boundaries=self.boundaries,
            n_grades=self.n_grades,
            min_grade_size=self.min_grade_size,
        )
        grade_pd = (
            self._midpoints(edges, score, p) if self.grade_pd == "midpoint" else None
        )
        self.master_scale_ = scale_from_rows(edges, p, y01, w, grade_pd, self.grade_pd)
        return self

    def _midpoints(self, edges: FloatArray, score: FloatArray, p: FloatArray) -> Any:
        codes = np.searchsorted(edges[1:-1], p, side="right")
        mids = np.full(edges.size - 1, np.nan)
        for k in range(mids.size):
            s = score[codes == k]
            if s.size:
                mids[k] = 0.5 * (s.min() + s.max())
        if np.isnan(mids).any():
            return None  # an empty grade: scale_from_rows names it
        return self._map(mids)

    # ------------------------------------------------------------------ maps

    def _map(self, score: FloatArray) -> FloatArray:
        if self.method == "platt":
            a, b = self.coef_
            eta = a + b * score
            if getattr(self, "shift_", 0.0):
                eta = eta + self.shift_
            return np.asarray(special.expit(eta), dtype=np.float64)
        x, y = self.thresholds_
        p = np.interp(score, x, y) if x.size > 1 else np.full(score.shape, y[0])
        if getattr(self, "shift_", 0.0):
            p = special.expit(_logit(p) + self.shift_)
        return np.asarray(p, dtype=np.float64)

    def predict_pd(self, X: Any) -> FloatArray:
        """Calibrated probability of default of every row."""
        check_is_fitted(self, "master_scale_")
        return self._map(np.asarray(self.estimator_.predict_score(X), dtype=np.float64))

    def score_to_pd(self, y_score: Any) -> FloatArray:
        """Calibrated PD of given scorecard points (``estimator_.predict_score``).

        Lets a caller that already scored a batch (a monitoring job) map the
        points without scoring again.
        """
        check_is_fitted(self, "master_scale_")
        s = np.asarray(y_score, dtype=np.float64)
        if s.ndim != 1 or not np.isfinite(s).all():
            raise ValueError("y_score must be a 1-D array of finite scorecard points.")
        return self._map(s)

    def predict_proba(self, X: Any) -> FloatArray:
        """``[P(good), P(bad)]`` per row, from the calibrated PD."""
        p = self.predict_pd(X)
        return np.column_stack([1 - p, p])

    def predict(self, X: Any) -> NDArray[Any]:
        """Class with the higher calibrated probability (threshold 0.5)."""
        check_is_fitted(self, "master_scale_")
        return self.classes_[(self.predict_pd(X) >= 0.5).astype(int)]

    def predict_grade(self, X: Any) -> NDArray[np.str_]:
        """Master-scale grade of every row (``"1"`` is the best).

        A Spark DataFrame gets a lazy ``grade`` column appended (its other
        columns kept, e.g. an account id).
        """
        check_is_fitted(self, "master_scale_")
        if is_spark_dataframe(X):
            from .._models._spark import with_method

            return with_method(self, X, "predict_grade", "grade", dtype="string")  # type: ignore[no-any-return]
        scale = self.master_scale_
        return np.asarray(scale.grades)[scale.assign(self.predict_pd(X))]

    def grade_pds(self) -> pd.Series:
        """PD of each grade as a Series indexed by grade label."""
        check_is_fitted(self, "master_scale_")
        s = self.master_scale_
        return pd.Series(s.pd, index=pd.Index(list(s.grades), name="grade"), name="pd")

    # ------------------------------------------------------------------ JSON

    def _to_payload(self) -> dict[str, Any]:
        check_is_fitted(self, "master_scale_")
        x, y = self.thresholds_
        return {
            "params": {
                "method": self.method,
                "central_tendency": self.central_tendency,
                "n_grades": int(self.n_grades),
                "min_grade_size": float(self.min_grade_size),
                "grade_pd": self.grade_pd,
            },
            "estimator": json.loads(self.estimator_.to_json()),
            "coef": [None if math.isnan(c) else float(c) for c in self.coef_],
            "thresholds": [x.tolist(), y.tolist()],
            "shift": float(self.shift_),
            "classes": [c.item() if hasattr(c, "item") else c for c in self.classes_],
            "master_scale": self.master_scale_.to_payload(),
        }

    @classmethod
    def _from_payload(cls, payload: dict[str, Any]) -> PDCalibrator:
        params = require(payload, "params", dict)
        method = require(params, "method", str)
        if method not in ("platt", "isotonic"):
            raise ValueError(
                f"Artifact field 'method' must be platt or isotonic; got {method!r}."
            )
        cal = cls(
            method=method,
            central_tendency=params.get("central_tendency"),
            n_grades=require(params, "n_grades", int),
            min_grade_size=require(params, "min_grade_size", (int, float)),
            grade_pd=require(params, "grade_pd", str),
        )
        est = load(json.dumps(require(payload, "estimator", dict)))
        cal.estimator_ = est
        cal.n_features_in_ = est.n_features_in_
        if hasattr(est, "feature_names_in_"):
            cal.feature_names_in_ = est.feature_names_in_
        coef = require(payload, "coef", list)
        cal.coef_ = np.array(
            [math.nan if c is None else decode_float(c, field="coef") for c in coef]
        )
        x, y = require(payload, "thresholds", list)
        cal.thresholds_ = (
            np.asarray(x, dtype=np.float64),
            np.asarray(y, dtype=np.float64),
        )
        cal.shift_ = decode_float(
            require(payload, "shift", (int, float)), field="shift"
        )
        cal.classes_ = np.asarray(require(payload, "classes", list))
        cal.master_scale_ = MasterScale.from_payload(
            require(payload, "master_scale", dict)
        )
        return cal
