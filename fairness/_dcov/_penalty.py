"""Penalty interface used by the distance-covariance regularised GLMs."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ._common import Estimator, FloatArray
from ._engine import _evaluate
from ._inputs import _concat_attribute, _Encoded
from ._jdcov import _jd_attribute


class _Penalty:
    """D(prediction, S) and its gradient for a fixed set of attributes."""

    def __init__(
        self,
        kind: Literal["dcov", "ccdcov", "jdcov"],
        enc: _Encoded,
        estimator: Estimator,
        c: float = 1.0,
    ) -> None:
        if kind == "jdcov":
            self.attrs = [_jd_attribute(enc, c, estimator, "auto")]
        elif kind == "dcov":
            # marginal parity: the sum of dCov^2 with each attribute separately
            self.attrs = [
                _concat_attribute(_subset(enc, i), "auto")
                for i in range(len(enc.kinds))
            ]
        else:
            self.attrs = [_concat_attribute(enc, "auto")]
        self.estimator = estimator

    def __call__(self, pred: FloatArray) -> tuple[float, FloatArray]:
        value, grad = 0.0, np.zeros(pred.size)
        for attr in self.attrs:
            ev = _evaluate(pred, attr, self.estimator, need_grad=True)
            assert ev.gradient is not None
            value += ev.value
            grad += ev.gradient
        return value, grad


def _subset(enc: _Encoded, i: int) -> _Encoded:
    return _Encoded(
        enc.names[i : i + 1],
        enc.kinds[i : i + 1],
        enc.codes[i : i + 1],
        enc.levels[i : i + 1],
        enc.values[i : i + 1],
        enc.n,
    )
