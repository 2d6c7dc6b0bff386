r"""One categorical and one continuous attribute concatenated: the penalty path.

CCdCov of a prediction with a categorical attribute (cells ``g``) and one
min-max scaled continuous attribute ``v`` uses the distance

.. math:: b_{ij} = \sqrt{2\,[g_i \ne g_j] + (v_i - v_j)^2}.

Inside a cell this is :math:`|v_i - v_j|`, and the pair sums are the exact
merge-sort sums of the continuous path restricted to the cell. Across cells
it is the smooth function :math:`\sqrt{2 + t}` of :math:`t = (v_i - v_j)^2
\in [0, 1]`, replaced by its degree-10 Chebyshev interpolant :math:`P(t)`
(maximum error about 3e-13, measured at construction and stated in the
method label). :math:`P((v_i - v_j)^2)` expands into powers
:math:`v_i^p v_j^q`, so every cross-cell sum (:math:`\sum_j |x_i - x_j|
b_{ij}`, :math:`\sum_j \mathrm{sign}(x_i - x_j) b_{ij}`, :math:`\sum_j
b_{ij}`) is a prefix sum over the sorted predictions with weights
:math:`v_j^q`: O(n log n) for the value and the gradient, O(n) memory,
against O(n^2) for the blocked evaluator (docs/methodology.md section 10.2).
Used by the penalised GLMs and :func:`fairness._dcov.dcov_gradient`; the
public statistics keep the exact blocked evaluator for this case.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial import Chebyshev, Polynomial
from numpy.typing import NDArray

from ._backends import _Attribute, _Pieces
from ._common import FloatArray
from ._kernels import concordance, concordance_rows, poly_sums, ranks
from ._sorted import _Sorted

_DEGREE = 10  # Chebyshev degree in t = (v_i - v_j)^2; error about 3e-13


def _cross_polynomial(gap2: float) -> tuple[FloatArray, float]:
    """Power coefficients of P(t) ~ sqrt(gap2 + t) on [0, 1] and the max error."""
    cheb = Chebyshev.interpolate(
        lambda t: np.sqrt(gap2 + t), _DEGREE, domain=[0.0, 1.0]
    )
    coef = np.asarray(cheb.convert(kind=Polynomial).coef, dtype=np.float64)
    grid = np.linspace(0.0, 1.0, 4001)
    err = float(np.abs(Polynomial(coef)(grid) - np.sqrt(gap2 + grid)).max())
    return coef, err


def _alpha_matrix(coef: FloatArray) -> FloatArray:
    r"""``C[e, q]`` with :math:`P((u_i - u_j)^2) = \sum_{e,q} u_i^e C_{eq} u_j^q`."""
    deg = coef.size - 1
    out = np.zeros((2 * deg + 1, 2 * deg + 1))
    for m, pm in enumerate(coef):
        for q in range(2 * m + 1):
            out[2 * m - q, q] += pm * math.comb(2 * m, q) * (-1.0) ** q
    return out


def _powers(u: FloatArray) -> FloatArray:
    """``u**q`` for q = 0..2 * degree as rows (q, n)."""
    out = np.empty((2 * _DEGREE + 1, u.size))
    out[0] = 1.0
    for q in range(1, out.shape[0]):
        np.multiply(out[q - 1], u, out=out[q])
    return out


class _CellsAndContinuous(_Attribute):
    """Cells ``codes`` (G levels) and one continuous column ``v`` in [0, 1]."""

    kind = "mixed"

    def __init__(
        self,
        codes: NDArray[np.intp],
        n_levels: int,
        v: FloatArray,
        *,
        _state: tuple[FloatArray, ...] | None = None,
        _ry: NDArray[np.int64] | None = None,
        _poly: tuple[FloatArray, float] | None = None,
        _rows: tuple[NDArray[np.intp], FloatArray, FloatArray] | None = None,
    ) -> None:
        self.codes = codes.astype(np.intp, copy=False)
        self.n_levels = n_levels
        if _state is None or _ry is None or _poly is None:
            u = v - 0.5  # |u| <= 1/2 bounds the binomial expansion
            coef, err = _cross_polynomial(2.0)
            _poly = (np.ascontiguousarray(_alpha_matrix(coef).T), err)
            powers = _powers(u)
            alpha = _poly[0] @ powers
            order = np.lexsort((u, self.codes))
            same = np.empty(u.size)
            same[order] = _Sorted(u[order], self.codes[order]).ones_abs()
            cell_sums = np.zeros((n_levels, powers.shape[0]))
            np.add.at(cell_sums, self.codes, powers.T)
            cross = powers.sum(axis=1)[:, None] - cell_sums[self.codes].T
            # sum_j b_ij: exact inside the cell, polynomial across cells
            b_row = same + np.einsum("qi,qi->i", alpha, cross)
            _state = (u, b_row, same)
            _ry = ranks(u)[0]
            # constant across calls (L-BFGS steps): powers and alpha by row,
            # (n, q) C-contiguous for the compiled pass
            _rows = (
                np.arange(u.size),
                np.ascontiguousarray(powers.T),
                np.ascontiguousarray(alpha.T),
            )
        assert _rows is not None
        self.u, self.b_row, self.same_row = _state
        self.ry = _ry
        self.poly = _poly  # (C^T, max error): alpha = C^T @ powers
        self.rows, self.powers_by_row, self.alpha_by_row = _rows

    def take(self, idx: NDArray[np.intp]) -> _CellsAndContinuous:
        return _CellsAndContinuous(
            self.codes[idx],
            self.n_levels,
            np.empty(0),
            _state=(self.u[idx], self.b_row[idx], self.same_row[idx]),
            _ry=self.ry[idx],
            _poly=self.poly,
            _rows=(self.rows[idx], self.powers_by_row, self.alpha_by_row),
        )

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        if need_jack:
            raise NotImplementedError(
                "the mixed penalty path has no jackknife; the public statistics "
                "use the exact blocked evaluator"
            )
        codes = self.codes
        p2 = np.argsort(codes, kind="stable")  # cells, x order inside
        within = _Sorted(xs.xs[p2], codes[p2], distinct=xs.no_ties)
        t1_same, h_same_w = self._within(within, codes[p2], p2, need_h)
        cross_t1, h_all, h_in = self._cross(xs, within, p2, need_h)
        h = None
        if need_h:
            assert h_same_w is not None and h_all is not None and h_in is not None
            h = h_all
            h[p2] += h_same_w - h_in
        label = (
            f"mixed ({self.n_levels} cells + 1 continuous; cross-cell distance "
            f"polynomial, max error {self.poly[1]:.0e})"
        )
        return _Pieces(self.b_row, None, h, t1=t1_same + cross_t1, label=label)

    def _cross(
        self, xs: _Sorted, within: _Sorted, p2: NDArray[np.intp], need_h: bool
    ) -> tuple[float, FloatArray | None, FloatArray | None]:
        """Polynomial sums over all pairs minus those inside the cells.

        Compiled (one O(n q) pass each, on the cached powers) when numba is
        installed, else vectorised (q, n) prefix sums.
        """
        rows, pw, al = self.rows, self.powers_by_row, self.alpha_by_row
        seg_w = self.codes[p2]
        fast_all = poly_sums(xs.xs, np.zeros(xs.n, dtype=np.int64), rows, pw, al)
        if fast_all is not None:
            fast_in = poly_sums(within.xs, seg_w, rows[p2], pw, al)
            assert fast_in is not None
            return fast_all[0] - fast_in[0], fast_all[1], fast_in[1]
        powers, powers_w = pw[rows].T, pw[rows[p2]].T
        alpha, alpha_w = al[rows].T, al[rows[p2]].T
        abs_all, sign_all = xs.abs_sign_sums(powers)
        abs_in, sign_in = within.abs_sign_sums(powers_w)
        cross_t1 = float(np.einsum("qi,qi->", alpha, abs_all))
        cross_t1 -= float(np.einsum("qi,qi->", alpha_w, abs_in))
        if not need_h:
            return cross_t1, None, None
        h_all = np.einsum("qi,qi->i", alpha, sign_all)
        return cross_t1, h_all, np.einsum("qi,qi->i", alpha_w, sign_in)

    def _within(
        self,
        within: _Sorted,
        seg: NDArray[np.intp],
        p2: NDArray[np.intp],
        need_h: bool,
    ) -> tuple[float, FloatArray | None]:
        """Exact sums of |x_i - x_j| |u_i - u_j| over pairs in one cell."""
        x, u = within.xs, self.u[p2]
        n = x.size
        # ranks of (cell descending, u): an earlier row of another cell never counts
        key = (self.n_levels - 1 - seg).astype(np.int64) * (n + 1) + self.ry[p2]
        counts = np.bincount(seg, minlength=self.n_levels).astype(np.float64)
        sx, su = np.bincount(seg, x, self.n_levels), np.bincount(seg, u, self.n_levels)
        sxu = np.bincount(seg, x * u, self.n_levels)
        p_cells = float(np.sum(counts * sxu - sx * su))
        if not need_h:
            return 2.0 * (2.0 * concordance(key, x, u) - p_cells), None
        # one merge gives the concordant total and the lower-left sums of u
        if within.no_ties:
            f_ll, g_ll = concordance_rows(key, x, u)
        else:
            o2 = np.lexsort((-key, within._gid))
            f_ll, g_ll = np.empty(n), np.empty(n)
            f_ll[o2], g_ll[o2] = concordance_rows(key[o2], x[o2], u[o2])
        t1 = 2.0 * (2.0 * float(f_ll.sum()) - p_cells)
        lx0, _ = within._less_greater(np.ones(n))
        lxu, _ = within._less_greater(u)
        below = 2 * g_ll - (u * lx0 - lxu)
        tied: float | FloatArray = 0.0
        if not within.no_ties:
            gid = within._gid
            p3 = np.lexsort((u, gid))
            tied = np.empty(n)
            tied[p3] = _Sorted(u[p3], gid[p3]).ones_abs()
        above = self.same_row[p2] - below - tied
        return t1, below - above
