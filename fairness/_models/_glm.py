r"""Distance-covariance regularised GLMs: logistic regression and a GLM family.

The fitted coefficients minimise

.. math::

    \frac{1}{\sum_i w_i} \sum_i w_i \ell(y_i, \eta_i)
    + \frac{l_2}{2} \lVert \beta \rVert^2
    + \lambda \, D(\hat y, S),

with :math:`\eta = X\beta + \beta_0 (+ \log \text{exposure})`, :math:`\ell`
the negative log-likelihood of the family, :math:`D` a distance-covariance
penalty (``"dcov"``: the sum over attributes of :math:`dCov^2(\hat y, S_k)`,
marginal parity; ``"ccdcov"``: :math:`dCov^2` with all attributes
concatenated, joint parity; ``"jdcov"``: the model part of JdCov) between the
prediction :math:`\hat y` (``scale="probability"``: the mean; ``"logit"``:
the linear predictor without offset) and the protected attributes. The
optimiser is L-BFGS (scipy) on the analytic gradient; the gradient of
:math:`D` with respect to the predictions is exact and O(n log n) for
categorical or univariate attributes (see :mod:`fairness._dcov`), chained
through the link.
"""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from scorecard._kit.compat import (
    Interval,
    StrOptions,
    check_sample_weight,
    renamed,
    warn_renamed,
)
from scorecard._kit.validation import check_binary_target

from .._dcov._common import DEPRECATED, resolve_unbiased
from .._dcov._inputs import _encode
from .._dcov._penalty import _Penalty

__all__ = ["DCovLogisticRegression", "DCovGLM"]

Family = Literal["binomial", "poisson", "gaussian"]
FloatArray = NDArray[np.float64]


