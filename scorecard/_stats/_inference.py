"""Variances, null scales and resampling of the divergences (IV, PSI, JS).

Sampling model (docs/methodology.md, "Weights, near-null intervals and small
batches"): the two count vectors are independent samples. With frequency
counts each is multinomial; with sampling weights the shares are ratio
estimators and their variances are linearised with the row as the sampling
unit, from the per-bin sums of squared weights. Equal weights reproduce the
multinomial figures exactly (the linearised variance of a share with equal
weights is ``p (1 - p) / n``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._prepare import FloatArray, Kind, _iv_terms, _safe_log_ratio, _shares, _smooth

__all__: list[str] = []

#: Monte Carlo resamples of the small-batch PSI test.
N_RESAMPLES = 1999

# Null approximation: statistic = divergence / null_scale ~ chi2(J-1) with
# null_scale = scale * (1/n1 + 1/n2); the scale is f''(1)/2 of the divergence's
# f-function (Jeffreys 1, JS 1/8).
NULL_SCALE = {"IV": 1.0, "PSI": 1.0, "JS": 0.125}


def divergence_terms(
    kind: Kind, p: FloatArray, q: FloatArray, present: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-bin contributions and the gradients with respect to p and q.

    Returns ``(contribution, grad_p, grad_q)``; the delta-method variance of a
    multinomial share vector's function is ``sum p g^2 - (sum p g)^2`` over n.
    """
    log_pq = _safe_log_ratio(p, q, present)
    if kind in ("IV", "PSI"):
        contribution = _iv_terms(p, q, present)
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_p = np.where(present, log_pq + 1.0 - q / np.where(present, p, 1), 0)
            grad_q = np.where(present, -log_pq + 1.0 - p / np.where(present, q, 1), 0)
        return contribution, grad_p, grad_q
    m = 0.5 * (p + q)
    log_pm = _safe_log_ratio(p, m, present)
    log_qm = _safe_log_ratio(q, m, present)
    contribution = 0.5 * (p * log_pm + q * log_qm)
    return contribution, 0.5 * log_pm, 0.5 * log_qm


def function_variance(
    counts: FloatArray,
    shares: FloatArray,
    grad: FloatArray,
    squares: FloatArray | None,
) -> FloatArray:
    """Delta variance of ``f(shares)`` with gradient ``grad``, per feature.

    Frequency counts: ``(sum p g^2 - (sum p g)^2) / n``. Sampling weights:
    the linearisation ``sum_j S2_j (g_j - g_bar)^2 / W^2`` with ``S2_j`` the
    bin's sum of squared weights and ``W`` the total weight.
    """
    mean = (shares * grad).sum(axis=-1, keepdims=True)
    total = counts.sum(axis=-1)
    if squares is None:
        second = (shares * grad**2).sum(axis=-1)
        return np.maximum(second - mean[..., 0] ** 2, 0.0) / total
    return (squares * (grad - mean) ** 2).sum(axis=-1) / total**2


def share_variance(
    counts: FloatArray, shares: FloatArray, squares: FloatArray | None
) -> FloatArray:
    """Variance of each share ``p_j`` (multinomial or linearised)."""
    total = counts.sum(axis=-1, keepdims=True)
    if squares is None:
        return shares * (1 - shares) / total
    s2 = squares.sum(axis=-1, keepdims=True)
    return (squares * (1 - 2 * shares) + s2 * shares**2) / total**2


def share_covariance(
    counts: FloatArray, shares: FloatArray, squares: FloatArray | None
) -> FloatArray:
    """Covariance matrix of the share vector, shape ``(..., J, J)``."""
    total = counts.sum(axis=-1)[..., None, None]
    p_j, p_k = shares[..., :, None], shares[..., None, :]
    if squares is None:
        eye = np.eye(shares.shape[-1])
        return (eye * p_j - p_j * p_k) / total
    s_j, s_k = squares[..., :, None], squares[..., None, :]
    s2 = squares.sum(axis=-1)[..., None, None]
    eye = np.eye(shares.shape[-1])
    return (eye * s_j - s_j * p_k - s_k * p_j + s2 * p_j * p_k) / total**2


def null_scale(
    kind: Kind,
    first: FloatArray,
    second: FloatArray,
    present: NDArray[np.bool_],
    squares: tuple[FloatArray | None, FloatArray | None],
    *,
    reference_fixed: bool,
) -> FloatArray:
    """Scale ``s`` with ``D / s ~ chi2(J - 1)`` under no difference.

    Frequency counts: ``scale * (1/n1 + 1/n2)`` (``scale / n2`` for a fixed
    reference). Sampling weights: the first-order Rao-Scott correction,
    ``scale * sum_j (1 - pi_j) (d1_j / n1 + d2_j / n2) / (J - 1)`` with
    ``d_j / n`` the linearised share variance over ``p_j (1 - p_j)``; it
    equals the frequency scale when every ``d_j = 1`` (equal weights).
    """
    n1, n2 = first.sum(axis=-1), second.sum(axis=-1)
    base = NULL_SCALE[kind]
    if squares[0] is None:
        inv_n = 1 / n2 if reference_fixed else 1 / n1 + 1 / n2
        return base * inv_n
    p, q = _shares(first, present), _shares(second, present)
    pi = p if reference_fixed else 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_q = share_variance(second, q, squares[1]) / (q * (1 - q))
        ratio_p = share_variance(first, p, squares[0]) / (p * (1 - p))
    inflation = np.where(present, ratio_q, 0.0)
    if not reference_fixed:
        inflation = inflation + np.where(present, ratio_p, 0.0)
    df = np.maximum(present.sum(axis=-1) - 1, 1)
    return base * (np.nan_to_num((1 - pi) * inflation)).sum(axis=-1) / df


