"""The one kind rule of fairness._sensitive and its kind= override."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairness import (
    ccdcov,
    distance_correlation,
    distance_covariance,
    distance_covariance_grad,
)
from fairness._sensitive import as_sensitive_frame, column_kinds, is_categorical


def _codings(groups):
    """The same two or more groups coded six ways."""
    g = np.asarray(groups)
    return {
        "int": g.astype(np.int64),
        "float": g.astype(np.float64),
        "string": np.array([f"g{v}" for v in g]),
        "categorical": pd.Categorical(g),
        "series": pd.Series(g.astype(np.float64), name="grp"),
        **({"bool": g.astype(bool)} if set(g) <= {0, 1} else {}),
    }


@settings(max_examples=10, deadline=None)
@given(
    st.lists(st.integers(0, 1), min_size=8, max_size=60).filter(
        lambda v: len(set(v)) == 2
    ),
    st.integers(0, 2**31),
)
def test_binary_codings_give_identical_results(groups, seed):
    x = np.random.default_rng(seed).normal(size=len(groups)).round(1)  # ties too
    results = {}
    for name, y in _codings(groups).items():
        res = distance_covariance(x, y, test="chi2")
        cor = distance_correlation(x, y, unbiased=False, test=None)
        grad = distance_covariance_grad(x, y)
        cc = ccdcov(x, y, test=None)
        assert "categorical" in res.method
        results[name] = (res.estimate, res.se, res.pvalue, cor.estimate, cc.estimate)
        results[name + "_grad"] = tuple(grad.gradient)
    first = results["int"]
    for name, value in results.items():
        if not name.endswith("_grad"):
            np.testing.assert_array_equal(value, first, err_msg=name)  # bitwise
    grads = {k: v for k, v in results.items() if k.endswith("_grad")}
    assert len(set(grads.values())) == 1


def test_ten_levels_identical_and_continuous_override():
    rng = np.random.default_rng(1)
    g = rng.integers(0, 10, 500)
    x = rng.normal(size=500) + 0.1 * g
    values = {
        name: distance_covariance(x, y, test=None).estimate
        for name, y in _codings(g).items()
    }
    assert len(set(values.values())) == 1
    # kind="continuous": dcor's numeric distance |g_i - g_j|
    import dcor

    numeric = distance_covariance(x, g, kind="continuous", test=None)
    assert "continuous" in numeric.method
    assert numeric.estimate == pytest.approx(
        dcor.u_distance_covariance_sqr(x, g.astype(float)), rel=1e-9
    )


def test_rule_and_overrides():
    frame = pd.DataFrame(
        {
            "flag": [True, False] * 10,
            "zero_one": [0.0, 1.0] * 10,
            "age": np.arange(20.0),
            "race": list("abcd") * 5,
        }
    )
    assert column_kinds(frame) == (
        "categorical",
        "categorical",
        "continuous",
        "categorical",
    )
    assert column_kinds(frame, kind={"zero_one": "continuous"})[1] == "continuous"
    assert column_kinds(frame, kind={"age": "categorical"})[2] == "categorical"
    assert is_categorical(frame["age"], "categorical")
    assert not is_categorical(frame["zero_one"], "continuous")
    # a long continuous column is settled from its first rows (no full hash)
    long = pd.Series(np.random.default_rng(0).normal(size=5000))
    assert not is_categorical(long)
    assert is_categorical(pd.Series(np.r_[np.zeros(2000), np.ones(3000)]))


def test_override_errors_name_the_problem():
    frame = as_sensitive_frame(
        pd.DataFrame({"race": list("abab"), "age": [1.0, 2, 3, 4]})
    )
    with pytest.raises(TypeError, match="'race' is treated as continuous"):
        column_kinds(frame, kind="continuous")
    with pytest.raises(ValueError, match="kind names \\['nope'\\]"):
        column_kinds(frame, kind={"nope": "categorical"})
    with pytest.raises(ValueError, match="kind must be 'auto', 'categorical'"):
        column_kinds(frame, kind="ordinal")
    with pytest.raises(ValueError, match="either categorical=\\[...\\] or kind="):
        column_kinds(frame, ["race"], kind={"age": "continuous"})
    with pytest.raises(
        TypeError, match="^y is treated as continuous but has non-numeric dtype"
    ):
        distance_covariance([1.0, 2, 3, 4, 5], list("ababa"), kind="continuous")
    with pytest.raises(ValueError, match="kind='categorical' needs a 1-D y"):
        distance_covariance(
            np.arange(6.0), np.ones((6, 2)), kind="categorical", test=None
        )
    with pytest.raises(ValueError, match="se must be True or False"):
        distance_covariance(np.arange(6.0), np.arange(6.0), se="yes")