def _mean_and_derivative(
    family: Family, eta: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Mean and its derivative with respect to the linear predictor."""
    if family == "binomial":
        mu = expit(eta)
        return mu, mu * (1 - mu)
    if family == "poisson":
        mu = np.exp(np.minimum(eta, 700.0))
        return mu, mu
    return eta, np.ones_like(eta)


def _initial_theta(
    family: Family,
    y: FloatArray,
    w: FloatArray,
    offset: FloatArray,
    p: int,
    use_b0: bool,
) -> FloatArray:
    """Start of L-BFGS: zero slopes, the intercept of the null model."""
    theta0 = np.zeros(p + int(use_b0))
    if use_b0:
        ybar = float(w @ y)
        if family == "binomial":
            ybar = min(max(ybar, 1e-6), 1 - 1e-6)
            theta0[p] = math.log(ybar / (1 - ybar))
        elif family == "poisson":
            rate = ybar / max(float(w @ np.exp(offset)), 1e-300)
            theta0[p] = math.log(max(rate, 1e-12))
        else:
            theta0[p] = ybar
    return theta0


class _DCovGLMBase(BaseEstimator):
    """Shared parameters, objective and L-BFGS fit."""

    _parameter_constraints: dict[str, list[Any]] = {
        "lambda_": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        # deprecated aliases (issue 12): checked in _resolved_settings
        "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({DEPRECATED})],
        "penalty": [StrOptions({"dcov", "ccdcov", "jdcov"})],
        "scale": [StrOptions({"probability", "logit"})],
        "unbiased": ["boolean"],
        "estimator": [StrOptions({"U", "V", DEPRECATED})],
        "c": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __sklearn_is_fitted__(self) -> bool:
        # ``lambda_`` ends in "_" but is a hyperparameter, so the default
        # attribute scan of check_is_fitted would be fooled
        return hasattr(self, "coef_")

    def _family(self) -> Family:
        raise NotImplementedError

    def _resolve_renamed(self) -> None:
        """L2 strength and U/V choice from the new names or the deprecated ones.

        ``alpha`` (L2 strength) was renamed ``l2`` and ``estimator`` ("U"/"V")
        ``unbiased`` in 0.2; the old names still work until 0.3 with a
        FutureWarning. Sets ``_l2_`` and ``_estimator_``.
        """
        l2 = float(self.l2)
        if not (isinstance(self.alpha, str) and self.alpha == DEPRECATED):
            warn_renamed("alpha", "l2", stacklevel=5)
            l2 = float(self.alpha)
        self._l2_ = l2
        self._estimator_ = resolve_unbiased(self.unbiased, self.estimator, stacklevel=4)

    def _check_sensitive(self, sensitive_features: object, n: int) -> _Penalty | None:
        if sensitive_features is None:
            if self.lambda_ > 0:
                raise ValueError(
                    f"lambda_={self.lambda_} > 0 needs sensitive_features in fit; "
                    "pass them (with set_fit_request(sensitive_features=True) in a "
                    "Pipeline) or set lambda_=0 for an unpenalised fit."
                )
            return None
        enc = _encode(sensitive_features, n)
        if self.lambda_ == 0:
            return None
        return _Penalty(self.penalty, enc, self._estimator_, float(self.c))

    def _fit(
        self,
        X: FloatArray,
        y: FloatArray,
        sample_weight: FloatArray,
        offset: FloatArray,
        penalty: _Penalty | None,
    ) -> None:
        family = self._family()
        n, p = X.shape
        w = sample_weight / sample_weight.sum()
        alpha = self._l2_
        lam = float(self.lambda_)
        use_b0 = bool(self.fit_intercept)

        def mean_and_link(eta: FloatArray) -> tuple[FloatArray, FloatArray]:
            return _mean_and_derivative(family, eta)

        def objective(
            theta: FloatArray, penalty: _Penalty | None
        ) -> tuple[float, FloatArray]:
            beta = theta[:p]
            b0 = theta[p] if use_b0 else 0.0
            lin = X @ beta + b0
            eta = lin + offset
            if family == "binomial":
                loss = float(w @ (np.logaddexp(0.0, eta) - y * eta))
                mu = expit(eta)
            elif family == "poisson":
                mu = np.exp(np.minimum(eta, 700.0))
                loss = float(w @ (mu - y * eta))
            else:
                mu = eta
                loss = float(0.5 * w @ (y - eta) ** 2)
            d_eta = w * (mu - y)
            loss += 0.5 * alpha * float(beta @ beta)
            if penalty is not None:
                if self.scale == "probability":
                    pred, dpred = mean_and_link(lin)  # rate scale: no exposure
                else:
                    pred, dpred = lin, np.ones(n)
                value, grad = penalty(pred)
                loss += lam * value
                d_eta = d_eta + lam * grad * dpred
            g_beta = X.T @ d_eta + alpha * beta
            grad_all = np.append(g_beta, d_eta.sum()) if use_b0 else g_beta
            return loss, grad_all

        theta0 = _initial_theta(family, y, w, offset, p, use_b0)
        options = {"maxiter": int(self.max_iter), "gtol": float(self.tol)}
        if penalty is not None:
            # Warm start at the unpenalised fit: at the usual start all predictions
            # tie, where dCov is not differentiable (sign(0) = 0 gives a zero
            # gradient although every direction increases the penalty).
            theta0 = optimize.minimize(
                objective,
                theta0,
                args=(None,),
                jac=True,
                method="L-BFGS-B",
                options=options,
            ).x
        res = optimize.minimize(
            objective,
            theta0,
            args=(penalty,),
            jac=True,
            method="L-BFGS-B",
            options=options,
        )
        if not res.success:
            warnings.warn(
                f"L-BFGS did not converge in {res.nit} iterations "
                f"(max_iter={self.max_iter}): {res.message}. Increase max_iter, "
                "scale the features, or lower lambda_.",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.coef_ = res.x[:p].copy()
        self.intercept_ = float(res.x[p]) if use_b0 else 0.0
        self.n_iter_ = int(res.nit)
        self.objective_ = float(res.fun)
        self.penalty_value_ = math.nan
        if penalty is not None:
            lin = X @ self.coef_ + self.intercept_
            pred = lin
            if self.scale == "probability":
                pred = mean_and_link(lin)[0]
            self.penalty_value_ = float(penalty(pred)[0])

    def _linear(self, X: ArrayLike) -> FloatArray:
        check_is_fitted(self)
        Xv = validate_data(self, X, reset=False)
        return Xv @ self.coef_ + self.intercept_


class DCovLogisticRegression(ClassifierMixin, _DCovGLMBase):
    r"""Logistic regression with a distance-covariance fairness penalty.

    Minimises mean log-loss + ``l2``/2 * ||coef||^2 + ``lambda_`` *
    D(prediction, S), see :mod:`fairness._glm`. The protected attributes
    ``S`` are data passed to :meth:`fit` (never model inputs, never
    constructor values).

    Parameters
    ----------
    lambda_ : float, default=0.0
        Weight of the fairness penalty (>= 0). ``0`` is plain (ridge)
        logistic regression.
    l2 : float, default=0.0
        L2 penalty on the coefficients (not the intercept); formerly
        ``alpha``.
    penalty : {"dcov", "ccdcov", "jdcov"}, default="ccdcov"
        ``"dcov"``: sum over attributes of dCov^2 (marginal parity);
        ``"ccdcov"``: dCov^2 with the attributes concatenated (joint,
        intersectional parity); ``"jdcov"``: the part of JdCov the model can
        change.
    scale : {"probability", "logit"}, default="probability"
        Scale of the prediction inside the penalty.
    unbiased : bool, default=True
        Unbiased (U-statistic, ``True``) or biased (V-statistic, ``False``)
        distance covariance in the penalty.
    c : float, default=1.0
        JdCov constant (``penalty="jdcov"`` only).
    fit_intercept : bool, default=True
    max_iter : int, default=500
        L-BFGS iterations.
    tol : float, default=1e-6
        L-BFGS projected-gradient tolerance.
    bad_value : object, default=None
        The label of ``y`` that is the event (bad) and becomes
        ``classes_[1]``. Not needed for 0/1 or boolean targets (1 / True is
        the event); any other labels (strings, ``{1, 2}``) need it, or
        :meth:`fit` raises a ValueError naming the labels found.
    alpha : float, optional
        Deprecated since 0.2, removed in 0.3: the L2 strength is ``l2``
        (``alpha`` means only a CI level in the package).
    estimator : {"U", "V"}, optional
        Deprecated since 0.2, removed in 0.3: use ``unbiased``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    classes_ : ndarray of shape (2,)
        ``[good, bad]``: ``classes_[1]`` is the event (1, True or
        ``bad_value``) modelled by ``predict_proba[:, 1]``.
    n_iter_ : int
    objective_ : float
        Objective at the solution.
    penalty_value_ : float
        D(prediction, S) on the training data (NaN when unpenalised).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has string column names.

    Notes
    -----
    ``sensitive_features=None`` is allowed only with ``lambda_=0`` (an
    unpenalised fit, which is what scikit-learn's generic checks exercise);
    with ``lambda_ > 0`` it is an error. ``sample_weight`` weights the
    log-loss; the penalty is unweighted. Use
    ``set_fit_request(sensitive_features=True)`` under
    ``sklearn.set_config(enable_metadata_routing=True)`` to make the model
    the last step of a Pipeline.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> s = rng.integers(0, 2, 400)
    >>> X = np.column_stack([rng.normal(size=400) + s, rng.normal(size=400)])
    >>> y = (X[:, 0] + X[:, 1] + rng.normal(size=400) > 0.5).astype(int)
    >>> plain = DCovLogisticRegression().fit(X, y)
    >>> fair = DCovLogisticRegression(lambda_=20.0).fit(X, y, sensitive_features=s)
    >>> bool(abs(fair.coef_[0]) < abs(plain.coef_[0]))
    True
    """

    _parameter_constraints: dict[str, Any] = {
        **_DCovGLMBase._parameter_constraints,
        "bad_value": "no_validation",
    }

    @renamed(alpha="l2", estimator="unbiased")
    def __init__(
        self,
        *,
        lambda_: float = 0.0,
        l2: float = 0.0,
        penalty: Literal["dcov", "ccdcov", "jdcov"] = "ccdcov",
        scale: Literal["probability", "logit"] = "probability",
        unbiased: bool = True,
        c: float = 1.0,
        fit_intercept: bool = True,
        max_iter: int = 500,
        tol: float = 1e-6,
        bad_value: Any = None,
        alpha: float | str = DEPRECATED,
        estimator: str = DEPRECATED,
    ) -> None:
        self.lambda_ = lambda_
        self.l2 = l2
        self.penalty = penalty
        self.scale = scale
        self.unbiased = unbiased
        self.c = c
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.bad_value = bad_value
        self.alpha = alpha
        self.estimator = estimator

    def _family(self) -> Family:
        return "binomial"

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        sensitive_features: object = None,
        sample_weight: ArrayLike | None = None,
    ) -> DCovLogisticRegression:
        """Fit the penalised logistic regression.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Model inputs (never the protected attributes).
        y : array-like of shape (n_samples,)
            Binary target: 0/1 or boolean (1 / True is the event), or two
            labels with ``bad_value`` naming the event.
        sensitive_features : DataFrame, Series or array-like, default=None
            Protected attributes (binary, categorical, continuous columns),
            one row per sample. Required when ``lambda_ > 0``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the log-loss.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            More or fewer than two classes; labels other than 0/1 or booleans
            without ``bad_value``; ``lambda_ > 0`` without
            ``sensitive_features``; bad ``sensitive_features`` (missing values,
            a single value, length mismatch).
        """
        self._validate_params()
        self._resolve_renamed()
        Xa: FloatArray
        ya: NDArray[Any]
        Xa, ya = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(ya)
        target = check_binary_target(ya, Xa.shape[0], bad_value=self.bad_value)
        self.classes_ = target.classes
        y01 = target.y01.astype(np.float64)
        sw = check_sample_weight(sample_weight, Xa, dtype=np.float64)
        penalty = self._check_sensitive(sensitive_features, Xa.shape[0])
        self._fit(Xa, y01, sw, np.zeros(Xa.shape[0]), penalty)
        return self

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """Linear predictor (log-odds of ``classes_[1]``)."""
        return self._linear(X)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Probabilities of ``classes_[0]`` and ``classes_[1]``, shape (n, 2)."""
        p1 = expit(self._linear(X))
        return np.column_stack([1 - p1, p1])

    def predict_log_proba(self, X: ArrayLike) -> FloatArray:
        """Logarithm of :meth:`predict_proba`."""
        eta = self._linear(X)
        return np.column_stack([-np.logaddexp(0, eta), -np.logaddexp(0, -eta)])

    def predict(self, X: ArrayLike) -> NDArray:
        """Class with the larger probability."""
        lin = self._linear(X)
        return self.classes_[(lin > 0).astype(int)]


class DCovGLM(RegressorMixin, _DCovGLMBase):
    r"""Distance-covariance regularised GLM for non-credit targets.

    Same objective as :class:`DCovLogisticRegression` with the negative
    log-likelihood of ``family``: ``"gaussian"`` (identity link),
    ``"poisson"`` (log link, ``exposure`` as an offset ``log(exposure)``),
    ``"binomial"`` (logit link, y in [0, 1] as proportions).

    Parameters
    ----------
    family : {"gaussian", "poisson", "binomial"}, default="gaussian"
    lambda_ : float, default=0.0
    l2 : float, default=0.0
        L2 penalty on the coefficients (not the intercept).
    penalty : {"dcov", "ccdcov", "jdcov"}, default="ccdcov"
    scale : {"probability", "logit"}, default="probability"
        ``"probability"`` penalises the mean (for Poisson the rate per unit
        exposure); ``"logit"`` the linear predictor without offset.
    unbiased : bool, default=True
        U-statistic (``True``) or V-statistic (``False``) in the penalty.
    c : float, default=1.0
    fit_intercept : bool, default=True
    max_iter : int, default=500
    tol : float, default=1e-6
    alpha : float, optional
        Deprecated since 0.2, removed in 0.3: the L2 strength is ``l2``
        (``alpha`` means only a CI level in the package).
    estimator : {"U", "V"}, optional
        Deprecated since 0.2, removed in 0.3: use ``unbiased``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
    objective_ : float
    penalty_value_ : float
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(300, 2))
    >>> exposure = rng.uniform(0.5, 2, 300)
    >>> y = rng.poisson(exposure * np.exp(0.3 + 0.5 * X[:, 0]))
    >>> glm = DCovGLM(family="poisson").fit(X, y, exposure=exposure)
    >>> bool(abs(glm.coef_[0] - 0.5) < 0.15)
    True
    """

    _parameter_constraints = {
        **_DCovGLMBase._parameter_constraints,
        "family": [StrOptions({"gaussian", "poisson", "binomial"})],
    }

    @renamed(alpha="l2", estimator="unbiased")
    def __init__(
        self,
        *,
        family: Family = "gaussian",
        lambda_: float = 0.0,
        l2: float = 0.0,
        penalty: Literal["dcov", "ccdcov", "jdcov"] = "ccdcov",
        scale: Literal["probability", "logit"] = "probability",
        unbiased: bool = True,
        c: float = 1.0,
        fit_intercept: bool = True,
        max_iter: int = 500,
        tol: float = 1e-6,
        alpha: float | str = DEPRECATED,
        estimator: str = DEPRECATED,
    ) -> None:
        self.family = family
        self.lambda_ = lambda_
        self.l2 = l2
        self.penalty = penalty
        self.scale = scale
        self.unbiased = unbiased
        self.c = c
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.alpha = alpha
        self.estimator = estimator

    def _family(self) -> Family:
        return self.family

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        sensitive_features: object = None,
        sample_weight: ArrayLike | None = None,
        exposure: ArrayLike | None = None,
    ) -> DCovGLM:
        """Fit the penalised GLM.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Counts (>= 0) for Poisson, proportions in [0, 1] for binomial.
        sensitive_features : DataFrame, Series or array-like, default=None
            Required when ``lambda_ > 0``.
        sample_weight : array-like of shape (n_samples,), default=None
        exposure : array-like of shape (n_samples,), default=None
            Poisson only: positive exposures, entering as ``log(exposure)``.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            Targets outside the family's range, non-positive exposure,
            exposure with a non-Poisson family, missing sensitive features
            with ``lambda_ > 0``.
        """
        self._validate_params()
        self._resolve_renamed()
        Xa: FloatArray
        Xa, yv = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        ya: FloatArray = np.asarray(yv, dtype=np.float64)
        if self.family == "poisson" and np.any(ya < 0):
            raise ValueError("family='poisson' needs y >= 0; got negative values.")
        if self.family == "binomial" and np.any((ya < 0) | (ya > 1)):
            raise ValueError("family='binomial' needs y in [0, 1] (proportions).")
        offset = np.zeros(Xa.shape[0])
        if exposure is not None:
            if self.family != "poisson":
                raise ValueError(
                    "exposure is an offset of family='poisson'; got "
                    f"family={self.family!r}."
                )
            e = np.asarray(exposure, dtype=np.float64).reshape(-1)
            n = Xa.shape[0]
            if e.shape[0] != n or not np.all(np.isfinite(e)) or np.any(e <= 0):
                raise ValueError(
                    f"exposure must be {n} positive finite values; got shape "
                    f"{e.shape} with min {e.min() if e.size else 'n/a'}."
                )
            offset = np.log(e)
        sw = check_sample_weight(sample_weight, Xa, dtype=np.float64)
        penalty = self._check_sensitive(sensitive_features, Xa.shape[0])
        self._fit(Xa, ya, sw, offset, penalty)
        return self

    def predict(self, X: ArrayLike, *, exposure: ArrayLike | None = None) -> FloatArray:
        """Mean prediction (times ``exposure`` for Poisson when given)."""
        lin = self._linear(X)
        if self.family == "poisson":
            mu = np.exp(lin)
            return mu if exposure is None else mu * np.asarray(exposure, dtype=float)
        if self.family == "binomial":
            return expit(lin)
        return lin
