r"""The XGBoost objective of the fair boosted scorecard: likelihood + lambda * dCov.

Per boosting round XGBoost asks, for every row, the gradient and a positive
Hessian of the training objective with respect to the row's margin
:math:`\eta_i` (offset included). The objective is the one of
:class:`fairness.DCovLogisticRegression` / :class:`fairness.DCovGLM`,

.. math::

    J(\eta) = \frac{1}{W} \sum_i w_i \ell(y_i, \eta_i)
              + \lambda \, D\big(g(\eta - o), S\big), \qquad W = \sum_i w_i,

multiplied by :math:`W` (XGBoost's built-in objectives are sums over rows, so
``min_child_weight`` and ``reg_lambda`` keep their meaning; the same
``lambda_`` trades the same mean log-likelihood against the same penalty as
in the linear models). :math:`g` is the inverse link (``scale="probability"``:
the probability or the rate per unit exposure; ``"logit"``: the margin
without offset :math:`o`), :math:`D` the distance-covariance penalty of
:mod:`fairness._dcov._penalty` (U statistic by default) with its exact
O(n log n) gradient :math:`\partial D / \partial p_k`.

Gradient: :math:`w_i (\mu_i - y_i) + \lambda W\, \partial_i D\, g'(\eta_i)`.

Hessian (docs/methodology.md section 20): for fixed attributes, :math:`D` is
piecewise linear in the predictions (every pair distance
:math:`|p_i - p_j|` is), so its second derivative in :math:`p` vanishes
almost everywhere, and the second derivative of the penalty in
:math:`\eta_i` is :math:`\partial_i D\, g''(\eta_i)` (zero on the margin
scale). That term can be negative; the Hessian used is the likelihood's plus
its absolute value, :math:`w_i V(\mu_i) + \lambda W |\partial_i D\, g''(\eta_i)|`,
a positive diagonal upper bound of the penalty's curvature. The kinks of
:math:`D` (where two predictions cross) are not seen by any Hessian; the
shrinkage ``learning_rate`` keeps the steps short there, the training
objective is recorded every round (``objective_path_``), and for a
penalised objective ``train_custom`` keeps a round only if it lowers it
(the descent safeguard: :meth:`FairObjective.checkpoint`,
:meth:`FairObjective.rollback`).
"""

from __future__ import annotations

import time
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from .._dcov._penalty import _Penalty
from ._boosted_penalty import TrackedPenalty

__all__ = ["FairObjective"]

FloatArray = NDArray[np.float64]
Family = Literal["binomial", "poisson", "gaussian"]


