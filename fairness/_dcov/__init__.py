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

Layout of this sub-package (one family per module):

- ``_common``: type aliases and constants;
- ``_sorted``: sorted sums of a univariate ``x``;
- ``_kernels``: the weighted dominance sums (merge sort; numba when installed,
  else numpy);
- ``_backends``: the attribute evaluators listed above;
- ``_mixed``: one categorical plus one continuous attribute (the penalty path);
- ``_engine``: U/V values, gradients, leave-one-out sums, the naive reference;
- ``_inputs``: predictions and protected attributes (through
  :mod:`fairness._sensitive`) to backends;
- ``_results``: :class:`DistanceStatistic`, :class:`DCovGradient`;
- ``_inference``: jackknife results, chi-square and permutation tests;
- ``_functions``: the public dCov / dCor / gradient / CCdCov functions;
- ``_jdcov``: JdCov;
- ``_penalty``: the penalty used by the GLMs and :func:`dcov_gradient`, its
  internal entry point (value and per-row gradient).
"""

from ._functions import (
    ccdcov,
    distance_correlation,
    distance_covariance,
    distance_covariance_grad,
    intersect_groups,
)
from ._jdcov import jdcov
from ._penalty import dcov_gradient
from ._results import DCovGradient, DistanceStatistic

__all__ = [
    "DistanceStatistic",
    "DCovGradient",
    "distance_covariance",
    "distance_correlation",
    "distance_covariance_grad",
    "ccdcov",
    "jdcov",
    "intersect_groups",
    "dcov_gradient",
]
