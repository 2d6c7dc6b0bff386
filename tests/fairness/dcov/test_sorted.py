"""The dominance kernels: compiled and numpy merges against brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairness._dcov import _kernels
from fairness._dcov._kernels import (
    _lower_left_numpy,
    concordance,
    lower_left,
    ranks,
)


def _brute(ry, w):
    n = ry.size
    before = np.tril(np.ones((n, n), dtype=bool), -1)  # j < i
    less = ry[None, :] < ry[:, None]  # ry_j < ry_i
    return (before & less).astype(float) @ w


@pytest.fixture(params=["compiled", "numpy"])
def kernel(request, monkeypatch):
    if request.param == "numpy":
        monkeypatch.setattr(_kernels, "_compiled", lambda: None)
    elif _kernels._compiled() is None:
        pytest.skip("numba is not installed")
    return request.param


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=70),
    st.integers(0, 2**31),
)
def test_lower_left_matches_brute_force_with_ties(values, seed):
    ry = np.asarray(values, dtype=np.int64)
    w = np.random.default_rng(seed).normal(size=(ry.size, 3))
    want = _brute(ry, w)
    np.testing.assert_allclose(_lower_left_numpy(ry, w), want, atol=1e-12)
    np.testing.assert_allclose(lower_left(ry, w), want, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=2))
def test_concordance_matches_brute_force(points):
    pts = np.asarray(points, dtype=float)
    pts = pts[np.lexsort((-pts[:, 1], pts[:, 0]))]  # x order, ties by -y
    x, y = pts[:, 0], pts[:, 1]
    dx = x[:, None] - x[None, :]
    dy = y[:, None] - y[None, :]
    want = np.sum(np.where((dx > 0) & (dy > 0), dx * dy, 0.0))
    ry, _ = ranks(y)
    assert concordance(ry, x, y) == pytest.approx(want, abs=1e-9)


def test_public_paths_agree_across_kernels(kernel):
    from fairness import distance_covariance, distance_covariance_grad

    rng = np.random.default_rng(3)
    x = np.round(rng.normal(size=300), 1)
    y = np.round(x**2 + rng.normal(size=300), 1)
    res = distance_covariance(x, y, kind="continuous")
    grad = distance_covariance_grad(x, y, kind="continuous")
    import dcor

    want = dcor.u_distance_covariance_sqr(x, y)
    assert res.estimate == pytest.approx(want, rel=1e-9)
    assert grad.value == pytest.approx(want, rel=1e-9)


def test_ranks_share_ties():
    r, order = ranks(np.array([3.0, 1.0, 3.0, 2.0]))
    np.testing.assert_array_equal(r, [2, 0, 2, 1])
    np.testing.assert_array_equal(order, [1, 3, 0, 2])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=2))
def test_concordance_rows_match_brute_force(points):
    from fairness._dcov._kernels import concordance_rows

    pts = np.asarray(points, dtype=float)
    x, y = pts[:, 0], pts[:, 1]  # any row order: "earlier" is the row order
    ry, _ = ranks(y)
    n = x.size
    earlier = np.tril(np.ones((n, n), dtype=bool), -1) & (ry[None, :] < ry[:, None])
    dx = x[:, None] - x[None, :]
    dy = y[:, None] - y[None, :]
    f, g = concordance_rows(ry, x, y)
    np.testing.assert_allclose(f, np.sum(earlier * dx * dy, axis=1), atol=1e-9)
    np.testing.assert_allclose(g, np.sum(earlier * dy, axis=1), atol=1e-9)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_kernels, "_compiled", lambda: None)
        f2, g2 = concordance_rows(ry, x, y)
    np.testing.assert_allclose(f2, f, atol=1e-9)
    np.testing.assert_allclose(g2, g, atol=1e-9)
