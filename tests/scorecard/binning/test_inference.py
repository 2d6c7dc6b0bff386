"""Inference after binning: permutation test, bias-reduced IV, sample splitting."""

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import StumpBinner
from scorecard._binning._inference import selection_inference, split_halves
from scorecard._kit.exceptions import DataConditionWarning


def _data(n=1500, seed=0, slope=1.0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "signal": rng.normal(size=n),
            "noise": rng.normal(size=n),
            "cat": rng.choice(list("abcde"), size=n),
        }
    )
    y = (rng.random(n) < 1 / (1 + np.exp(2 - slope * X["signal"]))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _data()
    return StumpBinner(n_permutations=49, random_state=0).fit(X, y)


def test_table_columns_say_what_they_are(fitted):
    info = fitted.information_table()
    for col in [
        "iv",
        "se",
        "iv_adjusted",
        "ci_low",
        "ci_high",
        "pvalue",
        "ci_low_conditional",
        "ci_high_conditional",
        "pvalue_conditional",
    ]:
        assert col in info.columns
        assert col in info.attrs["inference"]
    assert "selection-adjusted" in info.attrs["inference"]["pvalue"]
    assert "conditional" in info.attrs["inference"]["pvalue_conditional"]


def test_permutation_pvalue_bounds(fitted):
    info = fitted.information_table()
    # the strong feature beats every permutation: the smallest p, 1 / (B + 1)
    assert info.loc["signal", "pvalue"] == pytest.approx(1 / 50)
    assert np.all(info["pvalue"] >= 1 / 50) and np.all(info["pvalue"] <= 1)
    # pure noise: the selection-adjusted p-value is larger than the conditional
    assert info.loc["noise", "pvalue"] > info.loc["noise", "pvalue_conditional"]


def test_bias_reduction_shrinks_noise(fitted):
    info = fitted.information_table()
    assert info.loc["noise", "iv_adjusted"] < info.loc["noise", "iv"]
    assert info.loc["noise", "ci_low"] == pytest.approx(0.0, abs=1e-3)
    # strong signal: the optimism is small relative to the IV
    sig = info.loc["signal"]
    assert 0.6 * sig["iv"] < sig["iv_adjusted"] < sig["iv"]
    assert sig["ci_low"] <= sig["iv_adjusted"] <= sig["ci_high"]


def test_seeded_and_cached(fitted):
    X, y = _data()
    again = StumpBinner(n_permutations=49, random_state=0).fit(X, y)
    pd.testing.assert_frame_equal(again.information_table(), fitted.information_table())
    assert fitted.information_table() is not fitted.information_table()


def test_no_permutations_leaves_nan_with_reason():
    X, y = _data(600)
    info = StumpBinner(n_permutations=0).fit(X, y).information_table()
    assert info["pvalue"].isna().all()
    assert "n_permutations=0" in info.attrs["inference"]["pvalue"]


def test_joint_strategy_permutes_the_whole_joint_fit():
    from scorecard import load

    X, y = _data(600, slope=2.0)
    b = StumpBinner(strategy="joint", n_rounds=5, n_permutations=19, random_state=0)
    info = b.fit(X, y).information_table()
    # the strong feature beats all 19 re-run joint fits: p = 1 / 20
    assert info.loc["signal", "pvalue"] == pytest.approx(1 / 20)
    assert np.all((info["pvalue"] >= 1 / 20) & (info["pvalue"] <= 1))
    # a feature the joint model never splits has one bin: IV 0, p = 1
    assert np.all(info["pvalue"] >= info["pvalue_conditional"])
    assert "global null" in info.attrs["inference"]["pvalue"]
    assert info["iv_adjusted"].isna().all()
    assert "strategy='joint'" in info.attrs["inference"]["iv_adjusted"]
    # kept by the artifact for every alpha (p-values only)
    back = load(b.to_json())
    pd.testing.assert_series_equal(
        back.information_table(alpha=0.1)["pvalue"], info["pvalue"]
    )


def test_weighted_permutation_runs():
    X, y = _data(800)
    w = np.random.default_rng(1).uniform(0.5, 2, size=len(y))
    info = (
        StumpBinner(n_permutations=19, random_state=0, weight_kind="sampling")
        .fit(X, y, sample_weight=w)
        .information_table()
    )
    assert info.loc["signal", "pvalue"] == pytest.approx(1 / 20)


def test_split_counts_held_out_half():
    X, y = _data(1000)
    b = StumpBinner(inference="split", random_state=3).fit(X, y)
    first, second = split_halves(
        np.asarray(y), b._fit_params(specials={}, weighted=False)["seed"]
    )
    assert np.intersect1d(first, second).size == 0 and first.size + second.size == len(
        y
    )
    fb = b.split_bins_[0]["signal"]
    assert sum(fb.goods) + sum(fb.bads) == second.size
    assert sum(fb.bads) == np.asarray(y)[second].sum()
    info = b.information_table()
    assert {"iv_split", "se_split", "ci_low", "pvalue"} <= set(info.columns)
    assert "estimation half" in info.attrs["inference"]["pvalue"]
    assert "refitted" in info.attrs["inference"]["iv_split"]
    # refitted final bins: the training IV uses all rows
    assert sum(b.bins_["signal"].goods) + sum(b.bins_["signal"].bads) == len(y)


def test_split_keep_uses_selection_bins():
    X, y = _data(1000)
    b = StumpBinner(inference="split", refit=False, random_state=3).fit(X, y)
    assert b.bins_["signal"].thresholds == b.split_bins_[0]["signal"].thresholds
    assert "final bins" in b.information_table().attrs["inference"]["iv_split"]


def test_crossfit_two_ways_and_refit_rule():
    X, y = _data(1000)
    b = StumpBinner(inference="crossfit", random_state=3).fit(X, y)
    assert len(b.split_bins_) == 2
    with warnings.catch_warnings():
        # a held-out half may leave a class out of a bin: smoothed, with a warning
        warnings.simplefilter("ignore", DataConditionWarning)
        info = b.information_table()
    ivs = [b.split_bins_[i]["signal"] for i in range(2)]
    assert info.loc["signal", "pvalue"] <= 1
    assert np.isfinite(info.loc["signal", "iv_crossfit"]) and ivs[0] != ivs[1]
    with pytest.raises(ValueError, match="refit=False keeps the selection half's bins"):
        StumpBinner(inference="crossfit", refit=False).fit(X, y)


def test_selection_inference_identity_statistic_matches_table(fitted):
    searches, params, data, _ = fitted._search_state_
    res = selection_inference(
        searches[0], params, fitted.smoothing, n_resamples=9, random_state=1
    )
    assert res.statistic == pytest.approx(
        fitted.information_table().loc["signal", "iv"]
    )


@pytest.mark.slow
def test_permutation_test_size_under_the_null():
    # 400 null data sets, one noise feature each, 19 permutations: the test
    # rejects with probability exactly 1/20 when the search is mirrored.
    rejections = 0
    for seed in range(400):
        rng = np.random.default_rng(seed)
        X = pd.DataFrame({"x": rng.normal(size=500)})
        y = (rng.random(500) < 0.2).astype(int)
        info = (
            StumpBinner(n_permutations=19, random_state=seed)
            .fit(X, y)
            .information_table()
        )
        rejections += info.loc["x", "pvalue"] <= 0.05
    # binomial(400, 0.05): mean 20, sd 4.4
    assert 8 <= rejections <= 34


def test_sequential_stops_are_stated():
    from scorecard._binning._inference import STOP_EXCEEDANCES

    X, y = _data(3000, slope=3.0)
    b = StumpBinner(n_permutations=0, random_state=0).fit(X, y)
    searches, params, _, _ = b._search_state_
    names = [s.name for s in searches]
    strong = selection_inference(
        searches[names.index("signal")], params, 0.5, n_resamples=199, random_state=2
    )
    # the strong feature: no permutation comes near; the tail bound stops
    # after one batch and reports what the full run would, 1 / (B + 1)
    assert strong.stopping == "tail-bound"
    assert strong.pvalue == pytest.approx(1 / 200)
    assert strong.n_resamples < 199
    noise = selection_inference(
        searches[names.index("noise")], params, 0.5, n_resamples=199, random_state=2
    )
    if noise.stopping == "besag-clifford":  # p = h / L, exact
        assert noise.pvalue == pytest.approx(STOP_EXCEEDANCES / noise.n_resamples)
    else:
        assert noise.stopping == "full" and noise.n_resamples == 199


def test_fresh_interval_reduces_to_ncx2_without_selection():
    from scorecard._binning._fresh import fresh_interval
    from scorecard._kit.intervals import ncx2_interval

    # k = J - 1 and no widening (c = 1): the fixed-bin interval exactly
    lo, hi = fresh_interval(12.0, 3.0, 1.0, 0.01, 0.05)
    np.testing.assert_allclose([lo, hi], ncx2_interval(12.0, 3.0, 0.01), rtol=1e-12)
    # a c below 1 is the floor c = 1
    assert fresh_interval(12.0, 3.0, 0.5, 0.01, 0.05) == (lo, hi)
    # a larger selection-adjusted k moves both ends down
    lo2, hi2 = fresh_interval(12.0, 6.0, 1.0, 0.01, 0.05)
    assert lo2 < lo and hi2 < hi
    # c > 1 widens it: the law c * ncx2(k/c, lam/c)
    lo3, hi3 = fresh_interval(12.0, 3.0, 4.0, 0.01, 0.05)
    assert hi3 - lo3 > hi - lo
    np.testing.assert_allclose([lo3, hi3], ncx2_interval(3.0, 0.75, 0.04), rtol=1e-12)


def test_widening_is_spread_over_the_ncx2_variance():
    from scorecard._binning._fresh import widening

    # optimism 0 and 10 (variance 50); T = 8, k = 5: lam_hat = 3 and the
    # ncx2 variance 2 * 5 + 4 * 3 = 22
    o = np.array([0.0, 10.0])
    assert widening(o, 8.0, 5.0) == pytest.approx(50 / 22)
    # T below k: lam_hat = 0, variance 2k = 10
    assert widening(o, 2.0, 5.0) == pytest.approx(5.0)
    # a spread below the ncx2 variance: the floor 1
    assert widening(o, 30.0, 5.0) == 1.0
    # one draw, or no k: no widening
    assert widening(np.array([3.0]), 8.0, 5.0) == 1.0
    assert widening(o, 8.0, 0.0) == 1.0


def test_fixed_bin_bias_is_null_df_when_shares_agree():
    from scorecard._binning._fresh import fixed_bin_bias

    # p = q: (J - 1)(1/n_G + 1/n_B) / s = J - 1
    goods, bads = np.array([100.0, 200.0, 300.0, 400.0]), np.array([5, 10, 15, 20.0])
    assert fixed_bin_bias(goods, bads, 0.5) == pytest.approx(3.0, rel=1e-12)
    # an empty bin is not a bin; a bin with a zero cell is smoothed
    assert fixed_bin_bias(np.append(goods, 0), np.append(bads, 0), 0.5) == (
        pytest.approx(3.0, rel=1e-12)
    )
    assert np.isfinite(
        fixed_bin_bias(np.array([10.0, 20.0]), np.array([0.0, 4.0]), 0.5)
    )


def test_fixed_bin_bias_matches_the_simulated_bias_of_the_plug_in():
    from scorecard._binning._fresh import fixed_bin_bias

    # oracle: E[IV_hat - IV] by simulation of multinomial shares, with the
    # first-order (mean-zero) term subtracted as a control variate
    rng = np.random.default_rng(0)
    p, q = np.array([0.6, 0.3, 0.1]), np.array([0.1, 0.3, 0.6])
    n_g, n_b = 4000, 400
    s = 1 / n_g + 1 / n_b
    g = rng.multinomial(n_g, p, size=20000) / n_g
    b = rng.multinomial(n_b, q, size=20000) / n_b
    iv = np.sum((p - q) * np.log(p / q))
    iv_hat = np.sum((g - b) * np.log(g / b), axis=1)
    linear = (g - p) @ (np.log(p / q) + 1 - q / p) + (b - q) @ (
        -np.log(p / q) + 1 - p / q
    )
    simulated = float(np.mean(iv_hat - iv - linear)) / s  # MC SE about 0.03
    bias = fixed_bin_bias(p * n_g, q * n_b, 0.5)
    assert bias == pytest.approx(simulated, rel=0.05)
    assert bias > 1.5 * (p.size - 1)  # far above the null df J - 1 = 2


def test_selection_adjusted_df_includes_fixed_bin_bias(fitted):
    from scorecard._binning._inference import _selection_parts

    searches, params, _, _ = fitted._search_state_
    parts = _selection_parts(
        searches[0], params, fitted.smoothing, 49, 3, None, True, world="sample"
    )
    assert parts.bias > parts.n_bins - 1  # the strong feature
    assert parts.k_eff >= max(parts.bias, float(parts.optimism.mean()))
    res = selection_inference(
        searches[0],
        params,
        fitted.smoothing,
        n_resamples=49,
        random_state=3,
        world="sample",
    )
    assert res.iv_adjusted == pytest.approx(res.statistic - parts.scale * parts.k_eff)


def test_shrunk_rates_constant_when_cell_rates_agree():
    from scorecard._binning._population import shrunk_rates

    # equal rates: the spread of the cell logits is below their sampling
    # variance, tau^2 = 0, and the population is the pooled rate
    rows, bads = np.array([100.0, 200.0, 300.0]), np.array([10.0, 20.0, 30.0])
    np.testing.assert_allclose(shrunk_rates(rows, bads), 0.1, rtol=1e-12)
    # also for more ordered pre-bins than groups (pooled, then interpolated)
    rows, bads = np.full(40, 50.0), np.full(40, 5.0)
    np.testing.assert_allclose(shrunk_rates(rows, bads, 40), 0.1, rtol=1e-12)


def test_shrunk_rates_hand_computed_two_cells():
    from scorecard._binning._population import shrunk_rates

    # rows 400 / 400, bads 40 / 60: logits log(40.5/360.5) = -2.186190 and
    # log(60.5/340.5) = -1.727772 about the pooled log(100/700) = -1.945910;
    # sampling variances 0.0274653 and 0.0194658; tau^2 = mean squared
    # deviation 0.0526594 - mean variance 0.0234655 = 0.0291938; factors
    # sqrt(tau^2 / (tau^2 + v)) 0.717812 and 0.774571, so the shrunk logit
    # contrast is 0.218138 * 0.774571 + 0.240280 * 0.717812 = 0.341439
    pi = shrunk_rates(np.array([400.0, 400.0]), np.array([40.0, 60.0]))
    logit = np.log(pi / (1 - pi))
    assert logit[1] - logit[0] == pytest.approx(0.341439, abs=2e-6)
    assert 400 * pi.sum() == pytest.approx(100.0, rel=1e-10)  # bads kept


def test_shrunk_rates_barely_move_a_strong_feature():
    from scorecard._binning._population import shrunk_rates

    rows, bads = np.array([5000.0, 5000.0, 2000.0]), np.array([250.0, 2500.0, 900.0])
    pi = shrunk_rates(rows, bads)
    raw = bads / rows
    np.testing.assert_allclose(pi, raw, rtol=0.01)
    assert np.all(np.abs(pi - raw) > 0)  # shrunk, if barely


def test_population_optimism_is_unbiased_on_a_known_population():
    from scorecard._binning._inference import _iv
    from scorecard._binning._population import population_optimism
    from scorecard._binning._search import SearchInputs, bin_counts, search_many

    # a known population of 20 ordered cells (a logistic trend, strong enough
    # that the shrinkage barely moves it): the parametric bootstrap's mean
    # optimism, averaged over samples, against the true mean of
    # IV(searched bins) - IV(same bins on the population), both over s
    params = StumpBinner()._fit_params(specials={}, weighted=False)
    rng = np.random.default_rng(7)
    n, cells = 4000, 20
    share = np.full(cells, 1 / cells)
    rate = 1 / (1 + np.exp(2.2 - 1.2 * np.linspace(-1, 1, cells)))
    probs = np.concatenate([share * (1 - rate), share * rate])
    draws = rng.multinomial(n, probs, size=400).astype(np.float64)
    goods, bads = draws[:, :cells], draws[:, cells:]
    rows = goods + bads
    base = SearchInputs("x", "numeric", cells, 0, rows[0], bads[0])
    assign = search_many(base, bads, params, rows=rows)
    own = _iv(bin_counts(assign, goods), bin_counts(assign, bads), 0.5)
    pop = _iv(
        bin_counts(assign, share * (1 - rate)), bin_counts(assign, share * rate), 0.5
    )
    scale = 1 / goods.sum(axis=1) + 1 / bads.sum(axis=1)
    truth = (own - pop) / scale
    estimates = []
    for t in range(40):
        inputs = SearchInputs("x", "numeric", cells, 0, rows[t], bads[t])
        o, p = population_optimism(inputs, params, 0.5, 49, rng, None)
        estimates.append(float(np.mean((o - p) / scale[t])))
    est = np.asarray(estimates)
    se = np.hypot(truth.std(ddof=1) / np.sqrt(truth.size), est.std(ddof=1) / 6.3)
    assert abs(est.mean() - truth.mean()) < 3 * se, (est.mean(), truth.mean(), se)
    assert truth.mean() > cells / 4  # a real optimism, not a null df


# --------------------------------------------------------------------------
# the count law (distributed fits draw permutations from count tables only)


def test_count_law_is_the_hypergeometric_law_of_permuted_labels():
    # hand-checkable: two cells of 8 rows, 8 bads in all. Permuting the labels
    # of the 16 rows puts k bads in cell 1 with the hypergeometric law
    # C(8, k) C(8, 8 - k) / C(16, 8); the count path must draw that law.
    from scipy import stats

    from scorecard._binning._inference import _permuted
    from scorecard._binning._search import SearchInputs

    cells = SearchInputs(
        "x", "numeric", 2, 0, rows=np.array([8.0, 8.0]), bads=np.array([6.0, 2.0])
    )
    draws, _ = _permuted(cells, 20_000, np.random.default_rng(0), None)
    assert np.all(draws.sum(axis=1) == 8)
    k = draws[:, 0].astype(int)
    observed = np.bincount(k, minlength=9)
    expected = stats.hypergeom(16, 8, 8).pmf(np.arange(9)) * k.size
    pooled_obs = np.r_[observed[:2].sum(), observed[2:7], observed[7:].sum()]
    pooled_exp = np.r_[expected[:2].sum(), expected[2:7], expected[7:].sum()]
    assert stats.chisquare(pooled_obs, pooled_exp).pvalue > 1e-3
    # the null IVs of the search: the observed split (6 vs 2 bads) is reached
    # exactly when k is 1, 2, 6 or 7 (k = 0 or 8 makes both bins pure, and the
    # pure-bin rule merges them: IV 0), probability 2 (64 + 784) / 12870
    from scorecard._binning._inference import permutation_null

    params = StumpBinner(min_bin_count=None)._fit_params(specials={}, weighted=False)
    fitted_iv = float(
        selection_inference(
            cells, params, 0.5, n_resamples=1, random_state=0, bootstrap=False
        ).statistic
    )
    null = permutation_null(cells, params, 0.5, 4000, random_state=1)
    share = float(np.mean(null >= fitted_iv - 1e-12))
    exact = 2 * (64 + 784) / 12870
    assert fitted_iv > 0
    assert share == pytest.approx(exact, abs=4 * np.sqrt(exact * (1 - exact) / 4000))


def test_count_law_equals_row_permutations():
    # unit weights keep the rows and permute them; no weights draw the counts.
    # The two null laws of the searched IV agree within Monte Carlo error.
    from scipy import stats

    from scorecard._binning._inference import permutation_null

    X, y = _data(1200, seed=5)
    counts = StumpBinner(n_permutations=0, random_state=0).fit(X, y)
    rows = StumpBinner(n_permutations=0, random_state=0).fit(
        X, y, sample_weight=np.ones(len(y))
    )
    s_c, params, data_c, _ = counts._search_state_
    s_r, _, data_r, _ = rows._search_state_
    assert data_c is None and data_r is not None
    for j in (1, 2):  # the noise feature and the categorical one
        assert s_c[j].codes is None and s_r[j].codes is not None
        np.testing.assert_array_equal(s_c[j].rows, s_r[j].rows)
        p = {**params, **counts._settings_[s_c[j].name]}
        a = permutation_null(s_c[j], p, 0.5, 300, random_state=11)
        b = permutation_null(s_r[j], p, 0.5, 300, random_state=12, data=data_r)
        assert stats.ks_2samp(a, b).pvalue > 1e-3
        se = np.sqrt(a.var() / a.size + b.var() / b.size)
        assert abs(a.mean() - b.mean()) < 4 * se


# --------------------------------------------------------------------------
# artifacts keep the selection state


def test_artifact_round_trip_keeps_selection_figures():
    from scorecard import load

    X, y = _data(900, seed=2)
    b = StumpBinner(n_permutations=19, random_state=4).fit(X, y)
    before = b.information_table()
    back = load(b.to_json())
    after = back.information_table()
    cols = ["iv_adjusted", "ci_low", "ci_high", "pvalue"]
    pd.testing.assert_frame_equal(after[cols], before[cols])
    # the cell tables are kept, so any alpha is recomputed identically
    pd.testing.assert_frame_equal(
        back.information_table(alpha=0.1)[cols], b.information_table(alpha=0.1)[cols]
    )
    assert after[cols].notna().all().all()


def test_artifact_of_weighted_fit_keeps_computed_figures_only():
    from scorecard import load

    X, y = _data(700, seed=3)
    w = np.random.default_rng(0).uniform(0.5, 2.0, size=len(y))
    b = StumpBinner(n_permutations=19, random_state=1, weight_kind="sampling")
    b.fit(X, y, sample_weight=w)
    text = b.to_json()  # computes the figures at alpha = 0.05 first
    back = load(text)
    cols = ["iv_adjusted", "ci_low", "ci_high", "pvalue"]
    pd.testing.assert_frame_equal(
        back.information_table()[cols], b.information_table()[cols]
    )
    other = back.information_table(alpha=0.1)
    assert other[cols].isna().all().all()
    assert "alpha in [0.05]" in other.attrs["inference"]["pvalue"]
    assert '"rows"' not in text.split('"selection"')[1]  # no row is stored


def test_old_artifact_without_selection_loads_with_reason():
    import json

    from scorecard import load
    from scorecard._kit.artifacts import dumps_artifact, loads_artifact

    X, y = _data(600, seed=4)
    b = StumpBinner(n_permutations=9, random_state=0).fit(X, y)
    kind, payload = loads_artifact(b.to_json())
    payload.pop("selection")
    back = load(dumps_artifact(kind, json.loads(json.dumps(payload))))
    info = back.information_table()
    assert info["pvalue"].isna().all()
    assert "saved without its selection state" in info.attrs["inference"]["pvalue"]
    pd.testing.assert_series_equal(info["iv"], b.information_table()["iv"])


def _joint_null_data(seed, partial):
    rng = np.random.default_rng(1000 + seed)
    n = 2000
    X = pd.DataFrame(
        {
            "z1": rng.normal(size=n),
            "z2": rng.integers(0, 12, n).astype(float),
            "zc": rng.choice(list("abcde"), n),
        }
    )
    if not partial:
        return X, (rng.random(n) < 0.2).astype(int)
    X["s"] = rng.normal(size=n)
    return X, (rng.random(n) < 1 / (1 + np.exp(1.5 - X["s"]))).astype(int)


@pytest.mark.slow
def test_joint_permutation_test_size():
    # 200 null data sets at n = 2,000, B = 19: the joint test rejects at 5%
    # exactly when the observed IV beats all 19 re-run joint fits
    rejections = {"z1": 0, "z2": 0, "zc": 0}
    for seed in range(200):
        X, y = _joint_null_data(seed, partial=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            b = StumpBinner(strategy="joint", n_permutations=19, random_state=seed)
            info = b.fit(X, y).information_table()
        for f in rejections:
            rejections[f] += info.loc[f, "pvalue"] <= 0.05
    # binomial(200, 0.05): mean 10, sd 3.1
    assert all(1 <= r <= 20 for r in rejections.values()), rejections


def test_bootstrap_world_is_checked_and_both_share_the_draws(fitted):
    from dataclasses import replace

    from scorecard._binning._inference import _from_parts, _selection_parts

    searches, params, _, _ = fitted._search_state_
    with pytest.raises(ValueError, match="world must be one of"):
        selection_inference(searches[0], params, 0.5, n_resamples=19, world="both")
    with pytest.raises(ValueError, match="world must be one of"):
        _selection_parts(searches[0], params, 0.5, 19, 0, None, True, world="x")
    both = _selection_parts(searches[0], params, 0.5, 49, 3, None, True, world="both")
    old = _selection_parts(searches[0], params, 0.5, 49, 3, None, True, world="sample")
    # the sample's world is drawn first: the same figures as its own run
    np.testing.assert_array_equal(both.optimism, old.optimism)
    assert _from_parts(replace(both, world="sample"), 0.05, True) == _from_parts(
        old, 0.05, True
    )
    # the shrunk world's k is its mean optimism and its widening the spread
    # over the ncx2 variance at the world's mean lambda
    o, lam = both.pop_optimism, both.pop_lambda
    assert both.k_eff == pytest.approx(max(float(o.mean()), 0.0))
    c = float(o.var(ddof=1)) / (2 * max(float(o.mean()), 0.0) + 4 * float(lam.mean()))
    assert both.widening == pytest.approx(max(1.0, c))


def test_shrunk_world_with_constant_weights_matches_the_unweighted_one():
    from scorecard._binning._inference import _selection_parts

    # unit weights: the same cells and bins; the weighted world redraws rows
    # and Bernoulli labels (not the multinomial cells), so the two k agree
    # within Monte Carlo error
    X, y = _data(1500)
    plain = StumpBinner(n_permutations=0, random_state=0).fit(X, y)
    ones = np.ones(len(y))
    unit = StumpBinner(n_permutations=0, random_state=0).fit(X, y, sample_weight=ones)
    ks = []
    for b in (plain, unit):
        searches, params, data, _ = b._search_state_
        parts = _selection_parts(
            searches[0], params, b.smoothing, 49, 5, data, True, world="shrunk"
        )
        ks.append((parts.k_eff, parts.spread, parts.statistic / parts.scale))
    (k_u, v_u, t_u), (k_w, v_w, t_w) = ks
    assert unit._search_state_[0][0].codes is not None  # the weighted path
    assert t_w == pytest.approx(t_u, rel=1e-12)
    se = np.sqrt((v_u + v_w) / 49)
    assert abs(k_w - k_u) < 4 * se, (k_u, k_w, se)
    # sampling weights summing to 100 times the rows: the search runs on
    # them rescaled to the row count and the shrinkage reads Kish's
    # effective counts, so the noise feature's population stays flat as
    # without weights (the weighted sums as counts: lambda_b 10.0 here)
    heavy = StumpBinner(n_permutations=0, random_state=0, weight_kind="sampling").fit(
        X, y, sample_weight=np.full(len(y), 100.0)
    )
    for b in (plain, heavy):
        searches, params, data, _ = b._search_state_
        parts = _selection_parts(
            searches[1], params, b.smoothing, 49, 5, data, True, world="shrunk"
        )
        assert searches[1].name == "noise"
        assert parts.pop_lambda.mean() < 0.5
