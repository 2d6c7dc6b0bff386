"""The frontier's IVs, counts and intervals go through the spine."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from fairness._frontier._evaluation import _evaluate
from fairness._frontier._menus import (
    _iv_pair,
    _merge_ivs,
    _merged_counts,
    _two_class_counts,
)
from fairness._mip import SelectionResult
from scorecard import (
    DataConditionWarning,
    count_codes,
    delong_auc,
    information_value,
    merge_counts,
)
from scorecard._kit.intervals import wald_interval


def test_two_class_counts_is_the_count_kernel():
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 5, 300)
    labels = rng.integers(0, 2, 300)
    np.testing.assert_allclose(
        _two_class_counts(codes, labels, 5),
        count_codes(codes, labels, n_bins=5, n_classes=2)[0],
        rtol=1e-12,
    )


def test_iv_pair_and_merge_ivs_equal_information_value():
    table = np.array([[30.0, 5.0], [0.0, 7.0], [40.0, 12.0], [25.0, 20.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        iv = information_value(table[:, 0], table[:, 1])
    est, se, smoothed = _iv_pair(table)
    np.testing.assert_allclose([est, se], [iv.estimate, iv.se], rtol=1e-12)
    assert smoothed == 1
    stack = np.stack([table, table[::-1]])
    np.testing.assert_allclose(
        _merge_ivs(stack), [iv.estimate, iv.estimate], rtol=1e-12
    )
    # a merge with a single non-empty bin is not scored
    lonely = np.array([[[3.0, 4.0], [0.0, 0.0]]])
    assert np.isnan(_merge_ivs(lonely)).all()


def test_merged_counts_use_merge_counts():
    table = np.arange(14.0).reshape(7, 2)
    got = _merged_counts(table, 5, (2, 4))
    np.testing.assert_allclose(got[:3], merge_counts(table[:5], (2, 4)), rtol=1e-12)
    np.testing.assert_allclose(got[3:], table[5:], rtol=1e-12)


def test_evaluate_iv_and_auc_equal_the_spine():
    rng = np.random.default_rng(4)
    n = 2000
    group = rng.integers(0, 2, n)
    score = rng.normal(size=n) + 0.2 * group
    y = (rng.random(n) < 1 / (1 + np.exp(1 + score))).astype(int)
    groups = pd.Series(group, name="g")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        met, _ = _evaluate(y, score, groups, 0.5, "g=0", alpha=0.1)
    edges = np.quantile(score, np.linspace(0, 1, 11))
    codes = np.searchsorted(np.unique(edges[1:-1]), score, side="right")
    counts = count_codes(codes, y, n_bins=10, n_classes=2)[0]
    iv = information_value(counts[:, 0], counts[:, 1])
    np.testing.assert_allclose(
        [met["iv"], met["iv_se"]], [iv.estimate, iv.se], rtol=1e-12
    )
    auc = delong_auc(y, score, higher="good")
    np.testing.assert_allclose(
        [met["auc_ci_low"], met["auc_ci_high"]], auc.ci(0.1), rtol=1e-12
    )


def test_selection_ci_is_the_truncated_wald_interval():
    res = SelectionResult(
        estimate=0.05,
        se=0.04,
        constraint_value=0.0,
        iv_a=0.0,
        status="optimal",
        solver_status="Optimal",
        solve_time=0.0,
        eps=1.0,
        z=0.0,
        solver="cbc",
        time_limit=None,
        n=1,
        method="m",
        selection=pd.DataFrame(),
    )
    np.testing.assert_allclose(
        res.ci(0.2), wald_interval(0.05, 0.04, 0.2, lower=0.0), rtol=1e-12
    )
    with pytest.raises(ValueError, match=r"alpha \(one minus the coverage\)"):
        res.ci(0.0)
