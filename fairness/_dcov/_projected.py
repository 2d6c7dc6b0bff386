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
relative error about 1e-4 on the value and 5e-4 on the gradient. For
``q >= 3`` continuous columns the directions are ``K = 64`` quasi-uniform
points of the unit sphere (an even integrand, so a hemisphere suffices):
for ``q = 3`` a golden-angle (Fibonacci) spiral of equal-area points, for
``q >= 4`` a scrambled Sobol sequence (seed 0) mapped through the normal
quantile and normalised. Independent random directions have error
O(1/sqrt(K)) (about 25% at ``K = 32``); these quasi-uniform sets measured
relative errors of 3e-3 to 6e-3 on the value and about 1e-2 on the
gradient (max norm) for ``q = 3``, and about 7e-2 on the value and 8e-2 to
1.1e-1 on the gradient for ``q = 4`` (n = 400, tests/fairness/dcov/test_penalty.py and
benchmarks/bench_dcov.py, docs/methodology.md sections 10.3-10.4). This path is
**approximate** and used by the penalised models only (a smooth dependence
penalty that is zero at independence); the public statistics
(:func:`fairness.ccdcov` with several continuous columns) keep the
**exact** blocked evaluator, O(n^2) time and O(n) memory.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ._backends import _Attribute, _Continuous, _Pieces
from ._common import FloatArray
from ._sorted import _Sorted

N_DIRECTIONS = 32  # q = 2: equally spaced angles
N_DIRECTIONS_HIGH = 64  # q >= 3: quasi-uniform points of the sphere


def _directions(q: int, k: int) -> FloatArray:
    if q == 2:
        theta = (np.arange(k) + 0.5) * math.pi / k
        return np.column_stack([np.cos(theta), np.sin(theta)])
    if q == 3:
        # golden-angle spiral on the upper hemisphere, equal-area heights
        i = np.arange(k) + 0.5
        height = i / k
        phi = i * math.pi * (3.0 - math.sqrt(5.0))
        ring = np.sqrt(1.0 - height**2)
        return np.column_stack([ring * np.cos(phi), ring * np.sin(phi), height])
    from scipy.stats import norm, qmc

    z = norm.ppf(qmc.Sobol(q, scramble=True, seed=0).random(k))
    return np.asarray(z / np.linalg.norm(z, axis=1, keepdims=True), dtype=np.float64)


def _c_q(q: int) -> float:
    return math.sqrt(math.pi) * math.exp(math.lgamma((q + 1) / 2) - math.lgamma(q / 2))


class _Projected(_Attribute):
    """``C_q / K`` times the sum over directions of univariate attributes."""

    kind = "projected"

    def __init__(
        self,
        matrix: FloatArray | None,
        *,
        n_directions: int | None = None,
        _parts: list[_Continuous] | None = None,
        _weight: float = 1.0,
    ) -> None:
        if _parts is None:
            assert matrix is not None
            q = matrix.shape[1]
            if n_directions is None:
                n_directions = N_DIRECTIONS if q == 2 else N_DIRECTIONS_HIGH
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
