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
shrinkage ``learning_rate`` keeps the steps short there, and the training
objective is recorded every round (``objective_path_``) so its decrease can
be checked.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from .._dcov._penalty import _Penalty

__all__ = ["FairObjective", "inverse_link"]

FloatArray = NDArray[np.float64]
Family = Literal["binomial", "poisson", "gaussian"]


def inverse_link(
    family: Family, eta: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean and its first and second derivatives with respect to the margin."""
    if family == "binomial":
        mu = expit(eta)
        d1 = mu * (1 - mu)
        return mu, d1, d1 * (1 - 2 * mu)
    if family == "poisson":
        mu = np.exp(np.minimum(eta, 700.0))
        return mu, mu, mu
    return eta, np.ones_like(eta), np.zeros_like(eta)


def likelihood(
    family: Family, y: FloatArray, w: FloatArray, eta: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    """Weighted-mean negative log-likelihood, and the summed gradient and Hessian."""
    mu, d1, _ = inverse_link(family, eta)
    if family == "binomial":
        unit = np.logaddexp(0.0, eta) - y * eta
    elif family == "poisson":
        unit = mu - y * eta
    else:
        unit = 0.5 * (y - eta) ** 2
    # an elementwise sum, not a BLAS dot (slow on a busy machine)
    loss = float((w * unit).sum() / w.sum())
    # canonical links: d loss / d eta = mu - y, Hessian = V(mu) = g'
    return loss, w * (mu - y), np.maximum(w * d1, 1e-16)


class FairObjective:
    """``objective(margin) -> (grad, hess)`` for ``BoostedScorecard.fit_objective``.

    Parameters
    ----------
    family : {"binomial", "poisson", "gaussian"}
    y, sample_weight, offset : ndarray of shape (n,)
        Target, row weights of the likelihood, fixed margin (log exposure).
    penalty : _Penalty or None
        The prepared distance-covariance penalty; None: the likelihood only.
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
    """

    def __init__(
        self,
        family: Family,
        y: FloatArray,
        sample_weight: FloatArray,
        offset: FloatArray,
        penalty: _Penalty | None,
        lambda_: float,
        scale: Literal["probability", "logit"],
    ) -> None:
        self.family = family
        self.y = y
        self.w = sample_weight
        self.offset = offset
        self.penalty = penalty
        self.lambda_ = float(lambda_)
        self.scale = scale
        self.total = float(sample_weight.sum())
        self.path: list[float] = []
        self.penalty_path: list[float] = []

    def prediction(
        self, margin: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """The penalised prediction and its two derivatives in the margin."""
        lin = margin - self.offset
        if self.scale == "probability":
            return inverse_link(self.family, lin)
        return lin, np.ones_like(lin), np.zeros_like(lin)

    def __call__(self, margin: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Gradient and Hessian per row; records the objective's value."""
        loss, grad, hess = likelihood(self.family, self.y, self.w, margin)
        if self.penalty is None or self.lambda_ == 0:
            self.path.append(loss)
            self.penalty_path.append(float("nan"))
            return grad, hess
        pred, d1, d2 = self.prediction(margin)
        value, dpen = self.penalty(pred)
        scale = self.lambda_ * self.total
        grad = grad + scale * dpen * d1
        hess = hess + scale * np.abs(dpen * d2)
        self.path.append(loss + self.lambda_ * value)
        self.penalty_path.append(float(value))
        return grad, hess
