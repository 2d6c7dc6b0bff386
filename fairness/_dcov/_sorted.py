"""Sorted sums over a univariate x: prefix sums and tie groups."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._common import FloatArray


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
            self._seg_start, self._seg_len = seg_start, seg_end - seg_start
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
            self._glen = ends - starts
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
        if self.no_ties and not self.segmented:
            # less - greater = (C - w) - (W - C), C the inclusive prefix sum
            out = np.cumsum(ws)
            total = float(out[-1]) if out.size else 0.0
            out *= 2.0
            out -= ws
            out -= total
            return out
        less, greater = self._less_greater(ws)
        return less - greater

    def less_count(self) -> FloatArray:
        """The number of rows ``j`` with ``x_j < x_k`` (in the segment)."""
        if self.no_ties and not self.segmented:
            return np.arange(self.n, dtype=np.float64)
        return self._less_greater(np.ones(self.n))[0]

    def less_sum(self, ws: FloatArray) -> FloatArray:
        """``sum_j w_j`` over the rows ``j`` with ``x_j < x_k`` (in the segment)."""
        if self.no_ties and not self.segmented:
            out = np.cumsum(ws)
            out -= ws
            return out
        return self._less_greater(ws)[0]

    def sign_abs_sum(self, ws: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``sign_sum(ws)`` and ``abs_sum(ws)``, sharing the sums of ``ws``."""
        sign = self.sign_sum(ws)
        out = self.xs * sign
        out -= self.sign_sum(self.xs * ws)
        return sign, out

    def abs_sum(self, ws: FloatArray) -> FloatArray:
        return self.sign_abs_sum(ws)[1]

    def _less_greater_rows(self, ws: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``_less_greater`` of every row of ``ws`` (q, n), contiguous sums."""
        # rows run contiguously; blocks (segments, tie groups) are contiguous,
        # so their values spread with np.repeat instead of a gather
        cw = np.cumsum(ws, axis=1)
        cwx = cw - ws
        if self.no_ties:
            if self.segmented:
                start, length = self._seg_start, self._seg_len
                first = np.repeat(cwx[:, start], length, axis=1)
                last = np.repeat(cw[:, start + length - 1], length, axis=1)
                return cwx - first, last - cw
            return cwx, cw[:, -1:] - cw
        if self.segmented:
            less_g = cwx[:, self._gstart] - cwx[:, self._gseg_first]
            greater_g = cw[:, self._gseg_last] - cw[:, self._glast]
        else:
            less_g = cwx[:, self._gstart]
            greater_g = cw[:, -1:] - cw[:, self._glast]
        return (
            np.repeat(less_g, self._glen, axis=1),
            np.repeat(greater_g, self._glen, axis=1),
        )

    def abs_sign_sums(self, ws: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``abs_sum`` and ``sign_sum`` of every row of ``ws`` (q, n)."""
        less, greater = self._less_greater_rows(ws)
        xless, xgreater = self._less_greater_rows(self.xs * ws)
        sign = less - greater
        return self.xs * sign - (xless - xgreater), sign

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
