"""Families and custom objectives of the boosted scorecard (``fit_objective``).

:meth:`BoostedScorecard.fit_objective` boosts the same depth-1, monotone
stumps as :meth:`BoostedScorecard.fit` under another training objective: the
negative log-likelihood of a GLM family (binomial, Poisson with a log offset,
Gaussian) or any objective given as per-row gradients and Hessians of the
margin. This module holds the family side: target checks, the starting
margin, the likelihood's gradient and Hessian and the XGBoost training call
(docs/methodology.md section 20).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from .._kit.compat import check_sample_weight

__all__ = [
    "Family",
    "Objective",
    "check_family_target",
    "check_offset",
    "event_indicator",
    "family_gradient",
    "initial_margin",
    "train_custom",
]

Family = Literal["binomial", "poisson", "gaussian"]
FloatArray = NDArray[np.float64]
#: ``objective(margin) -> (grad, hess)``, both of shape (n,), margins with offset.
Objective = Callable[[FloatArray], tuple[FloatArray, FloatArray]]
FAMILIES = ("binomial", "poisson", "gaussian")


def check_family_target(family: str, y: Any, n: int) -> FloatArray:
    """A finite float target of ``n`` rows in the family's range.

    Raises
    ------
    ValueError
        Wrong length, NaN or infinite values, negative Poisson counts.
    """
    arr = np.asarray(y, dtype=np.float64).reshape(-1)
    if arr.shape[0] != n:
        raise ValueError(f"y has {arr.shape[0]} values for {n} rows of X.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"y of family={family!r} must be finite; got NaN or inf.")
    if family == "poisson" and np.any(arr < 0):
        raise ValueError(
            "y of family='poisson' must be counts >= 0; got negative values such "
            f"as {arr[arr < 0][0]!r}."
        )
    return arr


def check_offset(offset: Any, n: int) -> FloatArray:
    """A finite per-row offset (zeros for None)."""
    if offset is None:
        return np.zeros(n)
    arr = np.asarray(offset, dtype=np.float64).reshape(-1)
    if arr.shape[0] != n or not np.all(np.isfinite(arr)):
        raise ValueError(
            f"offset must be {n} finite values (one per row); got shape "
            f"{arr.shape} with {int(np.sum(~np.isfinite(arr)))} non-finite."
        )
    return arr


def regression_weights(sample_weight: Any, n: int) -> FloatArray:
    """Float, non-negative weights with a positive total (non-binary families)."""
    w = check_sample_weight(
        sample_weight, np.empty((n, 0)), dtype=np.float64, ensure_non_negative=True
    )
    if w.sum() <= 0:
        raise ValueError(
            "Sample weights must not all be zero; got a zero total weight."
        )
    return w


def event_indicator(family: str, y: FloatArray, w: FloatArray) -> NDArray[np.int64]:
    """The 0/1 label of the bins' good/bad counts.

    Binomial: the target. Poisson: a row with at least one event (a claim).
    Gaussian: a row above the weighted mean of the target.
    """
    if family == "binomial":
        return y.astype(np.int64)
    if family == "poisson":
        return (y > 0).astype(np.int64)
    return (y > float(np.average(y, weights=w))).astype(np.int64)


def mean_of(family: str, margin: FloatArray) -> FloatArray:
    """The mean (probability, rate or value) of a margin."""
    if family == "binomial":
        return expit(margin)
    if family == "poisson":
        return np.exp(np.minimum(margin, 700.0))
    return margin


def initial_margin(
    family: str, y: FloatArray, w: FloatArray, offset: FloatArray
) -> float:
    """The null model's intercept: the boosting starts from it."""
    if family == "binomial":
        p = min(max(float(np.average(y, weights=w)), 1e-6), 1 - 1e-6)
        return math.log(p / (1 - p))
    if family == "poisson":
        rate = float(w @ y) / max(float(w @ np.exp(offset)), 1e-300)
        return math.log(max(rate, 1e-12))
    return float(np.average(y - offset, weights=w))


