"""The group metrics go through the spine; one target rule; renamed keywords."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from fairness import assess, proxy_table
from fairness._groups._metric import GroupMetric
from fairness._groups._table import _group_stats
from scorecard import (
    DataConditionWarning,
    count_codes,
    information_value,
    jensen_shannon,
)
from scorecard._kit.intervals import two_sided_pvalue, wald_interval


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    n = 1500
    race = rng.integers(0, 2, n)
    score = rng.normal(size=n) + 0.3 * race
    y = (rng.random(n) < 1 / (1 + np.exp(1 + score))).astype(int)
    X = pd.DataFrame({"proxy": rng.normal(size=n) + race, "noise": rng.normal(size=n)})
    return y, score, pd.Series(race, name="race"), X


def test_demographic_iv_and_js_equal_the_spine(data):
    y, score, race, _ = data
    res = assess(y, score, sensitive_features=race, score_bins=5)
    edges = res.score_bin_edges
    codes = np.searchsorted(edges[1:-1], score, side="right")
    counts = count_codes(codes, race.to_numpy(), n_bins=edges.size - 1, n_classes=2)[0]
    ref = 0 if res.reference_group == "race=0" else 1
    other = 1 - ref
    iv = information_value(counts[:, other], counts[:, ref])
    js = jensen_shannon(counts[:, other], counts[:, ref])
    np.testing.assert_allclose(
        res.metric("demographic IV").estimate, iv.estimate, rtol=1e-12
    )
    np.testing.assert_allclose(res.metric("demographic IV").se, iv.se, rtol=1e-12)
    np.testing.assert_allclose(res.metric("JS").estimate, js.estimate, rtol=1e-12)


def test_group_counts_equal_the_count_kernel(data):
    y, score, race, _ = data
    g = race.to_numpy().astype(np.int64)
    st = _group_stats(y, score, np.ones(y.size), g, 2, np.ones(y.size), "frequency")
    table = count_codes(g, y, n_bins=2, n_classes=2)[0]
    np.testing.assert_allclose(st["weight"], table.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(st["rows"], table.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(st["bad"], table[:, 1], rtol=1e-12)


def test_group_metric_ci_and_tests_use_the_interval_helpers():
    m = GroupMetric("SMD", "a vs b", 0.3, 0.1, 3.0, 0.0, "m", 10.0)
    np.testing.assert_allclose(m.ci(0.1), wald_interval(0.3, 0.1, 0.1), rtol=1e-12)
    nonneg = GroupMetric("IV", "a vs b", 0.05, 0.1, 0.5, 0.0, "m", 10.0, "nonneg")
    low, high = wald_interval(0.05, 0.1, 0.05)
    np.testing.assert_allclose(nonneg.ci(), [max(low, 0.0), high], rtol=1e-12)
    air = GroupMetric("AIR", "a vs b", 0.8, 0.08, -2.0, 0.0, "m", 10.0, "log", 0.1)
    np.testing.assert_allclose(
        air.ci(), 0.8 * np.exp(wald_interval(0.0, 0.1, 0.05)), rtol=1e-12
    )


def test_air_pvalue_is_fisher_and_statistic_the_pearson_z(data):
    # the AIR test is Fisher's exact test on the 2x2 table of approvals; the
    # score statistic at AIR = 1 is the (uncorrected) Pearson chi-square's root
    y, score, race, _ = data
    air = assess(y, score, sensitive_features=race, cutoff=float(np.median(score)))
    m = air.metric("AIR")
    x1, n1, x2, n2 = m.counts
    table = np.round([[x1, n1 - x1], [x2, n2 - x2]]).astype(int)
    np.testing.assert_allclose(m.pvalue, stats.fisher_exact(table).pvalue, rtol=1e-9)
    chi2 = stats.chi2_contingency(table, correction=False).statistic
    np.testing.assert_allclose(m.statistic**2, chi2, rtol=1e-9)
    assert two_sided_pvalue(m.statistic) > 0


def test_proxy_iv_equals_the_spine(data):
    y, _, race, X = data
    table = proxy_table(X, race, y=y, n_bins=4)
    div = table.divergences[0]
    codes = np.column_stack(
        [
            np.searchsorted(
                np.unique(np.quantile(X[c], [0.25, 0.5, 0.75])), X[c], side="right"
            )
            for c in X.columns
        ]
    )
    counts = count_codes(codes, race.to_numpy(), n_bins=4, n_classes=2)
    ref = 0 if table.reference_group == "race=0" else 1
    iv = information_value(counts[:, :, 1 - ref], counts[:, :, ref])
    np.testing.assert_allclose(div.estimate, iv.estimate, rtol=1e-12)
    tcounts = count_codes(codes, y, n_bins=4, n_classes=2)
    target = information_value(tcounts[:, :, 0], tcounts[:, :, 1])
    np.testing.assert_allclose(table.target_iv.estimate, target.estimate, rtol=1e-12)


def test_string_target_needs_bad_value(data):
    y, score, race, X = data
    labels = np.where(y == 1, "bad", "good")
    with pytest.raises(
        ValueError, match=r"set bad_value.*got labels \['bad', 'good'\]"
    ):
        assess(labels, score, sensitive_features=race)
    with pytest.raises(ValueError, match=r"set bad_value to the label"):
        proxy_table(X, race, y=labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        base = assess(y, score, sensitive_features=race).summary()
        named = assess(labels, score, sensitive_features=race, bad_value="bad")
    pd.testing.assert_frame_equal(named.summary(), base)
    pd.testing.assert_frame_equal(
        proxy_table(X, race, y=labels, bad_value="bad").to_frame(),
        proxy_table(X, race, y=y).to_frame(),
    )


def test_score_keyword_is_renamed_with_a_future_warning(data):
    y, score, race, _ = data
    with pytest.warns(FutureWarning, match="'score' was renamed to 'y_score' in 0.2"):
        old = assess(y, score=score, sensitive_features=race)
    new = assess(y, y_score=score, sensitive_features=race)
    pd.testing.assert_frame_equal(old.summary(), new.summary())
    with pytest.raises(TypeError, match="got both 'y_score' and its old name"):
        assess(y, score, score=score, sensitive_features=race)
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        assess(y, score, sensitive_features=race, scores=score)


def test_unnamed_attribute_is_s0(data):
    y, score, race, _ = data
    res = assess(y, score, sensitive_features=race.to_numpy())
    assert res.protected == ("s0",)
    assert list(res.groups.index) == ["s0=0", "s0=1"]


def test_assessment_to_html_writes_the_report(data, tmp_path):
    y, score, race, _ = data
    res = assess(y, score, sensitive_features=race, alpha=0.1)
    path = tmp_path / "fair.html"
    html = res.to_html(path, title="T")
    assert html.startswith("<!DOCTYPE html>") and "90% CI" in html
    assert path.read_text(encoding="utf-8") == html
