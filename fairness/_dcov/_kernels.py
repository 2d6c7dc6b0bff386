r"""Weighted dominance sums of two univariate samples, the O(n log n) core.

For points ``(x_i, y_i)`` given in the order of ``x`` (ties in ``x`` ordered
by decreasing ``y``) with integer ranks ``ry`` of ``y`` (equal values, equal
ranks), the lower-left sums are

.. math:: L_c(i) = \sum_{j < i,\; ry_j < ry_i} w_{cj},

and the concordance moment is
:math:`C = \sum_i \sum_{j < i, ry_j < ry_i} (x_i - x_j)(y_i - y_j)`,
the total over concordant pairs that the distance covariance of two
univariate samples needs (docs/methodology.md section 10.1). Both are one
bottom-up merge sort of ``ry`` (Huo and Szekely 2016; the weighted inversion
counts of Chaudhuri and Hu 2019): while two sorted runs merge, running sums
of the left run's weights are added to every element taken from the right run.

Kernels: ``lower_left`` (any weights), ``concordance`` (the total only, for
the value) and ``concordance_rows`` (per-row totals, for the jackknife and
the gradient). Two implementations with the same results:

- a compiled merge (numba, imported lazily and only if installed: an
  optional accelerator, about ten times faster);
- a pure-numpy bottom-up merge, one vectorised pass per level (each level
  re-sorts the blocks by a stable radix-friendly key), used without numba or
  when ``INFOSCORE_NO_NUMBA=1``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._common import FloatArray

IntArray = NDArray[np.int64]


@functools.cache
def _compiled() -> tuple[Callable[..., Any], ...] | None:
    """The numba kernels, compiled on first use; ``None`` without numba."""
    if os.environ.get("INFOSCORE_NO_NUMBA", "") == "1":
        return None
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is optional
        return None
    jit = numba.njit(cache=True, nogil=True)
    return tuple(
        jit(f)
        for f in (
            _lower_left_kernel,
            _concordance_kernel,
            _concordance_rows_kernel,
            _poly_sums_kernel,
        )
    )


# The three merge kernels below are written for numba (plain loops); without
# numba the numpy merge ``_lower_left_numpy`` is used instead.


def _lower_left_kernel(ry: Any, w: Any) -> Any:  # pragma: no cover - compiled
    # ranks, weights, sums and row numbers travel with the merge
    n, k = w.shape
    rr, r2 = ry.copy(), np.empty_like(ry)
    ww, w2 = w.copy(), np.empty_like(w)
    acc, a2 = np.zeros((n, k)), np.empty((n, k))
    ii, i2 = np.arange(n), np.empty(n, dtype=np.int64)
    run = np.zeros(k)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            if mid >= hi:
                for t in range(lo, hi):
                    r2[t] = rr[t]
                    i2[t] = ii[t]
                    for c in range(k):
                        w2[t, c] = ww[t, c]
                        a2[t, c] = acc[t, c]
                continue
            i, j, t = lo, mid, lo
            run[:] = 0.0
            while t < hi:
                if j >= hi or (i < mid and rr[i] < rr[j]):
                    for c in range(k):
                        run[c] += ww[i, c]
                        w2[t, c] = ww[i, c]
                        a2[t, c] = acc[i, c]
                    r2[t] = rr[i]
                    i2[t] = ii[i]
                    i += 1
                else:
                    for c in range(k):
                        w2[t, c] = ww[j, c]
                        a2[t, c] = acc[j, c] + run[c]
                    r2[t] = rr[j]
                    i2[t] = ii[j]
                    j += 1
                t += 1
        rr, r2 = r2, rr
        ww, w2 = w2, ww
        acc, a2 = a2, acc
        ii, i2 = i2, ii
        width *= 2
    out = np.empty((n, k))
    for t in range(n):
        for c in range(k):
            out[ii[t], c] = acc[t, c]
    return out


def _concordance_kernel(ry: Any, x: Any, y: Any) -> Any:  # pragma: no cover
    n = ry.size
    rr = ry.copy()
    xx = x.copy()
    yy = y.copy()
    r2 = np.empty_like(rr)
    x2 = np.empty_like(xx)
    y2 = np.empty_like(yy)
    total = 0.0
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, t = lo, mid, lo
            c0 = cx = cy = cxy = 0.0
            part = 0.0
            while j < hi:
                if i < mid and rr[i] < rr[j]:
                    xi, yi = xx[i], yy[i]
                    c0 += 1.0
                    cx += xi
                    cy += yi
                    cxy += xi * yi
                    r2[t], x2[t], y2[t] = rr[i], xi, yi
                    i += 1
                else:
                    xj, yj = xx[j], yy[j]
                    part += xj * yj * c0 - xj * cy - yj * cx + cxy
                    r2[t], x2[t], y2[t] = rr[j], xj, yj
                    j += 1
                t += 1
            while i < mid:
                r2[t], x2[t], y2[t] = rr[i], xx[i], yy[i]
                i += 1
                t += 1
            total += part
        rr, r2 = r2, rr
        xx, x2 = x2, xx
        yy, y2 = y2, yy
        width *= 2
    return total


def _concordance_rows_kernel(ry: Any, x: Any, y: Any) -> Any:  # pragma: no cover
    # per row k: F = sum (x_k - x_j)(y_k - y_j), G = sum (y_k - y_j) over
    # the earlier rows j with ry_j < ry_k; rows travel with the merge
    n = ry.size
    rr, r2 = ry.copy(), np.empty_like(ry)
    xx, x2 = x.copy(), np.empty_like(x)
    yy, y2 = y.copy(), np.empty_like(y)
    ff, f2 = np.zeros(n), np.empty(n)
    gg, g2 = np.zeros(n), np.empty(n)
    ii, i2 = np.arange(n), np.empty(n, dtype=np.int64)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, t = lo, mid, lo
            c0 = cx = cy = cxy = 0.0
            while t < hi:
                if j >= hi or (i < mid and rr[i] < rr[j]):
                    xi, yi = xx[i], yy[i]
                    if j < hi:
                        c0 += 1.0
                        cx += xi
                        cy += yi
                        cxy += xi * yi
                    r2[t], x2[t], y2[t] = rr[i], xi, yi
                    f2[t], g2[t], i2[t] = ff[i], gg[i], ii[i]
                    i += 1
                else:
                    xj, yj = xx[j], yy[j]
                    f2[t] = ff[j] + xj * yj * c0 - xj * cy - yj * cx + cxy
                    g2[t] = gg[j] + yj * c0 - cy
                    r2[t], x2[t], y2[t], i2[t] = rr[j], xj, yj, ii[j]
                    j += 1
                t += 1
        rr, r2 = r2, rr
        xx, x2 = x2, xx
        yy, y2 = y2, yy
        ff, f2 = f2, ff
        gg, g2 = g2, gg
        ii, i2 = i2, ii
        width *= 2
    f_out = np.empty(n)
    g_out = np.empty(n)
    for t in range(n):
        f_out[ii[t]] = ff[t]
        g_out[ii[t]] = gg[t]
    return f_out, g_out


def _poly_sums_kernel(  # pragma: no cover - compiled
    xs: Any, seg: Any, rows: Any, w: Any, a: Any
) -> Any:
    # per k (xs sorted inside segments): sum_c a[r_k, c] sum_j sign(x_k - x_j)
    # w[r_j, c], and the total of the same with |x_k - x_j|, j in k's segment
    n = xs.size
    q = w.shape[1]
    h = np.zeros(n)
    t1 = 0.0
    tot, totx = np.empty(q), np.empty(q)
    run, runx = np.empty(q), np.empty(q)
    gs, gsx = np.empty(q), np.empty(q)
    start = 0
    while start < n:
        end = start
        while end < n and seg[end] == seg[start]:
            end += 1
        tot[:] = 0.0
        totx[:] = 0.0
        for k in range(start, end):
            rk, xk = rows[k], xs[k]
            for c in range(q):
                tot[c] += w[rk, c]
                totx[c] += xk * w[rk, c]
        run[:] = 0.0
        runx[:] = 0.0
        g = start
        while g < end:
            ge = g
            while ge < end and xs[ge] == xs[g]:
                ge += 1
            gs[:] = 0.0
            gsx[:] = 0.0
            for k in range(g, ge):
                rk, xk = rows[k], xs[k]
                for c in range(q):
                    gs[c] += w[rk, c]
                    gsx[c] += xk * w[rk, c]
            for k in range(g, ge):
                rk, xk = rows[k], xs[k]
                sh = 0.0
                sa = 0.0
                for c in range(q):
                    sign = 2.0 * run[c] + gs[c] - tot[c]
                    xsign = 2.0 * runx[c] + gsx[c] - totx[c]
                    sh += a[rk, c] * sign
                    sa += a[rk, c] * (xk * sign - xsign)
                h[k] = sh
                t1 += sa
            for c in range(q):
                run[c] += gs[c]
                runx[c] += gsx[c]
            g = ge
        start = end
    return t1, h


def _lower_left_numpy(ry: IntArray, w: FloatArray) -> FloatArray:
    n, k = w.shape
    acc = np.zeros((n, k))
    perm = np.arange(n, dtype=np.int64)
    r2 = 2 * (int(ry.max()) + 1) if n else 2
    s = 1
    while s < n:
        blk = perm // (2 * s)
        isleft = ((perm // s) & 1) == 0
        key = blk * r2 + 2 * ry[perm] + isleft
        o = np.argsort(key, kind="stable")
        perm = perm[o]
        isleft = isleft[o]
        blk = blk[o]
        wl = w[perm] * isleft[:, None]
        cs = np.cumsum(wl, axis=0)
        start = blk * (2 * s)
        base = np.where((start > 0)[:, None], cs[np.maximum(start - 1, 0)], 0.0)
        right = ~isleft
        acc[perm[right]] += (cs - wl - base)[right]
        s *= 2
    return acc


def lower_left(ry: IntArray, w: FloatArray) -> FloatArray:
    """``out[i, c] = sum of w[j, c] over j < i with ry[j] < ry[i]``.

    Parameters
    ----------
    ry : int64 array of shape (n,)
        Ranks of ``y`` in the order of ``x``.
    w : float array of shape (n, k)
        Weights in the same order.
    """
    kernels = _compiled()
    w = np.ascontiguousarray(w, dtype=np.float64)
    ry = np.ascontiguousarray(ry, dtype=np.int64)
    if kernels is not None:
        return kernels[0](ry, w)  # type: ignore[no-any-return]
    return _lower_left_numpy(ry, w)


def concordance(ry: IntArray, x: FloatArray, y: FloatArray) -> float:
    """``sum over i, j < i, ry_j < ry_i of (x_i - x_j)(y_i - y_j)`` (x order)."""
    kernels = _compiled()
    ry = np.ascontiguousarray(ry, dtype=np.int64)
    if kernels is not None:
        return float(kernels[1](ry, np.ascontiguousarray(x), np.ascontiguousarray(y)))
    ll = _lower_left_numpy(ry, np.column_stack([np.ones_like(x), x, y, x * y]))
    return float(
        np.einsum("i,i->", x * y, ll[:, 0])
        - np.einsum("i,i->", x, ll[:, 2])
        - np.einsum("i,i->", y, ll[:, 1])
        + ll[:, 3].sum()
    )


def concordance_rows(
    ry: IntArray, x: FloatArray, y: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Per-row concordance sums ``F`` and ``G`` (rows in x order).

    Over the earlier rows ``j`` with ``ry_j < ry_k``:
    ``F_k = sum (x_k - x_j)(y_k - y_j)`` and ``G_k = sum (y_k - y_j)``.
    """
    kernels = _compiled()
    ry = np.ascontiguousarray(ry, dtype=np.int64)
    x, y = np.ascontiguousarray(x), np.ascontiguousarray(y)
    if kernels is not None:
        f, g = kernels[2](ry, x, y)
        return f, g
    ll = _lower_left_numpy(ry, np.column_stack([np.ones_like(x), x, y, x * y]))
    f = x * y * ll[:, 0] - x * ll[:, 2] - y * ll[:, 1] + ll[:, 3]
    return f, y * ll[:, 0] - ll[:, 2]


