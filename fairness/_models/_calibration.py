r"""Calibration of the fairness weight ``lambda_`` on a validation split.

For each lambda of a grid, :func:`lambda_path` fits a clone of a
distance-covariance regularised estimator (any estimator with a ``lambda_``
parameter and ``fit(X, y, sensitive_features=..., sample_weight=...)``: the
dCov GLMs and the fair boosted scorecards) on the training split and scores
the validation split: for a classifier log-loss, Brier score and AUC of the
event probability, for a regressor the mean deviance of its family (Poisson
with exposure, Gaussian, binomial proportions) of the predicted mean; then
dCor^2 of the score (probability, rate or mean) with the intersectional
group, CCdCov^2 with the attributes, the generalised Jensen-Shannon
divergence between the groups' score densities, and the unfairness ratio
:math:`Var_g(\bar s_g) / Var(s)`. A rule picks lambda.

Generalised JS divergence with proportion weights :math:`\pi_g = n_g / n`:

.. math:: JS_\pi(P_1, \dots, P_G) = H\Big(\sum_g \pi_g P_g\Big)
          - \sum_g \pi_g H(P_g),

with each density a Gaussian KDE evaluated on a grid. ``js="paper"``
reproduces the source settings (bandwidth 0.15 on the probability scale,
1,000-point grid, bits); ``js="scott"`` (default) standardises the scores
(pooled mean and SD) and uses Scott's bandwidth :math:`1.06\,\hat\sigma_g
n_g^{-1/5}` per group, in bits.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.base import clone, is_regressor
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from scorecard import DataConditionWarning
from scorecard._kit.compat import renamed, warn_renamed
from scorecard._kit.validation import check_binary_target

from .._dcov import ccdcov, distance_correlation, intersect_groups
from .._dcov._common import resolve_y_score
from .._sensitive import as_sensitive_frame, column_kinds

__all__ = ["LambdaPath", "lambda_path", "generalized_js"]

FloatArray = NDArray[np.float64]


@renamed(scores="y_score")
def generalized_js(
    y_score: ArrayLike | None = None,
    groups: ArrayLike | None = None,
    *,
    bandwidth: float | Literal["scott"] = "scott",
    grid_size: int = 1000,
    standardize: bool = True,
    scores: ArrayLike | None = None,
) -> float:
    r"""Generalised Jensen-Shannon divergence (bits) between groups' score densities.

    Parameters
    ----------
    y_score : array-like of shape (n,)
        Scores (formerly ``scores``).
    groups : array-like of shape (n,)
        Group label per score (e.g. :func:`intersect_groups`).
    bandwidth : float or "scott", default="scott"
        Gaussian KDE bandwidth on the (possibly standardised) scale, or
        Scott's rule per group.
    grid_size : int, default=1000
        Points of the evaluation grid, spanning the scores +- 4 bandwidths.
    standardize : bool, default=True
        Standardise the pooled scores first.
    scores : array-like, optional
        Deprecated since 0.2, removed in 0.3: use ``y_score``.

    Returns
    -------
    float
        Between 0 and :math:`-\sum_g \pi_g \log_2 \pi_g`.

    Raises
    ------
    ValueError
        Fewer than two groups, a length mismatch, a non-positive bandwidth.

    Examples
    --------
    >>> s = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]
    >>> round(generalized_js(s, [0, 0, 0, 1, 1, 1], bandwidth=0.01,
    ...                      standardize=False), 3)
    1.0
    """
    y_score = resolve_y_score(y_score, scores, "generalized_js", old="scores")
    if groups is None:
        raise TypeError("generalized_js() missing the required argument 'groups'.")
    s = np.asarray(y_score, dtype=np.float64).reshape(-1)
    g_codes, g_labels = pd.factorize(pd.Series(np.asarray(groups)), sort=True)
    if g_codes.size != s.size:
        raise ValueError(f"groups has {g_codes.size} values for {s.size} scores.")
    if len(g_labels) < 2:
        raise ValueError("generalized_js needs at least two groups.")
    if grid_size < 10:
        raise ValueError(f"grid_size must be >= 10; got {grid_size}.")
    if standardize:
        sd = s.std()
        s = (s - s.mean()) / (sd if sd > 0 else 1.0)
    n_groups = len(g_labels)
    weights = np.bincount(g_codes, minlength=n_groups) / s.size
    if bandwidth == "scott":
        bws = []
        for g in range(n_groups):
            sg = s[g_codes == g]
            sd_g = sg.std() if sg.size > 1 and sg.std() > 0 else max(s.std(), 1e-3)
            bws.append(1.06 * sd_g * sg.size ** (-0.2))
        bw = np.array(bws)
    else:
        if not (isinstance(bandwidth, int | float) and bandwidth > 0):
            raise ValueError(f"bandwidth must be > 0 or 'scott'; got {bandwidth!r}.")
        bw = np.full(n_groups, float(bandwidth))
    grid = np.linspace(s.min() - 4 * bw.max(), s.max() + 4 * bw.max(), grid_size)
    step = grid[1] - grid[0]
    dens = np.empty((n_groups, grid_size))
    for g in range(n_groups):
        sg = s[g_codes == g]
        acc = np.zeros(grid_size)
        for i0 in range(0, sg.size, 2048):
            z = (grid[None, :] - sg[i0 : i0 + 2048, None]) / bw[g]
            acc += np.exp(-0.5 * z * z).sum(axis=0)
        dens[g] = acc / max(acc.sum() * step, 1e-300)
    mix = weights @ dens
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(dens > 0, dens * np.log2(dens / mix[None, :]), 0.0)
    return float(max(weights @ terms.sum(axis=1) * step, 0.0))


@dataclass(frozen=True, eq=False, repr=False)
class LambdaPath:
    """Validation metrics along a lambda grid and the chosen lambda.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per lambda: ``lambda``, then ``log_loss``, ``brier``, ``auc``
        (a classifier) or ``deviance`` (a regressor: the mean deviance of its
        family), then ``dcor`` (dCor^2 of score and intersectional group),
        ``ccdcov``, ``js`` (generalised JS, bits), ``unfairness_ratio``,
        ``n_iter``.
    chosen_lambda : float
    rule : str
        ``"elbow"`` or ``"js_target=..."``.
    js_method : str
        KDE settings of the JS column.
    models : tuple
        The fitted estimators, in the order of ``table``.
    n : int
        Validation size.
    """

    table: pd.DataFrame
    chosen_lambda: float
    rule: str
    js_method: str
    models: tuple[Any, ...]
    n: int

    @property
    def chosen_model(self) -> Any:
        """The estimator fitted with :attr:`chosen_lambda`."""
        idx = int(
            np.flatnonzero(self.table["lambda"].to_numpy() == self.chosen_lambda)[0]
        )
        return self.models[idx]

    def to_frame(self) -> pd.DataFrame:
        """The per-lambda table with a ``chosen`` flag."""
        return self.table.assign(chosen=self.table["lambda"] == self.chosen_lambda)

    def plot(self, ax: Any = None) -> Any:
        """AUC and JS / dCor^2 against lambda (log scale), chosen lambda marked.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes for AUC; a twin axis carries the fairness metrics.

        Returns
        -------
        matplotlib Axes
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        t = self.table
        lam = t["lambda"].to_numpy()
        pos = np.where(lam > 0, lam, np.nan)
        floor = np.nanmin(pos) / 10 if np.isfinite(np.nanmin(pos)) else 1e-3
        x = np.where(lam > 0, lam, floor)
        perf = "auc" if "auc" in t else "deviance"
        ax.plot(x, t[perf], "o-", color="C0", label=perf)
        ax.set_xscale("log")
        ax.set_xlabel("lambda (lambda = 0 drawn at the left edge)")
        ax.set_ylabel(f"validation {'AUC' if perf == 'auc' else 'mean deviance'}")
        twin = ax.twinx()
        twin.plot(x, t["js"], "s--", color="C1", label="JS (bits)")
        twin.plot(x, t["dcor"], "^:", color="C2", label="dCor^2")
        twin.set_ylabel("group divergence")
        chosen = self.chosen_lambda if self.chosen_lambda > 0 else floor
        ax.axvline(chosen, color="grey", lw=1)
        ax.set_title(
            f"lambda path ({self.rule}); chosen lambda = {self.chosen_lambda:g}"
        )
        twin.legend(loc="upper right")
        return ax

    def __repr__(self) -> str:
        return (
            f"LambdaPath(chosen_lambda={self.chosen_lambda:g}, rule='{self.rule}', "
            f"js='{self.js_method}', n={self.n})\n"
            + self.table.to_string(index=False, float_format="{:.4g}".format)
        )


