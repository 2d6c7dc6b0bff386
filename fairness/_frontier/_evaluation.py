"""Held-out evaluation of the frontier's refits, and the gap-constrained refit.

A frontier row's AIR (with its CI), demographic IV and dCor^2 are those of
:func:`fairness.assess` on the held-out scores, its AUC that of
:func:`scorecard.delong_auc` and its target IV the spine's
:func:`scorecard.information_value` on :func:`scorecard.count_codes` tables
of the same score bins, so a frontier row and an assessment agree.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.linear_model import LogisticRegression

from scorecard import DataConditionWarning, FeatureBins, delong_auc

from .._groups import assess
from .._mip import SelectionResult
from ._menus import _iv_pair, _two_class_counts

FloatArray = NDArray[np.float64]
_N_SCORE_BINS = 10


def _evaluate(
    y: NDArray,
    score: FloatArray,
    groups: pd.Series,
    approval_rate: float,
    reference_group: str,
    alpha: float = 0.05,
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
            alpha=alpha,
        )
        auc = delong_auc(y, score, higher="good")
        edges = res.score_bin_edges
        codes = np.searchsorted(edges[1:-1], score, side="right")
        iv, iv_se, _ = _iv_pair(_two_class_counts(codes, y, edges.size - 1))
    air = res.metric("AIR")
    air_low, air_high = air.ci(alpha)
    div = res.metric("demographic IV")
    dcor = res.metric("dCor^2")
    low, high = auc.ci(alpha)
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


def choose_operating_point(frontier: pd.DataFrame, min_air: float = 0.8) -> float:
    """The eps of the frontier row to deploy.

    The solved row with the highest held-out AUC among those whose adverse
    impact ratio is at least ``min_air`` and at most ``1 / min_air`` (the
    four-fifths rule both ways); when none is, the row with the AIR closest
    to 1.

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
    if solved.empty:
        raise ValueError("The frontier has no solved row to choose from.")
    fair = solved[(solved["air"] >= min_air) & (solved["air"] <= 1 / min_air)]
    if len(fair):
        return float(fair.loc[fair["auc"].idxmax(), "eps"])
    distance = np.abs(np.log(solved["air"].to_numpy(float)))
    return float(solved["eps"].iloc[int(np.argmin(distance))])


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


class _EvaluationMixin:
    """Refit and evaluate the frontier's selections (rows and parity refits)."""

    C: float
    approval_rate: float
    alpha: float
    candidate_bins_: dict[tuple[str, str], FeatureBins]
    models_: dict[float, tuple[dict[str, FeatureBins], Any]]
    selections_: list[SelectionResult]
    groups_: NDArray[Any]
    reference_group_: Any

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
                    yv, score, groups, self.approval_rate, reference_label, self.alpha
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
                    yv, score, groups, self.approval_rate, reference_label, self.alpha
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
