"""Sign-consistent logistic regression for the points scorecard.

A scorecard's points must fall as risk rises: within every feature, a bin
with a higher training event rate (lower WoE) may not get more points. The
model is written in a parametrisation where that is a set of simple bounds
(docs/methodology.md, "Sign-consistent scorecards"):

* WoE encoding: one coefficient per feature, ``margin_fj = beta_f WoE_fj``;
  points fall with risk exactly when ``beta_f <= 0``.
* One-hot encoding: the bins with training rows, sorted by training WoE
  (safest first), form a chain; the parameters are the margin steps
  ``d_k = m_(k+1) - m_k >= 0`` between neighbours, with the reference bin
  (the most populated) at margin 0. For a monotone binning the WoE order is
  the bin order, so this constrains the differences of adjacent bins.

The bounded fit maximises the same weighted binomial likelihood as the
unconstrained GLM (no penalty, free intercept) with L-BFGS-B. Its active set
(parameters at a bound) is then fixed and the statsmodels GLM is refitted on
the free parameters: at the constrained optimum this is the same estimate,
and it supplies the Wald SEs, which are therefore conditional on the active
set (a coefficient fixed by the constraints has no Wald SE: NaN).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from .._binning._bins import FeatureBins
from .._kit.exceptions import DataConditionWarning
from .._kit.intervals import two_sided_pvalue, wald_interval

__all__ = [
    "Block",
    "LogisticFit",
    "build_blocks",
    "fit_logistic",
    "logistic_covariances",
    "model_weights",
    "sign_fit",
]

FloatArray = NDArray[np.float64]

#: A margin step smaller than this (in log-odds) is a tie, not a violation.
SIGN_TOL = 1e-8


@dataclass
class Block:
    """Parameters of one feature: ``margins = A @ theta`` (one row per bin)."""

    name: str
    A: FloatArray  # (n_bins, n_params)
    lower: FloatArray  # bounds of theta in the sign-constrained fit
    upper: FloatArray
    terms: list[str]  # coefficient-table terms
    T: FloatArray  # (n_terms, n_params): term coefficients = T @ theta
    order: NDArray[np.int64]  # present bins, safest first (training WoE)

    @property
    def n_params(self) -> int:
        return int(self.A.shape[1])


def risk_order(fb: FeatureBins, woe: FloatArray) -> NDArray[np.int64]:
    """Bins with training rows, safest (highest WoE) first; ties by code."""
    present = np.flatnonzero((np.asarray(fb.goods) + np.asarray(fb.bads)) > 0)
    return present[np.argsort(-woe[present], kind="stable")]


def build_blocks(
    bins: dict[str, FeatureBins],
    woes: dict[str, FloatArray],
    encoding: str,
    *,
    chain: bool,
) -> list[Block]:
    """One :class:`Block` per feature (features with >= 2 present bins)."""
    blocks = []
    for name, fb in bins.items():
        woe = woes[name]
        order = risk_order(fb, woe)
        labels = fb.labels()
        if encoding == "woe":
            A = woe[:, None].astype(np.float64)
            bounds = (np.array([-np.inf]), np.array([0.0]))
            blocks.append(Block(name, A, *bounds, [name], np.eye(1), order))
            continue
        counts = np.asarray(fb.goods) + np.asarray(fb.bads)
        ref = int(order[np.argmax(counts[order])])
        others = [int(b) for b in sorted(order) if b != ref]
        T_rows = np.zeros((len(others), fb.n_bins))
        for i, b in enumerate(others):
            T_rows[i, b] = 1.0
        if not chain:  # one indicator per present non-reference bin
            A = np.zeros((fb.n_bins, len(others)))
            for i, b in enumerate(others):
                A[b, i] = 1.0
            lower = np.full(len(others), -np.inf)
            upper = np.full(len(others), np.inf)
        else:  # margin steps along the risk order, reference at 0
            t = int(np.flatnonzero(order == ref)[0])
            A = np.zeros((fb.n_bins, len(order) - 1))
            for i, b in enumerate(order):
                for k in range(len(order) - 1):
                    if t <= k < i:
                        A[b, k] = 1.0
                    elif i <= k < t:
                        A[b, k] = -1.0
            lower = np.zeros(len(order) - 1)
            upper = np.full(len(order) - 1, np.inf)
        terms = [f"{name}[{labels[b]}]" for b in others]
        blocks.append(Block(name, A, lower, upper, terms, T_rows @ A, order))
    return blocks


def violation(block: Block, margins: FloatArray) -> float:
    """Largest fall of the margin along the risk order (0 when consistent)."""
    m = margins[block.order]
    steps = np.diff(m)
    return float(max(0.0, -steps.min())) if steps.size else 0.0


# ------------------------------------------------------------------ fitting


def _nll(
    theta: FloatArray, X: FloatArray, y: FloatArray, w: FloatArray
) -> tuple[float, FloatArray]:
    eta = X @ theta
    # log(1 + e^eta) computed stably
    loss = np.logaddexp(0.0, eta) - y * eta
    p = 0.5 * (1.0 + np.tanh(0.5 * eta))
    total = w.sum()
    return float(w @ loss) / total, X.T @ (w * (p - y)) / total


def fit_logistic(
    X: FloatArray,
    y: FloatArray,
    w: FloatArray,
    lower: FloatArray | None = None,
    upper: FloatArray | None = None,
) -> FloatArray:
    """Weighted logistic MLE by L-BFGS-B; ``X`` includes the intercept column.

    Parameters
    ----------
    X : ndarray of shape (n, p)
        Design with the intercept column first.
    y, w : ndarray of shape (n,)
        0/1 target and float weights.
    lower, upper : ndarray of shape (p,) or None
        Bounds (``-inf``/``inf`` for none); ``None``: unbounded.

    Returns
    -------
    ndarray of shape (p,)
    """
    p = X.shape[1]
    lo = np.full(p, -np.inf) if lower is None else lower
    hi = np.full(p, np.inf) if upper is None else upper
    start = np.zeros(p)
    rate = float(np.clip((w @ y) / w.sum(), 1e-6, 1 - 1e-6))
    start[0] = np.log(rate / (1 - rate))
    bounds = [
        (None if not np.isfinite(a) else a, None if not np.isfinite(b) else b)
        for a, b in zip(lo, hi, strict=True)
    ]
    res = minimize(
        _nll,
        start,
        args=(X, y, w),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-10},
    )
    return np.asarray(res.x, dtype=np.float64)


@dataclass
class LogisticFit:
    """A fitted model in the block parametrisation."""

    intercept: float
    margins: dict[str, FloatArray]  # per feature, per bin
    coefficients: pd.DataFrame
    notes: dict[str, str] = field(default_factory=dict)  # term -> why NaN
    active: dict[str, int] = field(default_factory=dict)  # feature -> n active


def model_weights(w: FloatArray, kind: str) -> tuple[FloatArray, bool]:
    """The weights a logistic fit uses, and whether its SEs are the sandwich.

    Sampling weights carry no scale (rescaled to mean 1) and equal ones no
    information (all ones: the unweighted fit and its model-based SEs);
    unequal sampling weights get the linearised covariance of
    :func:`logistic_covariances`. Frequency
    weights are rows, used as they are.
    """
    if kind != "sampling":
        return w, False
    if np.ptp(w) == 0:
        return np.ones_like(w), False
    return w / w.mean(), True


def logistic_covariances(
    X: FloatArray, y: FloatArray, w: FloatArray, theta: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Model-based and linearised covariances of the weighted logistic MLE.

    The model-based one is ``H^-1`` with the weighted information
    ``H = sum_i w_i p_i (1 - p_i) x_i x_i'`` (frequency weights); the
    linearised one, for sampling weights, ``H^-1 M H^-1 n / (n - 1)`` with the
    spread of the weighted scores ``M = sum_i w_i^2 (y_i - p_i)^2 x_i x_i'``
    (the with-replacement design's estimator, as survey packages' ``svyglm``;
    docs/methodology.md, section 14), invariant to the scale of ``w``: ``H``
    grows with it, ``M`` with its square.
    """
    p = 0.5 * (1.0 + np.tanh(0.5 * (X @ theta)))
    bread = np.linalg.pinv(X.T @ (X * (w * p * (1.0 - p))[:, None]))
    score = X * (w * (y - p))[:, None]
    n = len(y)
    sandwich = bread @ (score.T @ score) @ bread * n / max(n - 1, 1)
    return np.asarray(bread), np.asarray(sandwich)


