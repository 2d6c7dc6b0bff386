"""The ECB AUC test (initial AUC fixed) and the current-vs-initial comparison."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from monitoring import AUCTest, auc_comparison, ecb_auc_test
from scorecard import delong_auc


def test_ecb_statistic_uses_only_the_current_variance():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    score = rng.normal(size=400) - 0.8 * y  # points: higher = good
    res = ecb_auc_test(y, score, initial_auc=0.75)
    auc = delong_auc(y, score, higher="good")
    assert res.estimate == auc.estimate and res.se == auc.se
    s = (0.75 - auc.estimate) / auc.se
    assert res.statistic == pytest.approx(s, rel=1e-12)
    assert res.pvalue == pytest.approx(stats.norm.sf(s), rel=1e-12)
    assert res.gini == pytest.approx(2 * auc.estimate - 1)
    assert res.to_frame()["initial_auc"].item() == 0.75


def test_ecb_test_size_with_the_initial_auc_fixed():
    """Binormal scores with true AUC equal to the fixed initial AUC: size ~ 5%."""
    rng = np.random.default_rng(16)
    delta = 1.0
    true_auc = stats.norm.cdf(delta / math.sqrt(2))
    reps, n_bad, n_good = 600, 80, 320
    y = np.r_[np.ones(n_bad, int), np.zeros(n_good, int)]
    rejected = 0
    for _ in range(reps):
        score = np.r_[rng.normal(-delta, 1, n_bad), rng.normal(0, 1, n_good)]
        rejected += ecb_auc_test(y, score, initial_auc=true_auc).pvalue < 0.05
    assert 0.035 <= rejected / reps <= 0.065, rejected / reps


def test_from_auc_rejects_a_bad_initial_value():
    auc = delong_auc([0, 1, 0, 1], [0.1, 0.9, 0.3, 0.4])
    with pytest.raises(ValueError, match=r"initial_auc must be in \[0, 1\]"):
        AUCTest.from_auc(auc, 1.5)
    with pytest.raises(ValueError, match="initial_auc"):
        ecb_auc_test([0, 1, 0, 1], [1, 2, 3, 4], initial_auc=2.0)
    with pytest.raises(ValueError, match="higher"):
        ecb_auc_test([0, 1, 0, 1], [1, 2, 3, 4], initial_auc=0.7, higher="up")


def test_paired_comparison_of_two_scores_on_the_same_rows():
    rng = np.random.default_rng(5)
    n = 1_500
    y = rng.integers(0, 2, n)
    common = rng.normal(size=n)
    initial = common - 0.6 * y
    current = common - 0.9 * y + 0.3 * rng.normal(size=n)
    res = auc_comparison(y, current, initial, n_boot=100, random_state=1)
    a1 = delong_auc(y, current, higher="good").estimate
    a0 = delong_auc(y, initial, higher="good").estimate
    assert res.estimate == pytest.approx(a1 - a0, rel=1e-12)
    # positively correlated AUCs: the paired SE is below the independent one
    independent = math.hypot(res.current.se, res.initial.se)
    assert 0 < res.se < independent
    assert res.pvalue == pytest.approx(2 * stats.norm.sf(abs(res.estimate / res.se)))
    again = auc_comparison(y, current, initial, n_boot=100, random_state=1)
    assert again.se == res.se  # seeded
    with pytest.raises(ValueError, match="y_score and y_score_initial must have"):
        auc_comparison(y, current[:-1], initial)
