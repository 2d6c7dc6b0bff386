"""Held-out evaluation of the frontier's points, and the operating point.

A point's score is the program's linear score on the training WoE columns,
put on the points scale by a one-variable logistic regression on the
training rows (the refit: only the intercept and the slope of the score are
fitted, so the program's weights and the fairness budget are kept). On the
held-out rows: the AUC with its DeLong interval (:func:`scorecard.delong_auc`),
the bias-corrected generalised demographic IV with its interval
(:func:`._program.score_divergence`) and the smallest adverse impact ratio
against the reference group at ``approval_rate`` with its interval
(:func:`fairness.assess`).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard import DataConditionWarning, PointsScaling, delong_auc

from .._groups import assess
from ._program import score_divergence, score_edges, worst_air

FloatArray = NDArray[np.float64]

#: Points scale of :class:`scorecard.Scorecard`'s defaults: odds of 50:1
#: score 600 and 20 points double the odds.
PDO, BASE_SCORE, BASE_ODDS = 20.0, 600.0, 50.0
_N_SCORE_BINS = 10

METRICS = (
    "auc",
    "auc_se",
    "auc_ci_low",
    "auc_ci_high",
    "demographic_iv",
    "demographic_iv_se",
    "demographic_iv_ci_low",
    "demographic_iv_ci_high",
    "demographic_iv_pi_low",
    "demographic_iv_pi_high",
    "demographic_iv_group",
    "air",
    "air_low",
    "air_high",
    "air_group",
    "cutoff_points",
)


def to_points(log_odds_good: FloatArray) -> FloatArray:
    """Points of a log-odds of good on the scorecard's default scale."""
    scale = PointsScaling(pdo=PDO, base_score=BASE_SCORE, base_odds=BASE_ODDS)
    return scale.score(-np.asarray(log_odds_good, dtype=np.float64))


def calibrate(score: FloatArray, y: NDArray) -> tuple[float, float]:
    """Intercept and slope of the log-odds of good on ``score`` (training rows).

    Maximum likelihood of the two-parameter logistic regression by Newton's
    method on the standardised score (a convex problem; the score's
    direction is the program's, only its scale and offset are fitted).
    """
    from scipy.special import expit

    mean, sd = float(score.mean()), float(np.std(score))
    z = (score - mean) / (sd if sd > 0 else 1.0)
    X = np.column_stack([np.ones_like(z), z])
    good = 1.0 - np.asarray(y, dtype=np.float64)
    theta = np.array(
        [np.log(max(good.mean(), 1e-12) / max(1 - good.mean(), 1e-12)), 0.0]
    )
    for _ in range(50):
        p = expit(X @ theta)
        grad = X.T @ (good - p)
        hess = X.T @ (X * (p * (1 - p))[:, None]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        theta = theta + step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    slope = float(theta[1]) / (sd if sd > 0 else 1.0)
    return float(theta[0]) - slope * mean, slope


def evaluate(
    y: NDArray,
    points: FloatArray,
    codes: NDArray[np.int64],
    names: list[str],
    attribute: str,
    reference: str,
    approval_rate: float,
    alpha: float,
    constrained: list[int] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Held-out metrics of one point's scores (in points, higher = better)."""
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", DataConditionWarning)
        auc = delong_auc(y, points, higher="good")
        res = assess(
            y,
            points,
            sensitive_features=pd.Series(
                np.asarray(names, dtype=object)[codes], name=attribute
            ),
            approval_rate=approval_rate,
            reference_group=f"{attribute}={reference}",
            alpha=alpha,
        )
    caught.extend(str(w.message) for w in seen)
    div, more = score_divergence(
        points, codes, names, score_edges(points, _N_SCORE_BINS), constrained
    )
    caught.extend(more)
    low, high = auc.ci(alpha)
    d_low, d_high = div.ci(alpha)
    half = (d_high - d_low) / 2 * math.sqrt(2.0)
    air, air_low, air_high, air_group = worst_air(res)
    out = {
        "auc": float(auc.estimate),
        "auc_se": float(auc.se),
        "auc_ci_low": float(low),
        "auc_ci_high": float(high),
        "demographic_iv": div.estimate,
        "demographic_iv_se": div.se,
        "demographic_iv_ci_low": d_low,
        "demographic_iv_ci_high": d_high,
        "demographic_iv_pi_low": div.estimate - half,
        "demographic_iv_pi_high": div.estimate + half,
        "demographic_iv_group": div.group,
        "air": air,
        "air_low": air_low,
        "air_high": air_high,
        "air_group": air_group,
        "cutoff_points": float(res.cutoff),
    }
    return out, caught


def choose_operating_point(frontier: pd.DataFrame, min_air: float = 0.8) -> float:
    """The eps of the frontier row to deploy.

    Among the shown rows (solved and not dominated, when the table has a
    ``dominated`` column), the one with the highest held-out AUC whose
    adverse impact ratio is at least ``min_air`` and at most ``1 / min_air``
    (the four-fifths rule both ways); when none is, the row with the AIR
    closest to 1.

    Parameters
    ----------
    frontier : pandas.DataFrame
        ``ParetoFrontier.frontier_`` (columns ``eps``, ``auc``, ``air``).
    min_air : float, default=0.8
        Smallest acceptable AIR, in (0, 1].

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If no row has a solution or ``min_air`` is out of range.

    Examples
    --------
    >>> table = pd.DataFrame({"eps": [0.1, 0.5, 1.0], "auc": [0.70, 0.75, 0.80],
    ...                       "air": [0.98, 0.85, 0.60]})
    >>> choose_operating_point(table)
    0.5
    """
    if not 0 < min_air <= 1:
        raise ValueError(f"min_air must be in (0, 1]; got {min_air}.")
    solved = frontier.dropna(subset=["auc", "air"])
    if "dominated" in solved:
        solved = solved[~solved["dominated"].astype(bool)]
    if solved.empty:
        raise ValueError("The frontier has no solved row to choose from.")
    fair = solved[(solved["air"] >= min_air) & (solved["air"] <= 1 / min_air)]
    if len(fair):
        return float(fair.loc[fair["auc"].idxmax(), "eps"])
    distance = np.abs(np.log(solved["air"].to_numpy(float)))
    return float(solved["eps"].iloc[int(np.argmin(distance))])