def _elbow(perf_loss: FloatArray, unfair: FloatArray) -> int:
    """Point of the trade-off curve farthest from the chord of its endpoints."""

    def norm(v: FloatArray) -> FloatArray:
        span = np.ptp(v)
        return (v - v.min()) / span if span > 0 else np.zeros_like(v)

    px, py = norm(perf_loss), norm(unfair)
    a = np.array([px[0], py[0]])
    b = np.array([px[-1], py[-1]])
    d = b - a
    length = math.hypot(*d)
    if length == 0:
        return 0
    dist = np.abs(d[0] * (py - a[1]) - d[1] * (px - a[0])) / length
    return int(np.argmax(dist))


def _check_grid(lambdas: Sequence[float], js: str) -> FloatArray:
    lam = np.asarray(lambdas, dtype=np.float64)
    if lam.size == 0 or np.any(lam < 0) or not np.all(np.isfinite(lam)):
        raise ValueError(
            f"lambdas must be a non-empty grid of values >= 0; got {lambdas}."
        )
    if np.any(np.diff(lam) <= 0):
        raise ValueError(f"lambdas must be strictly increasing; got {list(lam)}.")
    if js not in ("scott", "paper"):
        raise ValueError(f"js must be 'scott' or 'paper'; got {js!r}.")
    return lam


