"""fairness.assess, proxy_table and the DeLong AUC: hand cases, oracles, coverage.

The DeLong AUC is the shared ``scorecard.delong_auc`` (fairness re-exports it);
its brute-force and Monte Carlo checks stay here because the group AUCs of
``assess`` rest on it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, demographic_parity_ratio, selection_rate
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn.metrics import roc_auc_score
from statsmodels.stats.proportion import confint_proportions_2indep

import fairness
from fairness import assess, proxy_table
from scorecard import DataConditionWarning, delong_auc, information_value

# ----------------------------------------------------------------- DeLong


def _few():
    """Tiny groups: the AUC-interval warning of groups under 5 bads or goods."""
    return pytest.warns(DataConditionWarning, match="fewer than 5 bads or goods")


def brute_delong(y, s):
    """O(n^2) DeLong straight from the definition (structural components)."""
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    x, v = s[y == 0], s[y == 1]  # goods should outscore bads
    psi = (x[:, None] > v[None, :]) + 0.5 * (x[:, None] == v[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    var = v10.var(ddof=1) / x.size + v01.var(ddof=1) / v.size
    return psi.mean(), np.sqrt(var)


def test_delong_hand_case():
    # goods 700, 650, 610; bads 640, 600, 655: 6 of 9 pairs ordered -> 2/3.
    # V10 = (1, 2/3, 1/3), V01 = (2/3, 1, 1/3): each variance 1/9, so
    # Var = (1/9)/3 + (1/9)/3 = 2/27.
    res = delong_auc([0, 0, 1, 1, 0, 1], [700, 650, 640, 600, 610, 655], higher="good")
    assert res.estimate == pytest.approx(2 / 3)
    assert res.se == pytest.approx(np.sqrt(2 / 27))
    assert (res.n_nonevents, res.n_events, res.n) == (3, 3, 6)
    low, high = res.ci()
    assert low == pytest.approx(max(0.0, 2 / 3 - 1.959964 * np.sqrt(2 / 27)))
    assert high == 1.0  # clipped
    assert res.pvalue == pytest.approx(2 * stats.norm.sf((2 / 3 - 0.5) / res.se))
    assert "delong" in repr(res) and list(res.to_frame().columns)[:2] == ["auc", "se"]
    # one AUC type in the package: fairness re-exports the scorecard objects
    assert fairness.delong_auc is delong_auc
    assert fairness.AUCResult is type(res)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 6)), min_size=4, max_size=60)
)
def test_delong_fast_equals_brute_force_with_ties(rows):
    y = np.array([r[0] for r in rows])
    s = np.array([r[1] for r in rows], dtype=float)  # few values: many ties
    if min((y == 0).sum(), (y == 1).sum()) < 2:
        return
    res = delong_auc(y, s, higher="good")
    auc, se = brute_delong(y, s)
    assert res.estimate == pytest.approx(auc, abs=1e-12)
    assert res.se == pytest.approx(se, abs=1e-12)
    assert res.estimate == pytest.approx(roc_auc_score(1 - y, s), abs=1e-12)


def test_delong_orientation_and_sklearn_on_continuous_scores():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 3000)
    pd_ = 1 / (1 + np.exp(-(rng.normal(size=3000) + 1.2 * y)))
    res = delong_auc(y, pd_, higher="bad")
    assert res.estimate == pytest.approx(roc_auc_score(y, pd_), abs=1e-12)
    assert res.se == pytest.approx(brute_delong(y, -pd_)[1], rel=1e-10)


def test_delong_se_matches_monte_carlo_sd():
    # sampling SD of the AUC over 400 seeded samples vs the mean DeLong SE
    rng = np.random.default_rng(11)
    aucs, ses = [], []
    for _ in range(400):
        y = rng.binomial(1, 0.3, 300)
        s = rng.normal(size=300) - 0.8 * y
        res = delong_auc(y, s, higher="good")
        aucs.append(res.estimate)
        ses.append(res.se)
    sd = np.std(aucs, ddof=1)
    assert np.mean(ses) == pytest.approx(sd, rel=0.12)


@pytest.mark.parametrize(
    ("y", "s", "error", "match"),
    [
        ([0, 0, 0], [1.0, 2.0, 3.0], ValueError, "must hold both classes 0 and 1"),
        ([0, 1, 2, 1], [1.0, 2.0, 3.0, 4.0], ValueError, "both classes 0 and 1"),
        ([0, 1, 0, 1], [1.0, np.nan, 3.0, 4.0], ValueError, "score must be finite"),
        ([0, 1, 0], [1.0, 2.0, 3.0, 4.0], ValueError, "1-D of the same length"),
        (["a", "b", "a", "b"], [1.0, 2, 3, 4], ValueError, "both classes 0 and 1"),
    ],
)
def test_delong_bad_input(y, s, error, match):
    with pytest.raises(error, match=match):
        delong_auc(y, s)


# ----------------------------------------------------------------- assess


def test_assess_hand_case_air_smd_and_table():
    # a: 10 rows, 6 approved; b: 10 rows, 3 approved (cutoff 0.5)
    score_a = np.array([1.0] * 6 + [0.0] * 4)
    score_b = np.array([1.0] * 3 + [0.0] * 7)
    score = np.concatenate([score_a, score_b]) + np.arange(20) * 1e-3
    y = np.array([0, 1] * 10)
    group = pd.Series(["a"] * 10 + ["b"] * 10, name="g")
    res = assess(
        y, score, sensitive_features=group, cutoff=0.5, score_bins=2, min_group_size=10
    )
    assert res.reference_group == "g=a"
    t = res.groups
    assert t["approval_rate"].tolist() == [0.6, 0.3]
    assert t["n"].tolist() == [10, 10] and t["n_bad"].tolist() == [5, 5]
    air = res.metric("AIR")
    assert air.comparison == "g=b vs g=a"
    assert air.estimate == pytest.approx(0.5)
    # the reported SE is the delta method's on the log ratio
    log_se = np.sqrt(0.7 / (10 * 0.3) + 0.4 / (10 * 0.6))
    assert air.log_se == pytest.approx(log_se)
    assert air.se == pytest.approx(0.5 * log_se)
    # the interval is Koopman's score interval (statsmodels' "score" ratio
    # interval without the Miettinen-Nurminen correction)
    low, high = confint_proportions_2indep(
        3, 10, 6, 10, method="score", compare="ratio", correction=False
    )
    np.testing.assert_allclose(air.ci(), [low, high], rtol=1e-6)
    assert t.loc["g=b", "air_ci_high"] == pytest.approx(high, rel=1e-6)
    # the test is Fisher's exact test on the 2x2 table of approvals
    fisher = stats.fisher_exact([[3, 7], [6, 4]]).pvalue
    assert air.pvalue == pytest.approx(fisher, rel=1e-9)
    assert t.loc["g=b", "air_pvalue"] == pytest.approx(fisher, rel=1e-9)
    assert res.four_fifths_violations == ["g=b"]
    # with the default min_group_size=30 every group is too small
    with pytest.raises(ValueError, match="fewer than min_group_size=30 rows"):
        assess(y, score, sensitive_features=group, cutoff=0.5, score_bins=2)
    # SMD: Cohen's d with the pooled SD, Hedges-Olkin SE
    m1, m2 = score[10:].mean(), score[:10].mean()
    s1, s2 = score[10:].std(ddof=1), score[:10].std(ddof=1)
    d = (m1 - m2) / np.sqrt((s1**2 + s2**2) / 2)
    smd = res.metric("SMD")
    assert smd.estimate == pytest.approx(d)
    assert smd.se == pytest.approx(np.sqrt(20 / 100 + d**2 / 40))
    assert t.loc["g=a", "mean_score"] == pytest.approx(m2)


def _simulated(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    race = rng.choice(["A", "B", "C"], size=n, p=[0.6, 0.3, 0.1])
    gender = rng.integers(0, 2, n)
    y = rng.binomial(1, 0.3, n)
    shift = np.select([race == "A", race == "B"], [0.0, -15.0], -30.0)
    score = 600 + 40 * rng.normal(size=n) - 45 * y + shift + 5 * gender
    return y, score, race, gender


def test_assess_matches_fairlearn_selection_rates_and_ratio():
    y, score, race, _ = _simulated()
    res = assess(
        y, score, sensitive_features=pd.Series(race, name="race"), approval_rate=0.5
    )
    y_pred = (score >= res.cutoff).astype(int)
    frame = MetricFrame(
        metrics=selection_rate, y_true=y, y_pred=y_pred, sensitive_features=race
    )
    by_group = frame.by_group
    for g in ["A", "B", "C"]:
        assert res.groups.loc[f"race={g}", "approval_rate"] == pytest.approx(
            by_group[g]
        )
    # fairlearn's ratio is min/max of the rates, whatever our reference
    ratio = demographic_parity_ratio(y, y_pred, sensitive_features=race)
    air = res.groups["air"]
    assert air.min() / air.max() == pytest.approx(ratio)
    assert res.reference_group == "race=A"  # the largest group
    rates = by_group / by_group["A"]
    for g in ["A", "B", "C"]:
        assert air[f"race={g}"] == pytest.approx(rates[g])
    assert res.approval_rate == pytest.approx(y_pred.mean())
    assert res.approval_rate == pytest.approx(0.5, abs=1e-3)


def test_assess_group_auc_equals_delong_on_the_subset():
    y, score, race, _ = _simulated(seed=1)
    res = assess(y, score, sensitive_features={"race": race})
    for g in ["A", "B", "C"]:
        rows = race == g
        sub = delong_auc(y[rows], score[rows], higher="good")
        assert res.groups.loc[f"race={g}", "auc"] == pytest.approx(sub.estimate)
        assert res.groups.loc[f"race={g}", "auc_se"] == pytest.approx(sub.se)
        assert res.groups.loc[f"race={g}", "auc"] == pytest.approx(
            roc_auc_score(y[rows], -score[rows])
        )


def test_demographic_iv_and_js_from_independent_binning():
    y, score, race, _ = _simulated(seed=2)
    res = assess(
        y,
        score,
        sensitive_features=pd.Series(race, name="race"),
        reference_group="race=A",
    )
    # deciles rebuilt with pandas, counts by crosstab: an independent path
    edges = np.unique(np.quantile(score, np.linspace(0, 1, 11)))
    bins = pd.cut(score, [-np.inf, *edges[1:-1], np.inf], right=False)
    table = pd.crosstab(bins, race)
    iv = information_value(table["B"].to_numpy(), table["A"].to_numpy())
    got = res.metric("demographic IV", "race=B vs race=A")
    assert got.estimate == pytest.approx(iv.estimate)
    assert got.se == pytest.approx(iv.se)
    p = table["C"].to_numpy() / table["C"].sum()
    q = table["A"].to_numpy() / table["A"].sum()
    js = res.metric("JS", "race=C vs race=A")
    assert js.estimate == pytest.approx(jensenshannon(p, q) ** 2)  # natural log
    # the chance constraint is the one-sided 95% upper bound u of the IV from
    # the non-central chi-square law of the statistic T = IV / null_scale:
    # P(T <= observed | noncentrality u / null_scale) = 0.05 (scipy's ncx2)
    div = res.demographic_iv
    upper = np.atleast_1d(res.constraint.upper_bound)
    stat = np.atleast_1d(div.estimate / div.null_scale)
    scale = np.broadcast_to(div.null_scale, stat.shape)
    df = np.broadcast_to(div.df, stat.shape)
    for u, t, c, k in zip(upper, stat, scale, df, strict=True):
        if u > 0:
            assert stats.ncx2.cdf(t, k, u / c) == pytest.approx(0.05, abs=2e-3)
        else:
            assert stats.chi2.cdf(t, k) <= 0.05 + 1e-9
    assert res.constraint_satisfied is bool(np.all(upper <= 0.02))


def test_independent_score_satisfies_constraint_and_dependent_fails():
    rng = np.random.default_rng(5)
    n = 20000
    group = rng.integers(0, 2, n)
    y = rng.binomial(1, 0.3, n)
    fair = rng.normal(size=n) - y
    res = assess(y, fair, sensitive_features=pd.Series(group, name="g"))
    assert res.constraint_satisfied
    assert res.metric("demographic IV").pvalue > 0.01
    unfair = fair + 0.5 * group
    res = assess(y, unfair, sensitive_features=pd.Series(group, name="g"))
    assert not res.constraint_satisfied
    assert res.metric("demographic IV").pvalue < 1e-6


def test_intersectional_and_continuous_groups():
    y, score, race, gender = _simulated(seed=4)
    age = np.random.default_rng(4).integers(18, 80, y.size)
    res = assess(
        y,
        score,
        sensitive_features=pd.DataFrame({"race": race, "gender": gender}),
    )
    assert len(res.groups) == 6
    assert "race=C, gender=1" in res.groups.index
    assert res.groups["n"].sum() == y.size
    n_cell = ((race == "B") & (gender == 0)).sum()
    assert res.groups.loc["race=B, gender=0", "n"] == n_cell
    res = assess(y, score, sensitive_features=pd.DataFrame({"age": age}))
    assert res.continuous == ("age",)
    assert len(res.groups) == 4
    first = res.groups.index[0]
    assert first.startswith("age in [18, ")
    q = np.quantile(age, [0.25])[0]
    assert res.groups.loc[first, "n"] == (age < q).sum()  # left-closed bins


# The two Monte Carlo checks below run in two forms. The default run draws
# what each interval depends on (the approval counts; the group means and SDs)
# and calls the code assess calls on them, after checking on a few full
# replications that assess reports exactly that; the slow set
# (``pytest -m slow``) keeps the end-to-end replications of assess itself.


def _air_design(rng):
    # true approval probabilities 0.5 (reference a) and 0.35 (b) -> true AIR 0.7
    n_a, n_b = 400, 300
    group = pd.Series(["a"] * n_a + ["b"] * n_b, name="g")
    y = np.tile([0, 1], (n_a + n_b) // 2 + 1)[: n_a + n_b]
    approve = np.concatenate([rng.random(n_a) < 0.5, rng.random(n_b) < 0.35])
    score = approve + rng.random(n_a + n_b) * 0.1
    return y, score, group, approve


def _air_of(y, score, group):
    res = assess(
        y,
        score,
        sensitive_features=group,
        cutoff=0.5,
        reference_group="g=a",
        score_bins=2,
    )
    return res.metric("AIR")


def test_air_ci_coverage_monte_carlo():
    from fairness._groups._air import ratio_score_interval

    rng = np.random.default_rng(2024)
    # assess's AIR interval is the Koopman interval of the approval counts
    for _ in range(5):
        y, score, group, approve = _air_design(rng)
        m = _air_of(y, score, group)
        counts = (approve[400:].sum(), 300, approve[:400].sum(), 400)
        assert m.counts == pytest.approx(counts, rel=1e-12)  # effective counts
        np.testing.assert_allclose(m.ci(), ratio_score_interval(*counts), rtol=1e-9)
    # so its coverage is that of the interval over the counts' distribution
    reps = 1000
    x_a, x_b = rng.binomial(400, 0.5, reps), rng.binomial(300, 0.35, reps)
    covered = sum(
        low <= 0.7 <= high
        for low, high in (
            ratio_score_interval(b, 300, a, 400) for a, b in zip(x_a, x_b, strict=True)
        )
    )
    # 95% nominal; Monte Carlo SD 0.0069 with 1000 replications: the band is
    # +-2.9 SD (false-failure probability 0.4% at exact coverage)
    assert 0.93 <= covered / reps <= 0.97


@pytest.mark.slow
def test_air_ci_coverage_monte_carlo_end_to_end():
    rng = np.random.default_rng(2024)
    reps, covered = 250, 0
    for _ in range(reps):
        low, high = _air_of(*_air_design(rng)[:3]).ci()
        covered += low <= 0.7 <= high
    # 95% nominal; Monte Carlo SD about 0.014 with 250 replications
    assert 0.91 <= covered / reps <= 0.99


def _smd_design(rng, group):
    return rng.normal(size=500) + 0.4 * (group.to_numpy() == 1)


def _smd_of(y, score, group):
    return assess(
        y, score, sensitive_features=group, reference_group="g=0", score_bins=2
    ).metric("SMD")


def test_smd_se_monte_carlo():
    from fairness._groups._metric import _smd_metrics
    from fairness._groups._table import _group_stats

    rng = np.random.default_rng(7)
    group = pd.Series(np.repeat([0, 1], [300, 200]), name="g")
    codes, ones = group.to_numpy(), np.ones(500)
    y = np.tile([0, 1], 250)

    def smd(score):  # the group statistics and the SMD that assess uses
        stats_g = _group_stats(y, score, ones, codes, 2, ones, "frequency")
        stats_g["n"] = stats_g["rows"]
        return _smd_metrics(stats_g, 0, [1], ("g=1 vs g=0",))[0]

    for _ in range(5):  # assess reports exactly these
        score = _smd_design(rng, group)
        full, light = _smd_of(y, score, group), smd(score)
        assert (full.estimate, full.se) == pytest.approx((light.estimate, light.se))
    est, ses = [], []
    for _ in range(400):
        m = smd(_smd_design(rng, group))
        est.append(m.estimate)
        ses.append(m.se)
    # SD of the estimate about 0.093: the mean of 400 has SD 0.005 (abs=0.02
    # is 4 SD); the sample SD of 400 has relative SD 3.5% (rel=0.12, 3.4 SD)
    assert np.mean(est) == pytest.approx(0.4, abs=0.02)
    assert np.mean(ses) == pytest.approx(np.std(est, ddof=1), rel=0.12)


@pytest.mark.slow
def test_smd_se_monte_carlo_end_to_end():
    rng = np.random.default_rng(7)
    group = pd.Series(np.repeat([0, 1], [300, 200]), name="g")
    y = np.tile([0, 1], 250)
    est, ses = [], []
    for _ in range(200):
        m = _smd_of(y, _smd_design(rng, group), group)
        est.append(m.estimate)
        ses.append(m.se)
    assert np.mean(est) == pytest.approx(0.4, abs=0.03)
    assert np.mean(ses) == pytest.approx(np.std(est, ddof=1), rel=0.15)


def test_cutoff_from_approval_rate_and_summary():
    y, score, race, _ = _simulated(seed=6)
    res = assess(
        y, score, sensitive_features=pd.Series(race, name="race"), approval_rate=0.3
    )
    assert res.target_approval_rate == 0.3
    assert res.cutoff == np.sort(score)[::-1][round(0.3 * y.size) - 1]
    assert (score >= res.cutoff).sum() == round(0.3 * y.size)
    summary = res.summary()
    assert set(summary["metric"]) >= {"AIR", "SMD", "demographic IV", "JS"}
    assert (summary["ci_low"] <= summary["estimate"]).all()
    assert "FairnessAssessment(n=4000" in repr(res)
    res_default = assess(y, score, sensitive_features=pd.Series(race, name="race"))
    assert res_default.target_approval_rate == 0.5
    with pytest.raises(KeyError, match="No metric 'XYZ'"):
        res.metric("XYZ")


def test_small_group_is_reported_with_an_honest_interval_but_not_flagged():
    y = np.array([0, 1] * 20 + [0, 0, 0])
    group = pd.Series(["a"] * 40 + ["b"] * 3, name="g")
    for score, approved in (
        (np.arange(43.0), 3),
        (np.r_[np.arange(40.0), -5, -6, -7], 0),
    ):
        with pytest.warns(DataConditionWarning) as record:
            res = assess(y, score, sensitive_features=group, score_bins=2)
        messages = {
            str(w.message) for w in record if str(w.message).startswith("Group")
        }
        assert messages == {
            "Group 'g=b' has 3 goods and 0 bads; its AUC needs at least 2 of each "
            "and is NaN."
        }
        assert np.isnan(res.groups.loc["g=b", "auc"])
        b = res.groups.loc["g=b"]
        assert b["small_group"] and not b["four_fifths"]
        assert res.four_fifths_violations == []
        a_rate = res.groups.loc["g=a", "approval_rate"]
        table = [[approved, 3 - approved], [a_rate * 40, (1 - a_rate) * 40]]
        assert b["air_pvalue"] == pytest.approx(
            stats.fisher_exact(np.round(table).astype(int)).pvalue, rel=1e-9
        )
    # 0 of 3 approved: AIR 0, but the interval is not the point [0, 0] and
    # the p-value is not 0
    assert b["air"] == 0.0 and b["air_ci_low"] == 0.0
    assert 0.3 < b["air_ci_high"] < np.inf and b["air_pvalue"] > 0.05


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"sensitive_features": pd.Series([1] * 8, name="race")},
            ValueError,
            "column 'race' has a single value",
        ),
        (
            {"sensitive_features": pd.Series([1, 0, None, 1, 0, 1, 0, 1], name="race")},
            ValueError,
            "column 'race' has 1 missing values",
        ),
        (
            {"sensitive_features": pd.Series([1, 0, 1], name="race")},
            ValueError,
            "sensitive_features has 3 rows but the scores have 8",
        ),
        (
            {"cutoff": 1.0, "approval_rate": 0.5},
            ValueError,
            "Give cutoff or approval_rate, not both",
        ),
        ({"approval_rate": 1.0}, ValueError, r"approval_rate must be in \(0, 1\)"),
        ({"cutoff": np.inf}, ValueError, "cutoff must be a finite number"),
        (
            {"reference_group": "race=7"},
            ValueError,
            r"reference_group must be one of \['race=0', 'race=1'\]; got 'race=7'",
        ),
        ({"score_bins": 1}, ValueError, "score_bins must be an integer >= 2"),
        (
            {"alpha": 2.0},
            ValueError,
            r"alpha \(one minus the coverage\) must be a number in \(0, 1\)",
        ),
        (
            {"sensitive_features": np.zeros((8, 2, 2))},
            ValueError,
            "sensitive_features must be 1-D or 2-D",
        ),
        (
            {"min_group_size": 5},
            ValueError,
            r"Every protected group has fewer than min_group_size=5 rows \(the "
            r"largest, 'race=0', has 4\)",
        ),
        (
            {"min_group_size": 0},
            ValueError,
            r"min_group_size must be an int in the range \[1, inf\); got 0",
        ),
        ({"max_groups": 1}, ValueError, r"max_groups must be an int in the range \[2"),
        (
            {"reference_rule": "best"},
            ValueError,
            "reference_rule must be 'largest' or 'most_favoured'; got 'best'",
        ),
        (
            {"air_test": "z"},
            ValueError,
            "air_test must be 'fisher' or 'mid-p'; got 'z'",
        ),
        (
            {"auc_interval": "exact"},
            ValueError,
            "auc_interval must be 'logit' or 'wald'; got 'exact'",
        ),
        (
            {"sample_weight": np.ones(8), "weight_kind": "survey"},
            ValueError,
            "weight_kind must be 'frequency' or 'sampling' or None; got 'survey'",
        ),
        (
            {"sample_weight": -np.ones(8)},
            ValueError,
            "[Nn]egative",
        ),
    ],
)
def test_assess_bad_input(kwargs, error, match):
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    score = np.arange(8, dtype=float)
    args = {
        "sensitive_features": pd.Series([0, 0, 1, 1, 0, 0, 1, 1], name="race"),
        "min_group_size": 1,
    }
    args.update(kwargs)
    with pytest.raises(error, match=match):
        assess(y, score, **args)


# ----------------------------------------------------------------- proxies


def test_proxy_table_ranks_proxy_and_matches_crosstab():
    rng = np.random.default_rng(8)
    n = 5000
    race = rng.binomial(1, 0.7, n)
    y = rng.binomial(1, 0.3, n)
    X = pd.DataFrame(
        {
            "proxy": rng.normal(size=n) + 0.8 * race,
            "cat": rng.choice(["u", "v", "w"], size=n),
            "risk": rng.normal(size=n) + y,
        }
    )
    X.loc[::50, "risk"] = np.nan  # missing values get their own bin
    res = proxy_table(X, pd.Series(race, name="race"), y=y)
    frame = res.to_frame()
    assert frame["feature"].iloc[0] == "proxy"
    assert res.reference_group == "race=1"  # the larger group
    assert res.bins == {
        "proxy": "quantile(10)",
        "cat": "categories(3)",
        "risk": "quantile(10)+missing",
    }
    table = pd.crosstab(X["cat"], race)
    iv = information_value(table[0].to_numpy(), table[1].to_numpy())
    row = frame.set_index("feature").loc["cat"]
    assert row["iv"] == pytest.approx(iv.estimate)
    assert row["se"] == pytest.approx(iv.se)
    assert row["comparison"] == "race=0 vs race=1"
    risk = frame.set_index("feature").loc["risk"]
    assert risk["target_iv"] > 0.3 > row["target_iv"]
    assert risk["tradeoff"] == pytest.approx(
        (risk["target_iv"] - risk["target_iv_se"]) / (risk["iv"] + risk["se"])
    )
    assert "ProxyTable(n=5000" in repr(res)


def test_proxy_table_bad_input():
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]})
    race = pd.Series([0, 1, 0, 1], name="race")
    with pytest.raises(TypeError, match="X must be a pandas DataFrame; got ndarray"):
        proxy_table(X.to_numpy(), race)
    with pytest.raises(ValueError, match="has a single bin"):
        proxy_table(pd.DataFrame({"a": [1.0] * 4}), race)
    with pytest.raises(ValueError, match="column 'race' has a single value"):
        proxy_table(X, pd.Series([0] * 4, name="race"))
    with pytest.raises(ValueError, match="reference_group must be one of"):
        proxy_table(X, race, reference_group="race=2")
    with pytest.raises(ValueError, match="X must have rows and columns"):
        proxy_table(X.iloc[:, :0], race)


# ----------------------------------------------------------------- dCor / CCdCov


def test_dcor_and_ccdcov_match_dcor_package():
    import dcor

    y, score, race, gender = _simulated(n=1200, seed=9)
    frame = pd.DataFrame({"race": race, "gender": gender})
    res = assess(y, score, sensitive_features=frame)
    onehot = np.hstack([pd.get_dummies(race).to_numpy(float), np.eye(2)[gender]])
    got = res.metric("dCor^2")
    assert got.comparison == "score vs race x gender"
    assert got.estimate == pytest.approx(
        dcor.u_distance_correlation_sqr(score, onehot), rel=1e-9
    )
    assert res.metric("CCdCov^2").estimate == pytest.approx(
        dcor.u_distance_covariance_sqr(score, onehot), rel=1e-9
    )
    assert got.pvalue < 1e-3 and got.se > 0
    # dependence is detected: the jackknife Wald interval is reported
    low, high = got.ci(0.05)
    z = stats.norm.ppf(0.975)
    assert (low, high) == pytest.approx(
        (got.estimate - z * got.se, got.estimate + z * got.se)
    )
    # one continuous attribute: raw values (dCor is scale-free in 1-D)
    age = np.random.default_rng(9).normal(40, 10, y.size)
    res = assess(y, score + 0.5 * age, sensitive_features=pd.Series(age, name="age"))
    assert res.metric("dCor^2").estimate == pytest.approx(
        dcor.u_distance_correlation_sqr(score + 0.5 * age, age), rel=1e-9
    )


def test_dcor_near_zero_for_independent_score():
    rng = np.random.default_rng(12)
    n = 3000
    group = pd.Series(rng.integers(0, 3, n), name="g").astype("category")
    y = rng.binomial(1, 0.3, n)
    res = assess(y, rng.normal(size=n) - y, sensitive_features=group)
    m = res.metric("dCor^2")
    assert abs(m.estimate) < 3 * m.se
    assert m.pvalue > 0.01
    # near independence only the test is reported (the jackknife interval
    # undercovers there): no interval unless the test rejects at alpha
    assert np.isnan(m.ci(0.05)).all()
    assert np.isfinite(m.ci(m.pvalue + 1e-9)).all()


def test_proxy_table_with_a_fitted_stump_binner():
    from scorecard import StumpBinner

    rng = np.random.default_rng(13)
    n = 4000
    race = rng.binomial(1, 0.6, n)
    y = rng.binomial(1, 0.3, n)
    X = pd.DataFrame(
        {
            "risk": rng.normal(size=n) + 1.5 * y + 0.3 * race,
            "flat": np.ones(n),  # constant: the binner leaves one bin
        }
    )
    with pytest.warns(DataConditionWarning, match="'flat' is constant"):
        binner = StumpBinner(random_state=0).fit(X, y)
    assert binner.bins_["risk"].n_regular >= 2
    assert binner.bins_["flat"].n_regular == 1
    with pytest.warns(DataConditionWarning, match=r"Features \['flat'\] have a single"):
        res = proxy_table(X, pd.Series(race, name="race"), binner=binner)
    frame = res.to_frame()
    assert frame["feature"].tolist() == ["risk"]
    assert frame["bins"].iloc[0] == f"stump({binner.bins_['risk'].n_regular})"
    codes = binner.transform(X)[:, 0]
    table = pd.crosstab(codes, race)
    iv = information_value(table[0].to_numpy(), table[1].to_numpy())
    assert frame["iv"].iloc[0] == pytest.approx(iv.estimate)
    assert frame["se"].iloc[0] == pytest.approx(iv.se)
    with pytest.raises(TypeError, match="binner must be a fitted StumpBinner"):
        proxy_table(X, pd.Series(race, name="race"), binner=object())


def test_one_reference_for_the_flag_the_air_column_and_the_text():
    # a: 6 rows, 1 approved; b: 4 rows, 3 approved (cutoff 0.5).
    score = np.array([1.0] + [0.0] * 5 + [1.0] * 3 + [0.0]) + np.arange(10) * 1e-3
    y = np.array([0, 1] * 5)
    group = pd.Series(["a"] * 6 + ["b"] * 4, name="g")
    kw = {"cutoff": 0.5, "score_bins": 2, "min_group_size": 4}
    with _few(), pytest.warns(DataConditionWarning, match="Zero cell in 'g=b vs g=a'"):
        res = assess(y, score, sensitive_features=group, **kw)
    assert res.reference_group == "g=a"  # largest (the default), approved less
    assert res.groups.loc["g=b", "air"] == pytest.approx((3 / 4) / (1 / 6))
    # the flag compares with the same reference as the AIR column: b is
    # approved more, a is the reference and never flagged against itself
    assert res.four_fifths_violations == []
    assert res.groups.loc["g=a", "reference"] and res.groups.loc["g=a", "air"] == 1
    html = res.to_html()
    assert "against the reference group g=a (the largest group)" in html
    # the most favoured group as reference: a is flagged, with AIR (1/6)/(3/4)
    with _few(), pytest.warns(DataConditionWarning, match="Zero cell"):
        fav = assess(
            y, score, sensitive_features=group, reference_rule="most_favoured", **kw
        )
    assert fav.reference_group == "g=b"
    assert fav.groups.loc["g=a", "air"] == pytest.approx((1 / 6) / (3 / 4))
    assert fav.four_fifths_violations == ["g=a"]
    assert "g=b (the most favoured group" in fav.to_html()
    # a group under min_group_size is never the most favoured reference
    with _few(), pytest.warns(DataConditionWarning, match="Zero cell"):
        big = assess(
            y,
            score,
            sensitive_features=group,
            reference_rule="most_favoured",
            **{**kw, "min_group_size": 5},
        )
    assert big.reference_group == "g=a" and big.four_fifths_violations == []
    # proxy_table uses the same default rule
    X = pd.DataFrame({"x": np.arange(10.0) % 3})
    assert proxy_table(X, group).reference_group == "g=a"


def test_approval_rate_splits_ties_at_the_cutoff():
    # approve 4 of 8; three rows tie at the cutoff 3 and share the last
    # approval (1/3 each): a gets 2 + 1/3, b gets 1 + 2/3.
    score = np.array([5, 4, 3, 1, 5, 3, 3, 1], dtype=float)
    y = np.array([0, 1, 0, 1, 1, 0, 0, 1])
    group = pd.Series([0, 0, 0, 0, 1, 1, 1, 1], name="g")
    with _few():
        res = assess(
            y,
            score,
            sensitive_features=group,
            approval_rate=0.5,
            reference_group="g=1",
            score_bins=2,
            min_group_size=4,
        )
    assert res.cutoff == 3.0
    assert res.approval_rate == pytest.approx(0.5)
    rates = res.groups["approval_rate"]
    assert rates["g=0"] == pytest.approx((7 / 3) / 4)
    assert rates["g=1"] == pytest.approx((5 / 3) / 4)
    air = res.metric("AIR")
    assert air.estimate == pytest.approx(7 / 5)
    r0, r1 = 7 / 12, 5 / 12
    var = (1 - r0) / (4 * r0) + (1 - r1) / (4 * r1)
    assert air.log_se == pytest.approx(np.sqrt(var))


def test_discrete_score_keeps_a_bin_per_value():
    # a 2-value score (a one-feature scorecard) with the high value rare: the
    # deciles all equal the low value, yet the two values stay two bins
    rng = np.random.default_rng(4)
    n = 2000
    group = rng.integers(0, 2, n)
    score = np.where(rng.random(n) < 0.05 + 0.05 * group, 700.0, 600.0)
    y = rng.binomial(1, 0.3, n)
    res = assess(
        y, score, sensitive_features=pd.Series(group, name="g"), reference_group="g=1"
    )
    np.testing.assert_array_equal(res.score_bin_edges, [600.0, 700.0, 700.0])
    table = pd.crosstab(score, group)
    iv = information_value(table[0].to_numpy(), table[1].to_numpy())
    got = res.metric("demographic IV")
    assert got.estimate == pytest.approx(iv.estimate)
    assert got.se == pytest.approx(iv.se)
