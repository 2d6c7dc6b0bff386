r"""Per-level balance counts over the sorted predictions: the categorical core.

For predictions sorted once (:class:`~fairness._dcov._sorted._Sorted`) and
attribute levels ``g``, the balance of level ``l`` at row ``k`` is

.. math:: \Delta_l(k) = \sum_{j:\, g_j = l} w_j\,\mathrm{sign}(x_k - x_j),

(rows below ``x_k`` minus rows above it, tied rows counting zero). Every
pair sum of a categorical attribute with a level distance matrix ``D``
follows from it: :math:`h_k = \sum_l D_{g_k l} \Delta_l(k)` (weights one),
:math:`\sum_j \mathrm{sign}(x_k - x_j) \beta_{g_j} = \sum_l \beta_l
\Delta_l(k)`, and, with weights ``x``, :math:`r_k = \sum_j |x_k - x_j|
D_{g_k g_j} = x_k h_k - \sum_l D_{g_k l} \Delta^x_l(k)`. The pair total
needs no ``x``-weighted sums at all: :math:`\sum_k r_k = 2 \sum_k x_k h_k`
(each unordered pair appears twice with opposite signs). One cumulative sum
of the level indicators, in chunks of levels so that memory stays O(n)
(docs/methodology.md section 10.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._common import FloatArray
from ._sorted import _Sorted

_CHUNK_ELEMENTS = 1 << 21  # about 16 MB per (rows, levels) float block


def _level_chunks(n: int, n_levels: int) -> Iterator[tuple[int, int]]:
    width = max(1, min(n_levels, _CHUNK_ELEMENTS // max(n, 1)))
    for lo in range(0, n_levels, width):
        yield lo, min(lo + width, n_levels)


def _signed(
    xs: _Sorted, m: FloatArray, t: NDArray[np.intp], idx: NDArray[np.intp]
) -> FloatArray:
    """``sum_j sign(x_k - x_j) m[t, j]`` at rows ``k = idx`` (rows of ``m``: ``t``)."""
    cs = np.cumsum(m, axis=1)  # (levels, n), contiguous prefix sums
    total = cs[:, -1]
    if xs.no_ties:
        at = cs[t, idx]
        return 2.0 * at - m[t, idx] - total[t]
    gid = xs._gid[idx]
    first, last = xs._gstart[gid], xs._glast[gid]
    below = np.where(first > 0, cs[t, np.maximum(first - 1, 0)], 0.0)
    return below - (total[t] - cs[t, last])


def _h_from_counts(xs: _Sorted, g: NDArray[np.intp], dist: FloatArray) -> FloatArray:
    """``h`` from integer prefix counts of the level indicators (the fast case)."""
    n, n_levels = xs.n, dist.shape[0]
    counts = np.bincount(g, minlength=n_levels).astype(np.float64)
    h = -(dist @ counts)[g]  # the -N_l term of every balance
    for lo, hi in _level_chunks(n, n_levels):
        levels = np.arange(lo, hi)
        cum = np.cumsum(g[None, :] == levels[:, None], axis=1, dtype=np.int32)
        if xs.no_ties:
            # balance: 2 C_l(k) - [g_k = l] - N_l, C inclusive
            both = 2 * cum
        else:
            first, last = xs._gstart, xs._glast
            below = np.zeros((hi - lo, first.size), dtype=np.int32)
            below[:, 1:] = cum[:, first[1:] - 1]
            both = (below + cum[:, last])[:, xs._gid]
        h += np.einsum("ln,ln->n", dist[lo:hi][:, g], both, dtype=np.float64)
    if xs.no_ties:
        h -= dist[g, g]
    return h


def level_sums(
    xs: _Sorted,
    codes: NDArray[np.integer[Any]],
    dist: FloatArray,
    *,
    need_r: bool = False,
) -> tuple[FloatArray, FloatArray | None]:
    r"""``h`` and (``need_r``) ``r`` in sorted order.

    ``h[k] = sum_j sign(x_k - x_j) dist[g_k, g_j]`` and
    ``r[k] = sum_j |x_k - x_j| dist[g_k, g_j]``. For each level ``l`` of
    the row, the prefix sums of ``dist[l, g_j]`` over the sorted rows: O(n G)
    time, at most ``_CHUNK_ELEMENTS`` floats at a time.
    """
    n, n_levels = xs.n, dist.shape[0]
    g = codes.astype(np.intp, copy=False)
    h = np.empty(n)
    hx = np.empty(n) if need_r else None
    if hx is None:
        return _h_from_counts(xs, g, dist), None
    for lo, hi in _level_chunks(n, n_levels):
        idx = np.flatnonzero((g >= lo) & (g < hi))
        t = g[idx] - lo
        m = dist[lo:hi][:, g]  # (chunk, n): distance of each row to level l
        h[idx] = _signed(xs, m, t, idx)
        if hx is not None:
            m *= xs.xs
            hx[idx] = _signed(xs, m, t, idx)
    r = None if hx is None else xs.xs * h - hx
    return h, r
