r"""The boosted objective's penalty, tracked from one round to the next.

Every boosting round of the fair boosted scorecard adds one depth-1 stump:
the margin of a row moves by one of the stump's two leaf values. Rows whose
margins tied before the round and fall in the same leaf tie after it, and
the rows of one leaf keep their order. :class:`TrackedPenalty` uses this to
avoid sorting all predictions every round:

* the rows are kept as **tie groups** of equal margin (without offset), with
  the sorted distinct margins. A round's new groups are the (old group, leaf)
  pairs, the leaf read from the margin's change (two values: split at their
  midpoint); the pairs of one leaf are already in order, so the new order is
  a merge of two sorted runs (a stable sort of the concatenated runs finds
  them in linear time), and equal values of the two runs are joined. Every
  round checks that all rows of a pair share one margin; if not (a missed
  call, rounding, more than two leaf values) the groups are rebuilt by a
  full sort. The grouping is a speed hint only: the values are exact.
* with **categorical attributes** (every penalty kind on categorical
  columns: the cells of their intersection with a cell-to-cell distance
  matrix ``D``, the marginal ``"dcov"`` sum folded in as ``D = sum_a D_a``
  since dCov^2 is linear in the attribute's distances), every pair sum of
  :mod:`fairness._dcov._engine` is a sum over tie groups and cells:

  .. math::

      \Delta_{tl} = \#\{j: g_j = l, x_j < x_t\} - \#\{j: g_j = l, x_j > x_t\},
      \quad h_{tm} = \sum_l D_{ml} \Delta_{tl},

  ``h`` the sign sums of the rows of cell ``m`` in group ``t``, from one
  cumulative sum over the groups (docs/methodology.md section 10.7 for the
  row version). The cost per round is a few vector operations over the rows
  and O(u G) over ``u`` groups and ``G`` cells; the inverse link and the
  chain rule are applied per group. On SimuCredit resampled to 100,000 rows
  the boosted predictions take about 17,000 distinct values after 200
  rounds.
* other attributes (continuous columns) go through the evaluators of
  :mod:`fairness._dcov` row by row, with the sort order carried over from
  the previous round by the same two-run merge.

Nothing here changes the penalty: value and gradient equal
:class:`fairness._dcov._penalty._Penalty`'s on the same predictions (tested
to 1e-9 relative).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from .._dcov._backends import _Categorical, _Grouped
from .._dcov._common import _SQRT2, Estimator, FloatArray
from .._dcov._engine import _coefficients, _combine
from .._dcov._inputs import _Encoded
from .._dcov._penalty import PenaltyKind, _Penalty

__all__ = ["TrackedPenalty", "link_derivatives"]

IntArray = NDArray[np.intp]
Family = Literal["binomial", "poisson", "gaussian"]
Scale = Literal["probability", "logit"]

_CHUNK = 1 << 20  # floats per temporary (pairs x cells) block
_FULL_CELLS = 8  # up to this many cells, h for every (cell, group)
_DENSE = 2  # cells path while (groups x cells) <= _DENSE x rows


def link_derivatives(
    family: Family, scale: Scale, lin: FloatArray
) -> tuple[FloatArray, FloatArray | None, FloatArray | None]:
    """Penalised prediction of margins ``lin`` and its two derivatives.

    ``None`` for a derivative means the constant 1 (first) or 0 (second):
    the margin scale and the Gaussian family.
    """
    if scale == "logit" or family == "gaussian":
        return lin, None, None
    if family == "binomial":
        p = expit(lin)
        d1 = p * (1.0 - p)
        return p, d1, d1 * (1.0 - 2.0 * p)
    rate = np.exp(np.minimum(lin, 700.0))
    return rate, rate, rate


def _upper_leaf(step: FloatArray) -> NDArray[np.bool_] | None:
    """Rows the round's stump moved by its larger leaf value; None for one value.

    The two leaf values are split at their midpoint.
    """
    lo, hi = float(step.min()), float(step.max())
    return step > 0.5 * (lo + hi) if hi > lo else None


def _run_starts(sorted_values: FloatArray) -> NDArray[np.bool_]:
    """True where a run of equal values starts in a sorted array."""
    starts = np.empty(sorted_values.size, dtype=bool)
    starts[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=starts[1:])
    return starts


def _dot(a: FloatArray, b: FloatArray) -> float:
    """``a . b`` without BLAS (a threaded BLAS call is slow on a busy machine)."""
    return float(np.einsum("i,i->", a, b))


def _joint_cells(
    codes: list[IntArray], n_levels: list[int]
) -> tuple[IntArray, list[IntArray]]:
    """The cells of the intersection of categorical codes, and their levels.

    Returns the cell of every row (cells numbered in the order of the
    mixed-radix key ``(code_1, code_2, ...)``) and, per attribute, the level
    of every cell.
    """
    joint = np.zeros(codes[0].size, dtype=np.int64)
    for code, levels in zip(codes, n_levels, strict=True):
        joint = joint * levels + code
    space = int(np.prod([float(v) for v in n_levels]))
    if space <= 4 * joint.size:
        present = np.bincount(joint, minlength=space) > 0
        uniq = np.flatnonzero(present)
        cells = (np.cumsum(present) - 1)[joint].astype(np.intp)
    else:
        uniq, inverse = np.unique(joint, return_inverse=True)
        cells = inverse.reshape(-1).astype(np.intp)
    own = []
    rest = uniq.copy()
    for levels in reversed(n_levels):
        own.append((rest % levels).astype(np.intp))
        rest //= levels
    return cells, own[::-1]


class _TieGroups:
    """Rows grouped by equal margin, sorted, updated one stump at a time."""

    def __init__(self) -> None:
        self.lin: FloatArray | None = None
        self.gid: IntArray = np.empty(0, dtype=np.intp)  # group of each row
        self.vals: FloatArray = np.empty(0)  # distinct margins, increasing
        self.rebuilds = 0

    def update(self, lin: FloatArray) -> None:
        """Groups of ``lin`` (kept by reference: the caller must not modify it)."""
        if self.lin is None or not self._advance(lin):
            self.vals, gid = np.unique(lin, return_inverse=True)
            self.gid = gid.reshape(-1).astype(np.intp, copy=False)
            self.rebuilds += 1
        self.lin = lin

    def _advance(self, lin: FloatArray) -> bool:
        assert self.lin is not None
        u = self.vals.size
        upper = _upper_leaf(lin - self.lin)
        if upper is not None:
            key = self.gid * 2
            key += upper
            width = 2
        else:
            key, width = self.gid, 1
        value = np.full(u * width, np.nan)
        value[key] = lin
        if not np.array_equal(value[key], lin):
            return False
        present = np.flatnonzero(~np.isnan(value))
        if width == 2:
            # each leaf's pairs are in order: two sorted runs
            odd = (present & 1).astype(bool)
            present = np.concatenate([present[~odd], present[odd]])
        ordered = present[np.argsort(value[present], kind="stable")]
        vs = value[ordered]
        new = _run_starts(vs)
        remap = np.empty(u * width, dtype=np.intp)
        remap[ordered] = np.cumsum(new) - 1
        self.gid = remap[key]
        self.vals = vs[new]
        return True


class _Cells:
    """Categorical attributes as cells with a cell distance matrix."""

    def __init__(
        self,
        codes: IntArray,
        dist: FloatArray,
        diag: FloatArray,
        estimator: Estimator,
    ) -> None:
        n, n_cells = codes.size, dist.shape[0]
        self.codes = codes
        self.dist = dist
        self.counts = np.bincount(codes, minlength=n_cells).astype(np.float64)
        # row sums of the attribute distances (self pair excluded; b_kk for V)
        beta = dist @ self.counts - np.diag(dist)
        if estimator == "V":
            beta = beta + diag
        self.beta = beta
        self.b_total = float(self.counts @ beta)
        self.estimator = estimator
        self.n = n

    @classmethod
    def from_encoded(
        cls, kind: PenaltyKind, enc: _Encoded, estimator: Estimator
    ) -> _Cells:
        """The cells of categorical attributes for ``"dcov"`` or ``"ccdcov"``.

        ``"ccdcov"``: the distance of the concatenated one-hot columns,
        ``sqrt(2 x number of attributes that differ)``; ``"dcov"`` (the sum
        over attributes): ``sqrt(2) x number of attributes that differ``.
        """
        codes = [c for c in enc.codes if c is not None]
        if kind == "jdcov" or len(codes) != len(enc.kinds):
            raise ValueError(f"no cells for penalty {kind!r} on kinds {enc.kinds}.")
        cells, own = _joint_cells(codes, list(enc.levels))
        n_cells = own[0].size
        n_diff = np.zeros((n_cells, n_cells))
        for level in reversed(own):
            n_diff += level[:, None] != level[None, :]
        dist = _SQRT2 * n_diff if kind == "dcov" else np.sqrt(2.0 * n_diff)
        return cls(cells, dist, np.zeros(n_cells), estimator)

    @classmethod
    def from_penalty(cls, penalty: _Penalty) -> _Cells | None:
        """The cells of a penalty's attributes; None if one is not categorical."""
        parts = []
        for attr in penalty.attrs:
            if isinstance(attr, _Categorical):
                k = attr.n_levels
                codes = attr.codes.astype(np.intp)
                dist = attr.scale * (1.0 - np.eye(k))
                parts.append((codes, dist, np.zeros(k)))
            elif isinstance(attr, _Grouped):
                codes = attr.codes.astype(np.intp)
                k = attr.dist.shape[0]
                diag = np.zeros(k)
                if attr.diag is not None:
                    diag[codes] = attr.diag
                    if not np.array_equal(diag[codes], attr.diag):
                        return None
                parts.append((codes, attr.dist, diag))
            else:
                return None
        # joint cells of all parts; each part's distance summed (linear in b)
        cells, own = _joint_cells(
            [codes for codes, _, _ in parts], [dist.shape[0] for _, dist, _ in parts]
        )
        n_cells = own[0].size
        total = np.zeros((n_cells, n_cells))
        diag_total = np.zeros(n_cells)
        for (_, dist, diag), level in reversed(list(zip(parts, own, strict=True))):
            total += dist[np.ix_(level, level)]
            diag_total += diag[level]
        return cls(cells, total, diag_total, penalty.estimator)

    def evaluate(
        self,
        groups: _TieGroups,
        link: tuple[FloatArray, FloatArray | None, FloatArray | None],
        factor: float,
    ) -> tuple[float, FloatArray, FloatArray | None]:
        """D and, per row, ``factor`` times dD/d(margin) and |dD/dp g''|.

        The second is None where g'' = 0. Group arrays are (cells, groups).
        """
        p, d1, d2 = link
        n_cells, u = self.dist.shape[0], groups.vals.size
        flat = self.codes * u
        flat += groups.gid
        k = np.bincount(flat, minlength=n_cells * u).astype(np.float64)
        k = k.reshape(n_cells, u)
        # groups of equal prediction (the inverse link can join margins)
        joined = _run_starts(p)
        if joined.all():
            value, grad = self._sums(k, p)
        else:
            starts = np.flatnonzero(joined)
            value, grad = self._sums(np.add.reduceat(k, starts, axis=1), p[starts])
            grad = grad[:, np.cumsum(joined) - 1]
        hess = None
        if d2 is not None:
            hess = np.abs(grad * d2)
            hess *= factor
        if d1 is not None:
            grad *= d1
        grad *= factor
        rows = grad.reshape(-1)[flat]
        return value, rows, None if hess is None else hess.reshape(-1)[flat]

    def _sums(self, k: FloatArray, xp: FloatArray) -> tuple[float, FloatArray]:
        """Value and the gradient of every (cell, group) from the group counts."""
        n, est = self.n, self.estimator
        size = k.sum(axis=0)
        cum = np.cumsum(size)
        x = xp - xp[np.searchsorted(cum, n // 2, "right")]  # the median row's
        n_below = cum - size
        sg = 2.0 * n_below + size - n  # sum_j sign(x_t - x_j)
        balance = np.cumsum(k, axis=1)
        balance -= k
        balance *= 2.0
        balance += k
        balance -= self.counts[:, None]  # rows of cell l below minus above
        sign_b = np.einsum("l,lt->t", self.beta, balance)
        h = self._sign_sums(balance, k)
        sx = size * x
        s_below = np.cumsum(sx) - sx
        a_row = x * sg - (2.0 * s_below - (float(sx.sum()) - sx))
        t1 = 2.0 * float(np.einsum("t,lt,lt->", x, k, h))
        t2 = float(np.einsum("t,lt,l->", a_row, k, self.beta))
        t3 = _dot(a_row, size) * self.b_total
        value = _combine(t1, t2, t3, n, est)
        c1, c2, c3 = _coefficients(n, est)
        grad = h
        grad *= 2.0 * c1
        grad += c2 * (self.beta[:, None] * sg + sign_b)
        grad += (2.0 * c3 * self.b_total) * sg
        return value, grad

    def _sign_sums(self, balance: FloatArray, k: FloatArray) -> FloatArray:
        """``h[m, t] = sum_l D[m, l] balance[l, t]`` where cell m has rows in t."""
        dist = self.dist
        n_cells, u = balance.shape
        if n_cells <= _FULL_CELLS:
            return np.einsum("ml,lt->mt", dist, balance)
        # many cells: the occupied (cell, group) pairs only (at most n)
        pairs = np.flatnonzero(k.reshape(-1))
        h = np.zeros(n_cells * u)
        step = max(1, _CHUNK // n_cells)
        for lo in range(0, pairs.size, step):
            part = pairs[lo : lo + step]
            m, t = np.divmod(part, u)
            h[part] = np.einsum("lp,pl->p", balance[:, t], dist[m])
        return h.reshape(n_cells, u)


class TrackedPenalty:
    """The penalty of one boosted fit, called once per round on the margins.

    Parameters
    ----------
    penalty : _Penalty or None
        The prepared penalty (attributes, estimator); None with ``cells``.
    family : {"binomial", "poisson", "gaussian"}
        Inverse link of the penalised prediction.
    scale : {"probability", "logit"}
        ``"probability"``: the penalty on the inverse link of the margin;
        ``"logit"``: on the margin.
    cells : _Cells, default=None
        Categorical attributes as cells (see :meth:`prepare`); None: read
        from ``penalty`` when all its attributes are categorical.
    build : callable, default=None
        Builds the ``_Penalty`` when ``penalty`` is None and a round has
        more (groups x cells) than twice the rows (few ties, many cells:
        there the row evaluators cost less than the cell sums).

    Attributes
    ----------
    rebuilds : int
        Rounds whose tie groups or order were rebuilt by a full sort.
    """

    def __init__(
        self,
        penalty: _Penalty | None,
        family: Family,
        scale: Scale,
        cells: _Cells | None = None,
        build: Callable[[], _Penalty] | None = None,
    ) -> None:
        self.penalty = penalty
        self.family: Family = family
        self.scale: Scale = scale
        if cells is None:
            if penalty is None:
                raise ValueError("TrackedPenalty needs a penalty or its cells.")
            cells = _Cells.from_penalty(penalty)
        self.cells = cells
        self._build = build
        self._rows = False  # switched to the row evaluators
        self._groups = _TieGroups()
        self._order: IntArray | None = None
        self._sorted_lin: FloatArray | None = None
        self._rebuilds = 0

    @classmethod
    def prepare(
        cls,
        kind: PenaltyKind,
        enc: _Encoded,
        estimator: Estimator,
        c: float,
        family: Family,
        scale: Scale,
    ) -> TrackedPenalty:
        """The penalty of attributes ``enc``, built for the rounds of a fit.

        Categorical attributes with ``"dcov"`` or ``"ccdcov"`` get their cells
        directly (no row-level attribute evaluator is built); the others go
        through :class:`fairness._dcov._penalty._Penalty`.
        """
        if kind != "jdcov" and all(k == "categorical" for k in enc.kinds):
            cells = _Cells.from_encoded(kind, enc, estimator)

            def build() -> _Penalty:
                return _Penalty(kind, enc, estimator, c)

            return cls(None, family, scale, cells, build)
        return cls(_Penalty(kind, enc, estimator, c), family, scale)

    def state(self) -> tuple[Any, ...]:
        """The grouping / order kept between calls (references, not copies).

        Every call replaces these arrays instead of writing into them, so a
        saved state stays valid; :meth:`restore` puts it back after a
        rejected round (the descent safeguard), so that the retried round is
        again one stump away from the kept grouping.
        """
        g = self._groups
        return (
            self._rows,
            self.penalty,
            g.lin,
            g.gid,
            g.vals,
            self._order,
            self._sorted_lin,
        )

    def restore(self, state: tuple[Any, ...]) -> None:
        """Put back a :meth:`state`."""
        g = self._groups
        (
            self._rows,
            self.penalty,
            g.lin,
            g.gid,
            g.vals,
            self._order,
            self._sorted_lin,
        ) = state

    @property
    def rebuilds(self) -> int:
        """Full sorts so far (tie groups, or the row order of other attributes)."""
        return self._groups.rebuilds + self._rebuilds

    @property
    def method(self) -> str:
        """``"cells"`` (categorical attributes) or the penalty's evaluators."""
        if self.cells is not None:
            return "cells"
        assert self.penalty is not None
        return self.penalty.method

    def __call__(
        self, lin: FloatArray, factor: float = 1.0
    ) -> tuple[float, FloatArray, FloatArray | None]:
        """D of the predictions of margins ``lin`` (without offset).

        Returns the value and, per row, ``factor`` times the derivative of D
        with respect to the margin and ``factor * |dD/dp g''(lin)|`` (None
        where the second derivative of the inverse link is zero). ``lin`` is
        kept until the next call and must not be modified in between (the
        result does not depend on it: it is a hint for the grouping).
        """
        if self.cells is not None and not self._rows:
            self._groups.update(lin)
            u, n_cells = self._groups.vals.size, self.cells.dist.shape[0]
            if u * n_cells <= _DENSE * lin.size:
                link = link_derivatives(self.family, self.scale, self._groups.vals)
                return self.cells.evaluate(self._groups, link, factor)
            # few ties and many cells: the (cell, group) arrays would be
            # sparse; the row evaluators cost less, for the rest of the fit
            # (boosting rarely joins groups again)
            self._rows = True
            if self.penalty is None:
                assert self._build is not None
                self.penalty = self._build()
        assert self.penalty is not None
        p, d1, d2 = link_derivatives(self.family, self.scale, lin)
        value, grad = self.penalty(p, self._sort(lin, p))
        grad *= factor
        hess = None if d2 is None else np.abs(grad * d2)
        if d1 is not None:
            grad *= d1
        return value, grad, hess

    def _sort(self, lin: FloatArray, p: FloatArray) -> IntArray:
        """An order sorting ``p``, from the last round's order when it helps."""
        prev, prev_lin = self._order, self._sorted_lin
        if prev is None or prev_lin is None:
            order = np.argsort(p)
            self._rebuilds += 1
        else:
            upper = _upper_leaf(lin[prev] - prev_lin)
            if upper is not None:
                # the rows of each leaf keep their order: two runs to merge
                prev = prev[np.argsort(upper, kind="stable")]
            order = prev[np.argsort(p[prev], kind="stable")]
        self._order, self._sorted_lin = order, lin[order]
        return order
