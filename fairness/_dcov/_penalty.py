"""The penalty of the regularised models and its gradient, O(n log n) per call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._sensitive import KindOption
from ._backends import _Attribute
from ._common import Estimator, FloatArray, resolve_unbiased
from ._engine import _evaluate, _sort
from ._inputs import _as_prediction, _check_common, _concat_attribute, _encode, _Encoded
from ._jdcov import _jd_attribute
from ._mixed import _CellsAndContinuous
from ._projected import _Projected
from ._results import DCovGradient

PenaltyKind = Literal["dcov", "ccdcov", "jdcov"]


class _Penalty:
    """D(prediction, S) and its gradient for a fixed set of attributes.

    The attribute side (ranks, row sums, polynomial weights) is prepared once
    here; each call sorts the predictions once and reuses that order for
    every sum (docs/methodology.md section 10.1).
    """

    def __init__(
        self,
        kind: PenaltyKind,
        enc: _Encoded,
        estimator: Estimator,
        c: float = 1.0,
    ) -> None:
        self.attrs: list[_Attribute]
        if kind == "jdcov":
            self.attrs = [_jd_attribute(enc, c, estimator, "auto")]
        elif kind == "dcov":
            # marginal parity: the sum of dCov^2 with each attribute separately
            self.attrs = [
                _concat_attribute(_subset(enc, i), "auto")
                for i in range(len(enc.kinds))
            ]
        else:
            self.attrs = [_ccdcov_attribute(enc)]
        self.estimator = estimator

    @property
    def method(self) -> str:
        """The evaluators used, e.g. ``"mixed (...)"`` or ``"continuous"``."""
        return " + ".join(a.kind for a in self.attrs)

    def __call__(
        self, pred: FloatArray, order: NDArray[np.intp] | None = None
    ) -> tuple[float, FloatArray]:
        """Value and gradient at ``pred``; ``order``: a known sort of ``pred``."""
        # one sort of the predictions serves every attribute
        presorted = _sort(pred, order)
        value, grad = 0.0, np.zeros(pred.size)
        for attr in self.attrs:
            ev = _evaluate(
                pred, attr, self.estimator, need_grad=True, presorted=presorted
            )
            assert ev.gradient is not None
            value += ev.value
            grad += ev.gradient
        return value, grad


def _ccdcov_attribute(enc: _Encoded) -> _Attribute:
    """The concatenated attribute for the penalty, O(n log n) where possible.

    One categorical + one continuous column: the mixed path (exact up to a
    1e-12 polynomial); two or more continuous columns (and nothing else):
    the average over projections (approximate: relative error about 1e-4
    for two columns, 32 angles; about 5e-3 for three and 7e-2 for four
    columns, 64 quasi-uniform directions; see :mod:`fairness._dcov._projected`);
    anything else (e.g. a categorical with several continuous columns): the
    exact blocked evaluator, O(n^2) time per call.
    """
    if len(enc.kinds) >= 2 and all(k == "continuous" for k in enc.kinds):
        return _Projected(enc.matrix())
    if sorted(enc.kinds) == ["categorical", "continuous"]:
        i_cat = enc.kinds.index("categorical")
        code, val = enc.codes[i_cat], enc.values[1 - i_cat]
        assert code is not None and val is not None
        return _CellsAndContinuous(code, enc.levels[i_cat], val)
    return _concat_attribute(enc, "auto")


def _subset(enc: _Encoded, i: int) -> _Encoded:
    return _Encoded(
        enc.names[i : i + 1],
        enc.kinds[i : i + 1],
        enc.codes[i : i + 1],
        enc.levels[i : i + 1],
        enc.values[i : i + 1],
        enc.n,
    )


def dcov_gradient(
    y_score: ArrayLike,
    sensitive: object,
    *,
    unbiased: bool = True,
    penalty: PenaltyKind = "ccdcov",
    kind: KindOption | Mapping[str, KindOption] = "auto",
) -> DCovGradient:
    r"""Penalty value and its gradient with respect to every prediction.

    The internal entry point of the fairness penalties (the GLMs of
    :mod:`fairness._models` and the XGBoost custom objective of the fair
    boosted scorecard): ``value = D(y_score, S)`` and
    ``gradient[k] = dD / dy_score[k]``, in O(n log n) time and O(n) memory
    when the attributes are categorical, one continuous column, or one
    categorical plus one continuous column (the last with the cross-cell
    distance replaced by a polynomial of error below 1e-12, see
    :mod:`fairness._dcov._mixed`); several continuous columns use the
    **approximate** average over projections (:mod:`fairness._dcov._projected`,
    measured error about 1e-4 for two, 5e-3 for three, 7e-2 for four
    columns); other mixes use the exact O(n^2) blocked evaluator. For
    repeated calls on the same attributes build the :class:`_Penalty` once
    (it caches ranks and row sums) and call it.

    Parameters
    ----------
    y_score : array-like of shape (n,)
        Predictions.
    sensitive : DataFrame, Series or array-like
        Protected attributes, read with the package's kind rule.
    unbiased : bool, default=True
        U-statistic (``True``) or V-statistic.
    penalty : {"dcov", "ccdcov", "jdcov"}, default="ccdcov"
        As in :class:`fairness.DCovLogisticRegression`.
    kind : {"auto", "categorical", "continuous"} or mapping, default="auto"
        Override of the kind rule.

    Returns
    -------
    DCovGradient
        ``value`` and ``gradient`` (a subgradient with ``sign(0) = 0`` at
        tied predictions).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> age = rng.uniform(20, 70, 200)
    >>> score = 0.01 * age + rng.normal(size=200)
    >>> res = dcov_gradient(score, age)
    >>> res.gradient.shape, res.method
    ((200,), 'continuous')
    """
    est = resolve_unbiased(unbiased)
    x = _as_prediction(y_score, "y_score")
    _check_common(est, "auto", x.size)
    enc = _encode(sensitive, x.size, kind=kind, name="sensitive")
    pen = _Penalty(penalty, enc, est)
    value, grad = pen(x)
    return DCovGradient(value, grad, est, pen.method, x.size)
