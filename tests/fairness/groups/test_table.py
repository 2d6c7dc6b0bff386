"""assess: small-group rules, the intersection cap, weights for AIR and AUC."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from fairness import assess, proxy_table
from fairness._groups._air import effective_counts, ratio_score_interval
from scorecard import DataConditionWarning, delong_auc


def _data(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    race = rng.choice(["A", "B", "C", "D"], size=n, p=[0.6, 0.3, 0.08, 0.02])
    y = rng.binomial(1, 0.3, n)
    shift = np.select([race == "A", race == "B", race == "C"], [0.0, -10, -20], -30)
    score = 600 + 40 * rng.normal(size=n) - 45 * y + shift
    return y, score, race


def test_pooling_small_groups_into_other():
    y, score, race = _data()
    s = pd.Series(race, name="race")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        kept = assess(y, score, sensitive_features=s, min_group_size=100)
    n_d = int((race == "D").sum())
    assert n_d < 100 and kept.groups.loc["race=D", "small_group"]
    assert not kept.groups.loc["race=D", "four_fifths"]
    with pytest.warns(DataConditionWarning, match=r"1 groups are pooled into 'other'"):
        pooled = assess(
            y, score, sensitive_features=s, min_group_size=100, pool_small_groups=True
        )
    assert list(pooled.groups.index) == ["race=A", "race=B", "race=C", "other"]
    assert pooled.groups.loc["other", "n"] == n_d
    assert pooled.pooled == ("race=D",)
    # the pooled group's figures are those of its rows
    np.testing.assert_allclose(
        pooled.groups.loc["other", "approval_rate"],
        kept.groups.loc["race=D", "approval_rate"],
        rtol=1e-12,
    )


def test_intersection_cap_pools_the_smallest_intersections():
    rng = np.random.default_rng(1)
    n = 4000
    frame = pd.DataFrame(
        {c: rng.integers(0, k, n) for c, k in (("a", 4), ("b", 3), ("c", 3), ("d", 3))}
    )
    y = rng.binomial(1, 0.3, n)
    score = rng.normal(size=n) - y
    with pytest.warns(DataConditionWarning) as record:
        res = assess(y, score, sensitive_features=frame, max_groups=12)
    assert any("97 groups are pooled into 'other'" in str(w.message) for w in record)
    assert len(res.groups) == 12 and res.groups.index[-1] == "other"
    assert len(res.pooled) == 108 - 11
    # the 11 largest intersections are kept, the rest pooled
    sizes = frame.value_counts().to_numpy()
    np.testing.assert_array_equal(np.sort(res.groups["n"].iloc[:-1])[::-1], sizes[:11])
    assert res.groups.loc["other", "n"] == sizes[11:].sum()
    with pytest.warns(DataConditionWarning, match="pooled into 'other'"):
        table = proxy_table(pd.DataFrame({"x": score}), frame, n_bins=3, max_groups=12)
    assert len(table.comparisons) == 11


def test_only_one_group_or_all_small_raise():
    y, score, _ = _data(200)
    with pytest.raises(ValueError, match="column 'g' has a single value"):
        assess(y, score, sensitive_features=pd.Series(["x"] * 200, name="g"))
    g = pd.Series(np.arange(200) % 10, name="g")
    with pytest.raises(ValueError, match="fewer than min_group_size=30 rows"):
        assess(y, score, sensitive_features=g)


def test_equal_weights_reproduce_the_unweighted_table():
    y, score, race = _data(1500, seed=3)
    s = pd.Series(race, name="race")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        plain = assess(
            y, score, sensitive_features=s, approval_rate=0.4, min_group_size=5
        )
        for w, kind in ((np.ones(y.size), None), (np.full(y.size, 4.0), "sampling")):
            res = assess(
                y,
                score,
                sensitive_features=s,
                approval_rate=0.4,
                min_group_size=5,
                sample_weight=w,
                weight_kind=kind,
            )
            cols = [
                "approval_rate",
                "air",
                "air_ci_low",
                "air_ci_high",
                "air_pvalue",
                "auc",
                "auc_se",
                "auc_ci_low",
                "auc_ci_high",
                "n_effective",
            ]
            np.testing.assert_allclose(
                res.groups[cols].to_numpy(float),
                plain.groups[cols].to_numpy(float),
                rtol=1e-9,
            )
            assert res.weight_kind == "sampling"
            assert "unweighted" in res.metric("SMD").method


def test_weighted_group_auc_is_delong_with_weights():
    y, score, race = _data(1500, seed=4)
    w = np.random.default_rng(0).uniform(0.5, 3, y.size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        res = assess(
            y,
            score,
            sensitive_features=pd.Series(race, name="r"),
            sample_weight=w,
            weight_kind="sampling",
            min_group_size=5,
        )
    rows = race == "B"
    ref = delong_auc(
        y[rows],
        score[rows],
        higher="good",
        sample_weight=w[rows],
        weight_kind="sampling",
        interval="logit",
    )
    assert res.groups.loc["r=B", "auc"] == pytest.approx(ref.estimate, rel=1e-12)
    np.testing.assert_allclose(
        res.groups.loc["r=B", ["auc_ci_low", "auc_ci_high"]].to_numpy(float),
        ref.ci(),
        rtol=1e-12,
    )


def _weighted_population(rng, n):
    """Two groups; the sample over-represents group b's denials (weights undo it)."""
    g = rng.random(n) < 0.3
    approve = rng.random(n) < np.where(g, 0.35, 0.5)
    keep_p = np.where(g & ~approve, 0.9, 0.45)  # unequal sampling
    keep = rng.random(n) < keep_p
    return g[keep], approve[keep], 1 / keep_p[keep]