def _validation_groups(sensitive_features_valid: object, n: int) -> pd.Categorical:
    """Intersectional groups of the categorical validation attributes."""
    name = "sensitive_features_valid"
    frame = as_sensitive_frame(sensitive_features_valid, n, name=name)
    kinds = column_kinds(frame, name=name)
    cat_cols = [
        c for c, k in zip(frame.columns, kinds, strict=True) if k == "categorical"
    ]
    if not cat_cols:
        raise ValueError(
            "lambda_path needs at least one categorical protected attribute in "
            f"sensitive_features_valid; its columns {list(frame.columns)} are all "
            "continuous."
        )
    return intersect_groups(frame[cat_cols])


def _deviance(family: str, y: FloatArray, mu: FloatArray) -> float:
    """Mean unit deviance of a GLM family (Gaussian: the squared error)."""
    if family == "poisson":
        mu = np.maximum(mu, 1e-300)
        with np.errstate(divide="ignore", invalid="ignore"):
            ylog = np.where(y > 0, y * np.log(y / mu), 0.0)
        return float(np.mean(2.0 * (ylog - (y - mu))))
    if family == "binomial":
        mu = np.clip(mu, 1e-15, 1 - 1e-15)
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(y > 0, y * np.log(y / mu), 0.0)
            b = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
        return float(np.mean(2.0 * (a + b)))
    return float(np.mean((y - mu) ** 2))


def _path_row(
    model: Any,
    value: float,
    X_valid: ArrayLike,
    target: tuple[str, FloatArray, FloatArray | None],
    groups: pd.Categorical,
    sensitive_features_valid: object,
    js: str,
) -> dict[str, float]:
    """Validation metrics of one fitted model of the grid.

    ``target`` is ``("classifier", y01, None)`` or ``(family, y, exposure)``.
    """
    kind, y_valid, exposure = target
    row: dict[str, float] = {"lambda": float(value)}
    if kind == "classifier":
        score = model.predict_proba(X_valid)[:, 1]
        event = y_valid.astype(np.int64)
        row["log_loss"] = log_loss(event, score, labels=[0, 1])
        row["brier"] = brier_score_loss(event, score)
        row["auc"] = roc_auc_score(event, score)
    else:
        score = np.asarray(model.predict(X_valid), dtype=np.float64)
        mu = score if exposure is None else score * exposure
        row["deviance"] = _deviance(kind, y_valid, mu)
    if js == "paper":
        jsd = generalized_js(score, groups, bandwidth=0.15, standardize=False)
    else:
        jsd = generalized_js(score, groups)
    by_group = pd.Series(score).groupby(np.asarray(groups), observed=True)
    means, counts = by_group.mean(), by_group.size()
    between = float(np.average((means - score.mean()) ** 2, weights=counts))
    row.update(
        {
            "dcor": distance_correlation(score, groups, test=None).estimate,
            "ccdcov": ccdcov(score, sensitive_features_valid, test=None).estimate,
            "js": jsd,
            "unfairness_ratio": between / score.var() if score.var() > 0 else 0.0,
            "n_iter": getattr(model, "n_iter_", math.nan),
        }
    )
    return row


