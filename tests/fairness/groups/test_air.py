"""AIR for small and zero counts: Koopman score interval, exact tests, weights.

Oracles: scipy.stats.fisher_exact, statsmodels' score interval for a ratio
of two proportions, a brute-force inversion of the score test with the
restricted MLE found numerically, and seeded Monte Carlo coverage.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats
from statsmodels.stats.proportion import confint_proportions_2indep

from fairness._groups._air import (
    effective_counts,
    exact_pvalue,
    ratio_score_interval,
    ratio_score_statistic,
)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "expected"),
    [
        (0, 2, 500, 1000, 0.50),  # the issue's hand cases
        (3, 3, 500, 1000, 0.25),
    ],
)
def test_fisher_hand_cases_from_the_issue(x1, n1, x2, n2, expected):
    p = exact_pvalue(x1, n1, x2, n2)
    assert p == pytest.approx(expected, abs=0.002)
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    assert p == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [
        (0, 5, 30, 40),
        (7, 20, 30, 40),
        (12, 12, 3, 15),
        (1, 4, 3, 4),
        (5, 50, 5, 50),
        # large groups (log-probabilities from gammaln, not scipy's pmf)
        (5900, 12000, 20000, 40000),
        (2, 40, 30000, 60000),
    ],
)
def test_fisher_and_mid_p_match_scipy(x1, n1, x2, n2):
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    fisher = stats.fisher_exact(table).pvalue
    assert exact_pvalue(x1, n1, x2, n2, "fisher") == pytest.approx(fisher, rel=1e-9)
    # mid-p: the tables less likely than the observed one plus half of those
    # as likely, from scipy's hypergeometric law
    law = stats.hypergeom(n1 + n2, x1 + x2, n1)
    support = np.arange(max(0, x1 + x2 - n2), min(n1, x1 + x2) + 1)
    probs, obs = law.pmf(support), law.pmf(x1)
    mid = (
        probs[probs < obs * (1 - 1e-7)].sum()
        + 0.5 * probs[np.isclose(probs, obs, rtol=1e-7, atol=0)].sum()
    )
    assert exact_pvalue(x1, n1, x2, n2, "mid-p") == pytest.approx(mid, rel=1e-9)
    assert exact_pvalue(x1, n1, x2, n2, "mid-p") <= fisher


def _brute_score(phi, x1, n1, x2, n2):
    """Score statistic with the restricted MLE maximised numerically."""

    def nll(p2):
        p1 = phi * p2
        return -(stats.binom.logpmf(x1, n1, p1) + stats.binom.logpmf(x2, n2, p2))

    p2 = optimize.minimize_scalar(
        nll,
        bounds=(1e-12, min(1.0, 1 / phi) - 1e-12),
        method="bounded",
        options={"xatol": 1e-13},
    ).x
    p1 = phi * p2
    var = p1 * (1 - p1) / n1 + phi**2 * p2 * (1 - p2) / n2
    return (x1 / n1 - phi * x2 / n2) / np.sqrt(var)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"), [(7, 20, 30, 40), (2, 9, 60, 100), (15, 15, 50, 100)]
)
def test_score_statistic_matches_numerical_restricted_mle(x1, n1, x2, n2):
    for phi in (0.3, 0.8, 1.0, 1.7):
        if phi * x2 / n2 >= 1:
            continue
        assert ratio_score_statistic(phi, x1, n1, x2, n2) == pytest.approx(
            _brute_score(phi, x1, n1, x2, n2), rel=1e-5
        )
    low, high = ratio_score_interval(x1, n1, x2, n2)
    z = stats.norm.ppf(0.975)
    assert _brute_score(low, x1, n1, x2, n2) == pytest.approx(z, abs=1e-4)
    if np.isfinite(high) and high * x2 / n2 < 1:
        assert _brute_score(high, x1, n1, x2, n2) == pytest.approx(-z, abs=1e-4)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"), [(7, 20, 30, 40), (2, 9, 60, 100), (40, 100, 50, 100)]
)
def test_score_interval_matches_statsmodels(x1, n1, x2, n2):
    low, high = confint_proportions_2indep(
        x1, n1, x2, n2, method="score", compare="ratio", correction=False
    )
    np.testing.assert_allclose(
        ratio_score_interval(x1, n1, x2, n2), [low, high], rtol=1e-6
    )


def test_zero_and_full_counts_give_honest_intervals():
    # 0 approvals: the interval starts at 0 and is not the point [0, 0]
    low, high = ratio_score_interval(0, 10, 50, 100)
    assert low == 0.0 and 0.2 < high < 0.7
    # 0 of 2: almost nothing is known; the upper end is well above 1
    assert ratio_score_interval(0, 2, 500, 1000)[1] > 1.0
    # 3 of 3 against a rate of 1/2: the AIR 2 is the largest possible, the
    # interval reaches below 1
    low, high = ratio_score_interval(3, 3, 500, 1000)
    assert low < 1.0 < high
    # no approvals in the reference: the AIR is unbounded above
    assert ratio_score_interval(5, 10, 0, 10)[1] == np.inf
    assert ratio_score_interval(0, 10, 0, 10).tolist() == [0.0, np.inf]
    assert np.isnan(ratio_score_interval(0, 0, 3, 10)).all()


@pytest.mark.parametrize(("n1", "p1"), [(8, 0.1), (15, 0.3), (40, 0.35)])
def test_score_interval_coverage_small_groups(n1, p1):
    # reference of 300 rows approved at 0.5; 2,000 seeded replications
    rng = np.random.default_rng(n1)
    reps, n2, p2 = 2000, 300, 0.5
    x1 = rng.binomial(n1, p1, reps)
    x2 = rng.binomial(n2, p2, reps)
    truth = p1 / p2
    hits = [
        (lambda ci: ci[0] <= truth <= ci[1])(ratio_score_interval(a, n1, b, n2))
        for a, b in zip(x1, x2, strict=True)
    ]
    assert 0.93 <= np.mean(hits) <= 0.985


def test_exact_tests_hold_their_size():
    # exact size at 5% under equal rates 0.4 in groups of 10 and 30: the sum
    # of P(x1) P(x2) over the tables the test rejects. Fisher never exceeds
    # 5%; mid-p is closer to 5% (and may exceed it slightly).
    p1 = stats.binom.pmf(np.arange(11), 10, 0.4)
    p2 = stats.binom.pmf(np.arange(31), 30, 0.4)
    size = {"fisher": 0.0, "mid-p": 0.0}
    for a in range(11):
        for b in range(31):
            for test in size:
                if exact_pvalue(a, 10, b, 30, test) < 0.05:
                    size[test] += p1[a] * p2[b]
    assert size["fisher"] <= 0.05
    assert size["fisher"] < size["mid-p"] <= 0.065


def test_effective_counts_equal_weights_and_frequency_weights():
    d = np.array([1, 1, 0, 0, 0, 1, 0, 0.5])
    rate, var, x, n = effective_counts(d, np.ones(8), "frequency")
    assert (rate, x, n) == (3.5 / 8, 3.5, 8)
    for w in (np.ones(8), np.full(8, 2.5)):
        r2, v2, x2, n2 = effective_counts(d, w, "sampling")
        assert r2 == pytest.approx(rate, rel=1e-12)
        assert n2 == pytest.approx(8, rel=1e-12) and x2 == pytest.approx(3.5)
        assert v2 == pytest.approx(var, rel=1e-12)
    # frequency weights are replicated rows
    w = np.array([2, 1, 1, 3, 1, 1, 1, 1.0])
    rate, _, x, n = effective_counts(d, w, "frequency")
    assert (x, n) == (4.5, 11.0)
    # sampling weights: all approved -> Kish effective rows
    _, var, x, n = effective_counts(np.ones(4), np.array([1.0, 1, 2, 4]), "sampling")
    assert var == 0 and n == pytest.approx(64 / 22)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 40), st.integers(0, 40), st.integers(1, 200), st.integers(1, 200))
def test_score_interval_contains_the_estimate_and_nests(n1, x1, n2, x2):
    x1, x2 = min(x1, n1), min(x2, n2)
    est = (x1 / n1) / (x2 / n2)
    low95, high95 = ratio_score_interval(x1, n1, x2, n2, 0.05)
    low80, high80 = ratio_score_interval(x1, n1, x2, n2, 0.2)
    assert low95 <= est * (1 + 1e-9) and est <= high95 * (1 + 1e-9)
    assert low95 <= low80 * (1 + 1e-9) and high80 <= high95 * (1 + 1e-9)
    assert 0 <= exact_pvalue(x1, n1, x2, n2, "mid-p") <= exact_pvalue(x1, n1, x2, n2)
