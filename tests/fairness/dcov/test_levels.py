"""Level balances: categorical and grouped fast paths vs references, with ties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairness import distance_covariance
from fairness._dcov._engine import _naive, _sort
from fairness._dcov._inputs import _encode
from fairness._dcov._levels import level_sums
from fairness._dcov._penalty import _Penalty

from ._data import REF, _tied_levels

_TIED = st.lists(st.integers(-4, 4), min_size=6, max_size=45)


@settings(max_examples=30, deadline=None)
@given(_TIED, st.integers(0, 2**31), st.integers(2, 5), st.booleans())
def test_level_sums_match_brute_force(values, seed, n_levels, ties):
    rng = np.random.default_rng(seed)
    x = np.asarray(values, dtype=float)
    if not ties:
        x = x + rng.normal(scale=1e-3, size=x.size)
    codes = rng.integers(0, n_levels, x.size)
    dist = rng.uniform(size=(n_levels, n_levels))
    dist = dist + dist.T  # any symmetric level distance, diagonal included
    order, srt = _sort(x)
    g = codes[order]
    h, r = level_sums(srt, g, dist, need_r=True)
    diff = srt.xs[:, None] - srt.xs[None, :]
    d = dist[g][:, g]
    np.testing.assert_allclose(h, (np.sign(diff) * d).sum(1), atol=1e-12)
    assert r is not None
    np.testing.assert_allclose(r, (np.abs(diff) * d).sum(1), rtol=1e-12, atol=1e-12)


def _reference(x, frame, penalty, estimator):
    enc = _encode(frame, x.size)
    if penalty == "ccdcov":
        return _naive(x[:, None], enc.matrix(), estimator)
    value, grad = 0.0, np.zeros(x.size)
    for col in frame.columns:
        v, g = _naive(x[:, None], _encode(frame[[col]], x.size).matrix(), estimator)
        value, grad = value + v, grad + g
    return value, grad


@settings(max_examples=40, deadline=None)
@given(
    _TIED,
    st.integers(0, 2**31),
    st.integers(1, 2),
    st.sampled_from(["dcov", "ccdcov"]),
    st.sampled_from(["U", "V"]),
)
def test_categorical_penalty_matches_naive_with_ties(
    values, seed, n_columns, penalty, estimator
):
    rng = np.random.default_rng(seed)
    x = np.asarray(values, dtype=float)
    frame = pd.DataFrame(
        {f"s{i}": rng.integers(0, 2 + 2 * i, x.size) for i in range(n_columns)}
    )
    if (frame.nunique() < 2).any():
        return
    pen = _Penalty(penalty, _encode(frame, x.size), estimator)
    assert "continuous" not in pen.method
    value, grad = pen(x)
    want, want_grad = _reference(x, frame, penalty, estimator)
    assert value == pytest.approx(want, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-9, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(_TIED, st.integers(0, 2**31), st.integers(2, 4), st.sampled_from(["U", "V"]))
def test_categorical_value_and_se_match_dcor_with_ties(
    values, seed, n_levels, estimator
):
    drawn = _tied_levels(values, seed, n_levels)
    if drawn is None:
        return
    x, s, mat = drawn
    cov_ref = REF[estimator][0]
    res = distance_covariance(x, s, unbiased=estimator == "U", test=None)
    assert "categorical" in res.method
    assert res.estimate == pytest.approx(cov_ref(x, mat), rel=1e-9, abs=1e-12)
    loo = np.array(
        [cov_ref(np.delete(x, k), np.delete(mat, k, axis=0)) for k in range(x.size)]
    )
    se = np.sqrt((x.size - 1) / x.size * np.sum((loo - loo.mean()) ** 2))
    assert res.se == pytest.approx(se, rel=1e-8, abs=1e-12)
