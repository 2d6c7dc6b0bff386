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


def test_joint_strategy_says_why():
    X, y = _data(600)
    info = StumpBinner(strategy="joint", n_rounds=5).fit(X, y).information_table()
    assert info["pvalue"].isna().all()
    assert "joint" in info.attrs["inference"]["pvalue"]


def test_weighted_permutation_runs():
    X, y = _data(800)
    w = np.random.default_rng(1).uniform(0.5, 2, size=len(y))
    info = (
        StumpBinner(n_permutations=19, random_state=0)
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
    from scorecard._binning._inference import fresh_interval
    from scorecard._kit.intervals import ncx2_interval

    # k = J - 1 and a spread no larger than the ncx2 variance: the fixed-bin
    # interval exactly
    lo, hi = fresh_interval(12.0, 3.0, 1.0, 0.01, 0.05)
    np.testing.assert_allclose([lo, hi], ncx2_interval(12.0, 3.0, 0.01), rtol=1e-12)
    # a larger selection-adjusted k moves both ends down
    lo2, hi2 = fresh_interval(12.0, 6.0, 1.0, 0.01, 0.05)
    assert lo2 < lo and hi2 < hi
    # a spread above the ncx2 variance widens it
    lo3, hi3 = fresh_interval(12.0, 3.0, 400.0, 0.01, 0.05)
    assert hi3 - lo3 > hi - lo