def _choose(
    table: pd.DataFrame, lam: FloatArray, js_target: float | None
) -> tuple[int, str]:
    """Index of the chosen lambda and the rule's name."""
    if js_target is None:
        loss = table["log_loss" if "log_loss" in table else "deviance"].to_numpy()
        return _elbow(loss - loss[0], table["js"].to_numpy()), "elbow"
    ok = np.flatnonzero(table["js"].to_numpy() <= js_target)
    if ok.size:
        return int(ok[0]), f"js_target={js_target:g}"
    warnings.warn(
        f"No lambda reaches js_target={js_target}; the largest lambda "
        f"({lam[-1]:g}, JS={table['js'].iloc[-1]:.4g}) is chosen.",
        DataConditionWarning,
        stacklevel=3,
    )
    return lam.size - 1, f"js_target={js_target:g}"


def _path_target(
    estimator: Any, y_train: ArrayLike, y_valid: ArrayLike, bad_value: Any
) -> tuple[tuple[str, FloatArray, FloatArray | None], Any]:
    """The validation target (kind, values, exposure) and the training target."""
    if not is_regressor(estimator):
        y01 = check_binary_target(y_train, bad_value=bad_value, name="y_train").y01
        valid = check_binary_target(y_valid, bad_value=bad_value, name="y_valid")
        return ("classifier", valid.y01.astype(np.float64), None), y01
    if bad_value is not None:
        raise ValueError(
            "bad_value names the event of a binary target; the estimator "
            f"{type(estimator).__name__} is a regressor. Leave bad_value=None."
        )
    family = str(estimator.get_params(deep=False).get("family", "gaussian"))
    yv = np.asarray(y_valid, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(yv)):
        raise ValueError("y_valid must be finite; got NaN or infinite values.")
    return (family, yv, None), y_train


def _positive(values: ArrayLike, n: int) -> FloatArray:
    e = np.asarray(values, dtype=np.float64).reshape(-1)
    if e.shape[0] != n or not np.all(np.isfinite(e)) or np.any(e <= 0):
        raise ValueError(
            f"exposure_valid must be {n} positive finite values (one per "
            f"validation row); got shape {e.shape}."
        )
    return e


