"""PSI per feature from counts: hand values, validation, Monte Carlo calibration."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.optimize import brentq

from monitoring import (
    drift_from_counts,
)
from scorecard import CountTable, DataConditionWarning, count_codes, psi


def hand_psi(e, a):
    e = np.asarray(e, float)
    a = np.asarray(a, float)
    keep = (e + a) > 0
    e, a = e[keep] / e.sum(), a[keep] / a.sum()
    return float(((a - e) * np.log(a / e)).sum())


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
    with pytest.warns(DataConditionWarning, match="reference='fixed' but"):
        fixed = drift_from_counts([ref], [cur], reference="fixed")["x0"]
    assert fixed.estimate == pytest.approx(sample.estimate)
    assert fixed.se < sample.se
    with pytest.warns(DataConditionWarning, match="reference='fixed' but"):
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


def test_iv_drift_reads_the_squares_of_a_sampling_weighted_table():
    # (Belongs to test_iv.py, which another helper owns: iv_drift passes the
    # squared-weight sums of a sampling-weighted CountTable to the spine.)
    from monitoring import iv_drift
    from scorecard import information_value

    codes, y = np.array([0, 0, 1, 1, 2, 2] * 20), np.array([0, 1, 0, 1, 1, 0] * 20)
    w = np.tile([1.0, 2.0, 3.0, 1.0, 2.0, 3.0], 20)
    with pytest.warns(DataConditionWarning, match="sums to 240 for 120 rows"):
        table = CountTable.from_codes(codes, y, n_bins=3, sample_weight=w)
    res = iv_drift(table, table)
    direct = information_value(
        table.column(0),
        table.column(1),
        goods_sq=table.square_column(0),
        bads_sq=table.square_column(1),
    )
    assert "weights=sampling" in res.reference.method
    np.testing.assert_allclose(res.reference.se, direct.se)
