import numpy as np
import pytest

from fairness import (
    distance_correlation,
)

from ._data import _data


def test_result_object():
    x, y, _ = _data()
    res = distance_correlation(x, y)
    low, high = res.ci(0.1)
    assert low < res.estimate < high
    frame = res.to_frame()
    assert frame.loc["dCor^2", "estimate"] == res.estimate
    assert "dCor^2(estimate=" in repr(res)
    with pytest.raises(AttributeError, match="cannot assign"):
        res.estimate = 1.0
    with pytest.raises(ValueError, match=r"alpha \(one minus the coverage\) must be"):
        res.ci(1.5)


def test_ci_near_independence_reports_only_the_test():
    # independent score and binary attribute: the test does not reject, so
    # the interval is not reported (the jackknife undercovers there, issue 13)
    rng = np.random.default_rng(7)
    x = rng.normal(size=300)
    s = rng.random(300) < 0.3
    res = distance_correlation(x, s)
    assert res.pvalue >= 0.05
    assert np.isnan(res.ci()).all()
    assert res.ci_note().startswith("test only")
    assert res.to_frame()["ci_note"].iloc[0].startswith("test only")
    wald = res.ci(near_null="wald")  # the old interval, one parameter away
    np.testing.assert_allclose(
        wald, res.estimate + np.array([-1, 1]) * 1.959963984540054 * res.se
    )
    untested = distance_correlation(x, s, test=None)
    np.testing.assert_allclose(untested.ci(), wald)
    assert "no test run" in untested.ci_note()
    with pytest.raises(ValueError, match="near_null must be 'test' or 'wald'"):
        res.ci(near_null="always")


def test_ci_under_independence_is_withheld_in_at_least_94_percent_of_samples():
    # seeded Monte Carlo (light): the chi-square test is slightly
    # conservative, so at most about 5% of null samples report an interval
    rng = np.random.default_rng(11)
    reported = 0
    for _ in range(100):
        x = rng.normal(size=200)
        s = rng.random(200) < 0.3
        res = distance_correlation(x, s)
        # a negative statistic (dCor_U^2 < -1/n) has p-value 1, never NaN
        assert 0.0 <= res.pvalue <= 1.0
        reported += bool(np.isfinite(res.ci()).all())
    assert reported <= 6


def test_ci_away_from_independence_is_the_wald_interval():
    rng = np.random.default_rng(3)
    s = rng.random(400) < 0.3
    x = rng.normal(size=400) + 1.0 * s
    res = distance_correlation(x, s)
    assert res.pvalue < 1e-6
    np.testing.assert_allclose(res.ci(), res.ci(near_null="wald"))
    assert res.ci_note() == "jackknife Wald (independence rejected)"
