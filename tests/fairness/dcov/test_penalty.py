"""The penalty path: dcov_gradient, the mixed (cells + continuous) evaluator."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairness import ccdcov, distance_covariance_grad
from fairness._dcov import _kernels, dcov_gradient
from fairness._dcov._engine import _naive
from fairness._dcov._inputs import _encode
from fairness._dcov._mixed import _cross_polynomial

from ._data import REF, _rel


def _frame(n, seed, levels=4):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {"region": rng.integers(0, levels, n), "age": rng.uniform(20, 70, n)}
    )
    x = rng.normal(size=n) + 0.3 * frame["region"] + 0.02 * frame["age"]
    return x.to_numpy(), frame


def test_cross_polynomial_error_is_tiny():
    _, err = _cross_polynomial(2.0)
    assert err < 1e-12


@pytest.mark.parametrize("numba", [True, False])
@settings(max_examples=12, deadline=None)
@given(st.integers(8, 80), st.integers(0, 2**31), st.booleans(), st.booleans())
def test_mixed_penalty_matches_exact(numba, n, seed, ties, unbiased):
    x, frame = _frame(n, seed)
    if ties:
        x = np.round(x)
        frame["age"] = np.round(frame["age"] / 10)
    if frame["region"].nunique() < 2 or frame["age"].nunique() < 11:
        return  # age must be continuous by the rule, region categorical
    with pytest.MonkeyPatch.context() as mp:
        if not numba:
            mp.setattr(_kernels, "_compiled", lambda: None)
        res = dcov_gradient(x, frame, unbiased=unbiased)
    assert res.method.startswith("mixed")
    est = "U" if unbiased else "V"
    value, grad = _naive(x[:, None], _encode(frame, n).matrix(), est)
    assert res.value == pytest.approx(value, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(res.gradient, grad, rtol=1e-8, atol=1e-11)


def test_mixed_agrees_with_dcor_on_the_concatenation():
    x, frame = _frame(400, 3, levels=10)
    mat = _encode(frame, 400).matrix()
    for unbiased in (True, False):
        res = dcov_gradient(x, frame, unbiased=unbiased)
        want = REF["U" if unbiased else "V"][0](x, mat)
        assert _rel(res.value, want) < 1e-9
        exact = ccdcov(x, frame, unbiased=unbiased, test=None, se=False)
        assert "blocked" in exact.method  # the public statistic stays exact
        assert _rel(res.value, exact.estimate) < 1e-9


def test_dcov_gradient_single_attributes_match_distance_covariance_grad():
    rng = np.random.default_rng(4)
    x = rng.normal(size=120)
    age = rng.uniform(20, 70, 120)
    scaled = (age - age.min()) / np.ptp(age)  # attributes are min-max scaled
    for attr, ref in ((age, scaled), (rng.integers(0, 3, 120),) * 2):
        got = dcov_gradient(x, attr)
        want = distance_covariance_grad(x, ref)
        assert got.value == pytest.approx(want.value, rel=1e-12)
        np.testing.assert_allclose(got.gradient, want.gradient, rtol=1e-10)
    frame = pd.DataFrame({"a": age, "b": rng.integers(0, 3, 120)})
    marginal = dcov_gradient(x, frame, penalty="dcov")
    assert marginal.value == pytest.approx(
        distance_covariance_grad(x, scaled).value
        + distance_covariance_grad(x, frame["b"]).value,
        rel=1e-12,
    )


def test_two_continuous_attributes_projected_penalty_error_is_small():
    # documented approximation: 32 equally spaced directions (midpoint rule)
    n = 300
    for seed in range(3):
        rng = np.random.default_rng(seed)
        frame = pd.DataFrame(
            {"age": rng.uniform(20, 70, n), "inc": rng.gamma(2, size=n)}
        )
        x = rng.normal(size=n) + 0.02 * frame["age"] + 0.3 * frame["inc"]
        x = x.to_numpy()
        res = dcov_gradient(x, frame)
        assert res.method == "projected"
        value, grad = _naive(x[:, None], _encode(frame, n).matrix(), "U")
        assert _rel(res.value, value) < 1e-3
        assert np.abs(res.gradient - grad).max() < 5e-3 * np.abs(grad).max()


@pytest.mark.parametrize(
    ("q", "value_tol", "grad_tol"), [(3, 2e-2, 4e-2), (4, 1.5e-1, 2.5e-1)]
)
def test_several_continuous_attributes_projected_penalty_error_is_measured(
    q, value_tol, grad_tol
):
    # documented approximation for q >= 3: 64 quasi-uniform directions; the
    # tolerances are about twice the errors stated in _projected
    n = 400
    for seed in range(3):
        rng = np.random.default_rng(10 + seed)
        s = rng.uniform(size=(n, q))
        frame = pd.DataFrame(s, columns=[f"c{i}" for i in range(q)])
        x = rng.normal(size=n) + s @ np.linspace(0.5, 1.5, q)
        res = dcov_gradient(x, frame)
        assert res.method == "projected"
        value, grad = _naive(x[:, None], _encode(frame, n).matrix(), "U")
        assert _rel(res.value, value) < value_tol
        assert np.abs(res.gradient - grad).max() < grad_tol * np.abs(grad).max()
    exact = ccdcov(x, frame, test=None, se=False)
    assert "blocked" in exact.method  # the public statistic stays exact
    assert _rel(exact.estimate, value) < 1e-9


def test_projected_directions_are_unit_and_quasi_uniform():
    from fairness._dcov._projected import _c_q, _directions

    for q in (3, 4, 5):
        u = _directions(q, 64)
        np.testing.assert_allclose(np.linalg.norm(u, axis=1), 1.0)
        # C_q E|u^T e| = 1 for every unit e: check on the coordinate axes
        axis_means = _c_q(q) * np.abs(u).mean(axis=0)
        np.testing.assert_allclose(axis_means, 1.0, atol=0.15)
