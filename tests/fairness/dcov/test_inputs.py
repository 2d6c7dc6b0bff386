"""One sensitive-feature rule and the renamed parameters of the dCov functions."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from fairness import (
    DCovLogisticRegression,
    ccdcov,
    distance_correlation,
    distance_covariance,
    distance_covariance_grad,
    intersect_groups,
    jdcov,
)
from fairness._dcov._inputs import _encode
from fairness._sensitive import as_sensitive_frame, column_kinds
from scorecard._kit.intervals import wald_interval

from ._data import _data

RENAMED = "'estimator' was renamed to 'unbiased' in 0.2 and will be removed in 0.3."


def _five_levels(n=300, seed=0):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, 5, n)
    X = np.column_stack([rng.normal(size=n) + 0.4 * s, rng.normal(size=n)])
    y = (X.sum(axis=1) + rng.logistic(size=n) > 1).astype(int)
    return X, y, s


def test_five_level_integer_is_categorical_everywhere():
    # issue 12: a 5-level integer attribute was categorical in assess but
    # continuous in ccdcov and DCovLogisticRegression; one rule now
    X, y, s = _five_levels()
    frame = as_sensitive_frame(s)
    assert column_kinds(frame) == ("categorical",)
    enc = _encode(s, s.size)
    assert enc.kinds == ("categorical",)
    assert enc.levels == (5,)
    score = X[:, 0]
    auto = ccdcov(score, s, test=None)
    as_cat = ccdcov(score, s, categorical=["s0"], test=None)
    as_cont = ccdcov(score, s, categorical=[], test=None)
    assert "categorical" in auto.method
    assert auto.estimate == as_cat.estimate
    assert auto.estimate != pytest.approx(as_cont.estimate)
    model = DCovLogisticRegression(lambda_=1.0).fit(X, y, sensitive_features=s)
    pred = expit(X @ model.coef_ + model.intercept_)
    want = ccdcov(pred, s, categorical=["s0"], test=None).estimate
    np.testing.assert_allclose(model.penalty_value_, want, rtol=1e-12)
    # the groups are the five levels, as in fairness._sensitive
    assert sorted(intersect_groups(s).categories) == [f"s0={v}" for v in range(5)]


def test_unnamed_input_is_column_s0_everywhere():
    s = np.array([0, 1, 1, 0, 2, 2])
    assert list(as_sensitive_frame(s).columns) == ["s0"]
    assert _encode(s, 6).names == ("s0",)
    assert _encode(pd.Series(s), 6).names == ("s0",)
    assert _encode(list(s), 6).names == ("s0",)
    assert _encode(np.column_stack([s, s[::-1]]), 6).names == ("s0", "s1")
    assert list(intersect_groups(s))[0] == "s0=0"
    assert list(intersect_groups(pd.Series(s)))[0] == "s0=0"
    # an explicit categorical= list names the same column
    res = ccdcov(np.arange(6.0), s, categorical=["s0"], test=None, unbiased=False)
    assert res.estimate == ccdcov(np.arange(6.0), s, test=None, unbiased=False).estimate


@pytest.mark.parametrize(
    "fn",
    [distance_covariance, distance_correlation, distance_covariance_grad],
)
@pytest.mark.parametrize("estimator", ["U", "V"])
def test_estimator_keyword_still_works_with_future_warning(fn, estimator):
    x, y, s = _data(n=60)
    with pytest.warns(FutureWarning, match=RENAMED):
        old = fn(x, s, estimator=estimator)
    new = fn(x, s, unbiased=estimator == "U")
    if fn is distance_covariance_grad:
        assert old.value == new.value
        np.testing.assert_array_equal(old.gradient, new.gradient)
    else:
        assert old.estimate == new.estimate
        assert old.se == new.se
    assert new.unbiased is (estimator == "U")


@pytest.mark.parametrize("fn", [ccdcov, jdcov])
def test_ccdcov_jdcov_old_names(fn):
    x, _, s = _data(n=60)
    with pytest.warns(FutureWarning, match=RENAMED):
        old = fn(x, s, estimator="V")
    assert old.estimate == fn(x, s, unbiased=False).estimate
    with pytest.warns(
        FutureWarning,
        match="'y_pred' was renamed to 'y_score' in 0.2 and will be removed in 0.3.",
    ):
        old = fn(y_pred=x, sensitive_features=s)
    assert old.estimate == fn(y_score=x, sensitive_features=s).estimate
    with (
        pytest.warns(FutureWarning, match="'y_pred' was renamed"),
        pytest.raises(TypeError, match="both y_score and its old name y_pred"),
    ):
        fn(x, s, y_pred=x)
    with pytest.raises(TypeError, match="missing the required argument 'y_score'"):
        fn(sensitive_features=s)


@pytest.mark.parametrize("unbiased", [True, False])
def test_ci_is_the_kit_wald_interval(unbiased):
    x, y, _ = _data(n=80)
    res = distance_covariance(x, y, unbiased=unbiased)
    lower = None if unbiased else 0.0
    for alpha in (0.05, 0.1, 0.32):
        np.testing.assert_allclose(
            res.ci(alpha),
            wald_interval(res.estimate, res.se, alpha, lower=lower),
            rtol=1e-12,
        )
    with pytest.raises(ValueError, match=r"alpha \(one minus the coverage\)"):
        res.ci(0.0)
