r"""Fair boosted scorecards: depth-1 XGBoost with a distance-covariance penalty.

:class:`FairBoostedScorecard` (binary targets, logistic) and
:class:`FairBoostedRegressor` (Poisson with exposure, Gaussian) are
:class:`scorecard.BoostedScorecard` models trained through its public
extension point :meth:`~scorecard.BoostedScorecard.fit_objective` with the
objective of :mod:`fairness._models._boosted_objective`: the mean negative
log-likelihood plus ``lambda_`` times the distance covariance between the
predictions and the protected attributes. The stumps are depth 1 and
monotone as in the unpenalised model, so the fitted model is still an
additive points table (reason codes, JSON artifact); the protected
attributes are used in :meth:`fit` only, never at scoring
(docs/methodology.md section 20).
"""

from __future__ import annotations

from numbers import Real
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import RegressorMixin
from sklearn.utils.validation import check_array, column_or_1d

from scorecard import BoostedScorecard
from scorecard._kit.artifacts import register_artifact
from scorecard._kit.compat import Interval, StrOptions
from scorecard._kit.validation import check_binary_target

from .._dcov._common import resolve_unbiased
from .._dcov._inputs import _encode
from ._boosted_objective import FairObjective
from ._boosted_penalty import TrackedPenalty

__all__ = ["FairBoostedScorecard", "FairBoostedRegressor"]

FloatArray = NDArray[np.float64]

_FAIR_CONSTRAINTS: dict[str, Any] = {
    "lambda_": [Interval(Real, 0, None, closed="left")],
    "penalty": [StrOptions({"dcov", "ccdcov", "jdcov"})],
    "scale": [StrOptions({"probability", "logit"})],
    "unbiased": ["boolean"],
    "c": [Interval(Real, 0, None, closed="neither")],
}

_NEEDS_SENSITIVE = (
    "lambda_={lam} > 0 needs sensitive_features in fit; pass them (with "
    "set_fit_request(sensitive_features=True) in a Pipeline) or set lambda_=0 "
    "for an unpenalised fit."
)


class _FairBoostedMixin:
    """The penalised fit shared by the two estimators."""

    lambda_: float
    penalty: str
    scale: Literal["probability", "logit"]
    unbiased: bool
    c: float
    n_rounds: int

    def __sklearn_is_fitted__(self) -> bool:
        # ``lambda_`` ends in "_" but is a hyperparameter
        return hasattr(self, "bin_margins_")

    def _prepared_penalty(
        self,
        sensitive_features: object,
        n: int,
        family: Literal["binomial", "poisson", "gaussian"],
    ) -> TrackedPenalty | None:
        if sensitive_features is None:
            if self.lambda_ > 0:
                raise ValueError(_NEEDS_SENSITIVE.format(lam=self.lambda_))
            return None
        enc = _encode(sensitive_features, n)
        if self.lambda_ == 0:
            return None
        est = resolve_unbiased(self.unbiased)
        return TrackedPenalty.prepare(
            self.penalty,  # type: ignore[arg-type]
            enc,
            est,
            float(self.c),
            family,
            self.scale,
        )

    def _fit_fair(
        self,
        X: Any,
        y: tuple[Any, FloatArray],
        family: Literal["binomial", "poisson", "gaussian"],
        sensitive_features: object,
        sample_weight: Any,
        offset: FloatArray,
    ) -> Any:
        n = offset.shape[0]
        pen = self._prepared_penalty(sensitive_features, n, family)
        w = (
            np.ones(n)
            if sample_weight is None
            else np.asarray(sample_weight, dtype=np.float64).reshape(-1)
        )
        objective = FairObjective(
            family, y[1], w, offset, pen, float(self.lambda_), self.scale
        )
        card: Any = self
        card.fit_objective(
            X,
            y[0],
            family=family,
            objective=objective,
            offset=offset,
            sample_weight=sample_weight,
        )
        if not objective.descent_safeguard and len(objective.path) == self.n_rounds:
            # no final call from the training loop: margins plus offset
            objective.finish(card.decision_function(X) + offset)
        self.objective_path_ = np.asarray(objective.path)
        self.penalty_path_ = np.asarray(objective.penalty_path)
        self.objective_ = float(objective.path[-1])
        self.penalty_value_ = float(objective.penalty_path[-1])
        # the rounds kept (fewer when the descent safeguard stopped the fit)
        self.n_iter_ = len(objective.path) - 1
        self.n_rounds_rejected_ = int(objective.rejected)
        self.stopped_reason_ = objective.stopped_reason
        return self


