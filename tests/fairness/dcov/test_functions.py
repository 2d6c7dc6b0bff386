import dcor
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
    intersect_groups,
    jdcov,
)

from ._data import REF, _data, _onehot, _rel


@pytest.mark.parametrize("estimator", ["U", "V"])
@pytest.mark.parametrize("method", ["auto", "fast", "blocked", "naive"])
@pytest.mark.parametrize("kind", ["continuous", "tied", "categorical", "onehot"])
def test_agrees_with_dcor(estimator, method, kind):
    x, y, s = _data()
    if kind == "tied":
        x, y = np.round(x), np.round(y)
    attr, ref_attr = {
        "continuous": (y, y),
        "tied": (y, y),
        "categorical": (s, _onehot(s)),
        "onehot": (_onehot(s), _onehot(s)),
    }[kind]
    cov_ref, cor_ref = REF[estimator]
    # a numeric y is numeric here (dcor's distance), whatever its distinct values
    kw = {"kind": "continuous"} if kind in ("continuous", "tied") else {}
    for se in (True, False):
        res = distance_covariance(
            x, attr, unbiased=estimator == "U", method=method, test=None, se=se, **kw
        )
        assert _rel(res.estimate, cov_ref(x, ref_attr)) < 1e-9
        res = distance_correlation(
            x, attr, unbiased=estimator == "U", method=method, test=None, se=se, **kw
        )
        assert _rel(res.estimate, cor_ref(x, ref_attr)) < 1e-9


@pytest.mark.parametrize("estimator", ["U", "V"])
def test_multivariate_x_and_y_agree_with_dcor(estimator):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(120, 3))
    y = np.column_stack([x[:, 0] * x[:, 1], rng.normal(size=120)])
    ref = REF[estimator][0](x, y)
    for method in ("blocked", "naive"):
        res = distance_covariance(
            x, y, unbiased=estimator == "U", method=method, test=None
        )
        assert _rel(res.estimate, ref) < 1e-9


def test_hand_computed_v_statistic():
    # x = 1..4, y = (1,0,0,1): centred b is b - 1/2, so
    # V = sum a_ij (b_ij - 1/2) / 16 = (12 - 10) / 16 = 0.125
    y = [1.0, 0, 0, 1]
    kw = {"unbiased": False, "test": None}
    res = distance_covariance([1, 2, 3, 4], y, kind="continuous", **kw)
    assert res.estimate == pytest.approx(0.125, abs=1e-15)
    # by the kind rule a 0/1 y is two groups: one-hot distance sqrt(2)
    res = distance_covariance([1, 2, 3, 4], y, unbiased=False, test=None)
    assert res.estimate == pytest.approx(0.125 * np.sqrt(2), abs=1e-15)
    # x = y = (0, 1): a = [[0,1],[1,0]], centred a = [[-.5,.5],[.5,-.5]] -> V = 1/4
    res = distance_covariance(
        [0.0, 1.0], [0.0, 1.0], unbiased=False, test=None, kind="continuous"
    )
    assert res.estimate == pytest.approx(0.25)


def test_hand_computed_gradient():
    # x = (0, 1, 3), s = (a, a, b), V: coefficients 1/9, -2/27, 1/81 on
    # dT1 = 2 sum sg b = sqrt2 (-2, -2, 4), dT2 = sqrt2 (-5, -1, 6),
    # dT3 = 2 b.. sum sg = sqrt2 (-16, 0, 16)  ->  sqrt2 (-4, -12, 16) / 81
    res = distance_covariance_grad([0.0, 1.0, 3.0], ["a", "a", "b"], unbiased=False)
    np.testing.assert_allclose(res.gradient, np.sqrt(2) * np.array([-4, -12, 16]) / 81)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-5, 5), min_size=6, max_size=40),
    st.integers(0, 10_000),
    st.sampled_from(["U", "V"]),
)
def test_fast_equals_naive_property(values, seed, estimator):
    x = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, x.size).astype(float)
    s = rng.choice(["p", "q", "r"], x.size)
    cases = [
        (y, "auto"),
        (y, "continuous"),
        (x[::-1].copy(), "continuous"),
        (s, "auto"),
        (np.column_stack([y, rng.integers(0, 2, x.size)]), "auto"),
    ]
    u = estimator == "U"
    for attr, kind in cases:
        for se in (True, False):
            fast = distance_covariance(x, attr, unbiased=u, test=None, kind=kind, se=se)
            naive = distance_covariance(x, attr, unbiased=u, method="naive", kind=kind)
            assert fast.estimate == pytest.approx(naive.estimate, rel=1e-9, abs=1e-12)
        gf = distance_covariance_grad(x, attr, unbiased=u, kind=kind)
        gn = distance_covariance_grad(x, attr, unbiased=u, method="naive", kind=kind)
        np.testing.assert_allclose(gf.gradient, gn.gradient, rtol=1e-9, atol=1e-12)
        assert gf.value == pytest.approx(naive.estimate, rel=1e-9, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=5, max_size=30), st.floats(-5, 5))
