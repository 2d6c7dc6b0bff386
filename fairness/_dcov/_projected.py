r"""Several continuous attributes in the penalty: averaging over projections.

For a vector attribute :math:`s \in \mathbb{R}^q` the Euclidean distance is an
average of one-dimensional ones (Huo and Szekely 2016, section 5):

.. math:: \lVert z \rVert = C_q\, E_u |u^\top z|, \qquad
          C_q = \frac{\sqrt\pi\,\Gamma((q+1)/2)}{\Gamma(q/2)},

with :math:`u` uniform on the unit sphere. dCov is linear in the attribute
distance, so :math:`dCov^2(x, s) = C_q E_u\, dCov^2(x, u^\top s)` and the
average over ``K`` fixed directions is an unbiased approximation whose every
term is the exact O(n log n) univariate path (value and gradient). The
directions are fixed (seeded), so the penalty is a deterministic smooth
function for L-BFGS. For ``q = 2`` (two continuous columns, the only case
the penalty uses) the directions are ``K = 32`` equally spaced angles, a
midpoint rule on a periodic integrand with error O(1/K^2): measured
relative error about 1e-4 on the value and 5e-4 on the gradient. Seeded
uniform directions for ``q > 2`` have error O(1/sqrt(K)) (about 25% at
``K = 32`` measured), too large for a penalty, so those cases keep the
blocked evaluator. Measured in tests/fairness/dcov/test_penalty.py and
docs/methodology.md section 10.3. Used by the penalised models only; the
public statistics keep the exact blocked evaluator.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ._backends import _Attribute, _Continuous, _Pieces
from ._common import FloatArray
from ._sorted import _Sorted

N_DIRECTIONS = 32


def _directions(q: int, k: int) -> FloatArray:
    if q == 2:
        theta = (np.arange(k) + 0.5) * math.pi / k
        return np.column_stack([np.cos(theta), np.sin(theta)])
    u = np.random.default_rng(0).normal(size=(k, q))
    return u / np.linalg.norm(u, axis=1, keepdims=True)


def _c_q(q: int) -> float:
    return math.sqrt(math.pi) * math.exp(math.lgamma((q + 1) / 2) - math.lgamma(q / 2))


class _Projected(_Attribute):
    """``C_q / K`` times the sum over directions of univariate attributes."""

    kind = "projected"

    def __init__(
        self,
        matrix: FloatArray | None,
        *,
        n_directions: int = N_DIRECTIONS,
        _parts: list[_Continuous] | None = None,
        _weight: float = 1.0,
    ) -> None:
        if _parts is None:
            assert matrix is not None
            q = matrix.shape[1]
            dirs = _directions(q, n_directions)
            _parts = [_Continuous(matrix @ u) for u in dirs]
            _weight = _c_q(q) / n_directions
        self.parts = _parts
        self.weight = _weight

    def take(self, idx: NDArray[np.intp]) -> _Projected:
        return _Projected(
            None, _parts=[p.take(idx) for p in self.parts], _weight=self.weight
        )

    def pieces(self, xs: _Sorted, need_h: bool, need_jack: bool) -> _Pieces:
        if need_jack:
            raise NotImplementedError(
                "the projected penalty path has no jackknife; the public "
                "statistics use the exact blocked evaluator"
            )
        b_row = np.zeros(xs.n)
        h = np.zeros(xs.n) if need_h else None
        t1 = 0.0
        for part in self.parts:
            p = part.pieces(xs, need_h, False)
            b_row += p.b_row
            assert p.t1 is not None
            t1 += p.t1
            if h is not None:
                assert p.h is not None
                h += p.h
        w = self.weight
        return _Pieces(
            w * b_row,
            None,
            None if h is None else w * h,
            t1=w * t1,
            label=f"projected ({len(self.parts)} directions, approximate)",
        )