def _n_rows(X: Any) -> int:
    """Rows of ``X`` (sparse or dense; its checks come with ``fit_objective``)."""
    shape = getattr(X, "shape", None)
    return int(shape[0]) if shape is not None else len(np.asarray(X))


def _check_exposure(exposure: Any, n: int) -> FloatArray:
    e = np.asarray(exposure, dtype=np.float64).reshape(-1)
    if e.shape[0] != n:
        raise ValueError(f"exposure has {e.shape[0]} values for {n} rows of X.")
    if not np.all(np.isfinite(e)) or np.any(e <= 0):
        bad = e[~(np.isfinite(e) & (e > 0))][0]
        raise ValueError(
            f"exposure must be positive and finite; got values such as {bad!r}."
        )
    return e


@register_artifact("FairBoostedScorecard")
class FairBoostedScorecard(_FairBoostedMixin, BoostedScorecard):
    """Boosted depth-1 scorecard with a distance-covariance fairness penalty.

    Minimises the mean log-loss plus ``lambda_ * D(prediction, S)`` over
    monotone XGBoost stumps (see :mod:`fairness._models._boosted`); the model
    is read back as an additive points table exactly as
    :class:`scorecard.BoostedScorecard`, whose other parameters it takes.

    Parameters
    ----------
    lambda_ : float, default=0.0
        Weight of the fairness penalty (>= 0); ``0`` is an unpenalised fit.
    penalty : {"dcov", "ccdcov", "jdcov"}, default="ccdcov"
        ``"dcov"``: sum over attributes of dCov^2 (marginal parity);
        ``"ccdcov"``: dCov^2 with the attributes concatenated (joint,
        intersectional parity); ``"jdcov"``: the model part of JdCov.
    scale : {"probability", "logit"}, default="probability"
        Prediction inside the penalty: the probability of the event, which
        is what the fairness metrics and :func:`lambda_path` measure; or the
        margin (the points scale).
    unbiased : bool, default=True
        U-statistic (``True``) or V-statistic distance covariance.
    c : float, default=1.0
        JdCov constant (``penalty="jdcov"`` only).
    n_rounds, learning_rate, monotone, max_bin, min_child_weight, reg_lambda, \
pdo, base_score, base_odds, rounding, random_state, n_jobs, bad_value
        As in :class:`scorecard.BoostedScorecard`.

    Attributes
    ----------
    bins_, bin_margins_, intercept_margin_, monotone_constraints_, booster_, \
classes_, score_bins_
        As in :class:`scorecard.BoostedScorecard`.
    objective_path_ : ndarray of shape (``n_iter_ + 1``,)
        Training objective (mean log-loss + ``lambda_`` * penalty) at the
        start of every accepted round and after the last one (non-increasing
        for a penalised fit).
    penalty_path_ : ndarray of shape (``n_iter_ + 1``,)
        The penalty D at the same points (NaN when unpenalised).
    objective_ : float
        Final training objective.
    penalty_value_ : float
        D(prediction, S) on the training rows (NaN when unpenalised).
    n_iter_ : int
        Boosting rounds kept: ``n_rounds``, or fewer when the descent
        safeguard stopped the fit (a penalised fit accepts a round only if
        it lowers the training objective; docs/methodology.md section 20).
    n_rounds_rejected_ : int
        Rounds the safeguard undid and boosted again with a shorter step
        (every try counts; 0 when unpenalised).
    stopped_reason_ : {"n_rounds", "no_descent"}
        Why the boosting ended: all ``n_rounds`` done, or no retry of a
        round lowered the objective.

    Notes
    -----
    ``sample_weight`` weights the log-loss and the bins' counts; the
    penalty is unweighted (as in :class:`DCovLogisticRegression`).
    ``sensitive_features=None`` is allowed only with ``lambda_=0``.
    The penalised objective is not smooth (D is piecewise linear in the
    predictions) and the stumps move one at a time; a stump that splits
    tied predictions can raise it. A penalised fit therefore keeps a round
    only if it lowers the objective (the descent safeguard: a rejected
    round is retried with a shorter step, then with the next best stumps,
    and the fit stops when none lowers it; ``n_rounds_rejected_``,
    ``stopped_reason_``; docs/methodology.md section 20).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from fairness import ccdcov
    >>> rng = np.random.default_rng(0)
    >>> s = rng.integers(0, 2, 1000)
    >>> X = pd.DataFrame({"a": rng.normal(size=1000) + s,
    ...                   "b": rng.normal(size=1000)})
    >>> y = (rng.random(1000) < 1 / (1 + np.exp(-X.a - X.b))).astype(int)
    >>> plain = FairBoostedScorecard(n_rounds=30).fit(X, y)
    >>> fair = FairBoostedScorecard(n_rounds=30, lambda_=30.0).fit(
    ...     X, y, sensitive_features=s)
    >>> p0, p1 = plain.predict_proba(X)[:, 1], fair.predict_proba(X)[:, 1]
    >>> bool(ccdcov(p1, s, test=None).estimate < ccdcov(p0, s, test=None).estimate)
    True
    """

    _parameter_constraints: dict[str, Any] = {
        **BoostedScorecard._parameter_constraints,
        **_FAIR_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        lambda_: float = 0.0,
        penalty: Literal["dcov", "ccdcov", "jdcov"] = "ccdcov",
        scale: Literal["probability", "logit"] = "probability",
        unbiased: bool = True,
        c: float = 1.0,
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
        super().__init__(
            n_rounds=n_rounds,
            learning_rate=learning_rate,
            monotone=monotone,
            max_bin=max_bin,
            min_child_weight=min_child_weight,
            reg_lambda=reg_lambda,
            pdo=pdo,
            base_score=base_score,
            base_odds=base_odds,
            rounding=rounding,
            random_state=random_state,
            n_jobs=n_jobs,
            bad_value=bad_value,
        )
        self.lambda_ = lambda_
        self.penalty = penalty
        self.scale = scale
        self.unbiased = unbiased
        self.c = c

    def fit(  # type: ignore[override]
        self,
        X: Any,
        y: Any,
        *,
        sensitive_features: object = None,
        sample_weight: ArrayLike | None = None,
    ) -> FairBoostedScorecard:
        """Fit the penalised stumps and read the points table from the trees.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Model inputs (never the protected attributes).
        y : array-like of shape (n_samples,)
            Binary target: 0/1 or boolean (1 = bad), or two labels with
            ``bad_value`` naming the bad one.
        sensitive_features : DataFrame, Series or array-like, default=None
            Protected attributes (binary, categorical or continuous columns),
            one row per sample; used in fitting only. Required when
            ``lambda_ > 0``.
        sample_weight : array-like of shape (n_samples,), default=None
            Float weights of the log-loss.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            ``lambda_ < 0`` or an unknown ``penalty``; ``lambda_ > 0`` without
            ``sensitive_features``; ``sensitive_features`` of the wrong
            length, with missing values or a single value; a non-binary
            target.
        """
        self._validate_params()
        n = _n_rows(X)
        target = check_binary_target(y, n, bad_value=self.bad_value)
        return self._fit_fair(
            X,
            (y, target.y01.astype(np.float64)),
            "binomial",
            sensitive_features,
            sample_weight,
            np.zeros(n),
        )


@register_artifact("FairBoostedRegressor")
class FairBoostedRegressor(RegressorMixin, _FairBoostedMixin, BoostedScorecard):
    """Boosted depth-1 points table for counts or amounts, with a fairness penalty.

    ``family="poisson"`` (claim frequency: log link, ``exposure`` as the
    offset ``log(exposure)``, the penalised prediction is the rate per unit
    exposure) or ``"gaussian"`` (identity link). Minimises the mean negative
    log-likelihood plus ``lambda_ * D(prediction, S)`` as
    :class:`FairBoostedScorecard`; the margin (log rate or mean) is an
    additive points table, ``points = offset - factor * margin`` with the
    scaling of ``pdo``/``base_score``/``base_odds`` (``pdo`` points halve
    the Poisson rate).

    Parameters
    ----------
    family : {"poisson", "gaussian"}, default="poisson"
    lambda_ : float, default=0.0
    penalty : {"dcov", "ccdcov", "jdcov"}, default="ccdcov"
    scale : {"probability", "logit"}, default="probability"
        ``"probability"``: the rate (Poisson) or mean (Gaussian) without
        exposure; ``"logit"``: the margin without offset.
    unbiased : bool, default=True
    c : float, default=1.0
    n_rounds, learning_rate, monotone, max_bin, min_child_weight, reg_lambda, \
pdo, base_score, base_odds, rounding, random_state, n_jobs
        As in :class:`scorecard.BoostedScorecard`.

    Attributes
    ----------
    objective_path_, penalty_path_, objective_, penalty_value_, n_iter_, \
n_rounds_rejected_, stopped_reason_
        As in :class:`FairBoostedScorecard` (mean Poisson or Gaussian
        negative log-likelihood up to constants).
    bins_ : dict of str to FeatureBins
        Intervals between each feature's thresholds; their good/bad counts
        are rows without / with a claim (Poisson) or below / above the
        weighted mean target (Gaussian).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> X = pd.DataFrame({"age": rng.uniform(18, 80, 2000)})
    >>> exposure = rng.uniform(0.2, 1.0, 2000)
    >>> y = rng.poisson(exposure * np.exp(-2 + 0.02 * (60 - X.age)))
    >>> model = FairBoostedRegressor(n_rounds=30).fit(X, y, exposure=exposure)
    >>> rate = model.predict(X)
    >>> bool(rate[X.age.to_numpy() < 30].mean() > rate[X.age.to_numpy() > 60].mean())
    True
    """

    _parameter_constraints: dict[str, Any] = {
        **{
            k: v
            for k, v in BoostedScorecard._parameter_constraints.items()
            if k != "bad_value"
        },
        **_FAIR_CONSTRAINTS,
        "family": [StrOptions({"poisson", "gaussian"})],
    }

    def __init__(
        self,
        *,
        family: Literal["poisson", "gaussian"] = "poisson",
        lambda_: float = 0.0,
        penalty: Literal["dcov", "ccdcov", "jdcov"] = "ccdcov",
        scale: Literal["probability", "logit"] = "probability",
        unbiased: bool = True,
        c: float = 1.0,
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
    ) -> None:
        self.family = family
        self.lambda_ = lambda_
        self.penalty = penalty
        self.scale = scale
        self.unbiased = unbiased
        self.c = c
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

    bad_value = None  # the binary-target label of BoostedScorecard: unused here

    def __sklearn_tags__(self) -> Any:
        """A regressor taking NaN, categorical and string features."""
        tags = super().__sklearn_tags__()
        tags.classifier_tags = None
        return tags

    def fit(  # type: ignore[override]
        self,
        X: Any,
        y: Any,
        *,
        sensitive_features: object = None,
        sample_weight: ArrayLike | None = None,
        exposure: ArrayLike | None = None,
    ) -> FairBoostedRegressor:
        """Fit the penalised stumps and read the points table from the trees.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Model inputs (never the protected attributes).
        y : array-like of shape (n_samples,)
            Counts >= 0 (Poisson) or real values (Gaussian).
        sensitive_features : DataFrame, Series or array-like, default=None
            Protected attributes, used in fitting only; required when
            ``lambda_ > 0``.
        sample_weight : array-like of shape (n_samples,), default=None
            Float weights of the likelihood.
        exposure : array-like of shape (n_samples,), default=None
            Poisson only: positive exposures (years at risk), entering as
            the offset ``log(exposure)``; None: exposure 1.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            Negative Poisson counts, non-positive or non-finite ``exposure``,
            ``exposure`` with the Gaussian family, and the errors of
            :meth:`FairBoostedScorecard.fit`.
        """
        self._validate_params()
        n = _n_rows(X)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        y_arr = column_or_1d(
            check_array(y, ensure_2d=False, dtype=np.float64, input_name="y"),
            warn=True,
        )
        if self.family == "poisson" and y_arr.shape[0] == n and np.any(y_arr < 0):
            raise ValueError(
                "y of family='poisson' must be counts >= 0; got negative values "
                f"such as {y_arr[y_arr < 0][0]!r}."
            )
        offset = np.zeros(n)
        if exposure is not None:
            if self.family != "poisson":
                raise ValueError(
                    "exposure is the offset of family='poisson'; got "
                    f"family={self.family!r}."
                )
            offset = np.log(_check_exposure(exposure, n))
        return self._fit_fair(
            X, (y_arr, y_arr), self.family, sensitive_features, sample_weight, offset
        )

    def predict(self, X: Any, *, exposure: ArrayLike | None = None) -> FloatArray:
        """The rate (times ``exposure`` when given) or the mean of every row."""
        margin = np.asarray(self.decision_function(X), dtype=np.float64)
        if self.family == "gaussian":
            return margin
        rate = np.exp(margin)
        if exposure is None:
            return rate
        return rate * _check_exposure(exposure, rate.shape[0])