def ranks(values: FloatArray) -> tuple[IntArray, NDArray[np.intp]]:
    """Dense ranks (ties share one) and the sorting permutation of ``values``."""
    order = np.argsort(values, kind="stable")
    vs = values[order]
    brk = np.empty(values.size, dtype=np.int64)
    brk[:1] = 0
    np.not_equal(vs[1:], vs[:-1], out=brk[1:])
    r = np.empty(values.size, dtype=np.int64)
    r[order] = np.cumsum(brk)
    return r, order


def poly_sums(
    xs: FloatArray,
    seg: NDArray[np.integer[Any]],
    rows: NDArray[np.intp],
    w: FloatArray,
    a: FloatArray,
) -> tuple[float, FloatArray] | None:
    """Weighted sign and absolute sums, compiled; ``None`` without numba.

    With ``xs`` sorted inside the segments ``seg`` and ``rows`` the row of
    ``w`` / ``a`` (shape (n_rows, q)) of each sorted position ``k``:
    ``h[k] = sum_c a[rows_k, c] sum_j sign(xs_k - xs_j) w[rows_j, c]`` and
    ``t1 = sum_k sum_c a[rows_k, c] sum_j |xs_k - xs_j| w[rows_j, c]``, with
    ``j`` over the segment of ``k``: the polynomial cross-cell sums of
    :mod:`fairness._dcov._mixed` in one O(n q) pass without (q, n) temporaries.
    """
    kernels = _compiled()
    if kernels is None:
        return None
    t1, h = kernels[3](
        np.ascontiguousarray(xs),
        np.ascontiguousarray(seg, dtype=np.int64),
        np.ascontiguousarray(rows, dtype=np.int64),
        w,
        a,
    )
    return float(t1), h