class FairObjective:
    """``objective(margin) -> (grad, hess)`` for ``BoostedScorecard.fit_objective``.

    Parameters
    ----------
    family : {"binomial", "poisson", "gaussian"}
    y, sample_weight, offset : ndarray of shape (n,)
        Target, row weights of the likelihood, fixed margin (log exposure).
    penalty : _Penalty, TrackedPenalty or None
        The prepared distance-covariance penalty (a ``_Penalty`` is wrapped
        in a :class:`~fairness._models._boosted_penalty.TrackedPenalty`);
        None: the likelihood only.
    lambda_ : float
        Weight of the penalty.
    scale : {"probability", "logit"}
        Prediction inside the penalty: the mean without exposure, or the
        margin without offset.

    Attributes
    ----------
    path : list of float
        The objective :math:`J` (mean loss + lambda * D) at each call, i.e.
        at the start of every round.
    penalty_path : list of float
        :math:`D` at each call (NaN without a penalty).
    penalty_calls : int
        Calls of the penalty (a call on tied predictions is skipped: there
        :math:`D = 0` and its subgradient 0 is used).
    penalty_seconds : float
        Time spent in those calls (the benchmark's cost breakdown).
    tracked : TrackedPenalty or None
        The penalty as called every round (None without a penalty).
    descent_safeguard : bool
        True for a penalised objective: ``train_custom`` then accepts a
        round only if it lowers the objective (docs/methodology.md
        section 20); ``path`` holds the accepted rounds only.
    last_value : float
        The objective at the margins of the last call.
    rejected : int
        Rounds undone by the safeguard (each retry counts).
    stopped_reason : str
        ``"n_rounds"``, or ``"no_descent"`` when the safeguard stopped the
        boosting (set by the training loop).

    Notes
    -----
    One call costs one transcendental function per row for the mean, one
    logarithm per row for the recorded value, the penalty call and a few
    vector operations. The penalty is a
    :class:`~fairness._models._boosted_penalty.TrackedPenalty`: it keeps the
    tie groups (or the order) of the margins from one call to the next and,
    with categorical attributes, applies the inverse link per group of tied
    margins. Unit weights and a zero offset are detected once and skipped.
    """

    #: Class switch of the descent safeguard (off only to measure the fit
    #: without it, as the tests and benchmarks do).
    safeguard: bool = True

    def __init__(
        self,
        family: Family,
        y: FloatArray,
        sample_weight: FloatArray,
        offset: FloatArray,
        penalty: _Penalty | TrackedPenalty | None,
        lambda_: float,
        scale: Literal["probability", "logit"],
    ) -> None:
        self.family = family
        self.y = y
        self.w = sample_weight
        self.offset = offset
        if isinstance(penalty, _Penalty):
            penalty = TrackedPenalty(penalty, family, scale)
        self.tracked = penalty
        self.lambda_ = float(lambda_)
        self.scale = scale
        self.total = float(sample_weight.sum())
        self.path: list[float] = []
        self.penalty_path: list[float] = []
        self.penalty_calls = 0
        self.penalty_seconds = 0.0
        self.descent_safeguard = (
            self.safeguard and penalty is not None and self.lambda_ > 0
        )
        self.rejected = 0
        self.stopped_reason = "n_rounds"
        self._checkpoint: tuple[int, tuple[Any, ...] | None] = (0, None)
        self._weighted = not bool(np.all(sample_weight == 1.0))
        self._has_offset = bool(np.any(offset != 0.0))
        n = y.shape[0]
        self._mu, self._d1 = np.empty(n), np.empty(n)
        self._b1, self._b2 = np.empty(n), np.empty(n)
        self._ones = np.ones(n)

    def _likelihood(self, margin: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        """Mean loss, summed gradient and Hessian of the likelihood.

        The mean and its derivative live in buffers reused every call; the
        gradient and Hessian are new arrays (the caller keeps them).
        """
        family, y, b1, b2 = self.family, self.y, self._b1, self._b2
        if family == "binomial":
            mu = expit(margin, out=self._mu)
            np.subtract(1.0, mu, out=b1)
            d1 = np.multiply(mu, b1, out=self._d1)
            # log(1 + e^eta) - y eta = -log(1 - mu) - y eta: one log per row
            # (logaddexp costs two transcendental calls)
            if b1.min() > 0.0:
                unit = np.log(b1, out=b1)
                unit += np.multiply(y, margin, out=b2)
                np.negative(unit, out=unit)
            else:  # margin > ~37: mu rounds to 1, the exact form
                unit = np.logaddexp(0.0, margin) - y * margin
        elif family == "poisson":
            mu = np.exp(np.minimum(margin, 700.0, out=b1), out=self._mu)
            d1 = mu
            unit = np.subtract(mu, np.multiply(y, margin, out=b1), out=b1)
        else:
            mu = margin
            d1 = self._ones
            np.subtract(y, margin, out=b1)
            unit = np.multiply(b1, b1, out=b1)
            unit *= 0.5
        grad = np.subtract(mu, y)
        if self._weighted:
            grad *= self.w
            unit *= self.w
            hess = np.multiply(d1, self.w)
        else:
            hess = d1.copy()
        # an elementwise sum, not a BLAS dot (slow on a busy machine)
        loss = float(unit.sum() / self.total)
        np.maximum(hess, 1e-16, out=hess)
        return loss, grad, hess

    def __call__(self, margin: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Gradient and Hessian per row; records the objective's value."""
        loss, grad, hess = self._likelihood(margin)
        if self.tracked is None or self.lambda_ == 0:
            self.path.append(loss)
            self.penalty_path.append(float("nan"))
            return grad, hess
        lin = margin - self.offset if self._has_offset else margin
        if lin.min() == lin.max():
            # tied predictions (the null model): D = 0, subgradient 0
            self.path.append(loss)
            self.penalty_path.append(0.0)
            return grad, hess
        start = time.perf_counter()
        # lambda W dD/dp g'(eta); its curvature bound |lambda W dD/dp g''(eta)|
        value, dpen, curvature = self.tracked(lin, self.lambda_ * self.total)
        self.penalty_seconds += time.perf_counter() - start
        self.penalty_calls += 1
        grad += dpen
        if curvature is not None:
            hess += curvature
        self.path.append(loss + self.lambda_ * value)
        self.penalty_path.append(float(value))
        return grad, hess

    @property
    def last_value(self) -> float:
        """The objective at the margins of the last call."""
        return self.path[-1]

    def checkpoint(self) -> None:
        """Remember the records and the penalty's grouping (before a round)."""
        state = None if self.tracked is None else self.tracked.state()
        self._checkpoint = (len(self.path), state)

    def rollback(self) -> None:
        """Forget the calls since :meth:`checkpoint` (a rejected round)."""
        size, state = self._checkpoint
        del self.path[size:]
        del self.penalty_path[size:]
        if self.tracked is not None and state is not None:
            self.tracked.restore(state)
        self.rejected += 1

    def finish(self, margin: FloatArray) -> None:
        """Record the objective at the final margins (after the last round)."""
        self(margin)
