r"""Distance covariance family: dCov, dCor, CCdCov and JdCov with fast exact paths.

Every statistic is assembled from three sums over pairs (docs/design.md section 6).
With :math:`a_{ij} = |x_i - x_j|`, :math:`b_{ij}` the attribute distances,
row sums :math:`a_{i\cdot}`, :math:`b_{i\cdot}` and totals
:math:`a_{\cdot\cdot}`, :math:`b_{\cdot\cdot}`:

.. math::

    T_1 = \sum_{i \ne j} a_{ij} b_{ij}, \quad
    T_2 = \sum_i a_{i\cdot} b_{i\cdot}, \quad
    T_3 = a_{\cdot\cdot} b_{\cdot\cdot},

    V = \frac{T_1}{n^2} - \frac{2 T_2}{n^3} + \frac{T_3}{n^4}, \quad
    U = \frac{T_1 - \frac{2 T_2}{n-2} + \frac{T_3}{(n-1)(n-2)}}{n(n-3)}.

``V`` is the biased (V-statistic) squared distance covariance of Szekely,
Rizzo and Bakirov (2007) and ``U`` the unbiased one of Szekely and Rizzo
(2014); they equal ``dcor.distance_covariance_sqr`` and
``dcor.u_distance_covariance_sqr``. All estimates here are *squared*
quantities (``U`` can be negative, so no square root is taken).

Evaluators ("backends") of the sums, all with the prediction ``x`` univariate:

- ``categorical``: one categorical attribute (one-hot, ``b = sqrt(2)`` between
  different categories); sorts and prefix sums, O(n log n) time, O(n) memory.
- ``grouped``: attributes with few distinct rows ``G`` (several categoricals,
  e.g. CCdCov of one-hot columns); O(n log n + n G) time, O(n) memory.
- ``continuous``: one numeric attribute; the rank-count sums of Huo and
  Szekely (2016) by a bottom-up merge sort vectorised over levels, O(n log n)
  time and O(n) memory.
- ``blocked``: any attribute distance; O(n^2) time in row blocks of bounded
  memory (also for a multivariate ``x``, values only).

Each evaluator also returns, for every observation ``k``, the pieces of the
gradient :math:`\partial T / \partial x_k` and of the leave-one-out sums used
by the jackknife standard error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from scipy.spatial.distance import cdist

__all__ = [
    "DistanceStatistic",
    "DCovGradient",
    "distance_covariance",
    "distance_correlation",
    "distance_covariance_grad",
    "ccdcov",
    "jdcov",
    "intersect_groups",
]

Estimator = Literal["U", "V"]
Method = Literal["auto", "naive", "fast", "blocked"]
Test = Literal["chi2", "permutation"]
FloatArray = NDArray[np.float64]

_SQRT2 = math.sqrt(2.0)
_MAX_GROUPS = 64  # grouped path while the number of distinct attribute rows is small
_BLOCK_ELEMENTS = 1 << 21  # about 16 MB per float block in the blocked evaluator


# --------------------------------------------------------------------------
# sorted sums over a univariate x


class _Sorted:
    """A univariate sample sorted once, with tie groups inside optional segments.

    ``sign_sum(w)[k] = sum_j sign(x_k - x_j) w_j`` and
    ``abs_sum(w)[k] = sum_j |x_k - x_j| w_j`` with ``j`` restricted to the
    segment of ``k``; both O(n) after the sort. Inputs and outputs are in the
    sorted order of the object.
    """

    def __init__(
        self,
        xs: FloatArray,
        seg: NDArray[np.integer[Any]] | None = None,
        *,
        distinct: bool = False,
    ) -> None:
        # distinct=True promises that xs has no ties (inside segments)
        n = xs.size
        self.n = n
        self.xs = xs
        self.segmented = seg is not None
        self._abs: FloatArray | None = None
        if distinct:
            brk = None
        else:
            brk = np.empty(n, dtype=bool)
            brk[:1] = True
            np.not_equal(xs[1:], xs[:-1], out=brk[1:])
        if seg is not None:
            segbrk = np.empty(n, dtype=bool)
            segbrk[:1] = True
            np.not_equal(seg[1:], seg[:-1], out=segbrk[1:])
            seg_start = np.flatnonzero(segbrk)
            seg_end = np.append(seg_start[1:], n)
            if brk is not None:
                brk |= segbrk
        self.no_ties = brk is None or bool(brk.all())
        if self.no_ties and seg is not None:
            seg_id = np.cumsum(segbrk) - 1
            self._first = seg_start[seg_id]
            self._last = seg_end[seg_id] - 1
        elif not self.no_ties:
            assert brk is not None
            starts = np.flatnonzero(brk)
            ends = np.append(starts[1:], n)
            self._gid = np.cumsum(brk) - 1
            self._gstart = starts
            self._glast = ends - 1
            if seg is not None:
                gseg = (np.cumsum(segbrk) - 1)[starts]
                self._gseg_first = seg_start[gseg]
                self._gseg_last = seg_end[gseg] - 1
        if self.no_ties and seg is None:
            self.ones_sign = 2.0 * np.arange(n) - (n - 1)
        else:
            self.ones_sign = self.sign_sum(np.ones(n))

    def _less_greater(self, ws: FloatArray) -> tuple[FloatArray, FloatArray]:
        cw = np.cumsum(ws)
        cwx = cw - ws
        if self.no_ties:
            if self.segmented:
                return cwx - cwx[self._first], cw[self._last] - cw
            return cwx, cw[-1] - cw
        if self.segmented:
            less_g = cwx[self._gstart] - cwx[self._gseg_first]
            greater_g = cw[self._gseg_last] - cw[self._glast]
        else:
            less_g = cwx[self._gstart]
            greater_g = cw[-1] - cw[self._glast]
        return less_g[self._gid], greater_g[self._gid]

    def sign_sum(self, ws: FloatArray) -> FloatArray:
        less, greater = self._less_greater(ws)
        return less - greater

    def abs_sum(self, ws: FloatArray) -> FloatArray:
        less, greater = self._less_greater(ws)
        xless, xgreater = self._less_greater(self.xs * ws)
        return self.xs * (less - greater) - (xless - xgreater)

    def ones_abs(self) -> FloatArray:
        """``sum_j |x_k - x_j|`` (ties contribute zero, so positions suffice)."""
        if self._abs is None:
            if self.segmented:
                self._abs = self.abs_sum(np.ones(self.n))
            else:
                xs, n = self.xs, self.n
                c = np.cumsum(xs)
                pos = np.arange(n, dtype=np.float64)
                self._abs = xs * (2 * pos - n + 1) - (c - xs) + (c[-1] - c)
        return self._abs


def _dominance(x: FloatArray, y: FloatArray, w: FloatArray) -> FloatArray:
    """``out[k] = sum of w[j] over x_j < x_k and y_j < y_k`` (both strict).

    Bottom-up merge sort on the x order (ties in x ordered by decreasing y so
    that they never count), one vectorised pass per level: each level's stable
    sort merges two runs sorted by y rank per block, and a cumulative sum of
    the left half's weights is read off at the right half's elements. O(n log n)
    time, O(n) memory.
    """
    n = x.size
    ry = np.unique(y, return_inverse=True)[1].astype(np.int64)
    order = np.lexsort((-ry, x))
    ry_o = ry[order]
    w_o = w[order]
    acc = np.zeros_like(w_o)
    perm = np.arange(n, dtype=np.int64)
    r2 = 2 * (int(ry.max()) + 1) if n else 2
    s = 1
    while s < n:
        blk = perm // (2 * s)
        isleft = ((perm // s) & 1) == 0
        key = blk * r2 + 2 * ry_o[perm] + isleft
        o = np.argsort(key, kind="stable")
        perm = perm[o]
        isleft = isleft[o]
        blk = blk[o]
        wl = w_o[perm] * isleft[:, None]
        cs = np.cumsum(wl, axis=0)
        start = blk * (2 * s)
        base = np.where((start > 0)[:, None], cs[np.maximum(start - 1, 0)], 0.0)
        right = ~isleft
        acc[perm[right]] += (cs - wl - base)[right]
        s *= 2
    out = np.empty_like(acc)
    out[order] = acc
    return out


# --------------------------------------------------------------------------
# attribute evaluators (backends); everything in the sorted order of x


@dataclass
class _Pieces:
    """Per-observation sums of one (x, attribute) pair, in x-sorted order."""

    b_row: FloatArray  # sum_j b_kj (j != k)
    r: FloatArray  # sum_j a_kj b_kj
    h: FloatArray | None  # sum_j sign(x_k - x_j) b_kj
    b_diag: FloatArray | None = None  # b_kk when not zero (JdCov kernels, V only)
    apply_b: Callable[[FloatArray], FloatArray] | None = None  # v -> B v (no diag)
    self_r: FloatArray | None = None  # sum_j b_kj^2
    label: str = ""


class _Attribute:
    """Base class of attribute representations; ``sorted_by`` reorders rows."""

    kind = ""

    def take(self, idx: NDArray[np.intp]) -> _Attribute:
        raise NotImplementedError

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        raise NotImplementedError


class _Categorical(_Attribute):
    kind = "categorical"

    def __init__(
        self, codes: NDArray[np.integer[Any]], n_levels: int, scale: float
    ) -> None:
        dtype = np.int8 if n_levels < 127 else np.int32
        self.codes: NDArray[np.integer[Any]] = codes.astype(dtype, copy=False)
        self.n_levels = n_levels
        self.scale = scale

    def take(self, idx: NDArray[np.intp]) -> _Categorical:
        return _Categorical(self.codes[idx], self.n_levels, self.scale)

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        c = self.scale
        codes = self.codes
        n = xs.n
        counts = np.bincount(codes, minlength=self.n_levels).astype(np.float64)
        b_row = c * (n - counts[codes])
        # within-category order: a stable radix sort of the codes keeps x order
        p2 = np.argsort(codes, kind="stable")
        within = _Sorted(xs.xs[p2], codes[p2], distinct=xs.no_ties)
        a_within = np.empty(n)
        a_within[p2] = within.ones_abs()
        r = c * (xs.ones_abs() - a_within)
        h = None
        if need_h:
            s_within = np.empty(n)
            s_within[p2] = within.ones_sign
            h = c * (xs.ones_sign - s_within)

        def apply_b(v: FloatArray) -> FloatArray:
            by_level = np.bincount(codes, weights=v, minlength=self.n_levels)
            return c * (v.sum() - by_level[codes])

        return _Pieces(
            b_row,
            r,
            h,
            apply_b=apply_b,
            self_r=c * b_row if need_jack else None,
            label="categorical",
        )


class _Grouped(_Attribute):
    """Attribute rows taking ``G`` distinct values with a G x G distance matrix."""

    kind = "grouped"

    def __init__(
        self,
        codes: NDArray[np.intp],
        dist: FloatArray,
        diag: FloatArray | None = None,
    ) -> None:
        self.codes = codes
        self.dist = dist
        self.diag = diag  # b_kk for a kernel with a non-zero diagonal

    def take(self, idx: NDArray[np.intp]) -> _Grouped:
        diag = None if self.diag is None else self.diag[idx]
        return _Grouped(self.codes[idx], self.dist, diag)

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        g, dist = self.codes, self.dist
        n_groups = dist.shape[0]
        counts = np.bincount(g, minlength=n_groups).astype(np.float64)
        self_d = np.diag(dist)[g]
        b_row = (dist @ counts)[g] - self_d
        r = np.zeros(xs.n)
        h = np.zeros(xs.n) if need_h else None
        for grp in range(n_groups):
            if counts[grp] == 0:
                continue
            ind = (g == grp).astype(np.float64)
            col = dist[g, grp]
            r += col * xs.abs_sum(ind)
            if h is not None:
                h += col * xs.sign_sum(ind)

        def apply_b(v: FloatArray) -> FloatArray:
            sums = np.bincount(g, weights=v, minlength=n_groups)
            return (dist @ sums)[g] - self_d * v

        self_r = None
        if need_jack:
            self_r = ((dist**2) @ counts)[g] - self_d**2
        return _Pieces(
            b_row,
            r,
            h,
            b_diag=self.diag,
            apply_b=apply_b,
            self_r=self_r,
            label=f"grouped ({n_groups} distinct attribute rows)",
        )


class _Continuous(_Attribute):
    kind = "continuous"

    def __init__(self, values: FloatArray) -> None:
        self.values = values

    def take(self, idx: NDArray[np.intp]) -> _Continuous:
        return _Continuous(self.values[idx])

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        x = xs.xs
        y = self.values - np.median(self.values)
        n = xs.n
        oy = np.argsort(y, kind="stable")
        ys = _Sorted(y[oy])

        def by_y(fn: Callable[[FloatArray], FloatArray], v: FloatArray) -> FloatArray:
            out = np.empty(n)
            out[oy] = fn(v[oy])
            return out

        b_row = np.empty(n)
        b_row[oy] = ys.ones_abs()
        ones = np.ones(n)
        w = np.column_stack([ones, x, y, x * y])
        ll = _dominance(x, y, w)  # quadrant x_j < x_k, y_j < y_k

        def f(m: FloatArray) -> FloatArray:
            # sum over a set of (x_k - x_j)(y_k - y_j) from its moments
            return x * y * m[:, 0] - x * m[:, 2] - y * m[:, 1] + m[:, 3]

        # moments over x_j < x_k (x order is the identity) and over y_j < y_k
        lx = np.column_stack([xs._less_greater(w[:, i])[0] for i in range(4)])
        ly = np.column_stack(
            [by_y(lambda v: ys._less_greater(v)[0], w[:, i]) for i in range(4)]
        )
        tot = w.sum(axis=0)
        f_all = x * y * n - x * tot[2] - y * tot[1] + tot[3]
        r = 4 * f(ll) + f_all - 2 * f(lx) - 2 * f(ly)
        h = None
        if need_h:
            # sum_{x_j < x_k} |y_k - y_j| = 2 (y C_ll - Y_ll) - (y C_lx - Y_lx)
            below = 2 * (y * ll[:, 0] - ll[:, 2]) - (y * lx[:, 0] - lx[:, 2])
            # x ties: sum over the tie group of |y_k - y_j|
            tied: float | FloatArray
            if xs.no_ties:
                tied = 0.0
            else:
                gid = xs._gid
                p2 = np.lexsort((y, gid))
                tied_s = _Sorted(y[p2], gid[p2]).ones_abs()
                tied = np.empty(n)
                tied[p2] = tied_s
            above = b_row - below - tied
            h = below - above

        def apply_b(v: FloatArray) -> FloatArray:
            return by_y(ys.abs_sum, v)

        self_r = None
        if need_jack:
            self_r = n * y**2 - 2 * y * y.sum() + (y**2).sum()
        return _Pieces(b_row, r, h, apply_b=apply_b, self_r=self_r, label="continuous")


class _Blocked(_Attribute):
    """Any attribute: distances evaluated in row blocks of bounded memory."""

    kind = "blocked"

    def __init__(
        self,
        block: Callable[[NDArray[np.intp], NDArray[np.intp]], FloatArray],
        idx: NDArray[np.intp],
        label: str,
    ) -> None:
        self.block = block  # (rows, cols) original indices -> distance block
        self.idx = idx
        self.label = label

    def take(self, idx: NDArray[np.intp]) -> _Blocked:
        return _Blocked(self.block, self.idx[idx], self.label)

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        n = xs.n
        x = xs.xs
        step = max(1, _BLOCK_ELEMENTS // max(n, 1))
        b_row = np.empty(n)
        b_diag = np.empty(n)
        r = np.empty(n)
        h = np.empty(n) if need_h else None
        self_r = np.empty(n) if need_jack else None
        for i0 in range(0, n, step):
            rows = np.arange(i0, min(i0 + step, n))
            bm = self.block(self.idx[rows], self.idx)
            b_diag[rows] = bm[np.arange(rows.size), rows]
            bm[np.arange(rows.size), rows] = 0.0
            b_row[rows] = bm.sum(axis=1)
            diff = x[rows, None] - x[None, :]
            r[rows] = np.einsum("ij,ij->i", np.abs(diff), bm)
            if h is not None:
                h[rows] = np.einsum("ij,ij->i", np.sign(diff), bm)
            if self_r is not None:
                self_r[rows] = np.einsum("ij,ij->i", bm, bm)

        def apply_b(v: FloatArray) -> FloatArray:
            out = np.empty(n)
            for i0 in range(0, n, step):
                rows = np.arange(i0, min(i0 + step, n))
                bm = self.block(self.idx[rows], self.idx)
                bm[np.arange(rows.size), rows] = 0.0
                out[rows] = bm @ v
            return out

        return _Pieces(
            b_row,
            r,
            h,
            b_diag=b_diag if np.any(b_diag != 0) else None,
            apply_b=apply_b,
            self_r=self_r,
            label=f"blocked ({self.label})",
        )


def _euclid_block(values: FloatArray) -> Callable[..., FloatArray]:
    def block(rows: NDArray[np.intp], cols: NDArray[np.intp]) -> FloatArray:
        return cdist(values[rows], values[cols])

    return block


# --------------------------------------------------------------------------
# the engine: sums, U/V values, gradients and jackknife


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


def _evaluate(
    x: FloatArray,
    attr: _Attribute,
    estimator: Estimator,
    *,
    need_grad: bool,
    need_jack: bool = False,
) -> _Evaluation:
    """Value (and gradient wrt x, in the original order) of dCov^2(x, attribute)."""
    n = x.size
    order = np.argsort(x)
    xs = x[order]
    xs = xs - xs[n // 2]  # centring keeps the prefix sums accurate
    srt = _Sorted(xs)
    pieces = attr.take(order).pieces(srt, need_grad, need_jack)
    a_row = srt.ones_abs()
    b_row = pieces.b_row
    if estimator == "V" and pieces.b_diag is not None:
        b_row = b_row + pieces.b_diag
    t1 = float(pieces.r.sum())
    t2 = float(a_row @ b_row)
    b_tot = float(b_row.sum())
    t3 = float(a_row.sum()) * b_tot
    value = _combine(t1, t2, t3, n, estimator)
    gradient = None
    if need_grad:
        assert pieces.h is not None
        c1, c2, c3 = _coefficients(n, estimator)
        sg = srt.ones_sign
        g_sorted = (
            c1 * 2 * pieces.h
            + c2 * (b_row * sg + srt.sign_sum(b_row))
            + c3 * 2 * b_tot * sg
        )
        gradient = np.empty(n)
        gradient[order] = g_sorted
    return _Evaluation(value, gradient, pieces, srt, a_row, order)


def _jackknife_parts(
    ev: _Evaluation,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Leave-one-out sums (T1, T2, T3) for (x, S), (x, x) and (S, S)."""
    p = ev.pieces
    assert p.apply_b is not None and p.self_r is not None
    srt, a, b = ev.sorted_x, ev.a_row, p.b_row
    xs = srt.xs
    n = xs.size
    # (x, S)
    ab = srt.abs_sum(b)
    ba = p.apply_b(a)
    t1, t2, t3 = p.r.sum(), a @ b, a.sum() * b.sum()
    loo_xs = (
        t1 - 2 * p.r,
        t2 - a * b - ab - ba + p.r,
        (a.sum() - 2 * a) * (b.sum() - 2 * b),
    )
    del t3
    # (x, x): r_aa = sum_j (x_k - x_j)^2
    r_aa = n * xs**2 - 2 * xs * xs.sum() + (xs**2).sum()
    aa = srt.abs_sum(a)
    loo_xx = (
        r_aa.sum() - 2 * r_aa,
        a @ a - a * a - 2 * aa + r_aa,
        (a.sum() - 2 * a) ** 2,
    )
    bb = p.apply_b(b)
    loo_ss = (
        p.self_r.sum() - 2 * p.self_r,
        b @ b - b * b - 2 * bb + p.self_r,
        (b.sum() - 2 * b) ** 2,
    )
    return (*loo_xs, *loo_xx, *loo_ss)  # type: ignore[return-value]


