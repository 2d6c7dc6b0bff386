"""AUC with DeLong SEs and the AUC difference test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from monitoring import (
    AUCResult,
    auc_drift,
    auc_from_counts,
    delong_auc,
)


def brute_delong(y, s):
    """O(n^2) DeLong straight from the definition (Mann-Whitney kernel)."""
    y = np.asarray(y)
    s = np.asarray(s, float)
    pos, neg = s[y == 1], s[y == 0]
    kernel = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = kernel.mean(axis=1), kernel.mean(axis=0)
    var = v10.var(ddof=1) / pos.size + v01.var(ddof=1) / neg.size
    return kernel.mean(), math.sqrt(var)


# --------------------------------------------------------------------------
# AUC with DeLong SEs


def test_delong_matches_sklearn_and_the_brute_force_definition():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    score = np.round(rng.normal(y * 0.8, 1.0), 1)  # rounding creates ties
    res = delong_auc(y, score)
    auc, se = brute_delong(y, score)
    assert res.estimate == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    assert res.estimate == pytest.approx(auc, abs=1e-12)
    assert res.se == pytest.approx(se, rel=1e-10)
    flipped = delong_auc(y, -score, higher="good")
    assert flipped.estimate == pytest.approx(res.estimate)
    assert flipped.se == pytest.approx(res.se)


def test_binned_auc_equals_delong_on_tied_scores():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 3000)
    bins = np.clip(np.round(rng.normal(2 + y, 1.2)), 0, 6).astype(int)
    goods = np.bincount(bins[y == 0], minlength=7)
    bads = np.bincount(bins[y == 1], minlength=7)
    raw = delong_auc(y, bins)
    binned = auc_from_counts(goods, bads)
    assert binned.estimate == pytest.approx(raw.estimate, abs=1e-12)
    assert binned.se == pytest.approx(raw.se, rel=1e-10)
    good_high = auc_from_counts(goods[::-1], bads[::-1], higher="good")
    assert good_high.estimate == pytest.approx(raw.estimate)
    assert good_high.se == pytest.approx(raw.se)


def test_delong_se_matches_monte_carlo_sd_and_difference_test_is_nominal():
    rng = np.random.default_rng(8)
    p_good = np.array([0.30, 0.25, 0.20, 0.15, 0.10])
    p_bad = np.array([0.10, 0.15, 0.20, 0.25, 0.30])
    reps = 1500
    goods = rng.multinomial(3000, p_good, 2 * reps)
    bads = rng.multinomial(600, p_bad, 2 * reps)
    results = [auc_from_counts(g, b) for g, b in zip(goods, bads, strict=True)]
    est = np.array([r.estimate for r in results])
    ses = np.array([r.se for r in results])
    assert ses.mean() == pytest.approx(est.std(ddof=1), rel=0.08)
    p = np.array([auc_drift(results[i], results[reps + i]).pvalue for i in range(reps)])
    mc_se = math.sqrt(0.05 * 0.95 / reps)
    assert abs((p < 0.05).mean() - 0.05) <= 3 * mc_se


def test_auc_drift_difference_and_frame():
    ref = AUCResult(0.75, 0.02, 500, 4500, "delong")
    cur = AUCResult(0.70, 0.015, 300, 2700, "delong")
    res = auc_drift(ref, cur)
    assert res.estimate == pytest.approx(-0.05)
    assert res.se == pytest.approx(0.025)
    assert res.pvalue == pytest.approx(2 * stats.norm.sf(2.0))
    assert res.to_frame().loc["difference", "auc"] == pytest.approx(-0.05)
    with pytest.raises(TypeError, match="reference must be an AUCResult"):
        auc_drift(0.75, cur)


@pytest.mark.parametrize(
    ("y", "score", "match"),
    [
        ([0, 0, 0], [0.1, 0.2, 0.3], "both classes 0 and 1"),
        ([0, 1, 2], [0.1, 0.2, 0.3], "both classes 0 and 1"),
        ([0, 1], [0.1, np.nan], "score must be finite"),
        ([0, 1, 1], [0.1, 0.2], "same length"),
    ],
)
def test_delong_rejects_bad_input(y, score, match):
    with pytest.raises(ValueError, match=match):
        delong_auc(y, score)


def test_auc_higher_is_validated():
    with pytest.raises(ValueError, match="higher must be 'bad' or 'good'"):
        auc_from_counts([1, 2], [2, 1], higher="up")
