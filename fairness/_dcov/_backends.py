"""Attribute evaluators (backends) of the pair sums, in the sorted order of x."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

from ._common import _BLOCK_ELEMENTS, FloatArray, dot
from ._kernels import concordance, concordance_rows, ranks
from ._levels import level_sums
from ._sorted import _Sorted


@dataclass
class _Pieces:
    """Per-observation sums of one (x, attribute) pair, in x-sorted order."""

    b_row: FloatArray  # sum_j b_kj (j != k)
    r: FloatArray | None  # sum_j a_kj b_kj (None: value only, see t1)
    h: FloatArray | None  # sum_j sign(x_k - x_j) b_kj
    b_diag: FloatArray | None = None  # b_kk when not zero (JdCov kernels, V only)
    apply_b: Callable[[FloatArray], FloatArray] | None = None  # v -> B v (no diag)
    self_r: FloatArray | None = None  # sum_j b_kj^2
    t1: float | None = None  # sum_kj a_kj b_kj when known without r
    sign_b: FloatArray | None = None  # sum_j sign(x_k - x_j) b_row_j when known
    abs_b: FloatArray | None = None  # sum_j |x_k - x_j| b_row_j when known
    b_a: FloatArray | None = None  # sum_j b_kj a_row_j when known (jackknife)
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
        within = None
        own = np.empty(n)  # balance of the row's own level (module _levels)
        if xs.no_ties:
            seg = codes[p2]
            start = np.cumsum(counts) - counts
            own[p2] = 2.0 * (np.arange(n) - start[seg]) - (counts[seg] - 1.0)
        else:
            within = _Sorted(xs.xs[p2], codes[p2])
            own[p2] = within.ones_sign
        sg = xs.ones_sign
        h = c * (sg - own)
        sign_b = abs_b = None
        binary = self.n_levels == 2
        if need_h and binary:
            # the other level's balance is sg - own
            n_own = counts[codes]
            sign_b = n_own * sg
            sign_b += (n - 2.0 * n_own) * own
            sign_b *= c
        r = None
        t1 = None
        if need_jack:
            a_row = xs.ones_abs()
            a_within = self._within_abs(xs.xs, p2, counts)
            r = c * (a_row - a_within)
            if binary:
                # sum_j |x_k - x_j| b_j: the own level's sums are a_within,
                # the other level's a_row - a_within
                n_own = counts[codes]
                abs_b = n_own * a_row
                abs_b += (n - 2.0 * n_own) * a_within
                abs_b *= c
            elif need_h:
                sign_b, abs_b = xs.sign_abs_sum(b_row)
        else:
            t1 = 2.0 * dot(xs.xs, h)  # sum_k r_k (module _levels)

        def apply_b(v: FloatArray) -> FloatArray:
            by_level = np.bincount(codes, weights=v, minlength=self.n_levels)
            return c * (v.sum() - by_level[codes])

        return _Pieces(
            b_row,
            r,
            h if need_h else None,
            apply_b=apply_b,
            self_r=c * b_row,
            t1=t1,
            sign_b=sign_b,
            abs_b=abs_b,
            label="categorical",
        )

    @staticmethod
    def _within_abs(
        xs: FloatArray, p2: NDArray[np.intp], counts: FloatArray
    ) -> FloatArray:
        r"""``sum_j |x_k - x_j|`` over the rows ``j`` of the level of ``k``.

        ``p2`` sorts the rows by level, x order inside (stable), so the rows
        of a level are contiguous: with ``p`` the position of ``k`` in its
        level of ``N`` rows and ``C`` the inclusive prefix sum of ``x`` there,
        the sum is :math:`x_k (2p - N + 2) - 2C + T`, ``T`` the level total.
        Tied rows add zero on either side, so positions serve with ties too.
        """
        n = xs.size
        ends = np.cumsum(counts).astype(np.intp)
        starts = ends - counts.astype(np.intp)
        seg = np.repeat(np.arange(counts.size), counts.astype(np.intp))
        xp = xs[p2]
        csum = np.zeros(n + 1)
        np.cumsum(xp, out=csum[1:])
        base = csum[starts]
        # per level: 2 base + T, and the 2 - N - 2 start part of 2p - N + 2
        level_add = base + csum[ends]
        level_pos = -2.0 * starts - counts + 2.0
        out_sorted = 2.0 * np.arange(n, dtype=np.float64)
        out_sorted += level_pos[seg]
        out_sorted *= xp
        out_sorted -= 2.0 * csum[1:]
        out_sorted += level_add[seg]
        out = np.empty(n)
        out[p2] = out_sorted
        return out


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
        self_d = np.diag(dist)
        beta = dist @ counts - self_d  # row sums, one value per group
        b_row = beta[g]
        # one pass of level balances gives h, the sign sums of b_row and,
        # for the jackknife, r; the total T1 = 2 x . h (module _levels)
        h, r = level_sums(xs, g, dist, need_r=need_jack)
        sign_b = xs.sign_sum(b_row) if need_h else None
        t1 = float(r.sum()) if r is not None else 2.0 * dot(xs.xs, h)
        self_d = self_d[g]

        def apply_b(v: FloatArray) -> FloatArray:
            sums = np.bincount(g, weights=v, minlength=n_groups)
            return (dist @ sums)[g] - self_d * v

        self_r = ((dist**2) @ counts)[g] - self_d**2
        return _Pieces(
            b_row,
            r,
            h if need_h else None,
            b_diag=self.diag,
            apply_b=apply_b,
            self_r=self_r,
            t1=t1,
            sign_b=sign_b,
            label=f"grouped ({n_groups} distinct attribute rows)",
        )


class _Continuous(_Attribute):
    r"""One numeric attribute: ranks and row sums are computed once, then reused.

    ``values`` are centred at their median (accuracy of the moment sums);
    ``ry`` are their dense ranks and ``b_row`` the row sums
    :math:`\sum_j |y_k - y_j|`, all in the current row order, so ``take``
    (the reordering by the sorted predictions) costs three gathers.
    """

    kind = "continuous"

    def __init__(
        self,
        values: FloatArray,
        ry: NDArray[np.int64] | None = None,
        b_row: FloatArray | None = None,
        oy: NDArray[np.intp] | None = None,
        ys: _Sorted | None = None,
    ) -> None:
        if ry is None or b_row is None or oy is None or ys is None:
            values = values - np.median(values)
            ry, oy = ranks(values)
            ys = _Sorted(values[oy])
            b_row = np.empty(values.size)
            b_row[oy] = ys.ones_abs()
        self.values = values
        self.ry = ry
        self.b_row = b_row
        self.oy = oy  # the order of y in the current rows
        self.ys = ys  # y sorted (the same for every row order)

    def take(self, idx: NDArray[np.intp]) -> _Continuous:
        # new position of each old row, so the order of y needs no new sort
        inv = np.empty(idx.size, dtype=np.intp)
        inv[idx] = np.arange(idx.size)
        return _Continuous(
            self.values[idx], self.ry[idx], self.b_row[idx], inv[self.oy], self.ys
        )

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        x = xs.xs
        y = self.values
        n = xs.n
        b_row = self.b_row
        # P = sum over unordered pairs of (x_i - x_j)(y_i - y_j)
        p_all = n * dot(x - x.mean(), y - y.mean())
        self_r = n * y**2 - 2 * y * y.sum() + (y**2).sum()
        if not (need_h or need_jack):
            # value only: T1 = 2 (2 C - P), C the concordant moment
            t1 = 2.0 * (2.0 * concordance(self.ry, x, y) - p_all)
            return _Pieces(b_row, None, None, self_r=self_r, t1=t1, label="continuous")
        if xs.no_ties:
            f_ll, g_ll = concordance_rows(self.ry, x, y)
        else:
            # x ties ordered by decreasing y, so that a tie never counts
            o2 = np.lexsort((-self.ry, xs._gid))
            f_ll, g_ll = np.empty(n), np.empty(n)
            f_ll[o2], g_ll[o2] = concordance_rows(self.ry[o2], x[o2], y[o2])
        t1 = 2.0 * (2.0 * float(f_ll.sum()) - p_all)
        # strict lower sums in x order: count, y, (and for r) x and x y
        cx = xs.less_count()
        y_lx = xs.less_sum(y)
        r = b_a = None
        if need_jack:
            r, b_a = self._jack_rows(xs, f_ll, cx, y_lx)
        h = sign_b = abs_b = None
        if need_h:
            # sum_{x_j < x_k} |y_k - y_j| = 2 (y C_ll - Y_ll) - (y C_lx - Y_lx)
            below = y * cx
            below -= y_lx
            below *= -1.0
            below += 2.0 * g_ll
            h = 2.0 * below
            h -= b_row
            if not xs.no_ties:
                # x ties: the tie group's sum of |y_k - y_j| is in b_row, in
                # neither below nor above
                gid = xs._gid
                p2 = np.lexsort((y, gid))
                tied = np.empty(n)
                tied[p2] = _Sorted(y[p2], gid[p2]).ones_abs()
                h += tied
            if need_jack:
                sign_b, abs_b = xs.sign_abs_sum(b_row)
            else:
                sign_b = xs.sign_sum(b_row)

        def apply_b(v: FloatArray) -> FloatArray:
            out = np.empty(n)
            out[self.oy] = self.ys.abs_sum(v[self.oy])
            return out

        return _Pieces(
            b_row,
            r,
            h,
            apply_b=apply_b,
            self_r=self_r,
            t1=t1,
            sign_b=sign_b,
            abs_b=abs_b,
            b_a=b_a,
            label="continuous",
        )

    def _jack_rows(
        self, xs: _Sorted, f_ll: FloatArray, cx: FloatArray, y_lx: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        r"""``r_k = sum_j |x_k - x_j| |y_k - y_j|`` and ``sum_j |y_k - y_j| a_j``.

        With ``F(S)_k = sum_{j in S} (x_k - x_j)(y_k - y_j)``, the pairs of
        ``k`` with the same sign of both differences add and the others
        subtract: :math:`r_k = 4 F(LL) + F(all) - 2 F(x_j < x_k) - 2
        F(y_j < y_k)`, ``F(LL)`` from the merge, the rest from prefix sums:
        three in x order, and one pass in y order (strict lower sums of
        ``x`` and ``x y``, and the sums against ``a``).
        """
        x, y, n = xs.xs, self.values, xs.n
        xy = x * y
        # F(all) - 2 F(x_j < x_k), term by term
        r = n - 2.0 * cx
        r *= xy
        r -= x * (y.sum() - 2.0 * y_lx)
        r -= y * (x.sum() - 2.0 * xs.less_sum(x))
        r += float(xy.sum())
        r -= 2.0 * xs.less_sum(xy)
        r += 4.0 * f_ll
        # y order: F(y_j < y_k) = x_k U_k - Q_k with U_k = sum (y_k - y_j)
        # and Q_k = sum x_j (y_k - y_j), j over y_j < y_k
        oy, ys = self.oy, self.ys
        yv = ys.xs
        xo = x[oy]
        u = yv * ys.less_count()
        u -= ys.less_sum(yv)
        f_ly = xo * u
        f_ly -= yv * ys.less_sum(xo)
        xo *= yv
        f_ly += ys.less_sum(xo)
        back = np.empty(n)
        back[oy] = f_ly
        back *= 2.0
        r -= back
        b_a = np.empty(n)
        b_a[oy] = ys.abs_sum(xs.ones_abs()[oy])
        return r, b_a


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