def _self_value(
    ev: _Evaluation, which: Literal["x", "s"], estimator: Estimator
) -> float:
    p, srt, a, b = ev.pieces, ev.sorted_x, ev.a_row, ev.pieces.b_row
    n = srt.n
    xs = srt.xs
    if which == "x":
        r = n * xs**2 - 2 * xs * xs.sum() + (xs**2).sum()
        return _combine(float(r.sum()), float(a @ a), float(a.sum()) ** 2, n, estimator)
    assert p.self_r is not None
    return _combine(
        float(p.self_r.sum()), float(b @ b), float(b.sum()) ** 2, n, estimator
    )


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


# --------------------------------------------------------------------------
# input handling


def _as_prediction(x: ArrayLike, name: str, *, allow_2d: bool = False) -> FloatArray:
    if isinstance(x, pd.DataFrame | pd.Series):
        x = x.to_numpy()
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric; got {np.asarray(x).dtype}.") from exc
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 and not (allow_2d and arr.ndim == 2):
        allowed = "1-D or 2-D" if allow_2d else "1-D"
        raise ValueError(f"{name} must be {allowed}; got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def _is_categorical_series(s: pd.Series) -> bool:
    return (
        not pd.api.types.is_numeric_dtype(s.dtype)
        or isinstance(s.dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(s.dtype)
    )


@dataclass(frozen=True)
class _Encoded:
    """Protected attributes prepared for the distance computations."""

    names: tuple[str, ...]
    kinds: tuple[str, ...]  # "categorical" or "continuous" per column
    codes: tuple[NDArray[np.intp] | None, ...]
    levels: tuple[int, ...]
    values: tuple[FloatArray | None, ...]  # min-max scaled continuous columns
    n: int

    def matrix(self) -> FloatArray:
        """Concatenated one-hot / scaled columns (n, q)."""
        cols = []
        for kind, code, lev, val in zip(
            self.kinds, self.codes, self.levels, self.values, strict=True
        ):
            if kind == "categorical":
                assert code is not None
                cols.append(np.eye(lev)[code])
            else:
                assert val is not None
                cols.append(val[:, None])
        return np.hstack(cols)


def _as_frame(sensitive_features: object, name: str) -> pd.DataFrame:
    if isinstance(sensitive_features, pd.DataFrame):
        frame = sensitive_features
    elif isinstance(sensitive_features, pd.Series):
        frame = sensitive_features.to_frame(
            name=sensitive_features.name
            if sensitive_features.name is not None
            else "s0"
        )
    else:
        arr = np.asarray(sensitive_features)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise ValueError(f"{name} must be 1-D or 2-D; got shape {arr.shape}.")
        frame = pd.DataFrame(arr, columns=[f"s{i}" for i in range(arr.shape[1])])
        frame = frame.infer_objects()
    if frame.shape[1] == 0:
        raise ValueError(f"{name} has no columns.")
    return frame


def _encode(
    sensitive_features: object,
    n: int,
    *,
    categorical: Sequence[str] | Literal["auto"] = "auto",
    name: str = "sensitive_features",
) -> _Encoded:
    """Validate and encode protected attributes (one column each)."""
    frame = _as_frame(sensitive_features, name)
    if frame.shape[0] != n:
        raise ValueError(
            f"{name} has {frame.shape[0]} rows but the prediction has {n}; "
            "they must have the same length."
        )
    cols = [str(c) for c in frame.columns]
    if categorical != "auto":
        unknown = set(map(str, categorical)) - set(cols)
        if unknown:
            raise ValueError(
                f"categorical names {sorted(unknown)} that are not columns of {name}; "
                f"columns are {cols}."
            )
    kinds: list[str] = []
    codes: list[NDArray[np.intp] | None] = []
    levels: list[int] = []
    values: list[FloatArray | None] = []
    for col, key in zip(cols, frame.columns, strict=True):
        s = frame[key]
        if s.isna().any():
            raise ValueError(
                f"{name} column {col!r} has {int(s.isna().sum())} missing values; "
                "encode missing as its own category or drop those rows."
            )
        nunique = s.nunique()
        if nunique < 2:
            raise ValueError(
                f"{name} column {col!r} has a single value ({s.iloc[0]!r}); a "
                "protected attribute needs at least two values."
            )
        if categorical == "auto":
            is_cat = _is_categorical_series(s) or nunique == 2
        else:
            is_cat = col in set(map(str, categorical))
        if is_cat:
            code, uniq = pd.factorize(s, sort=True)
            kinds.append("categorical")
            codes.append(code.astype(np.intp))
            levels.append(len(uniq))
            values.append(None)
        else:
            if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(
                s.dtype
            ):
                raise TypeError(
                    f"{name} column {col!r} is treated as continuous but has "
                    f"non-numeric dtype {s.dtype}; list it in categorical= or "
                    "convert it to numbers."
                )
            v = s.to_numpy(dtype=np.float64)
            if not np.all(np.isfinite(v)):
                raise ValueError(f"{name} column {col!r} has infinite values.")
            kinds.append("continuous")
            codes.append(None)
            levels.append(0)
            values.append((v - v.min()) / (v.max() - v.min()))
    return _Encoded(
        tuple(cols), tuple(kinds), tuple(codes), tuple(levels), tuple(values), n
    )


def _cells(enc: _Encoded) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Intersection cell of each row and the cell's codes per attribute."""
    stacked = np.column_stack([c for c in enc.codes if c is not None])
    uniq, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp), uniq


def _concat_attribute(enc: _Encoded, method: Method) -> _Attribute:
    """The CCdCov attribute: one-hot categorical + min-max continuous columns."""
    all_cat = all(k == "categorical" for k in enc.kinds)
    if method == "blocked" or (not all_cat and len(enc.kinds) > 1):
        if method == "fast":
            raise ValueError(
                "method='fast' needs categorical attributes or a single continuous "
                f"one; got kinds {list(enc.kinds)}. Use method='blocked' or 'auto'."
            )
        mat = enc.matrix()
        return _Blocked(_euclid_block(mat), np.arange(enc.n), "Euclidean, concatenated")
    if len(enc.kinds) == 1:
        if all_cat:
            code = enc.codes[0]
            assert code is not None
            return _Categorical(code, enc.levels[0], _SQRT2)
        val = enc.values[0]
        assert val is not None
        return _Continuous(val)
    cells, uniq = _cells(enc)
    n_diff = (uniq[:, None, :] != uniq[None, :, :]).sum(axis=2)
    return _Grouped(cells, np.sqrt(2.0 * n_diff))


def _numeric_attribute(y: FloatArray, method: Method) -> _Attribute:
    """Attribute from a numeric array (as dcor: Euclidean distance of rows)."""
    if y.ndim == 1:
        y = y[:, None]
    n = y.shape[0]
    if method == "blocked":
        return _Blocked(_euclid_block(y), np.arange(n), "Euclidean")
    if y.shape[1] == 1:
        return _Continuous(y[:, 0])
    uniq, inverse = np.unique(y, axis=0, return_inverse=True)
    if uniq.shape[0] <= _MAX_GROUPS:
        return _Grouped(inverse.reshape(-1).astype(np.intp), cdist(uniq, uniq))
    if method == "fast":
        raise ValueError(
            "method='fast' has no O(n log n) path for a multivariate y with "
            f"{uniq.shape[0]} distinct rows (> {_MAX_GROUPS}); use 'blocked' or 'auto'."
        )
    return _Blocked(_euclid_block(y), np.arange(n), "Euclidean")


def _attribute_from_y(
    y: ArrayLike, n: int, method: Method
) -> tuple[_Attribute, FloatArray]:
    """Backend and numeric (one-hot for categories) matrix of a y argument."""
    is_cat = False
    if isinstance(y, pd.Series | pd.Categorical):
        s = pd.Series(y)
        is_cat = _is_categorical_series(s)
    else:
        arr = np.asarray(y)
        is_cat = arr.ndim == 1 and not np.issubdtype(arr.dtype, np.number)
    if is_cat:
        enc = _encode(pd.Series(y, name="y"), n, categorical=["y"], name="y")
        return _concat_attribute(enc, method), enc.matrix()
    arr = _as_prediction(y, "y", allow_2d=True)
    if arr.shape[0] != n:
        raise ValueError(
            f"y has {arr.shape[0]} rows but x has {n}; they must have the same length."
        )
    mat = arr[:, None] if arr.ndim == 1 else arr
    return _numeric_attribute(arr, method), mat


def _check_common(estimator: str, method: str, n: int, test: str | None = None) -> None:
    if estimator not in ("U", "V"):
        raise ValueError(f"estimator must be 'U' or 'V'; got {estimator!r}.")
    if method not in ("auto", "naive", "fast", "blocked"):
        raise ValueError(
            f"method must be 'auto', 'naive', 'fast' or 'blocked'; got {method!r}."
        )
    if test is not None and test not in ("chi2", "permutation"):
        raise ValueError(f"test must be 'chi2', 'permutation' or None; got {test!r}.")
    minimum = 5 if estimator == "U" else 2
    if n < minimum:
        raise ValueError(
            f"estimator={estimator!r} needs at least {minimum} observations; got {n}."
        )


# --------------------------------------------------------------------------
# results


@dataclass(frozen=True, eq=False, repr=False)
class DistanceStatistic:
    """A distance-covariance type statistic with standard error and test.

    Returned by :func:`distance_covariance`, :func:`distance_correlation`,
    :func:`ccdcov` and :func:`jdcov`. All estimates are *squared* quantities
    (``dCov^2``, ``dCor^2``), as the unbiased versions can be negative.

    Attributes
    ----------
    name : str
        ``"dCov^2"``, ``"dCor^2"``, ``"CCdCov^2"`` or ``"JdCov^2"``.
    estimate : float
        The estimate (U- or V-statistic, see ``estimator``).
    se : float
        Jackknife standard error (the U-statistic's leave-one-out sums are
        O(n), see Notes of :func:`distance_covariance`); NaN where the
        jackknife does not apply (JdCov).
    statistic : float
        Test statistic: ``n dCor_U^2 + 1`` (chi-square test) or the estimate
        itself (permutation test); NaN without a test.
    pvalue : float
        P-value of independence; NaN without a test.
    method : str
        Estimator, evaluator, SE and test, e.g.
        ``"U; categorical; se=jackknife; test=chi2"``.
    n : int
        Number of observations.
    estimator : {"U", "V"}
        Unbiased (U) or biased (V) statistic.
    components : tuple of (str, float)
        Named parts (for JdCov: the model part and the attribute part).
    """

    name: str
    estimate: float
    se: float
    statistic: float
    pvalue: float
    method: str
    n: int
    estimator: str
    components: tuple[tuple[str, float], ...] = field(default=())

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval ``estimate +- z se`` (truncated at 0 for V-statistics).

        Parameters
        ----------
        alpha : float, default=0.05
            One minus the coverage.

        Returns
        -------
        ndarray of shape (2,)
        """
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be in (0, 1); got {alpha}.")
        z = stats.norm.ppf(1 - alpha / 2)
        low, high = self.estimate - z * self.se, self.estimate + z * self.se
        if self.estimator == "V":
            low = max(low, 0.0)
        return np.array([low, high])

    def to_frame(self) -> pd.DataFrame:
        """One row: estimate, SE, CI, statistic, p-value, n; plus components."""
        low, high = self.ci()
        row = {
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": low,
            "ci_high": high,
            "statistic": self.statistic,
            "pvalue": self.pvalue,
            "n": self.n,
            "method": self.method,
        }
        for key, val in self.components:
            row[key] = val
        return pd.DataFrame([row], index=pd.Index([self.name], name="statistic"))

    def __repr__(self) -> str:
        low, high = self.ci()
        parts = "".join(f", {k}={v:.4g}" for k, v in self.components)
        return (
            f"{self.name}(estimate={self.estimate:.4g}, se={self.se:.3g}, "
            f"ci95=[{low:.4g}, {high:.4g}], statistic={self.statistic:.4g}, "
            f"pvalue={self.pvalue:.3g}, n={self.n}{parts}, method='{self.method}')"
        )


@dataclass(frozen=True, eq=False, repr=False)
class DCovGradient:
    """Value of a squared distance covariance and its gradient wrt the predictions.

    Attributes
    ----------
    value : float
        ``dCov^2`` (U or V).
    gradient : ndarray of shape (n,)
        Partial derivatives with respect to each prediction (a subgradient
        with ``sign(0) = 0`` at ties).
    estimator : {"U", "V"}
    method : str
        Evaluator used.
    n : int
    """

    value: float
    gradient: FloatArray
    estimator: str
    method: str
    n: int

    def __repr__(self) -> str:
        return (
            f"DCovGradient(value={self.value:.6g}, "
            f"|gradient|={np.linalg.norm(self.gradient):.4g}, "
            f"estimator='{self.estimator}', method='{self.method}', n={self.n})"
        )


# --------------------------------------------------------------------------
# tests


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
) -> DistanceStatistic:
    n = x.size
    ev = _evaluate(x, attr, estimator, need_grad=False, need_jack=True)
    parts = _jackknife_parts(ev)
    loo_xy = _loo_values(parts[0:3], n, estimator)
    vx = _self_value(ev, "x", estimator)
    vs = _self_value(ev, "s", estimator)
    if correlation:
        denom = math.sqrt(vx * vs) if vx > 0 and vs > 0 else 0.0
        estimate = ev.value / denom if denom > 0 else 0.0
        loo_x = _loo_values(parts[3:6], n, estimator)
        loo_s = _loo_values(parts[6:9], n, estimator)
        with np.errstate(invalid="ignore", divide="ignore"):
            loo = np.where(
                (loo_x > 0) & (loo_s > 0), loo_xy / np.sqrt(loo_x * loo_s), 0.0
            )
    else:
        estimate = ev.value
        loo = loo_xy
    se = _jackknife_se(loo) if n > 5 else math.nan
    if test == "chi2":
        ev_u = (
            ev
            if estimator == "U"
            else _evaluate(x, attr, "U", need_grad=False, need_jack=True)
        )
        statistic = n * _dcor_u(ev_u, ev_u.value) + 1.0
        pvalue = float(stats.chi2.sf(statistic, 1))
    elif test == "permutation":
        statistic = estimate
        pvalue = _permutation_pvalue(
            x, attr, estimator, ev.value, n_permutations, random_state
        )
    else:
        statistic = pvalue = math.nan
    method = f"{estimator}; {label or ev.pieces.label}; se=jackknife"
    if test is not None:
        method += f"; test={test}" + (
            f" ({n_permutations})" if test == "permutation" else ""
        )
    return DistanceStatistic(
        name=name,
        estimate=float(estimate),
        se=se,
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
) -> DistanceStatistic:
    """dCov^2 (``correlation=False``) or dCor^2 of ``x`` and ``y``.

    Validates the inputs, then takes the naive path (``method="naive"`` or a
    2-D ``x``) or :func:`_run`.
    """
    name = "dCor^2" if correlation else "dCov^2"
    xa = _as_prediction(x, "x", allow_2d=method in ("naive", "blocked"))
    n = xa.shape[0]
    _check_common(estimator, method, n, test)
    attr, ymat = _attribute_from_y(y, n, method)
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
    )


# --------------------------------------------------------------------------
# public functions


def distance_covariance(
    x: ArrayLike,
    y: ArrayLike,
    *,
    estimator: Estimator = "U",
    method: Method = "auto",
    test: Test | None = "chi2",
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
) -> DistanceStatistic:
    r"""Squared distance covariance of a prediction and an attribute.

    Parameters
    ----------
    x : array-like of shape (n,)
        Predictions or scores (univariate; a 2-D ``x`` is accepted by
        ``method="naive"`` and ``"blocked"``).
    y : array-like of shape (n,) or (n, q)
        Numeric values (Euclidean distance between rows, as in ``dcor``) or a
        categorical 1-D array (strings, pandas categorical or bool: one-hot,
        distance :math:`\sqrt 2` between different categories).
    estimator : {"U", "V"}, default="U"
        Unbiased U-statistic or biased V-statistic.
    method : {"auto", "naive", "fast", "blocked"}, default="auto"
        ``"fast"``: the O(n log n) exact paths (categorical, univariate, or
        few distinct rows of ``y``); ``"blocked"``: O(n^2) time, bounded
        memory; ``"naive"``: full n x n matrices (reference, small n, no SE
        or test); ``"auto"``: fast when available, else blocked.
    test : {"chi2", "permutation"} or None, default="chi2"
        ``"chi2"``: :math:`n \, dCor_U^2 + 1 \sim \chi^2_1` (Shen and
        Vogelstein), valid and slightly conservative; ``"permutation"``:
        permute ``y`` ``n_permutations`` times.
    n_permutations : int, default=199
        Permutations of the permutation test.
    random_state : int, Generator or None, default=None
        Seed of the permutation test.

    Returns
    -------
    DistanceStatistic
        ``name="dCov^2"``.

    Raises
    ------
    ValueError
        Length mismatch, NaN values, fewer than 5 (U) or 2 (V) observations,
        unknown option, or ``method="fast"`` where no fast path exists.
    TypeError
        Non-numeric ``x``.

    Notes
    -----
    See the module docstring for :math:`T_1, T_2, T_3`. The standard error is
    the jackknife: leaving observation ``k`` out changes the sums by
    :math:`T_1 - 2 r_k`, :math:`T_2 - a_k b_k - (A b)_k - (B a)_k + r_k`
    and :math:`(a_{\cdot\cdot} - 2 a_k)(b_{\cdot\cdot} - 2 b_k)` with
    :math:`r_k = \sum_j a_{kj} b_{kj}`, so all ``n`` leave-one-out values
    cost one more pass. The jackknife is consistent when the statistic is
    non-degenerate (dependence); under independence the SE is of the order
    of the estimate and only the test is meaningful.

    References
    ----------
    .. [1] Szekely, G. J., Rizzo, M. L. and Bakirov, N. K. (2007). Measuring
       and testing dependence by correlation of distances. Ann. Statist. 35.
    .. [2] Szekely, G. J. and Rizzo, M. L. (2014). Partial distance
       correlation with methods for dissimilarities. Ann. Statist. 42.
    .. [3] Huo, X. and Szekely, G. J. (2016). Fast computing for distance
       covariance. Technometrics 58.
    .. [4] Shen, C., Panda, S. and Vogelstein, J. T. (2022). The chi-square
       test of distance correlation. J. Comput. Graph. Statist. 31.

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0]
    >>> y = [1.0, 0.0, 0.0, 1.0]
    >>> distance_covariance(x, y, estimator="V", test=None).estimate
    0.125
    >>> res = distance_covariance(x, [1.0, 2.0, 4.0, 8.0], estimator="V", test=None)
    >>> round(res.estimate, 5)
    1.84375
    """
    return _distance_statistic(
        x,
        y,
        correlation=False,
        estimator=estimator,
        method=method,
        test=test,
        n_permutations=n_permutations,
        random_state=random_state,
    )


def distance_correlation(
    x: ArrayLike,
    y: ArrayLike,
    *,
    estimator: Estimator = "U",
    method: Method = "auto",
    test: Test | None = "chi2",
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
) -> DistanceStatistic:
    r"""Squared distance correlation, dCov^2(x, y) / sqrt(dCov^2(x, x) dCov^2(y, y)).

    Parameters are those of :func:`distance_covariance`. With
    ``estimator="U"`` this is the bias-corrected squared distance
    correlation (``dcor.u_distance_correlation_sqr``), which can be
    negative; with ``"V"`` it is ``dcor.distance_correlation_sqr`` in [0, 1].

    Parameters
    ----------
    x, y : array-like
        As in :func:`distance_covariance`.
    estimator : {"U", "V"}, default="U"
    method : {"auto", "naive", "fast", "blocked"}, default="auto"
    test : {"chi2", "permutation"} or None, default="chi2"
    n_permutations : int, default=199
    random_state : int, Generator or None, default=None

    Returns
    -------
    DistanceStatistic
        ``name="dCor^2"``; the SE is the jackknife of the ratio.

    Raises
    ------
    ValueError
        As :func:`distance_covariance`.

    Examples
    --------
    >>> res = distance_correlation([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0],
    ...                            estimator="V", test=None)
    >>> round(res.estimate, 6)
    1.0
    """
    return _distance_statistic(
        x,
        y,
        correlation=True,
        estimator=estimator,
        method=method,
        test=test,
        n_permutations=n_permutations,
        random_state=random_state,
    )


def distance_covariance_grad(
    x: ArrayLike,
    y: ArrayLike,
    *,
    estimator: Estimator = "U",
    method: Method = "auto",
) -> DCovGradient:
    r"""Squared distance covariance and its gradient with respect to ``x``.

    Parameters
    ----------
    x : array-like of shape (n,)
        Predictions.
    y : array-like of shape (n,) or (n, q)
        Attribute, as in :func:`distance_covariance`.
    estimator : {"U", "V"}, default="U"
    method : {"auto", "naive", "fast", "blocked"}, default="auto"

    Returns
    -------
    DCovGradient

    Raises
    ------
    ValueError
        As :func:`distance_covariance`.

    Notes
    -----
    With :math:`s_{kj} = \mathrm{sign}(x_k - x_j)`:
    :math:`\partial T_1/\partial x_k = 2\sum_j s_{kj} b_{kj}`,
    :math:`\partial T_2/\partial x_k = \sum_j s_{kj}(b_{k\cdot} + b_{j\cdot})`,
    :math:`\partial T_3/\partial x_k = 2 b_{\cdot\cdot} \sum_j s_{kj}`,
    combined with the coefficients of U or V. Every term is a signed,
    weighted rank sum, O(n log n) on the fast paths.

    Examples
    --------
    >>> res = distance_covariance_grad([0.0, 1.0, 3.0], ["a", "a", "b"], estimator="V")
    >>> res.gradient.round(4)
    array([-0.0698, -0.2095,  0.2794])
    """
    xa = _as_prediction(x, "x")
    n = xa.size
    _check_common(estimator, method, n)
    attr, ymat = _attribute_from_y(y, n, method)
    if method == "naive":
        value, grad = _naive(xa[:, None], ymat, estimator)
        assert grad is not None
        return DCovGradient(value, grad, estimator, "naive", n)
    ev = _evaluate(xa, attr, estimator, need_grad=True)
    assert ev.gradient is not None
    return DCovGradient(ev.value, ev.gradient, estimator, ev.pieces.label, n)


def ccdcov(
    y_pred: ArrayLike,
    sensitive_features: object,
    *,
    estimator: Estimator = "U",
    categorical: Sequence[str] | Literal["auto"] = "auto",
    method: Method = "auto",
    test: Test | None = "chi2",
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
) -> DistanceStatistic:
    r"""Concatenated distance covariance of a prediction with all protected attributes.

    ``CCdCov(yhat; S_1..S_K) = dCov^2(yhat, [S_1, ..., S_K])`` with
    categorical attributes one-hot encoded and continuous ones min-max
    scaled to [0, 1]; zero iff the prediction is independent of the
    attributes jointly (intersectional statistical parity).

    Parameters
    ----------
    y_pred : array-like of shape (n,)
        Predictions or scores.
    sensitive_features : DataFrame, Series or array-like of shape (n,) or (n, K)
        Protected attributes; binary, categorical and continuous columns may
        be mixed. No missing values; every column needs two values.
    estimator : {"U", "V"}, default="U"
    categorical : sequence of str or "auto", default="auto"
        Columns to treat as categorical; ``"auto"``: non-numeric, boolean,
        pandas categorical and two-valued columns. The others must be numeric.
    method : {"auto", "naive", "fast", "blocked"}, default="auto"
        Categorical-only attributes use the grouped O(n log n + n G) path
        over intersectional cells; one continuous attribute the merge-sort
        path; a mix the blocked evaluator.
    test : {"chi2", "permutation"} or None, default="chi2"
    n_permutations : int, default=199
    random_state : int, Generator or None, default=None

    Returns
    -------
    DistanceStatistic
        ``name="CCdCov^2"``.

    Raises
    ------
    ValueError
        Missing values, a single-valued attribute, length mismatch.
    TypeError
        A non-numeric column treated as continuous.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"race": ["a", "a", "b", "b", "a", "b"],
    ...                   "gender": [0, 1, 0, 1, 1, 0]})
    >>> res = ccdcov([0.1, 0.2, 0.8, 0.9, 0.3, 0.7], s, estimator="V", test=None)
    >>> round(res.estimate, 4)
    0.1496
    """
    xa = _as_prediction(y_pred, "y_pred")
    n = xa.size
    _check_common(estimator, method, n, test)
    enc = _encode(sensitive_features, n, categorical=categorical)
    if method == "naive":
        return _naive_result(
            xa, enc.matrix(), name="CCdCov^2", estimator=estimator, correlation=False
        )
    attr = _concat_attribute(enc, method)
    return _run(
        xa,
        attr,
        name="CCdCov^2",
        estimator=estimator,
        correlation=False,
        test=test,
        n_permutations=n_permutations,
        random_state=random_state,
    )


def intersect_groups(sensitive_features: object) -> pd.Categorical:
    """Intersectional groups of several categorical attributes as one categorical.

    Parameters
    ----------
    sensitive_features : DataFrame, Series or array-like
        Categorical protected attributes.

    Returns
    -------
    pandas.Categorical
        Labels ``"col1=v1|col2=v2"``; pass it to :func:`distance_covariance`
        to use the O(n log n) categorical path on the intersection.

    Raises
    ------
    ValueError
        Missing values or a single-valued attribute.

    Examples
    --------
    >>> import pandas as pd
    >>> g = intersect_groups(pd.DataFrame({"race": [0, 1, 1], "sex": ["f", "m", "f"]}))
    >>> list(g)
    ['race=0|sex=f', 'race=1|sex=m', 'race=1|sex=f']
    """
    frame = _as_frame(sensitive_features, "sensitive_features")
    n = frame.shape[0]
    _encode(frame, n, categorical=[str(c) for c in frame.columns])
    labels = frame.astype(str).apply(
        lambda row: "|".join(
            f"{c}={v}" for c, v in zip(frame.columns, row, strict=True)
        ),
        axis=1,
    )
    return pd.Categorical(labels)


# --------------------------------------------------------------------------
# JdCov


def _centred_kernel_factors(
    enc: _Encoded, estimator: Estimator
) -> list[tuple[Callable[..., FloatArray], FloatArray, float, bool]]:
    """Per attribute: distance block function, row sums, total, categorical flag."""
    out = []
    for kind, code, lev, val in zip(
        enc.kinds, enc.codes, enc.levels, enc.values, strict=True
    ):
        if kind == "categorical":
            assert code is not None
            onehot = np.eye(lev)[code]
            counts = np.bincount(code, minlength=lev)
            row = _SQRT2 * (enc.n - counts[code])
            out.append(
                (_euclid_block(onehot), row.astype(np.float64), float(row.sum()), True)
            )
        else:
            assert val is not None
            srt_o = np.argsort(val)
            srt = _Sorted(val[srt_o])
            row = np.empty(enc.n)
            row[srt_o] = srt.ones_abs()
            out.append((_euclid_block(val[:, None]), row, float(row.sum()), False))
    del estimator
    return out


def _jd_kernel(
    enc: _Encoded, c: float, estimator: Estimator
) -> Callable[[NDArray[np.intp], NDArray[np.intp]], FloatArray]:
    r"""Block function of :math:`-\prod_i (\hat U_i + c)` (a 'distance' for dCov).

    :math:`\hat U_i = -\text{centred distance}`; double centring for V, U
    centring for U (Chakraborty and Zhang's :math:`\hat U`).
    """
    n = enc.n
    factors = _centred_kernel_factors(enc, estimator)

    def block(rows: NDArray[np.intp], cols: NDArray[np.intp]) -> FloatArray:
        prod = np.ones((rows.size, cols.size))
        for fn, row, tot, _ in factors:
            d = fn(rows, cols)
            if estimator == "V":
                cen = d - row[rows, None] / n - row[None, cols] / n + tot / n**2
            else:
                cen = (
                    d
                    - row[rows, None] / (n - 2)
                    - row[None, cols] / (n - 2)
                    + tot / ((n - 1) * (n - 2))
                )
            prod *= c - cen
        return -prod

    return block


def _jd_attribute(
    enc: _Encoded, c: float, estimator: Estimator, method: Method
) -> _Attribute:
    block = _jd_kernel(enc, c, estimator)
    if method != "blocked" and all(k == "categorical" for k in enc.kinds):
        cells, _ = _cells(enc)
        reps = np.array([np.flatnonzero(cells == g)[0] for g in range(cells.max() + 1)])
        dist = block(reps, reps)
        # members of one cell are at distance 0 on every attribute, like a self
        # pair, so the kernel's diagonal (used by V only) is the cell's value
        diag = np.diag(dist)[cells] if estimator == "V" else None
        return _Grouped(cells, dist, diag)
    if method == "fast":
        raise ValueError(
            "method='fast' for jdcov needs categorical attributes only; got kinds "
            f"{list(enc.kinds)}. Use 'auto' or 'blocked'."
        )
    return _Blocked(block, np.arange(enc.n), "JdCov kernel")


def _jd_attribute_part(enc: _Encoded, c: float, estimator: Estimator) -> float:
    """JdCov among the attributes alone (what a model cannot change)."""
    k = len(enc.kinds)
    if k < 2:
        return 0.0
    block = _jd_kernel(enc, c, estimator)
    n = enc.n
    if all(kind == "categorical" for kind in enc.kinds):
        cells, _ = _cells(enc)
        counts = np.bincount(cells).astype(np.float64)
        reps = np.array([np.flatnonzero(cells == g)[0] for g in range(counts.size)])
        m = -block(reps, reps)  # product kernel between members of two cells
        total = float(counts @ m @ counts)
        if estimator == "U":
            total -= float(counts @ np.diag(m))
    else:
        step = max(1, _BLOCK_ELEMENTS // n)
        total = 0.0
        idx = np.arange(n)
        for i0 in range(0, n, step):
            rows = idx[i0 : i0 + step]
            m = -block(rows, idx)
            if estimator == "U":
                m[np.arange(rows.size), rows] = 0.0
            total += float(m.sum())
    if estimator == "V":
        return total / n**2 - c**k
    return total / (n * (n - 3)) - c**k * (n - 1) / (n - 3)


def jdcov(
    y_pred: ArrayLike,
    sensitive_features: object,
    *,
    c: float = 1.0,
    estimator: Estimator = "U",
    categorical: Sequence[str] | Literal["auto"] = "auto",
    method: Method = "auto",
    test: Literal["permutation"] | None = None,
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
) -> DistanceStatistic:
    r"""Joint distance covariance of the prediction and the protected attributes.

    Chakraborty and Zhang's JdCov with constant ``c`` for the variables
    :math:`(\hat y, S_1, \dots, S_K)`:

    .. math:: JdCov^2 = \frac{1}{n^2}\sum_{k,l} \prod_{i=0}^{K}
              (\hat U_i(k,l) + c) - c^{K+1}

    (V form, :math:`\hat U_i` the negated double-centred distance matrix; the
    U form uses U-centred matrices over :math:`k \neq l`, divided by
    :math:`n(n-3)`, minus :math:`c^{K+1}(n-1)/(n-3)`). It splits into the
    **model part**, the terms containing :math:`\hat y`, which equals a
    distance covariance of :math:`\hat y` with the kernel
    :math:`-\prod_{i \ge 1}(\hat U_i + c)`, and the **attribute part**,
    ``c`` times the JdCov of the attributes alone, which no model can change.

    Parameters
    ----------
    y_pred : array-like of shape (n,)
    sensitive_features : DataFrame, Series or array-like
        As in :func:`ccdcov`; categorical attributes enter through their
        one-hot distance, continuous ones min-max scaled.
    c : float, default=1.0
        Weight of lower-order terms (> 0).
    estimator : {"U", "V"}, default="U"
    categorical : sequence of str or "auto", default="auto"
    method : {"auto", "fast", "blocked"}, default="auto"
        Categorical-only attributes use the grouped path; otherwise blocked.
    test : {"permutation"} or None, default=None
        Permutation test of the model part (permuting the prediction).
    n_permutations : int, default=199
    random_state : int, Generator or None, default=None

    Returns
    -------
    DistanceStatistic
        ``name="JdCov^2"``, ``estimate`` the full JdCov, ``components``
        ``(("model_part", ...), ("attribute_part", ...))``; ``se`` is NaN
        (the kernel depends on all rows, so the leave-one-out shortcut does
        not apply).

    Raises
    ------
    ValueError
        As :func:`ccdcov`, and ``c <= 0``.

    References
    ----------
    .. [1] Chakraborty, S. and Zhang, X. (2019). Distance metrics for
       measuring joint dependence with application to causal inference.
       J. Amer. Statist. Assoc. 114.

    Examples
    --------
    >>> res = jdcov([0.1, 0.2, 0.8, 0.9, 0.3, 0.7], ["a", "a", "b", "b", "a", "b"],
    ...             estimator="V")
    >>> round(res.estimate, 4) == round(
    ...     ccdcov([0.1, 0.2, 0.8, 0.9, 0.3, 0.7], ["a", "a", "b", "b", "a", "b"],
    ...            estimator="V", test=None).estimate, 4)
    True
    """
    xa = _as_prediction(y_pred, "y_pred")
    n = xa.size
    _check_common(estimator, method, n, None)
    if method == "naive":
        raise ValueError(
            "jdcov supports method 'auto', 'fast' or 'blocked'; got 'naive'."
        )
    if not (isinstance(c, int | float) and c > 0 and math.isfinite(c)):
        raise ValueError(f"c must be a finite number > 0; got {c!r}.")
    enc = _encode(sensitive_features, n, categorical=categorical)
    attr = _jd_attribute(enc, float(c), estimator, method)
    model = _evaluate(xa, attr, estimator, need_grad=False).value
    # the full product splits as model part + c * JdCov(attributes alone)
    attribute_part = c * _jd_attribute_part(enc, float(c), estimator)
    if test == "permutation":
        pvalue = _permutation_pvalue(
            xa, attr, estimator, model, n_permutations, random_state
        )
        statistic = model
    elif test is None:
        pvalue = statistic = math.nan
    else:
        raise ValueError(f"test must be 'permutation' or None for jdcov; got {test!r}.")
    method_s = f"{estimator}; c={c:g}; {attr.kind}; se=none"
    if test is not None:
        method_s += f"; test=permutation ({n_permutations})"
    return DistanceStatistic(
        name="JdCov^2",
        estimate=float(model + attribute_part),
        se=math.nan,
        statistic=float(statistic),
        pvalue=float(pvalue),
        method=method_s,
        n=n,
        estimator=estimator,
        components=(
            ("model_part", float(model)),
            ("attribute_part", float(attribute_part)),
        ),
    )


# --------------------------------------------------------------------------
# penalty interface used by the GLM


class _Penalty:
    """D(prediction, S) and its gradient for a fixed set of attributes."""

    def __init__(
        self,
        kind: Literal["dcov", "ccdcov", "jdcov"],
        enc: _Encoded,
        estimator: Estimator,
        c: float = 1.0,
    ) -> None:
        if kind == "jdcov":
            self.attrs = [_jd_attribute(enc, c, estimator, "auto")]
        elif kind == "dcov":
            # marginal parity: the sum of dCov^2 with each attribute separately
            self.attrs = [
                _concat_attribute(_subset(enc, i), "auto")
                for i in range(len(enc.kinds))
            ]
        else:
            self.attrs = [_concat_attribute(enc, "auto")]
        self.estimator = estimator

    def __call__(self, pred: FloatArray) -> tuple[float, FloatArray]:
        value, grad = 0.0, np.zeros(pred.size)
        for attr in self.attrs:
            ev = _evaluate(pred, attr, self.estimator, need_grad=True)
            assert ev.gradient is not None
            value += ev.value
            grad += ev.gradient
        return value, grad


def _subset(enc: _Encoded, i: int) -> _Encoded:
    return _Encoded(
        enc.names[i : i + 1],
        enc.kinds[i : i + 1],
        enc.codes[i : i + 1],
        enc.levels[i : i + 1],
        enc.values[i : i + 1],
        enc.n,
    )
