import numpy as np

from fairness._dcov._sorted import _dominance


def test_dominance_counts_match_brute_force():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 6, 80).astype(float)
    y = rng.integers(0, 6, 80).astype(float)
    w = np.column_stack([np.ones(80), rng.normal(size=80)])
    got = _dominance(x, y, w)
    mask = (x[None, :] < x[:, None]) & (y[None, :] < y[:, None])
    np.testing.assert_allclose(got, mask @ w)