def test_dcov_with_constant_is_zero(values, constant):
    x = np.asarray(values)
    for estimator in ("U", "V"):
        res = distance_covariance(
            x, np.full(x.size, constant), unbiased=estimator == "U", test=None
        )
        assert res.estimate == pytest.approx(0.0, abs=1e-9 * (1 + np.ptp(x)))


@pytest.mark.parametrize("estimator", ["U", "V"])
@pytest.mark.parametrize("kind", ["continuous", "categorical", "grouped", "blocked"])
def test_gradient_matches_finite_differences(estimator, kind):
    x, y, s = _data(seed=2, n=50)
    attr = {
        "continuous": y,
        "categorical": s,
        "grouped": _onehot(s),
        "blocked": np.column_stack([y, x**3]),
    }[kind]
    method = "blocked" if kind == "blocked" else "auto"
    res = distance_covariance_grad(x, attr, unbiased=estimator == "U", method=method)
    assert kind in res.method
    step = 1e-6
    fd = np.empty(x.size)
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = step
        up = distance_covariance(x + e, attr, unbiased=estimator == "U", test=None)
        down = distance_covariance(x - e, attr, unbiased=estimator == "U", test=None)
        fd[k] = (up.estimate - down.estimate) / (2 * step)
    np.testing.assert_allclose(
        res.gradient, fd, rtol=1e-5, atol=1e-7 * np.abs(fd).max()
    )
    value = distance_covariance(x, attr, unbiased=estimator == "U", test=None).estimate
    assert res.value == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("estimator", ["U", "V"])
def test_jackknife_se_equals_brute_force(estimator):
    x, y, s = _data(seed=3, n=40)
    cov_ref, cor_ref = REF[estimator]
    for attr, mat in ((y, y), (s, _onehot(s))):
        for fn, ref in (
            (distance_covariance, cov_ref),
            (distance_correlation, cor_ref),
        ):
            res = fn(x, attr, unbiased=estimator == "U")
            loo = np.array(
                [ref(np.delete(x, k), np.delete(mat, k, axis=0)) for k in range(x.size)]
            )
            se = np.sqrt((x.size - 1) / x.size * np.sum((loo - loo.mean()) ** 2))
            assert res.se == pytest.approx(se, rel=1e-8)


def test_chi2_test_statistic_and_null_size():
    x, y, _ = _data(seed=4, n=100)
    res = distance_covariance(x, y)
    u_dcor = dcor.u_distance_correlation_sqr(x, y)
    assert res.statistic == pytest.approx(x.size * u_dcor + 1)
    rng = np.random.default_rng(0)
    pvals = [
        distance_covariance(rng.normal(size=80), rng.normal(size=80)).pvalue
        for _ in range(200)
    ]
    # valid (conservative) test: rejection rate at 5% not above nominal + MC error
    assert np.mean(np.array(pvals) < 0.05) < 0.05 + 3 * np.sqrt(0.05 * 0.95 / 200)


