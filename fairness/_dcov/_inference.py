"""Standard errors and tests: jackknife results, chi-square and permutation tests."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc

from .._sensitive import KindOption
from ._backends import _Attribute
from ._common import Estimator, FloatArray, Method, Test
from ._engine import (
    _evaluate,
    _Evaluation,
    _jackknife_cross,
    _jackknife_se,
    _jackknife_self,
    _loo_values,
    _naive,
    _self_value,
)
from ._inputs import _as_prediction, _attribute_from_y, _check_common
from ._results import DistanceStatistic


def _check_se(se: object) -> None:
    if not isinstance(se, bool | np.bool_):
        raise ValueError(f"se must be True or False; got {se!r}.")


def _rng(random_state: int | np.random.Generator | None) -> np.random.Generator:
    return np.random.default_rng(random_state)


def _permutation_pvalue(
    x: FloatArray,
    attr: _Attribute,
    estimator: Estimator,
    observed: float,
    n_permutations: int,
    random_state: int | np.random.Generator | None,
) -> float:
    if n_permutations < 1:
        raise ValueError(f"n_permutations must be >= 1; got {n_permutations}.")
    rng = _rng(random_state)
    n = x.size
    exceed = 0
    for _ in range(n_permutations):
        perm = rng.permutation(n)
        val = _evaluate(x, attr.take(perm), estimator, need_grad=False).value
        exceed += val >= observed - 1e-12 * abs(observed)
    return (1 + exceed) / (1 + n_permutations)


def _dcor_u(ev: _Evaluation, xy_u: float) -> float:
    vx = _self_value(ev, "x", "U")
    vs = _self_value(ev, "s", "U")
    if vx <= 0 or vs <= 0:
        return 0.0
    return xy_u / math.sqrt(vx * vs)


def _run(
    x: FloatArray,
    attr: _Attribute,
    *,
    name: str,
    estimator: Estimator,
    correlation: bool,
    test: Test | None,
    n_permutations: int,
    random_state: int | np.random.Generator | None,
    label: str = "",
    se: bool = True,
) -> DistanceStatistic:
    n = x.size
    # the jackknife needs per-row sums; a value alone does not (issue 17)
    need_jack = se or (correlation and attr.kind == "blocked")
    ev = _evaluate(x, attr, estimator, need_grad=False, need_jack=need_jack)
    if correlation:
        vx = _self_value(ev, "x", estimator)
        vs = _self_value(ev, "s", estimator)
        denom = math.sqrt(vx * vs) if vx > 0 and vs > 0 else 0.0
        estimate = ev.value / denom if denom > 0 else 0.0
    else:
        estimate = ev.value
    se_value = math.nan
    if se and n > 5:
        loo = _loo_values(_jackknife_cross(ev), n, estimator)
        if correlation:
            parts = _jackknife_self(ev)
            loo_x = _loo_values(parts[0:3], n, estimator)
            loo_s = _loo_values(parts[3:6], n, estimator)
            with np.errstate(invalid="ignore", divide="ignore"):
                loo = np.where(
                    (loo_x > 0) & (loo_s > 0), loo / np.sqrt(loo_x * loo_s), 0.0
                )
        se_value = _jackknife_se(loo)
    if test == "chi2":
        ev_u = (
            ev
            if estimator == "U"
            else _evaluate(x, attr, "U", need_grad=False, need_jack=need_jack)
        )
        statistic = n * _dcor_u(ev_u, ev_u.value) + 1.0
        # chi-square(1) upper tail; a statistic below 0 (dCor_U^2 < -1/n) has
        # p-value 1 (chdtrc returns NaN for negative arguments)
        pvalue = float(chdtrc(1, max(statistic, 0.0)))
    elif test == "permutation":
        statistic = estimate
        pvalue = _permutation_pvalue(
            x, attr, estimator, ev.value, n_permutations, random_state
        )
    else:
        statistic = pvalue = math.nan
    method = f"{estimator}; {label or ev.pieces.label}; " + (
        "se=jackknife" if se else "se=none"
    )
    if test is not None:
        method += f"; test={test}" + (
            f" ({n_permutations})" if test == "permutation" else ""
        )
    return DistanceStatistic(
        name=name,
        estimate=float(estimate),
        se=se_value,
        statistic=float(statistic),
        pvalue=float(pvalue),
        method=method,
        n=n,
        estimator=estimator,
    )


def _naive_result(
    x: FloatArray,
    ymat: FloatArray,
    *,
    name: str,
    estimator: Estimator,
    correlation: bool,
) -> DistanceStatistic:
    xm = x[:, None] if x.ndim == 1 else x
    value, _ = _naive(xm, ymat, estimator)
    if correlation:
        vx, _ = _naive(xm, xm, estimator)
        vy, _ = _naive(ymat, ymat, estimator)
        value = value / math.sqrt(vx * vy) if vx > 0 and vy > 0 else 0.0
    return DistanceStatistic(
        name=name,
        estimate=value,
        se=math.nan,
        statistic=math.nan,
        pvalue=math.nan,
        method=f"{estimator}; naive (n x n matrices); no se",
        n=x.shape[0],
        estimator=estimator,
    )


def _distance_statistic(
    x: ArrayLike,
    y: ArrayLike,
    *,
    correlation: bool,
    estimator: Estimator,
    method: Method,
    test: Test | None,
    n_permutations: int,
    random_state: int | np.random.Generator | None,
    kind: KindOption = "auto",
    se: bool = True,
) -> DistanceStatistic:
    """dCov^2 (``correlation=False``) or dCor^2 of ``x`` and ``y``.

    Validates the inputs, then takes the naive path (``method="naive"`` or a
    2-D ``x``) or :func:`_run`.
    """
    name = "dCor^2" if correlation else "dCov^2"
    xa = _as_prediction(x, "x", allow_2d=method in ("naive", "blocked"))
    n = xa.shape[0]
    _check_common(estimator, method, n, test)
    _check_se(se)
    attr, ymat = _attribute_from_y(y, n, method, kind)
    if method == "naive" or xa.ndim == 2:
        return _naive_result(
            xa, ymat, name=name, estimator=estimator, correlation=correlation
        )
    return _run(
        xa,
        attr,
        name=name,
        estimator=estimator,
        correlation=correlation,
        test=test,
        n_permutations=n_permutations,
        random_state=random_state,
        se=se,
    )
