"""Weights, near-null intervals, small batches, n and smoothing (issue 13)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats

from scorecard import (
    CountTable,
    DataConditionWarning,
    chance_constraint,
    count_codes,
    information_value,
    jensen_shannon,
    psi,
    woe,
)

G = np.array([300.0, 200, 100, 80])
B = np.array([20.0, 30, 50, 40])


# ---------------------------------------------------------------------------
# n counts observations; the smoothing is recorded


def test_n_counts_observations_not_pseudo_counts():
    with pytest.warns(DataConditionWarning, match="bin 2: added 0.5"):
        res = information_value(goods=[300, 200, 0], bads=[20, 30, 50])
    assert res.n == 600
    assert res.smoothing == 0.5 and res.smoothing_added == 1.0
    with pytest.warns(DataConditionWarning, match="bin 2: added 0.5"):
        w = woe([300, 200, 0], [20, 30, 50])
    assert w.n == 600 and w.smoothing_added == 1.0


# ---------------------------------------------------------------------------
# sampling weights


@pytest.mark.parametrize("c", [1.0, 0.37, 25.0])
def test_equal_weights_reproduce_the_unweighted_figures(c):
    plain = information_value(G, B)
    weighted = information_value(c * G, c * B, goods_sq=c**2 * G, bads_sq=c**2 * B)
    for name in ("estimate", "se", "statistic", "pvalue", "bias_corrected"):
        assert getattr(weighted, name) == pytest.approx(getattr(plain, name), rel=1e-12)
    np.testing.assert_allclose(weighted.ci(), plain.ci(), rtol=1e-9)
    p_plain, p_w = (
        psi(G, B),
        psi(c * G, c * B, expected_sq=c**2 * G, actual_sq=c**2 * B),
    )
    assert p_w.se == pytest.approx(p_plain.se, rel=1e-12)
    assert p_w.pvalue == pytest.approx(p_plain.pvalue, rel=1e-12)
    j_plain, j_w = (
        jensen_shannon(G, B),
        jensen_shannon(c * G, c * B, p_sq=c**2 * G, q_sq=c**2 * B),
    )
    assert j_w.se == pytest.approx(j_plain.se, rel=1e-12)
    w_plain, w_w = woe(G, B), woe(c * G, c * B, goods_sq=c**2 * G, bads_sq=c**2 * B)
    np.testing.assert_allclose(w_w.cov, w_plain.cov, rtol=1e-12)


def test_weights_constant_within_class_reproduce_the_unweighted_ses():
    # Case-control: goods weighted 4, bads 1 -- the shares and their
    # variances within each class are those of the unweighted sample.
    plain = information_value(G, B)
    cc = information_value(4 * G, B, goods_sq=16 * G, bads_sq=B)
    assert cc.se == pytest.approx(plain.se, rel=1e-12)
    assert cc.pvalue == pytest.approx(plain.pvalue, rel=1e-12)
    as_freq = information_value(4 * G, B)
    assert as_freq.se < plain.se  # the old reading: 4x the goods
    np.testing.assert_allclose(
        woe(4 * G, B, goods_sq=16 * G, bads_sq=B).se, woe(G, B).se, rtol=1e-12
    )


def test_linearised_share_variance_by_hand():
    # Two goods of weight 1 and 3 in bin 0, one of weight 2 in bin 1: W = 6,
    # p0 = 4/6; Var(p0) = sum_i w_i^2 (1[bin 0] - p0)^2 / W^2.
    p0 = 4 / 6
    by_hand = (1 * (1 - p0) ** 2 + 9 * (1 - p0) ** 2 + 4 * p0**2) / 36
    res = woe([4.0, 2.0], [5.0, 5.0], goods_sq=[10.0, 4.0], bads_sq=[5.0, 5.0])
    var_b = 0.5 * 0.5 / 10
    expected = by_hand / p0**2 + var_b / 0.25
    assert res.se[0] ** 2 == pytest.approx(expected, rel=1e-12)


def test_count_table_keeps_squares_for_sampling_weights():
    codes, y = np.array([0, 0, 1, 1, 2, 2]), np.array([0, 1, 0, 1, 0, 1])
    w = np.array([1.0, 2.0, 3.0, 1.0, 2.0, 3.0])
    with pytest.warns(DataConditionWarning, match="sums to 12 for 6 rows"):
        t = CountTable.from_codes(codes, y, n_bins=3, sample_weight=w)
    assert t.weight_kind == "sampling"
    np.testing.assert_allclose(t.square_column(1)[0], [4.0, 1.0, 9.0])
    both = t + t
    np.testing.assert_allclose(both.squares, 2 * t.squares)
    f = CountTable.from_codes(
        codes, y, n_bins=3, sample_weight=w, weight_kind="frequency"
    )
    assert f.squares is None and f.square_column(0) is None
    with pytest.raises(ValueError, match="weight kinds 'sampling' and 'frequency'"):
        t + f
    with pytest.raises(ValueError, match="whole-number sample weights"):
        CountTable.from_codes(
            codes, y, n_bins=3, sample_weight=w / 2, weight_kind="frequency"
        )


def test_weight_kind_errors_name_what_is_missing():
    with pytest.raises(
        ValueError, match="weight_kind='sampling' needs the per-bin sums"
    ):
        information_value(G, B, weight_kind="sampling")
    with pytest.raises(ValueError, match="both distributions or of neither"):
        information_value(G, B, goods_sq=G)
    with pytest.raises(ValueError, match="goods_sq must have the shape"):
        information_value(G, B, goods_sq=G[:2], bads_sq=B[:2])
    freq = information_value(
        G, B, goods_sq=2 * G, bads_sq=2 * B, weight_kind="frequency"
    )
    assert freq.se == information_value(G, B).se


def test_monte_carlo_case_control_weights_se_and_coverage():
    """Light version of bench_inference: goods sampled at 1/4, weight 4."""
    rng = np.random.default_rng(11)
    p = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    q = np.array([0.15, 0.2, 0.2, 0.2, 0.25])
    truth = float(np.sum((p - q) * np.log(p / q)))
    g = rng.multinomial(700, p, size=400).astype(float)
    b = rng.multinomial(300, q, size=400).astype(float)
    res = information_value(4 * g, b, goods_sq=16 * g, bads_sq=b)
    assert 0.9 <= res.se.mean() / res.estimate.std(ddof=1) <= 1.1
    ci = res.ci()
    assert 0.92 <= np.mean((ci[:, 0] <= truth) & (truth <= ci[:, 1])) <= 0.98


# ---------------------------------------------------------------------------
# near-null intervals


def test_monte_carlo_two_bin_weak_feature_coverage_ncx2_vs_wald():
    """The Wald interval undercovers a weak two-bin IV; ncx2 does not."""
    rng = np.random.default_rng(5)
    p, q = np.array([0.5, 0.5]), np.array([0.45, 0.55])
    truth = float(np.sum((p - q) * np.log(p / q)))
    # 2,000 draws: the SD of a skewed near-null estimate needs them (at 600
    # the Monte Carlo error of SE/SD is about 4%)
    g = rng.multinomial(850, p, size=2000).astype(float)
    b = rng.multinomial(150, q, size=2000).astype(float)
    res = information_value(g, b)
    ncx2 = res.ci()
    wald = information_value(g, b, se_method="delta").ci(method="wald")
    cover = lambda ci: np.mean((ci[:, 0] <= truth) & (truth <= ci[:, 1]))  # noqa: E731
    assert 0.93 <= cover(ncx2) <= 0.975
    assert 0.9 <= res.se.mean() / res.estimate.std(ddof=1) <= 1.1
    assert cover(wald) < 0.92  # the old default (issue 13: 86-90%)


def test_interval_option_keeps_the_old_wald_interval():
    res = information_value(G, B, interval="wald", se_method="delta")
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(
        res.ci(), [res.estimate - z * res.se, res.estimate + z * res.se]
    )
    assert "interval=wald" in res.method and res.summary().attrs["interval"] == "wald"


# ---------------------------------------------------------------------------
# chance constraint


def test_chance_constraint_ncx2_is_the_one_sided_upper_bound():
    iv = information_value([500, 500, 500], [480, 520, 500])
    check = chance_constraint(iv, eps=0.05)
    t = iv.estimate / iv.null_scale
    lam = check.upper_bound / iv.null_scale
    level = stats.norm.sf(1.645)
    assert stats.ncx2.cdf(t, iv.df, lam) == pytest.approx(level, abs=1e-7)
    assert check.method == "ncx2" and check.satisfied is True
    with pytest.raises(ValueError, match="method must be 'ncx2', 'bias_corrected'"):
        chance_constraint(iv, eps=0.05, method="z")


def test_monte_carlo_chance_constraint_size_at_eps():
    rng = np.random.default_rng(3)
    base = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    q = base * np.exp(0.29 * np.array([-1, -0.5, 0, 0.5, 1]))
    q /= q.sum()
    eps = float(np.sum((base - q) * np.log(base / q)))
    g = rng.multinomial(1500, base, size=500).astype(float)
    h = rng.multinomial(1500, q, size=500).astype(float)
    sat = chance_constraint(information_value(g, h), eps=eps).satisfied
    assert np.mean(sat) <= 0.08  # size of the equivalence test, nominal 5%


# ---------------------------------------------------------------------------
# PSI: fixed reference and small batches


def test_fixed_reference_warns_when_the_batch_is_large():
    with pytest.warns(DataConditionWarning, match=r"batch is 20\.0% of the reference"):
        psi([500, 500], [100, 100], reference="fixed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        psi([5000, 5000], [100, 100], reference="fixed")


def test_small_batch_uses_a_monte_carlo_pvalue():
    ref = np.array([400.0, 1600, 6000, 8000, 3400, 600])
    cur = np.array([0.0, 9, 31, 40, 17, 3])
    with pytest.warns(DataConditionWarning, match="Zero cell"):
        auto = psi(ref, cur)
        again = psi(ref, cur)
        chi = psi(ref, cur, test="chi2")
    assert "test=monte_carlo(1999)" in auto.method and "test=chi2" in chi.method
    assert auto.pvalue == again.pvalue  # seeded by default
    assert 0 < auto.pvalue <= 1 and auto.pvalue != chi.pvalue
    with pytest.raises(ValueError, match="whole-number counts"):
        psi(ref, cur + 0.5, test="monte_carlo")


def test_monte_carlo_small_batch_test_size():
    rng = np.random.default_rng(9)
    rare = np.array([0.02, 0.08, 0.3, 0.4, 0.17, 0.03])
    ref = rng.multinomial(20000, rare, size=150).astype(float)
    cur = rng.multinomial(100, rare, size=150).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        res = psi(ref, cur)
    assert np.mean(res.pvalue < 0.05) <= 0.09


def test_count_codes_squares_match_a_loop():
    rng = np.random.default_rng(0)
    codes, y = rng.integers(0, 3, 50), rng.integers(0, 2, 50)
    w = rng.uniform(0.5, 2, 50)
    t = CountTable.from_codes(
        codes, y, n_bins=3, sample_weight=w, weight_kind="sampling"
    )
    sq = count_codes(codes, y, n_bins=3, n_classes=2, sample_weight=w**2)
    np.testing.assert_allclose(t.squares, sq)


def test_se_at_its_null_floor_is_said_so():
    from scorecard._stats._divergence_result import SE_FLOOR_NOTE

    res = information_value(
        [[250, 250, 250, 250], [300, 200, 100, 400]],
        [[25, 25, 25, 25], [10, 30, 50, 10]],
    )
    assert res.se_at_floor.tolist() == [True, False]
    # at the floor the SE is the null SD s sqrt(2 df)
    assert res.se[0] == pytest.approx(res.null_scale[0] * np.sqrt(2 * 3))
    notes = res.summary()["se_note"].tolist()
    assert notes == [SE_FLOOR_NOTE, ""]


def test_design_effect_widens_weighted_ncx2_only_with_unequal_weights():
    g, b = np.array([300.0, 200.0, 100.0]), np.array([20.0, 30.0, 50.0])
    equal = information_value(g, b, goods_sq=g, bads_sq=b)
    assert equal.design_effect == 1.0
    # heavier weights in the last bins: the linearised variance exceeds the
    # multinomial one at the Rao-Scott size, so c > 1 and the interval widens
    sq_g, sq_b = g * np.array([1.0, 2.0, 6.0]), b * np.array([1.0, 2.0, 6.0])
    uneq = information_value(g, b, goods_sq=sq_g, bads_sq=sq_b)
    assert uneq.design_effect > 1.0
    t, k, s = uneq.statistic, uneq.df, uneq.null_scale
    # the law's scale: the design effect, or the SE's variance over the law's
    # where larger (docs/methodology.md, section 14)
    c = max(uneq.design_effect, (uneq.se / s) ** 2 / (2 * k + 4 * max(t - k, 0)))
    from scorecard._kit.intervals import ncx2_interval

    expected = ncx2_interval(t / c, k / c, s * c, method="unified")
    np.testing.assert_allclose(uneq.ci(), expected, rtol=1e-12)
    equal_tailed = ncx2_interval(t / c, k / c, s * c, method="equal_tailed")
    np.testing.assert_allclose(
        uneq.ci(method="ncx2_equal_tailed"), equal_tailed, rtol=1e-12
    )


def test_weight_kind_rule_is_stated_once_and_cited():
    import scorecard._stats._counts as counts_mod
    from scorecard import jensen_shannon, psi, woe
    from scorecard._kit import validation

    assert "Not said" in validation.WEIGHT_KIND_RULE
    for fn in (information_value, psi, jensen_shannon, woe):
        assert "WEIGHT_KIND_RULE" in fn.__doc__, fn.__name__
        assert "%(" not in fn.__doc__
    assert "WEIGHT_KIND_RULE" in counts_mod.CountTable.from_codes.__doc__