def test_permutation_test():
    x, y, _ = _data(seed=6, n=60)
    res = distance_covariance(
        x, y, test="permutation", n_permutations=99, random_state=0
    )
    assert res.pvalue == pytest.approx(0.01)
    rng = np.random.default_rng(1)
    null = distance_covariance(
        rng.normal(size=60), rng.normal(size=60), test="permutation", random_state=0
    )
    assert 0.01 < null.pvalue <= 1
    again = distance_covariance(
        rng.normal(size=60), rng.normal(size=60), test="permutation", random_state=0
    )
    assert again.method.endswith("test=permutation (199)")


def test_ccdcov_mixed_matches_dcor_on_concatenation():
    rng = np.random.default_rng(7)
    n = 150
    frame = pd.DataFrame(
        {
            "race": rng.choice(["w", "b", "o"], n),
            "gender": rng.integers(0, 2, n),
            "age": rng.uniform(20, 70, n),
        }
    )
    pred = (frame["race"] == "w") * 0.5 + frame["age"] / 100 + rng.normal(0, 0.2, n)
    concat = np.column_stack(
        [
            _onehot(frame["race"]),
            _onehot(frame["gender"]),
            (frame["age"] - frame["age"].min()) / np.ptp(frame["age"]),
        ]
    )
    for estimator in ("U", "V"):
        res = ccdcov(pred, frame, unbiased=estimator == "U")
        assert "blocked" in res.method
        assert _rel(res.estimate, REF[estimator][0](pred.to_numpy(), concat)) < 1e-9
        cats = ccdcov(pred, frame[["race", "gender"]], unbiased=estimator == "U")
        assert "grouped" in cats.method
        ref = REF[estimator][0](pred.to_numpy(), concat[:, :5])
        assert _rel(cats.estimate, ref) < 1e-9


def test_intersection_as_one_categorical():
    rng = np.random.default_rng(8)
    frame = pd.DataFrame(
        {"race": rng.integers(0, 2, 90), "sex": rng.choice(["f", "m"], 90)}
    )
    groups = intersect_groups(frame)
    assert len(groups.categories) == 4
    pred = frame["race"] + (frame["sex"] == "f") * 0.3 + rng.normal(0, 0.1, 90)
    res = distance_covariance(pred, groups, unbiased=False, test=None)
    assert "categorical" in res.method
    ref = dcor.distance_covariance_sqr(pred.to_numpy(), _onehot(groups))
    assert _rel(res.estimate, ref) < 1e-9


def test_bad_input():
    x, _, s = _data(n=20)
    frame = pd.DataFrame({"race": s, "age": np.arange(20.0)})
    with pytest.raises(ValueError, match="missing values"):
        ccdcov(x, frame.assign(race=frame["race"].where(frame.index > 0)))
    with pytest.raises(ValueError, match="same length"):
        ccdcov(x[:-1], frame)
    with pytest.raises(ValueError, match="same length"):
        distance_covariance(x[:-1], x)
    with pytest.raises(ValueError, match="single value"):
        ccdcov(x, frame.assign(race="a"))
    with pytest.raises(TypeError, match="non-numeric dtype"):
        ccdcov(x, frame, categorical=[])
    with pytest.raises(ValueError, match="not columns"):
        ccdcov(x, frame, categorical=["nope"])
    with pytest.raises(ValueError, match="unbiased must be True"):
        distance_covariance(x, x, unbiased="W")
    with (
        pytest.warns(FutureWarning, match="'estimator' was renamed to 'unbiased'"),
        pytest.raises(ValueError, match="estimator must be"),
    ):
        distance_covariance(x, x, estimator="W")
    with pytest.raises(ValueError, match="method must be"):
        distance_covariance(x, x, method="quick")
    with pytest.raises(ValueError, match="at least 5"):
        distance_covariance(x[:4], x[:4])
    with pytest.raises(ValueError, match="NaN"):
        distance_covariance(np.r_[np.nan, x[1:]], x)
    with pytest.raises(ValueError, match="c must be"):
        jdcov(x, frame, c=-1)
    with pytest.raises(ValueError, match="no O\\(n log n\\) path"):
        rng = np.random.default_rng(0)
        distance_covariance(
            rng.normal(size=(100,)), rng.normal(size=(100, 2)), method="fast"
        )
    with pytest.raises(ValueError, match="n_permutations"):
        distance_covariance(x, x, test="permutation", n_permutations=0)