def weighted_air_auc_replicates(reps, n, seed):
    """Log AIR, its SE and CI hits; weighted AUC and its SE, per replication.

    The same pieces as :func:`assess` (effective counts, the score interval,
    the weighted DeLong AUC), called directly so the check stays light.
    """
    rng = np.random.default_rng(seed)
    truth_air = 0.35 / 0.5
    out = []
    for _ in range(reps):
        g, approve, w = _weighted_population(rng, n)
        d = approve.astype(float)
        ca = effective_counts(d[~g], w[~g], "sampling")
        cb = effective_counts(d[g], w[g], "sampling")
        low, high = ratio_score_interval(cb[2], cb[3], ca[2], ca[3])
        log_se = np.sqrt(cb[1] / cb[0] ** 2 + ca[1] / ca[0] ** 2)
        y = (rng.random(g.size) < np.where(approve, 0.2, 0.4)).astype(int)
        score = rng.normal(size=g.size) - y + 0.5 * approve
        auc = delong_auc(
            y, score, higher="good", sample_weight=w, weight_kind="sampling"
        )
        out.append(
            (
                np.log(cb[0] / ca[0]),
                log_se,
                low <= truth_air <= high,
                auc.estimate,
                auc.se,
            )
        )
    return np.array(out, dtype=float)


def test_weighted_air_and_auc_se_and_coverage_monte_carlo():
    # sampling weights of an unequal-probability sample (group b's denials
    # over-sampled); true AIR 0.35 / 0.5. 400 seeded replications: SE/SD of
    # the log AIR and of the weighted AUC, and the AIR interval's coverage.
    r = weighted_air_auc_replicates(400, 1600, 2025)
    assert 0.9 <= r[:, 1].mean() / r[:, 0].std(ddof=1) <= 1.1
    assert 0.93 <= r[:, 2].mean() <= 0.97
    assert 0.88 <= r[:, 4].mean() / r[:, 3].std(ddof=1) <= 1.12


def test_tiny_favoured_group_flags_nothing_and_is_not_the_reference():
    # the case: a 2-row group approved 100% made the flag (against
    # the best-approved group) hit 6 of 7 groups, the reference included
    rng = np.random.default_rng(9)
    sizes = [400, 300, 200, 150, 100, 60, 2]
    labels = np.repeat([f"g{i}" for i in range(7)], sizes)
    y = rng.binomial(1, 0.3, labels.size)
    score = rng.normal(size=labels.size) - 0.5 * y
    score[labels == "g6"] = 10.0  # both rows approved
    s = pd.Series(labels, name="grp")
    for rule in ("largest", "most_favoured"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            res = assess(y, score, sensitive_features=s, reference_rule=rule)
        assert res.reference_group != "grp=g6"
        assert res.reference_group not in res.four_fifths_violations
        assert not res.groups.loc["grp=g6", "four_fifths"]
        # the AIR column and the flag agree everywhere
        flagged = res.groups.index[res.groups["air"] < 0.8]
        big = ~res.groups.loc[flagged, "small_group"]
        assert res.four_fifths_violations == list(flagged[big.to_numpy()])


def test_frequency_weights_equal_the_expanded_rows():
    y, score, race = _data(600, seed=8)
    w = np.random.default_rng(1).integers(1, 4, y.size)
    s = pd.Series(race, name="r")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        res = assess(
            y,
            score,
            sensitive_features=s,
            cutoff=590.0,
            min_group_size=5,
            sample_weight=w.astype(float),
            weight_kind="frequency",
        )
        expanded = assess(
            np.repeat(y, w),
            np.repeat(score, w),
            sensitive_features=s.repeat(w).reset_index(drop=True),
            cutoff=590.0,
            min_group_size=5,
        )
    cols = [
        "approval_rate",
        "air",
        "air_ci_low",
        "air_ci_high",
        "air_pvalue",
        "auc",
        "auc_se",
        "n_effective",
    ]
    np.testing.assert_allclose(
        res.groups[cols].to_numpy(float),
        expanded.groups[cols].to_numpy(float),
        rtol=1e-9,
    )