def _glm(
    exog: FloatArray, y: FloatArray, w: FloatArray, sampling: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Statsmodels binomial GLM: params and covariance.

    ``sampling=False``: the weights are frequencies (the model-based
    covariance of the replicated rows); ``True``: sampling weights, the
    covariance is the linearised one of :func:`logistic_covariances`.
    """
    import statsmodels.api as sm

    with (
        threadpool_limits(limits=1, user_api="blas"),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        result = sm.GLM(y, exog, family=sm.families.Binomial(), freq_weights=w).fit()
        params = np.asarray(result.params, dtype=np.float64)
        cov = np.asarray(result.cov_params(), dtype=np.float64)
        if sampling:
            cov = logistic_covariances(exog, y, w, params)[1]
    for item in caught:
        warnings.warn(
            f"statsmodels GLM: {item.message}", DataConditionWarning, stacklevel=5
        )
    return params, cov


def glm_fit(
    blocks: list[Block],
    codes: dict[str, NDArray[np.int64]],
    y: FloatArray,
    w: FloatArray,
    fixed: dict[str, NDArray[np.bool_]] | None = None,
    *,
    n_bins: dict[str, int],
    sampling: bool = False,
) -> LogisticFit:
    """GLM on the free parameters (``fixed`` marks parameters held at 0).

    ``sampling``: the weights are sampling weights (sandwich SEs).
    """
    n = len(y)
    cols = [np.ones(n)]
    keep: list[tuple[Block, NDArray[np.bool_]]] = []
    for block in blocks:
        free = ~fixed[block.name] if fixed else np.ones(block.n_params, bool)
        keep.append((block, free))
        if free.any():
            cols.append(block.A[:, free][codes[block.name]])
    exog = np.column_stack(cols)
    params, cov = _glm(exog, y, w, sampling)
    margins = {}
    names, coef, se, notes, active = ["const"], [params[0]], [], {}, {}
    se.append(float(np.sqrt(cov[0, 0])))
    start = 1
    for block, free in keep:
        k = int(free.sum())
        theta = params[start : start + k]
        c = cov[start : start + k, start : start + k]
        start += k
        A_free, T_free = block.A[:, free], block.T[:, free]
        margins[block.name] = A_free @ theta if k else np.zeros(n_bins[block.name])
        active[block.name] = int((~free).sum())
        term_coef = T_free @ theta if k else np.zeros(len(block.terms))
        term_var = np.einsum("ij,jk,ik->i", T_free, c, T_free) if k else None
        for i, term in enumerate(block.terms):
            names.append(term)
            coef.append(float(term_coef[i]))
            fixed_term = term_var is None or not np.any(T_free[i] != 0)
            if fixed_term:
                se.append(np.nan)
                notes[term] = (
                    "held at its bound by the sign constraint: no Wald SE"
                    if active[block.name]
                    else "no free parameter"
                )
            else:
                se.append(float(np.sqrt(max(term_var[i], 0.0))))  # type: ignore[index]
    coef_a, se_a = np.asarray(coef), np.asarray(se)
    z = coef_a / se_a
    ci = wald_interval(coef_a, se_a, 0.05)
    table = pd.DataFrame(
        {
            "coef": coef_a,
            "se": se_a,
            "z": z,
            "pvalue": two_sided_pvalue(z),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
        },
        index=pd.Index(names, name="term"),
    )
    return LogisticFit(float(params[0]), margins, table, notes, active)


def sign_fit(
    blocks: list[Block],
    codes: dict[str, NDArray[np.int64]],
    y: FloatArray,
    w: FloatArray,
    *,
    n_bins: dict[str, int],
    sampling: bool = False,
) -> LogisticFit:
    """The sign-constrained MLE (bounded L-BFGS), SEs given its active set."""
    n = len(y)
    X = np.column_stack(
        [np.ones(n)] + [b.A[codes[b.name]] for b in blocks if b.n_params]
    )
    lower = np.concatenate([[-np.inf]] + [b.lower for b in blocks])
    upper = np.concatenate([[np.inf]] + [b.upper for b in blocks])
    theta = fit_logistic(X, y, w, lower, upper)
    fixed: dict[str, NDArray[np.bool_]] = {}
    start = 1
    for b in blocks:
        t = theta[start : start + b.n_params]
        start += b.n_params
        fixed[b.name] = t == 0.0
    for _ in range(len(theta)):  # refit; move any wrong-side free parameter
        fit = glm_fit(blocks, codes, y, w, fixed, n_bins=n_bins, sampling=sampling)
        moved = False
        for b in blocks:
            margins = fit.margins[b.name]
            if violation(b, margins) > SIGN_TOL:
                worst = _worst_param(b, margins, fixed[b.name])
                if worst is not None:
                    fixed[b.name][worst] = True
                    moved = True
        if not moved:
            return fit
    return fit


def _worst_param(
    block: Block, margins: FloatArray, fixed: NDArray[np.bool_]
) -> int | None:
    """Free parameter of a block that is furthest on the wrong side."""
    if block.terms == [block.name]:  # WoE: the one coefficient
        return None if fixed[0] else 0
    steps = np.diff(margins[block.order])
    for k in np.argsort(steps):
        if not fixed[k]:
            return int(k)
    return None


def feature_margins_consistent(block: Block, margins: FloatArray) -> bool:
    """Points fall (weakly) as training risk rises."""
    scale = max(1.0, float(np.abs(margins).max()))
    return violation(block, margins) <= SIGN_TOL * scale


def describe_violation(block: Block, fit: LogisticFit, labels: list[str]) -> str:
    """Plain sentence: what is wrong with the unconstrained fit of a feature."""
    if block.terms == [block.name]:  # a WoE column
        row = fit.coefficients.loc[block.name]
        return (
            f"coefficient {row['coef']:+.3g} (z = {row['z']:.1f}) has the wrong "
            "sign: points would rise with risk"
        )
    m = fit.margins[block.name][block.order]
    k = int(np.argmin(np.diff(m)))
    a, b = block.order[k], block.order[k + 1]
    return (
        f"bin {labels[b]!r} (riskier) would get {m[k] - m[k + 1]:.3g} log-odds "
        f"more credit than bin {labels[a]!r}"
    )


# ------------------------------------------------------------- the modes


def fit_sign_checked(
    mode: str,
    bins: dict[str, FeatureBins],
    woes: dict[str, FloatArray],
    encoding: str,
    codes: dict[str, NDArray[np.int64]],
    y: FloatArray,
    w: FloatArray,
    *,
    sampling: bool = False,
) -> tuple[LogisticFit, LogisticFit, dict[str, tuple[str, str, str]]]:
    """Fit under ``sign_check``; returns (final fit, unconstrained fit, decisions).

    ``decisions`` maps a feature to ``(status, step, reason)`` for the
    features the sign check acted on (step ``"sign"``); ``sampling``: the
    weights are sampling weights (sandwich SEs).
    """
    n_bins = {k: fb.n_bins for k, fb in bins.items()}
    labels = {k: fb.labels() for k, fb in bins.items()}
    free = build_blocks(bins, woes, encoding, chain=False)
    base = glm_fit(free, codes, y, w, n_bins=n_bins, sampling=sampling)
    wrong = {
        b.name: describe_violation(b, base, labels[b.name])
        for b in free
        if not feature_margins_consistent(b, base.margins[b.name])
    }
    decisions: dict[str, tuple[str, str, str]] = {}
    if mode in ("off", "warn") or not wrong:
        if mode == "warn" and wrong:
            warnings.warn(
                "Features whose points rise with risk (kept, sign_check='warn'; "
                f"never cited as reason codes): {wrong}.",
                DataConditionWarning,
                stacklevel=4,
            )
        for name, why in wrong.items():
            decisions[name] = (
                "selected",
                "sign",
                f"{why}; kept (sign_check={mode!r}) and never cited as a reason",
            )
        return base, base, decisions
    if mode == "drop":
        blocks, fit = list(free), base
        while True:
            bad = [
                b
                for b in blocks
                if not feature_margins_consistent(b, fit.margins[b.name])
            ]
            if not bad:
                return fit, base, decisions
            worst = max(bad, key=lambda b: violation(b, fit.margins[b.name]))
            why = describe_violation(worst, fit, labels[worst.name])
            decisions[worst.name] = ("dropped", "sign", f"{why}: dropped and refitted")
            blocks.remove(worst)
            fit = glm_fit(blocks, codes, y, w, n_bins=n_bins, sampling=sampling)
            for b in (b for b in free if b.name not in {x.name for x in blocks}):
                fit.margins.setdefault(b.name, np.zeros(n_bins[b.name]))
    chained = build_blocks(bins, woes, encoding, chain=True)
    fit = sign_fit(chained, codes, y, w, n_bins=n_bins, sampling=sampling)
    for b in chained:
        n_active = fit.active[b.name]
        before = f"unconstrained: {wrong[b.name]}; " if b.name in wrong else ""
        if n_active == b.n_params:
            decisions[b.name] = (
                "dropped",
                "sign",
                f"{before}the sign-constrained fit holds it at 0 (no points)",
            )
        elif n_active:
            decisions[b.name] = (
                "constrained",
                "sign",
                f"{before}{n_active} of {b.n_params} steps between bins adjacent "
                "in risk held at 0 (their points pooled)",
            )
    return fit, base, decisions