def estimate_only(
    kind: Kind, first: FloatArray, second: FloatArray, smoothing: float
) -> FloatArray:
    """Divergence of count arrays (..., J) with smoothing (resampling helper)."""
    a, b, _ = _smooth(first, second, smoothing)
    present = (a + b) > 0
    p, q = _shares(a, present), _shares(b, present)
    return divergence_terms(kind, p, q, present)[0].sum(axis=-1)


def bootstrap_interval(
    kind: Kind,
    first: FloatArray,
    second: FloatArray,
    estimate: FloatArray,
    *,
    smoothing: float,
    reference_fixed: bool,
    alpha: float,
    n_boot: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Basic (reverse-percentile) parametric bootstrap interval per feature.

    ``[2 D - q_{1 - alpha/2}, 2 D - q_{alpha/2}]`` of the multinomial
    bootstrap of the stored counts, truncated at 0: it removes the plug-in
    bias once, where the percentile interval adds it a second time.
    """
    out = np.empty((first.shape[0], 2))
    for i, (a, b) in enumerate(zip(first, second, strict=True)):
        sizes = (round(a.sum()), round(b.sum()))
        draw_a = (
            np.broadcast_to(a, (n_boot, a.size))
            if reference_fixed
            else rng.multinomial(sizes[0], a / a.sum(), size=n_boot)
        )
        draw_b = rng.multinomial(sizes[1], b / b.sum(), size=n_boot)
        boots = estimate_only(
            kind, draw_a.astype(float), draw_b.astype(float), smoothing
        )
        lo_q, hi_q = np.quantile(boots, [alpha / 2, 1 - alpha / 2])
        out[i] = np.maximum([2 * estimate[i] - hi_q, 2 * estimate[i] - lo_q], 0.0)
    return out


def monte_carlo_pvalue(
    kind: Kind,
    first: FloatArray,
    second: FloatArray,
    estimate: FloatArray,
    *,
    smoothing: float,
    reference_fixed: bool,
    n_resamples: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Monte Carlo p-value of no difference, ``(1 + #{D* >= D}) / (B + 1)``.

    Under the null the current counts are drawn from the reference shares
    (fixed reference) or the pooled table is split at random with both
    totals kept (multivariate hypergeometric, a permutation test of the
    2 x J table). ``first``/``second`` are the counts as given (integers).
    """
    out = np.empty(first.shape[0])
    for i, (a, b) in enumerate(zip(first, second, strict=True)):
        m = int(round(b.sum()))
        if reference_fixed:
            draw_b = rng.multinomial(m, a / a.sum(), size=n_resamples).astype(float)
            draw_a = np.broadcast_to(a, draw_b.shape)
        else:
            pooled = np.round(a + b).astype(np.int64)
            draw_b = rng.multivariate_hypergeometric(
                pooled, m, size=n_resamples
            ).astype(float)
            draw_a = pooled - draw_b
        ok = (draw_a.sum(axis=1) > 0) & (((draw_a + draw_b) > 0).sum(axis=1) >= 2)
        boots = estimate_only(kind, draw_a[ok], draw_b[ok], smoothing)
        tol = 1e-12 * max(1.0, abs(float(estimate[i])))
        out[i] = (1 + np.sum(boots >= estimate[i] - tol)) / (ok.sum() + 1)
    return out


def small_sample_pvalue(
    kind: Kind,
    raw: tuple[FloatArray, FloatArray],
    pvalue: FloatArray,
    test: str,
    reference_fixed: bool,
    smoothing: float,
    random_state: int | np.random.Generator | None,
) -> tuple[FloatArray, str]:
    """Monte Carlo p-values where a chi-square expected count is below 5.

    ``test="auto"`` switches per feature when the counts are whole numbers;
    ``"monte_carlo"`` uses it for every feature (docs/methodology.md).
    """
    a, b = (np.atleast_2d(x) for x in raw)
    whole = np.all(a == np.round(a), axis=1) & np.all(b == np.round(b), axis=1)
    n1, n2 = a.sum(axis=1, keepdims=True), b.sum(axis=1, keepdims=True)
    present = (a + b) > 0
    if reference_fixed:
        expected = np.where(present, a / n1 * n2, np.inf)
    else:
        expected = np.where(present, (a + b) * np.minimum(n1, n2) / (n1 + n2), np.inf)
    small = expected.min(axis=1) < 5
    use = whole & (small if test == "auto" else np.ones_like(small))
    if test == "monte_carlo" and not whole.all():
        raise ValueError(
            "test='monte_carlo' needs whole-number counts (it resamples rows); "
            "got fractional counts."
        )
    if not use.any():
        return pvalue, "chi2"
    rng = np.random.default_rng(0 if random_state is None else random_state)
    p = np.array(pvalue, dtype=np.float64, copy=True)
    p[use] = monte_carlo_pvalue(
        kind,
        a[use],
        b[use],
        estimate_only(kind, a[use], b[use], smoothing),
        smoothing=smoothing,
        reference_fixed=reference_fixed,
        n_resamples=N_RESAMPLES,
        rng=rng,
    )
    return p, f"monte_carlo({N_RESAMPLES})" if use.all() else "chi2|monte_carlo"
