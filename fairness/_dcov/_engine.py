"""The engine: pair sums, U/V values, gradients, jackknife, and the naive reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

from ._backends import _Attribute, _Pieces
from ._common import Estimator, FloatArray, dot
from ._sorted import _Sorted


def _combine(t1: float, t2: float, t3: float, n: int, estimator: Estimator) -> float:
    if estimator == "V":
        return t1 / n**2 - 2 * t2 / n**3 + t3 / n**4
    return (t1 - 2 * t2 / (n - 2) + t3 / ((n - 1) * (n - 2))) / (n * (n - 3))


def _coefficients(n: int, estimator: Estimator) -> tuple[float, float, float]:
    if estimator == "V":
        return 1 / n**2, -2 / n**3, 1 / n**4
    d = n * (n - 3)
    return 1 / d, -2 / ((n - 2) * d), 1 / ((n - 1) * (n - 2) * d)


@dataclass
class _Evaluation:
    value: float
    gradient: FloatArray | None
    pieces: _Pieces
    sorted_x: _Sorted
    a_row: FloatArray
    order: NDArray[np.intp]


def _sort(
    x: FloatArray, order: NDArray[np.intp] | None = None
) -> tuple[NDArray[np.intp], _Sorted]:
    """The sorting permutation of ``x`` and the centred sorted sample.

    ``order``: a permutation already known to sort ``x`` (no argsort).
    """
    if order is None:
        order = np.argsort(x)
    xs = x[order]
    return order, _Sorted(xs - xs[x.size // 2])  # centring: accurate prefix sums


def _evaluate(
    x: FloatArray,
    attr: _Attribute,
    estimator: Estimator,
    *,
    need_grad: bool,
    need_jack: bool = False,
    presorted: tuple[NDArray[np.intp], _Sorted] | None = None,
) -> _Evaluation:
    """Value (and gradient wrt x, in the original order) of dCov^2(x, attribute).

    ``presorted`` is ``_sort(x)``, shared by several attributes of one ``x``.
    """
    n = x.size
    order, srt = _sort(x) if presorted is None else presorted
    pieces = attr.take(order).pieces(srt, need_grad, need_jack)
    a_row = srt.ones_abs()
    b_row = pieces.b_row
    if estimator == "V" and pieces.b_diag is not None:
        b_row = b_row + pieces.b_diag
    t1 = float(pieces.r.sum()) if pieces.r is not None else pieces.t1
    assert t1 is not None
    t2 = dot(a_row, b_row)
    b_tot = float(b_row.sum())
    t3 = float(a_row.sum()) * b_tot
    value = _combine(t1, t2, t3, n, estimator)
    gradient = None
    if need_grad:
        assert pieces.h is not None
        c1, c2, c3 = _coefficients(n, estimator)
        sg = srt.ones_sign
        sign_b = pieces.sign_b
        if sign_b is None or b_row is not pieces.b_row:
            sign_b = srt.sign_sum(b_row)
        # c1 2 h + c2 (b_row sg + sign_b) + c3 2 b_tot sg, in three passes
        g_sorted = c2 * b_row + 2.0 * c3 * b_tot
        g_sorted *= sg
        g_sorted += (2.0 * c1) * pieces.h
        g_sorted += c2 * sign_b
        gradient = np.empty(n)
        gradient[order] = g_sorted
    return _Evaluation(value, gradient, pieces, srt, a_row, order)


def _jackknife_cross(ev: _Evaluation) -> list[FloatArray]:
    """Leave-one-out sums (T1, T2, T3) of dCov^2(x, S): the SE of the value."""
    p = ev.pieces
    assert p.r is not None
    srt, a, b = ev.sorted_x, ev.a_row, p.b_row
    # sum_j |x_k - x_j| b_j and sum_j b_kj a_j, from the attribute when known
    ab = p.abs_b if p.abs_b is not None else srt.abs_sum(b)
    if p.b_a is not None:
        ba = p.b_a
    else:
        assert p.apply_b is not None
        ba = p.apply_b(a)
    a_tot, b_tot = float(a.sum()), float(b.sum())
    loo_t1 = float(p.r.sum()) - 2.0 * p.r
    loo_t2 = p.r - a * b
    loo_t2 -= ab
    loo_t2 -= ba
    loo_t2 += dot(a, b)
    loo_t3 = a_tot - 2.0 * a
    loo_t3 *= b_tot - 2.0 * b
    return [loo_t1, loo_t2, loo_t3]


def _jackknife_self(ev: _Evaluation) -> list[FloatArray]:
    """Leave-one-out sums (T1, T2, T3) of dCov^2(x, x) and dCov^2(S, S)."""
    p = ev.pieces
    assert p.apply_b is not None and p.self_r is not None
    srt, a, b = ev.sorted_x, ev.a_row, p.b_row
    xs = srt.xs
    n = xs.size
    # (x, x): r_aa = sum_j (x_k - x_j)^2
    r_aa = n * xs**2 - 2 * xs * xs.sum() + (xs**2).sum()
    aa = srt.abs_sum(a)
    loo_xx = [
        r_aa.sum() - 2 * r_aa,
        dot(a, a) - a * a - 2 * aa + r_aa,
        (a.sum() - 2 * a) ** 2,
    ]
    bb = p.apply_b(b)
    loo_ss = [
        p.self_r.sum() - 2 * p.self_r,
        dot(b, b) - b * b - 2 * bb + p.self_r,
        (b.sum() - 2 * b) ** 2,
    ]
    return loo_xx + loo_ss


def _self_value(
    ev: _Evaluation, which: Literal["x", "s"], estimator: Estimator
) -> float:
    p, srt, a, b = ev.pieces, ev.sorted_x, ev.a_row, ev.pieces.b_row
    n = srt.n
    xs = srt.xs
    if which == "x":
        r = n * xs**2 - 2 * xs * xs.sum() + (xs**2).sum()
        return _combine(float(r.sum()), dot(a, a), float(a.sum()) ** 2, n, estimator)
    assert p.self_r is not None
    return _combine(float(p.self_r.sum()), dot(b, b), float(b.sum()) ** 2, n, estimator)


def _loo_values(
    parts: Sequence[FloatArray], n: int, estimator: Estimator
) -> FloatArray:
    t1, t2, t3 = parts
    m = n - 1
    if estimator == "V":
        return t1 / m**2 - 2 * t2 / m**3 + t3 / m**4
    return (t1 - 2 * t2 / (m - 2) + t3 / ((m - 1) * (m - 2))) / (m * (m - 3))


def _jackknife_se(values: FloatArray) -> float:
    n = values.size
    return float(np.sqrt((n - 1) / n * np.sum((values - values.mean()) ** 2)))


# --------------------------------------------------------------------------
# naive reference (full matrices, double / U centring)


def _naive(
    x: FloatArray, y: FloatArray, estimator: Estimator
) -> tuple[float, FloatArray | None]:
    n = x.shape[0]
    a = cdist(x, x)
    b = cdist(y, y)
    if estimator == "V":
        ac = a - a.mean(0) - a.mean(1)[:, None] + a.mean()
        bc = b - b.mean(0) - b.mean(1)[:, None] + b.mean()
        value = float((ac * bc).mean())
    else:

        def ucenter(m: FloatArray) -> FloatArray:
            rs = m.sum(0)
            out = (
                m - rs / (n - 2) - rs[:, None] / (n - 2) + m.sum() / ((n - 1) * (n - 2))
            )
            np.fill_diagonal(out, 0.0)
            return out

        value = float((ucenter(a) * ucenter(b)).sum() / (n * (n - 3)))
    gradient = None
    if x.shape[1] == 1:
        sg = np.sign(x[:, 0][:, None] - x[:, 0][None, :])
        c1, c2, c3 = _coefficients(n, estimator)
        b_row = b.sum(1)
        gradient = (
            c1 * 2 * (sg * b).sum(1)
            + c2 * (b_row * sg.sum(1) + sg @ b_row)
            + c3 * 2 * b.sum() * sg.sum(1)
        )
    return value, gradient
