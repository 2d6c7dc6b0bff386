"""Shared data and references of the dCov tests."""

import dcor
import numpy as np
import pandas as pd

REF = {
    "U": (dcor.u_distance_covariance_sqr, dcor.u_distance_correlation_sqr),
    "V": (dcor.distance_covariance_sqr, dcor.distance_correlation_sqr),
}


def _data(seed=0, n=200):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = x**2 + rng.normal(size=n)
    s = np.where(x > 0.4, "a", rng.choice(["a", "b", "c"], n))
    return x, y, s


def _onehot(s):
    return pd.get_dummies(pd.Series(s)).to_numpy(float)


def _rel(a, b):
    return abs(a - b) / abs(b)


def _tied_levels(values, seed, n_levels):
    """Tied ``x`` from ``values``, random level codes and their one-hot matrix.

    None when the draw holds a single level (no dependence to measure).
    """
    rng = np.random.default_rng(seed)
    x = np.asarray(values, dtype=float)
    s = rng.integers(0, n_levels, x.size)
    if np.unique(s).size < 2:
        return None
    return x, s, _onehot(s)
