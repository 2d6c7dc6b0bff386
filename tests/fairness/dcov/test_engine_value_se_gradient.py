"""Value, jackknife SE and gradient from one evaluation (the penalty + SE path).

The shared sums of that path (sign and absolute sums of the row sums, the
within-level sums, the y-order pass of the continuous attribute) are checked
against references with ties in x and in y, with both merge kernels.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairness._dcov import _kernels
from fairness._dcov._engine import (
    _evaluate,
    _jackknife_cross,
    _jackknife_se,
    _loo_values,
    _naive,
)
from fairness._dcov._inputs import _attribute_from_y

from ._data import REF, _tied_levels

_TIED = st.lists(st.integers(-4, 4), min_size=6, max_size=40)


def _check(x, y, mat, estimator, kind):
    attr, _ = _attribute_from_y(y, x.size, "auto", kind)
    assert attr.kind == kind
    ev = _evaluate(x, attr, estimator, need_grad=True, need_jack=True)
    se = _jackknife_se(_loo_values(_jackknife_cross(ev), x.size, estimator))
    cov_ref = REF[estimator][0]
    assert ev.value == pytest.approx(cov_ref(x, mat), rel=1e-9, abs=1e-12)
    loo = np.array(
        [cov_ref(np.delete(x, k), np.delete(mat, k, axis=0)) for k in range(x.size)]
    )
    want_se = np.sqrt((x.size - 1) / x.size * np.sum((loo - loo.mean()) ** 2))
    assert se == pytest.approx(want_se, rel=1e-8, abs=1e-12)
    _, grad = _naive(x[:, None], mat, estimator)
    assert grad is not None and ev.gradient is not None
    np.testing.assert_allclose(ev.gradient, grad, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kernel", ["compiled", "numpy"])
@settings(max_examples=25, deadline=None)
@given(_TIED, st.integers(0, 2**31), st.sampled_from(["U", "V"]))
def test_continuous_value_se_gradient_with_ties(kernel, values, seed, estimator):
    with pytest.MonkeyPatch.context() as mp:
        if kernel == "numpy":
            mp.setattr(_kernels, "_compiled", lambda: None)
        elif _kernels._compiled() is None:
            pytest.skip("numba is not installed")
        rng = np.random.default_rng(seed)
        x = np.asarray(values, dtype=float)
        y = rng.integers(-3, 4, x.size).astype(float)  # ties in y too
        if np.unique(y).size < 2:
            return
        _check(x, y, y[:, None], estimator, "continuous")


@settings(max_examples=25, deadline=None)
@given(_TIED, st.integers(0, 2**31), st.integers(2, 5), st.sampled_from(["U", "V"]))
def test_categorical_value_se_gradient_with_ties(values, seed, n_levels, estimator):
    drawn = _tied_levels(values, seed, n_levels)
    if drawn is None:
        return
    x, s, mat = drawn
    _check(x, s, mat, estimator, "categorical")


def test_hand_computed_within_level_sums():
    # levels a = {0, 2, 3}, b = {1, 5}: sum of |x_k - x_j| inside the level
    from fairness._dcov._backends import _Categorical

    xs = np.array([0.0, 1.0, 2.0, 3.0, 5.0])
    codes = np.array([0, 1, 0, 0, 1])
    p2 = np.argsort(codes, kind="stable")
    counts = np.array([3.0, 2.0])
    got = _Categorical._within_abs(xs, p2, counts)
    np.testing.assert_allclose(got, [5.0, 4.0, 3.0, 4.0, 4.0])