def _renamed_inputs(given: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """Values of the new names, taking deprecated old keywords (with a warning)."""
    out = dict(given)
    for (new, old_name), value in zip(_RENAMED.items(), old.values(), strict=True):
        if value is None:
            continue
        warn_renamed(old_name, new, stacklevel=5)
        if out[new] is not None:
            raise TypeError(
                f"lambda_path() got both {new} and its old name {old_name}; pass "
                f"{new} only."
            )
        out[new] = value
    for new, value in out.items():
        if value is None:
            raise TypeError(f"lambda_path() missing the required argument {new!r}.")
    return out


#: new name -> old name (issue 12 vocabulary)
_RENAMED = {
    "X_valid": "X_val",
    "y_valid": "y_val",
    "sensitive_features": "sensitive_train",
    "sensitive_features_valid": "sensitive_val",
}


@renamed(
    X_val="X_valid",
    y_val="y_valid",
    sensitive_train="sensitive_features",
    sensitive_val="sensitive_features_valid",
)
def lambda_path(
    estimator: Any,
    X_train: ArrayLike,
    y_train: ArrayLike,
    X_valid: ArrayLike | None = None,
    y_valid: ArrayLike | None = None,
    *,
    sensitive_features: object = None,
    sensitive_features_valid: object = None,
    lambdas: Sequence[float] = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0),
    js: Literal["scott", "paper"] = "scott",
    js_target: float | None = None,
    bad_value: Any = None,
    sample_weight: ArrayLike | None = None,
    exposure: ArrayLike | None = None,
    exposure_valid: ArrayLike | None = None,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
    sensitive_train: object = None,
    sensitive_val: object = None,
) -> LambdaPath:
    """Fit a lambda grid and choose lambda on a validation split.

    Parameters
    ----------
    estimator : estimator with a ``lambda_`` parameter
        Template, cloned with ``lambda_`` set for each grid value and fitted
        as ``fit(X_train, y_train, sensitive_features=..., sample_weight=...,
        exposure=...)`` (the last two only when given):
        :class:`DCovLogisticRegression`, :class:`DCovGLM`,
        :class:`FairBoostedScorecard`, :class:`FairBoostedRegressor`. A
        classifier is scored by its event probability (``predict_proba``), a
        regressor by its mean (``predict``; the family is its ``family``
        parameter, Gaussian when it has none).
    X_train, y_train : array-like
        Training split.
    X_valid, y_valid : array-like
        Validation split (required; formerly ``X_val``, ``y_val``).
    sensitive_features, sensitive_features_valid : DataFrame, Series or array-like
        Protected attributes of the training and validation splits (required;
        formerly ``sensitive_train``, ``sensitive_val``). The categorical
        columns of the validation attributes (the rule of
        :mod:`fairness._sensitive`) define the intersectional groups.
    lambdas : sequence of float, default=(0, 0.1, 0.3, 1, 3, 10, 30, 100)
        Non-negative, sorted increasingly; include 0 for the reference model.
    js : {"scott", "paper"}, default="scott"
        KDE settings of the generalised JS divergence (see module docstring).
    js_target : float, default=None
        If given, choose the smallest lambda whose validation JS is at most
        the target (the largest lambda, with a warning, if none meets it);
        otherwise the elbow of (log-loss increase, JS).
    bad_value : object, default=None
        The label of ``y_train`` / ``y_valid`` that is the event (bad). Not
        needed for 0/1 or boolean targets; any other labels need it. The
        models are fitted on the 0/1 target (1 = bad). Classifiers only.
    sample_weight : array-like of shape (n_train,), default=None
        Training row weights, passed to every fit.
    exposure, exposure_valid : array-like, default=None
        Poisson regressors: exposures of the training rows (passed to fit)
        and of the validation rows (the deviance compares the counts with
        the predicted rate times ``exposure_valid``; the fairness columns
        use the rate).
    X_val, y_val, sensitive_train, sensitive_val : optional
        Deprecated since 0.2, removed in 0.3: the old names of ``X_valid``,
        ``y_valid``, ``sensitive_features``, ``sensitive_features_valid``.

    Returns
    -------
    LambdaPath

    Raises
    ------
    ValueError
        Negative, unsorted or empty ``lambdas``; bad sensitive features;
        targets other than 0/1 or booleans without ``bad_value``.

    Examples
    --------
    >>> import numpy as np
    >>> from fairness import DCovLogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> s = rng.integers(0, 2, 800)
    >>> X = np.column_stack([rng.normal(size=800) + s, rng.normal(size=800)])
    >>> y = (X.sum(axis=1) + rng.logistic(size=800) > 1).astype(int)
    >>> path = lambda_path(DCovLogisticRegression(), X[:400], y[:400], X[400:],
    ...                    y[400:], sensitive_features=s[:400],
    ...                    sensitive_features_valid=s[400:], lambdas=[0, 1, 10, 100])
    >>> bool(path.table["js"].iloc[-1] < path.table["js"].iloc[0])
    True
    """
    args = _renamed_inputs(
        {
            "X_valid": X_valid,
            "y_valid": y_valid,
            "sensitive_features": sensitive_features,
            "sensitive_features_valid": sensitive_features_valid,
        },
        {"X_val": X_val, "y_val": y_val, "s_t": sensitive_train, "s_v": sensitive_val},
    )
    lam = _check_grid(lambdas, js)
    target, y_fit = _path_target(estimator, y_train, args["y_valid"], bad_value)
    if exposure_valid is not None:
        target = (target[0], target[1], _positive(exposure_valid, target[1].size))
    groups = _validation_groups(args["sensitive_features_valid"], target[1].size)
    n_valid = target[1].size
    settings: dict[str, Any] = {}
    if "bad_value" in estimator.get_params(deep=False):
        settings["bad_value"] = None  # the models see the 0/1 target
    fit_params: dict[str, Any] = {"sensitive_features": args["sensitive_features"]}
    if sample_weight is not None:
        fit_params["sample_weight"] = sample_weight
    if exposure is not None:
        fit_params["exposure"] = exposure
    rows, models = [], []
    for value in lam:
        model = clone(estimator).set_params(lambda_=float(value), **settings)
        model.fit(X_train, y_fit, **fit_params)
        row = _path_row(
            model,
            value,
            args["X_valid"],
            target,
            groups,
            args["sensitive_features_valid"],
            js,
        )
        rows.append(row)
        models.append(model)
    table = pd.DataFrame(rows)
    idx, rule = _choose(table, lam, js_target)
    js_method = (
        "paper: bandwidth 0.15, probability scale, 1000-point grid, bits"
        if js == "paper"
        else "scott: standardised scores, Scott bandwidth per group, 1000 points, bits"
    )
    return LambdaPath(table, float(lam[idx]), rule, js_method, tuple(models), n_valid)