def family_gradient(
    family: str, y: FloatArray, w: FloatArray, margin: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Gradient and Hessian of ``sum_i w_i l(y_i, margin_i)`` per row.

    The sum, not the mean: XGBoost's ``min_child_weight`` and ``reg_lambda``
    are on the scale of summed Hessians, as in :meth:`BoostedScorecard.fit`.
    """
    mu = mean_of(family, margin)
    if family == "binomial":
        return w * (mu - y), np.maximum(w * mu * (1 - mu), 1e-16)
    if family == "poisson":
        return w * (mu - y), np.maximum(w * mu, 1e-16)
    return w * (mu - y), w.copy()


def train_custom(
    params: dict[str, Any],
    matrix: NDArray[np.float32],
    base_margin: FloatArray,
    weight: FloatArray,
    n_rounds: int,
    objective: Objective,
) -> Any:
    """``xgboost.train`` with ``objective`` called on each round's margins.

    The identity-link default objective of XGBoost is kept (no built-in
    objective is named), so ``base_score`` is a margin; the per-row
    ``base_margin`` (start plus offset) replaces it during training. The
    weights shape the histogram cuts only (XGBoost does not apply them to a
    custom objective's gradients; the objective weights its own terms).
    An objective with a ``finish`` method gets the final margins (offset
    included, from XGBoost's prediction cache of the training matrix) once
    after the last round, e.g. to record the objective's final value
    without predicting the data again.

    An objective with a true ``descent_safeguard`` attribute (a penalised
    fair objective) is trained round by round with the descent safeguard of
    :func:`_train_descending`; it must have ``last_value`` (the training
    objective at the margins of its last call), ``checkpoint()`` and
    ``rollback()`` (forget the calls since the checkpoint). Other objectives
    go through ``xgboost.train`` unchanged.
    """
    import xgboost as xgb

    # the quantile matrix, as XGBClassifier builds for tree_method="hist"
    dtrain = xgb.QuantileDMatrix(
        matrix, base_margin=base_margin, weight=weight, max_bin=params["max_bin"]
    )

    def obj(predt: NDArray[np.float32], _: Any) -> tuple[FloatArray, FloatArray]:
        grad, hess = objective(np.asarray(predt, dtype=np.float64))
        return grad, hess

    if getattr(objective, "descent_safeguard", False):
        return _train_descending(
            xgb, params, dtrain, matrix, base_margin, n_rounds, objective
        )
    booster = xgb.train(params, dtrain, num_boost_round=n_rounds, obj=obj)
    finish = getattr(objective, "finish", None)
    if callable(finish):
        finish(np.asarray(booster.predict(dtrain, output_margin=True), np.float64))
    return booster


#: Retries of a rejected round with the Hessian times 4, 16, ... (same gradient).
DESCENT_RETRIES = 2
#: Further retries, each excluding the features of the stumps rejected so far.
DESCENT_EXCLUSIONS = 3
#: Rounds a feature sits out at most after its stumps were rejected in a row.
MAX_BACKOFF = 32


def _last_stump(booster: Any, index: int) -> tuple[int, float, float, float, bool]:
    """Round ``index``'s stump: feature (-1: one leaf), threshold, leaf values.

    Returns ``(feature, threshold, left value, right value, missing left)``.
    """
    import json

    model = json.loads(booster[index : index + 1].save_raw("json"))
    tree = model["learner"]["gradient_booster"]["model"]["trees"][0]
    left, cond = tree["left_children"], tree["split_conditions"]
    if left[0] == -1:
        value = float(np.float32(cond[0]))
        return -1, 0.0, value, value, True
    return (
        int(tree["split_indices"][0]),
        float(np.float32(cond[0])),
        float(np.float32(cond[left[0]])),
        float(np.float32(cond[tree["right_children"][0]])),
        bool(tree["default_left"][0]),
    )


def _stump_step(
    matrix: NDArray[np.float32], stump: tuple[int, float, float, float, bool]
) -> FloatArray:
    """The stump's value on every row (as XGBoost routes it: ``x < t`` left)."""
    feature, threshold, left_value, right_value, missing_left = stump
    if feature < 0:
        return np.full(matrix.shape[0], left_value)
    x = matrix[:, feature]
    go_left = x < np.float32(threshold)
    if missing_left:
        go_left |= np.isnan(x)
    return np.where(go_left, left_value, right_value)


def _train_descending(
    xgb: Any,
    params: dict[str, Any],
    dtrain: Any,
    matrix: NDArray[np.float32],
    base_margin: FloatArray,
    n_rounds: int,
    objective: Any,
) -> Any:
    """Round-by-round boosting in which every accepted round lowers ``J``.

    The objective's call on the new margins gives both ``J`` there
    (``objective.last_value``) and the next round's gradient. A round whose
    ``J`` exceeds the previous one is undone (``objective.rollback()``, the
    booster sliced back) and boosted again from the same gradient, first
    with the Hessian times 4 and 16 (shorter leaf values: a second-order
    overshoot), then up to three times with the features of the rejected
    stumps left out (the next best stump: a split that crosses a kink of
    the penalty is not made shorter by a smaller step). A feature rejected
    ``k`` rounds in a row sits out the next ``2^k`` rounds (at most
    :data:`MAX_BACKOFF`). If no try lowers ``J``, the resting features
    included, the boosting stops there and the model keeps the rounds
    accepted so far. The objective gets ``stopped_reason`` (``"n_rounds"`` or
    ``"no_descent"``) and counts the rejected tries itself.

    The margins are kept here in float64 (start plus offset plus each
    accepted stump's float32 leaf values, the sum ``decision_function``
    reads back), so a rejected round costs no prediction of the data.
    """
    n_features = int(dtrain.num_col())
    weighted: frozenset[int] = frozenset()  # features with weight 0 in dtrain

    def boost(
        booster: Any,
        index: int,
        grad: FloatArray,
        hess: FloatArray,
        excluded: frozenset[int],
    ) -> None:
        nonlocal weighted
        if excluded:
            if excluded != weighted:
                weights = np.ones(n_features)
                weights[sorted(excluded)] = 0.0
                dtrain.set_info(feature_weights=weights)
                weighted = excluded
            share = (n_features - len(excluded)) / n_features
            booster.set_param({"colsample_bynode": share})
        booster.boost(dtrain, index, grad=grad, hess=hess)
        if excluded:  # feature weights are ignored at colsample_bynode = 1
            booster.set_param({"colsample_bynode": 1.0})

    booster = xgb.Booster(params, [dtrain])
    margin = np.asarray(base_margin, dtype=np.float64).copy()
    grad, hess = objective(margin)
    value = float(objective.last_value)
    accepted = 0
    # a feature whose stump was rejected k times in a row sits out the next
    # 2^k rounds (at most MAX_BACKOFF): under a strong penalty the same
    # feature's split of tied predictions tops the gradient ranking round
    # after round and would be rejected every time
    strikes = np.zeros(n_features, dtype=np.int64)
    back_at = np.zeros(n_features, dtype=np.int64)
    objective.stopped_reason = "n_rounds"
    while accepted < n_rounds:
        objective.checkpoint()
        resting = {int(f) for f in np.flatnonzero(back_at > accepted)}
        if len(resting) >= n_features:
            resting = set()
        rejected: set[int] = set()
        for attempt in range(1 + DESCENT_RETRIES + DESCENT_EXCLUSIONS):
            scaled = attempt <= DESCENT_RETRIES
            if not scaled and (-1 in rejected or len(rejected | resting) >= n_features):
                break
            h = hess * 4.0**attempt if scaled and attempt else hess
            excluded = resting if scaled else resting | rejected
            boost(booster, accepted, grad, h, frozenset(excluded))
            stump = _last_stump(booster, accepted)
            new_margin = margin + _stump_step(matrix, stump)
            new_grad, new_hess = objective(new_margin)
            new_value = float(objective.last_value)
            if new_value <= value:
                break
            rejected.add(stump[0])
            objective.rollback()
            # slicing to no rounds is not supported: a fresh booster
            booster = booster[:accepted] if accepted else xgb.Booster(params, [dtrain])
        if new_value > value:
            if resting:  # before stopping, the resting features get their try
                back_at[:] = 0
                continue
            objective.stopped_reason = "no_descent"
            break
        for f in rejected - {-1, stump[0]}:  # accepted at a shorter step: no rest
            strikes[f] += 1
            back_at[f] = accepted + min(2 ** int(strikes[f]), MAX_BACKOFF)
        if stump[0] >= 0:
            strikes[stump[0]] = 0
        margin, grad, hess, value = new_margin, new_grad, new_hess, new_value
        accepted += 1
    if accepted == 0:
        # no round kept: a fresh booster is configured by its first use
        booster.predict(dtrain, output_margin=True)
    return booster
