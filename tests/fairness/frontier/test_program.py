"""The score-level program: moments, the continuous program, the divergence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from fairness._frontier._program import (
    Moments,
    dominated,
    moments,
    score_divergence,
    score_edges,
    solve_fixed,
)
from scorecard import DataConditionWarning, count_codes, information_value


def test_moments_hand_computed():
    W = np.array([[1.0, 0.0], [3.0, 2.0], [0.0, 1.0], [2.0, 5.0]])
    y = np.array([0, 0, 1, 1])  # goods: rows 0, 1; bads: rows 2, 3
    g = np.array([0, 1, 0, 1])
    m = moments(W, y, g, 2)
    # goods mean (2, 1), bads mean (1, 3)
    np.testing.assert_allclose(m.d_y, [1.0, -2.0])
    # within-class deviations: (-1,-1), (1,1), (-1,-2), (1,2); / (n - 2)
    np.testing.assert_allclose(m.S, [[2.0, 3.0], [3.0, 5.0]])
    # group 0 mean (0.5, 0.5) minus group 1 mean (2.5, 3.5); one row for 2 groups
    np.testing.assert_allclose(m.d_a, [[-2.0, -3.0]])
    four = moments(W, y, np.array([0, 1, 2, 3]), 4)
    assert four.d_a.shape == (4, 2)


def test_ratios_are_the_normal_theory_ivs():
    m = Moments(S=np.array([[4.0]]), d_y=np.array([1.0]), d_a=np.array([[0.5]]))
    iv, div = m.ratios(np.array([3.0]))
    # (b d)^2 / (b S b), free of the scale of b
    assert iv == pytest.approx(1 / 4)
    assert div == pytest.approx(0.25 / 4)


def test_solve_fixed_unconstrained_is_lda():
    S = np.array([[1.0, 0.3], [0.3, 1.0]])
    d = np.array([0.8, 0.5])
    m = Moments(S=S, d_y=d, d_a=np.array([[0.1, 0.2]]))
    b = solve_fixed(m, np.array([0, 1]), eps=10.0)
    lda = np.linalg.solve(S, d)
    assert np.all(lda > 0)
    np.testing.assert_allclose(
        b / np.linalg.norm(b), lda / np.linalg.norm(lda), atol=1e-4
    )
    assert float(d @ b) == pytest.approx(np.sqrt(d @ lda), rel=1e-5)


def test_solve_fixed_zero_budget_is_the_projected_lda():
    # max d'b s.t. b'Sb <= 1, c'b = 0: b proportional to S^-1 (d - l c)
    S = np.array([[1.0, 0.2], [0.2, 1.0]])
    d = np.array([0.6, 0.4])
    c = np.array([0.3, -0.2])
    m = Moments(S=S, d_y=d, d_a=c[None, :])
    b = solve_fixed(m, np.array([0, 1]), eps=0.0)
    Si = np.linalg.inv(S)
    lam = (c @ Si @ d) / (c @ Si @ c)
    v = Si @ (d - lam * c)
    v /= np.sqrt(v @ S @ v)
    assert np.all(v > 0)
    np.testing.assert_allclose(b, v, atol=1e-4)
    assert abs(float(c @ b)) <= 1e-9


def test_solve_fixed_respects_signs():
    S = np.eye(2)
    d = np.array([1.0, -0.5])  # the second column would enter with b < 0
    m = Moments(S=S, d_y=d, d_a=np.zeros((1, 2)))
    b = solve_fixed(m, np.array([0, 1]), eps=1.0)
    np.testing.assert_allclose(b, [1.0, 0.0], atol=1e-6)


def test_score_divergence_is_the_spine_iv_minus_its_bias():
    rng = np.random.default_rng(1)
    score = rng.normal(size=800)
    groups = (rng.random(800) < 0.3).astype(np.int64)
    score[groups == 1] += 0.5
    edges = score_edges(score, 5)
    res, _ = score_divergence(score, groups, ["a", "b"], edges)
    codes = np.searchsorted(edges[1:-1], score, side="right")
    table = count_codes(codes, groups, n_bins=5, n_classes=2)[0]
    iv = information_value(table[:, 0], table[:, 1]).estimate
    n1, n0 = table[:, 1].sum(), table[:, 0].sum()
    n_e = n1 * n0 / (n1 + n0)
    assert res.raw == pytest.approx(iv, rel=1e-12)
    assert res.estimate == pytest.approx(iv - 4 / n_e, rel=1e-12)
    assert res.se == pytest.approx(np.sqrt(8 + 4 * n_e * res.estimate) / n_e)


def test_score_divergence_bias_correction_monte_carlo():
    # no difference between the groups: the plug-in IV is biased up by about
    # (k - 1) / n_e, the corrected one is not (seeded, 300 replications)
    rng = np.random.default_rng(2)
    raw, corrected, inside = [], [], 0
    for _ in range(300):
        score = rng.normal(size=600)
        groups = (rng.random(600) < 0.4).astype(np.int64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            res, _ = score_divergence(score, groups, ["a", "b"], score_edges(score, 10))
        raw.append(res.raw)
        corrected.append(res.estimate)
        low, high = res.ci(0.05)
        inside += low <= 0.0 <= high
    n_e = 600 * 0.4 * 0.6
    assert np.mean(raw) == pytest.approx(9 / n_e, rel=0.15)
    assert abs(np.mean(corrected)) < 0.15 * 9 / n_e
    assert inside / 300 >= 0.9


def test_multi_group_divergence_is_the_largest_one_vs_rest():
    rng = np.random.default_rng(3)
    groups = rng.integers(0, 3, 1500).astype(np.int64)
    score = rng.normal(size=1500) + np.array([0.0, 0.1, 0.8])[groups]
    res, _ = score_divergence(score, groups, ["x", "y", "z"], score_edges(score, 10))
    assert res.group == "z"
    one = [
        score_divergence(
            score, (groups == g).astype(np.int64), ["rest", "g"], score_edges(score, 10)
        )[0].estimate
        for g in range(3)
    ]
    assert res.estimate == pytest.approx(max(one), rel=1e-12)


def test_dominated_hand_computed():
    auc = np.array([0.70, 0.75, 0.74, 0.80, np.nan])
    div = np.array([0.10, 0.05, 0.20, 0.30, 0.0])
    # row 0: row 1 has more AUC and less divergence; row 2: row 1 again
    np.testing.assert_array_equal(
        dominated(auc, div), [True, False, True, False, False]
    )
