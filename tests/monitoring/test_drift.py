"""Drift statistics from count tables: hand cases, oracles, seeded Monte Carlo."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import brentq
from sklearn.metrics import roc_auc_score
from statsmodels.stats.proportion import proportions_ztest

from monitoring import (
    AUCResult,
    DriftReport,
    auc_drift,
    auc_from_counts,
    bad_rate_by_band,
    characteristic_analysis,
    delong_auc,
    drift_from_counts,
    drift_status,
    iv_drift,
)
from scorecard import CountTable, DataConditionWarning, count_codes, psi

#: The message of an alpha outside (0, 1).
ALPHA = r"alpha \(one minus the coverage\) must be a number in \(0, 1\)"


def hand_psi(e, a):
    e = np.asarray(e, float)
    a = np.asarray(a, float)
    keep = (e + a) > 0
    e, a = e[keep] / e.sum(), a[keep] / a.sum()
    return float(((a - e) * np.log(a / e)).sum())


def hand_iv(goods, bads):
    p = np.asarray(goods, float) / np.sum(goods)
    q = np.asarray(bads, float) / np.sum(bads)
    return float(((p - q) * np.log(p / q)).sum())


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
# status rule


def test_drift_status_hand_cases_and_boundaries():
    status = drift_status(
        [0.30, 0.30, 0.12, 0.40, 0.05, 0.30, 0.30],
        [0.25, 0.20, 0.05, 0.30, 0.01, 0.26, 0.26],
        [1e-9, 1e-6, 0.01, 0.20, 1e-12, 0.05, 0.0499],
    )
    # ci_low == high band counts as drift; pvalue == alpha is not significant;
    # a significant but tiny PSI is stable.
    assert status.tolist() == [
        "drift",
        "watch",
        "watch",
        "stable",
        "stable",
        "stable",
        "drift",
    ]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"psi_bands": (0.3, 0.1)}, "0 <= low <= high"),
        ({"psi_bands": (0.1,)}, "two numbers"),
        ({"psi_bands": (-0.1, 0.2)}, "0 <= low <= high"),
        ({"psi_bands": (0.1, float("nan"))}, "finite"),
        ({"alpha": 0.0}, ALPHA),
        ({"alpha": 1.5}, ALPHA),
    ],
)
def test_drift_status_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        drift_status([0.1], [0.0], [0.5], **kwargs)


@settings(max_examples=60, deadline=None)
@given(
    est=st.lists(st.floats(0, 2), min_size=1, max_size=20),
    data=st.data(),
)
def test_flags_always_need_a_significant_test(est, data):
    n = len(est)
    low = data.draw(st.lists(st.floats(0, 2), min_size=n, max_size=n))
    p = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    status = drift_status(est, low, p, alpha=0.05)
    flagged = status != "stable"
    assert np.all(np.asarray(p)[flagged] < 0.05)
    assert np.all(np.asarray(low)[status == "drift"] >= 0.25)


# --------------------------------------------------------------------------
# drift_from_counts


def test_psi_values_match_hand_computation_and_padding_is_ignored():
    ref = [[250, 250, 250, 250], [500, 300, 200, 0]]
    cur = [[200, 250, 250, 300], [150, 300, 550, 0]]
    rep = drift_from_counts(
        ref, cur, features=["age", "score"], kinds=["feature", "score"]
    )
    frame = rep.to_frame()
    assert frame.loc["age", "psi"] == pytest.approx(hand_psi(ref[0], cur[0]), rel=1e-12)
    assert frame.loc["score", "psi"] == pytest.approx(
        hand_psi(ref[1][:3], cur[1][:3]), rel=1e-12
    )
    # bias correction: minus (1/n + 1/m)(B - 1)
    assert frame.loc["age", "bias_corrected"] == pytest.approx(
        frame.loc["age", "psi"] - (1 / 1000 + 1 / 1000) * 3
    )
    assert frame.loc["score", "df"] == 2
    assert rep["score"].bins == ("0", "1", "2")  # trailing zero column is padding
    assert rep.status == "drift" and rep.drifted == ("score",)
    assert rep["score"].kind == "score"
    assert frame.loc["age", "pvalue"] == pytest.approx(
        stats.chi2.sf(frame.loc["age", "psi"] / (2 / 1000), 3)
    )


def test_fixed_reference_drops_the_reference_variance():
    ref, cur = [400, 300, 300], [300, 300, 400]
    sample = drift_from_counts([ref], [cur])["x0"]
    fixed = drift_from_counts([ref], [cur], reference="fixed")["x0"]
    assert fixed.estimate == pytest.approx(sample.estimate)
    assert fixed.se < sample.se
    assert fixed.se == pytest.approx(psi(ref, cur, reference="fixed").se)
    assert fixed.bias_corrected == pytest.approx(fixed.estimate - 2 / 1000)


def test_count_tables_are_accepted_and_class_columns_summed():
    codes = np.array([[0, 1], [1, 1], [2, 0], [0, 0], [1, 2], [2, 2]])
    y = np.array([0, 1, 0, 1, 0, 0])
    table = CountTable.from_codes(codes, y, n_bins=3, features=["a", "b"])
    other = CountTable.from_codes(codes[::-1], y, n_bins=3, features=["a", "b"])
    rep = drift_from_counts(table, other + table)
    assert rep.feature_names == ("a", "b")
    np.testing.assert_allclose(rep["a"].reference_counts, [2, 2, 2])
    np.testing.assert_allclose(rep["a"].current_counts, [4, 4, 4])


def test_zero_cell_warns_and_is_recorded():
    with pytest.warns(DataConditionWarning, match="Zero cell in 'x0' bin 2"):
        rep = drift_from_counts([[100, 100, 50]], [[120, 80, 0]])
    assert rep["x0"].smoothed.tolist() == [False, False, True]
    assert rep.notes and "Zero cell" in rep.notes[0]


def test_bin_labels_and_padding_validation():
    rep = drift_from_counts(
        [[10, 20, 0], [5, 5, 5]],
        [[12, 18, 0], [6, 4, 5]],
        bin_labels=[["low", "high"], ["a", "b", "c"]],
    )
    assert rep["x0"].to_frame()["label"].tolist() == ["low", "high"]
    with pytest.raises(ValueError, match="counts beyond its 2 labelled bins"):
        drift_from_counts([[10, 20, 3]], [[12, 18, 0]], bin_labels=[["low", "high"]])
    with pytest.raises(ValueError, match="bin_labels has 1 entries for 2 features"):
        drift_from_counts([[1, 2], [3, 4]], [[1, 2], [3, 4]], bin_labels=[["a", "b"]])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: drift_from_counts([[1, 2]], [[1, 2, 3]]), ValueError, "same shape"),
        (lambda: drift_from_counts([[1, -2]], [[1, 2]]), ValueError, "non-negative"),
        (lambda: drift_from_counts([["a", 2]], [[1, 2]]), TypeError, "numeric counts"),
        (
            lambda: drift_from_counts([[1, 2]], [[1, 2]], kinds=["model"]),
            ValueError,
            "kinds must give 'feature' or 'score'",
        ),
        (
            lambda: drift_from_counts(
                [[1, 2], [1, 2]], [[1, 2], [1, 2]], features=["a", "a"]
            ),
            ValueError,
            "features must be unique",
        ),
        (
            lambda: drift_from_counts([[1, 2]], [[1, 2]], reference="population"),
            ValueError,
            "reference must be 'sample' or 'fixed'",
        ),
        (
            lambda: drift_from_counts([[1, 2]], [[0, 0]]),
            ValueError,
            "zero total for feature 'x0'",
        ),
        (
            lambda: drift_from_counts([[1, 2]], [[1, 2]], n_rows=-1),
            ValueError,
            "n_rows must be a non-negative int",
        ),
    ],
)
def test_drift_from_counts_rejects_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_single_bin_feature_is_exactly_stable():
    rep = drift_from_counts([[100, 0, 0], [40, 60, 0]], [[80, 0, 0], [50, 50, 0]])
    one = rep["x0"]
    assert (one.estimate, one.se, one.df, one.pvalue, one.status) == (
        0.0,
        0.0,
        0,
        1.0,
        "stable",
    )
    assert rep["x1"].estimate == pytest.approx(hand_psi([40, 60], [50, 50]))


def test_report_lookup_and_repr():
    rep = drift_from_counts([[50, 50]], [[52, 48]], features=["age"], batch_id="b1")
    with pytest.raises(KeyError, match="No feature 'income' in the report"):
        rep["income"]
    text = repr(rep)
    assert "DriftReport(status='stable'" in text and "age" in text
    assert "FeatureDrift('age', status='stable'" in repr(rep["age"])
    bins = rep.bins_frame()
    assert bins["contribution"].sum() == pytest.approx(rep["age"].estimate)


# --------------------------------------------------------------------------
# Monte Carlo: null calibration and injected shift


def _split_counts(rng, codes, pop, n_bins, share):
    mask = rng.random(codes.shape[0]) < share
    cur = count_codes(
        codes[mask], np.zeros(mask.sum(), dtype=int), n_bins=n_bins, n_classes=1
    )[:, :, 0]
    return pop - cur, cur


@pytest.mark.parametrize(
    ("bands", "share", "reps"),
    [((0.10, 0.25), 0.5, 60), ((0.0, 0.0), 0.5, 150), ((0.0, 0.0), 0.25, 150)],
)
def test_null_random_splits_flag_drift_at_most_alpha(bands, share, reps):
    """Random splits of the same data over fixed bins: drift share <= 5% + MC."""
    rng = np.random.default_rng(20240601)
    n_rows, n_features = 20_000, 20
    n_bins = rng.integers(3, 13, size=n_features)
    codes = np.column_stack(
        [rng.choice(b, size=n_rows, p=rng.dirichlet(np.full(b, 3.0))) for b in n_bins]
    )
    width = int(n_bins.max())
    pop = count_codes(codes, np.zeros(n_rows, dtype=int), n_bins=width, n_classes=1)
    pop = pop[:, :, 0]
    drift = np.zeros((reps, n_features), dtype=bool)
    flagged = np.zeros_like(drift)
    for r in range(reps):
        ref, cur = _split_counts(rng, codes, pop, width, share)
        status = np.array(
            [f.status for f in drift_from_counts(ref, cur, psi_bands=bands).features]
        )
        drift[r], flagged[r] = status == "drift", status != "stable"
    mc_se = math.sqrt(0.05 * 0.95 / drift.size)
    assert drift.mean() <= 0.05 + 3 * mc_se
    assert flagged.mean() <= 0.05 + 3 * mc_se
    if bands == (0.0, 0.0):
        # With zero bands the rule is the chi-square test itself: it must reject
        # at about the nominal rate (the check is not vacuous).
        assert drift.mean() >= 0.05 - 3 * mc_se


def test_drift_is_rare_when_true_psi_sits_on_the_upper_band():
    """'Material' drift: a true PSI of exactly 0.25 is flagged <= alpha/2 + MC."""
    e = np.full(5, 0.2)
    a0 = np.array([0.05, 0.10, 0.20, 0.30, 0.35])

    def psi_at(t):
        a = e + t * (a0 - e)
        return float(((a - e) * np.log(a / e)).sum()) - 0.25

    a = e + brentq(psi_at, 0.01, 1.0) * (a0 - e)
    rng = np.random.default_rng(7)
    reps = 3000
    ref = rng.multinomial(5000, e, size=reps)
    cur = rng.multinomial(5000, a, size=reps)
    status = np.array([f.status for f in drift_from_counts(ref, cur).features])
    share = (status == "drift").mean()
    mc_se = math.sqrt(0.025 * 0.975 / reps)
    assert share <= 0.025 + 3 * mc_se
    assert share >= 0.025 - 3 * mc_se  # the interval is not over-conservative


def test_injected_shift_in_one_feature_is_flagged_and_others_are_not():
    rng = np.random.default_rng(11)
    n_ref, n_cur, n_features, reps = 20_000, 10_000, 8, 25
    shares = [rng.dirichlet(np.full(6, 4.0)) for _ in range(n_features)]
    shifted = 3
    moved = np.array([0.05, 0.10, 0.20, 0.30, 0.35])  # PSI 0.40 against uniform
    shares[shifted] = np.full(5, 0.2)
    for r in range(reps):
        ref = np.zeros((n_features, 6))
        cur = np.zeros((n_features, 6))
        for j, p in enumerate(shares):
            ref[j, : p.size] = rng.multinomial(n_ref, p)
            q = moved if j == shifted else p
            cur[j, : q.size] = rng.multinomial(n_cur, q)
        rep = drift_from_counts(ref, cur)
        assert rep.drifted == (f"x{shifted}",), r
        others = [f.status for f in rep.features if f.feature != f"x{shifted}"]
        assert others == ["stable"] * (n_features - 1), r


# --------------------------------------------------------------------------
# IV drift


def test_iv_drift_matches_hand_iv_and_delta_difference():
    ref = np.array([[400, 20], [300, 40], [100, 60]], float)
    cur = np.array([[390, 30], [310, 40], [100, 50]], float)
    res = iv_drift(ref, cur, features=["age"])
    frame = res.to_frame()
    assert frame.loc["age", "iv_reference"] == pytest.approx(
        hand_iv(ref[:, 0], ref[:, 1])
    )
    assert frame.loc["age", "iv_current"] == pytest.approx(
        hand_iv(cur[:, 0], cur[:, 1])
    )
    se = math.hypot(frame.loc["age", "se_reference"], frame.loc["age", "se_current"])
    assert frame.loc["age", "se"] == pytest.approx(se)
    z = frame.loc["age", "difference"] / se
    assert frame.loc["age", "pvalue"] == pytest.approx(2 * stats.norm.sf(abs(z)))
    low, high = res.ci()[0]
    assert high - low == pytest.approx(2 * 1.959964 * se, rel=1e-5)


def test_iv_drift_accepts_count_tables():
    codes = np.array([0, 1, 2, 0, 1, 2, 0, 1])
    y = np.array([0, 0, 0, 1, 1, 1, 0, 0])
    table = CountTable.from_codes(codes, y, n_bins=3, features=["f"])
    res = iv_drift(table, table)
    assert res.features == ("f",)
    assert res.estimate[0] == pytest.approx(0.0)


def test_iv_drift_null_rejection_rate_is_nominal():
    rng = np.random.default_rng(5)
    goods_p = np.array([0.35, 0.30, 0.20, 0.15])
    bads_p = np.array([0.10, 0.20, 0.30, 0.40])  # IV about 0.62
    reps = 2000

    def draw():
        return np.stack(
            [rng.multinomial(8000, goods_p, reps), rng.multinomial(1500, bads_p, reps)],
            axis=-1,
        )

    res = iv_drift(draw(), draw())
    mc_se = math.sqrt(0.05 * 0.95 / reps)
    assert abs((res.pvalue < 0.05).mean() - 0.05) <= 3 * mc_se


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([[1, 2], [3, 4]], [[1, 2, 3]]), "shape"),
        (([[1, 2, 3]], [[1, 2, 3]]), r"columns \(goods, bads\)"),
    ],
)
def test_iv_drift_rejects_bad_shapes(args, match):
    with pytest.raises(ValueError, match=match):
        iv_drift(*args)


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


# --------------------------------------------------------------------------
# bad rate by band and characteristic analysis


def test_bad_rate_by_band_matches_statsmodels_two_proportion_test():
    ref = np.array([[900, 100], [800, 200], [500, 300]])
    cur = np.array([[420, 80], [390, 110], [260, 140]])
    res = bad_rate_by_band(ref, cur, bands=["A", "B", "C"])
    frame = res.to_frame()
    for i, band in enumerate("ABC"):
        z, p = proportions_ztest(
            [cur[i, 1], ref[i, 1]], [cur[i].sum(), ref[i].sum()], value=0
        )
        assert frame.loc[band, "statistic"] == pytest.approx(z)
        assert frame.loc[band, "pvalue"] == pytest.approx(p)
    assert frame.loc["A", "bad_rate_current"] == pytest.approx(0.16)
    assert frame.loc["A", "difference"] == pytest.approx(0.06)
    low, high = frame.loc["A", ["bad_rate_current_low", "bad_rate_current_high"]]
    assert low < 0.16 < high


def test_bad_rate_empty_band_gives_nan_not_an_error():
    with np.errstate(all="ignore"):
        res = bad_rate_by_band([[10, 5], [0, 0]], [[8, 4], [3, 1]])
    assert math.isnan(res.estimate[1]) and math.isnan(res.pvalue[1])


def test_characteristic_shift_equals_difference_of_row_means():
    ref = np.array([[50, 30, 20]])
    cur = np.array([[30, 30, 40]])
    points = np.array([[10.0, 25.0, 40.0]])
    res = characteristic_analysis(ref, cur, points, features=["age"])
    rows_ref = np.repeat(points[0], ref[0])
    rows_cur = np.repeat(points[0], cur[0])
    assert res.estimate[0] == pytest.approx(rows_cur.mean() - rows_ref.mean())
    se = math.sqrt(rows_cur.var() / rows_cur.size + rows_ref.var() / rows_ref.size)
    assert res.se[0] == pytest.approx(se)
    fixed = characteristic_analysis(ref, cur, points, reference="fixed")
    assert fixed.se[0] == pytest.approx(math.sqrt(rows_cur.var() / rows_cur.size))
    summary = res.summary()
    assert summary.loc["age", "points_reference"] == pytest.approx(rows_ref.mean())
    assert res.to_frame()["shift"].sum() == pytest.approx(res.estimate[0])
    with pytest.raises(ValueError, match="points must be finite"):
        characteristic_analysis(ref, cur, [[10.0, np.nan, 40.0]])


# --------------------------------------------------------------------------
# JSON


def test_json_round_trip_with_every_section():
    ref = np.array([[300, 200, 100], [100, 400, 500]], float)
    cur = np.array([[200, 200, 200], [120, 380, 500]], float)
    ref_y = np.stack([ref * 0.9, ref * 0.1], -1)
    cur_y = np.stack([cur * 0.85, cur * 0.15], -1)
    auc = auc_drift(
        auc_from_counts([50, 30, 20], [5, 10, 25]),
        delong_auc([0, 1, 1, 0], [1, 2, 3, 0]),
    )
    rep = drift_from_counts(
        ref,
        cur,
        features=["age", "score"],
        kinds=["feature", "score"],
        model_id="card",
        batch_id="2024-02",
        created_at="2024-02-29T00:00:00Z",
        n_rows=600,
        iv=iv_drift(ref_y, cur_y, features=["age", "score"]),
        auc=auc,
        bad_rate=bad_rate_by_band(ref_y[1], cur_y[1]),
        characteristics=characteristic_analysis(ref[:1], cur[:1], [[5.0, 10.0, 20.0]]),
    )
    text = rep.to_json()
    doc = json.loads(text)
    assert doc["status"] == rep.status and doc["features"][0]["feature"] == "age"
    back = DriftReport.from_json(text)
    pd.testing.assert_frame_equal(back.to_frame(), rep.to_frame())
    pd.testing.assert_frame_equal(back.iv.to_frame(), rep.iv.to_frame())
    pd.testing.assert_frame_equal(back.auc.to_frame(), rep.auc.to_frame())
    pd.testing.assert_frame_equal(back.bad_rate.to_frame(), rep.bad_rate.to_frame())
    pd.testing.assert_frame_equal(
        back.characteristics.summary(), rep.characteristics.summary()
    )
    assert (back.model_id, back.batch_id, back.n_rows) == ("card", "2024-02", 600)


def test_json_nan_becomes_null_and_foreign_documents_are_rejected():
    with np.errstate(all="ignore"):
        bad = bad_rate_by_band([[10, 5], [0, 0]], [[8, 4], [3, 1]])
    rep = drift_from_counts([[5, 5]], [[6, 4]], bad_rate=bad)
    assert "NaN" not in rep.to_json()
    with pytest.raises(ValueError, match="Not an infoscore drift report"):
        DriftReport.from_json('{"format": "other"}')
    doc = rep.to_dict()
    doc["version"] = 99
    with pytest.raises(ValueError, match="version 99 is not supported"):
        DriftReport.from_json(doc)
