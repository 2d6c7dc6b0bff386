"""Scorecard: WoE logistic regression, points, reason codes, summary, artifacts."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from scorecard import DataConditionWarning, StumpBinner, load
from scorecard._models._scorecard import Scorecard
from scorecard.datasets import load_german_credit


@pytest.fixture(scope="module")
def german_data(german):
    """The shared German credit fixture without foreign_worker (one bin)."""
    X, y = german
    return X.drop(columns=["foreign_worker"]), y


@pytest.fixture(scope="module")
def german_card(german_data):
    """``Scorecard()`` on ``german_data``, shared by the tests that only read it."""
    X, y = german_data
    return Scorecard().fit(X, y)


@pytest.fixture(scope="module")
def fitted(simucredit):
    X, y = simucredit
    return Scorecard().fit(X, y)


def test_points_add_up_to_the_logit_and_doubling_odds_adds_pdo(fitted, simucredit):
    X, _ = simucredit
    card = fitted
    margin = card.decision_function(X)
    p_bad = card.predict_proba(X)[:, 1]
    np.testing.assert_allclose(np.log(p_bad / (1 - p_bad)), margin, rtol=1e-9)
    score = card.predict_score(X)
    factor = card.pdo / math.log(2)
    offset = card.base_score - factor * math.log(card.base_odds)
    np.testing.assert_allclose(score, offset - factor * margin, rtol=1e-12)
    # Two applicants whose good:bad odds differ by a factor 2 differ by pdo points.
    odds = (1 - p_bad) / p_bad
    i, j = 0, 1
    expected_gap = card.pdo * math.log2(odds[j] / odds[i])
    assert score[j] - score[i] == pytest.approx(expected_gap, rel=1e-9)
    # Base odds score the base score.
    assert float(card.scaling_.score(-math.log(card.base_odds))) == pytest.approx(600)


def test_coefficients_match_statsmodels_on_the_woe_design(simucredit):
    X, y = simucredit
    card = Scorecard(sign_check="off").fit(X, y)
    codes = card.binner_.transform(X)
    woe = np.column_stack(
        [card.bins_[n].woe(0.5)[codes[:, j]] for j, n in enumerate(card.bins_)]
    )
    ref = sm.Logit(y, sm.add_constant(woe)).fit(disp=0)
    np.testing.assert_allclose(card.coefficients_["coef"], ref.params, rtol=1e-6)
    np.testing.assert_allclose(card.coefficients_["se"], ref.bse, rtol=1e-6)


def test_summary_has_se_iv_auc_ks_gini(fitted, simucredit):
    X, y = simucredit
    summary = fitted.summary()
    assert summary.auc.estimate == pytest.approx(
        roc_auc_score(y, fitted.decision_function(X)), abs=1e-12
    )
    assert summary.gini == pytest.approx(2 * summary.auc.estimate - 1)
    assert 0 < summary.ks < 1
    assert {"iv", "se", "ci_low", "ci_high", "pvalue", "in_model"} <= set(
        summary.information.columns
    )
    # honest by default: the p-value accounts for the binning search
    notes = summary.information.attrs["inference"]
    assert "selection-adjusted" in notes["pvalue"]
    assert set(summary.information.columns) <= set(notes)
    assert np.all(summary.information["pvalue"] >= 1 / 200)
    assert list(summary.coefficients.index[:1]) == ["const"]
    assert "AUC=" in repr(summary)


def test_reason_codes_rank_points_lost_against_the_best_bin(fitted, simucredit):
    X, _ = simucredit
    head = X.head(50)
    reasons = fitted.reason_codes(head, n=3)
    points = fitted.points_table()
    codes = fitted.transform_bins(head)
    for i in range(10):
        lost = {}
        for name in fitted.bins_:
            rows = points[points["feature"] == name].set_index("bin")
            best = rows.loc[rows["count"] > 0, "points"].max()
            lost[name] = best - rows.loc[codes[name].iloc[i], "points"]
        ranked = sorted(((v, k) for k, v in lost.items() if v > 1e-12), reverse=True)
        got = [r for r in reasons.iloc[i][["reason_1", "reason_2", "reason_3"]] if r]
        assert got == [k for _, k in ranked[:3]]


def test_onehot_encoding_and_categorical_data(german_data, german_card):
    X, y = german_data
    woe_card = german_card
    onehot = Scorecard(encoding="onehot").fit(X, y)
    for card in (woe_card, onehot):
        auc = roc_auc_score(y, card.decision_function(X))
        assert auc > 0.75
    # One-hot has a coefficient per non-reference bin.
    assert len(onehot.coefficients_) > len(woe_card.coefficients_)


def test_rounding_gives_integer_points(simucredit):
    X, y = simucredit
    card = Scorecard(rounding=True).fit(X, y)
    assert np.all(card.predict_score(X.head(100)) % 1 == 0)


def test_score_bands_of_values_ulps_apart_keep_increasing_thresholds():
    # Found by the floor CI run: score values one ulp apart made two decile
    # midpoints round to the same float (thresholds not strictly increasing).
    from scorecard._models._points import score_reference_bins

    v = 1167.095880045144
    close = [np.nextafter(v, -np.inf), v, np.nextafter(v, np.inf)]
    score = np.repeat([-192.85, 487.12, *close], [40, 20, 10, 10, 20])
    y = np.tile([0, 1], 50)
    bands = score_reference_bins(score, y, None)
    assert np.all(np.diff(bands.thresholds) > 0)
    assert np.array(bands.goods).sum() + np.array(bands.bads).sum() == 100


def test_score_bands_are_deciles_and_ignore_rounding_noise():
    from scorecard._models._points import score_reference_bins

    rng = np.random.default_rng(3)
    # a points score: few distinct values, so deciles fall on score values
    score = rng.choice(np.arange(400.0, 700.0, 7.3), 5000)
    y = (rng.random(5000) < 0.1).astype(int)
    bands = score_reference_bins(score, y, None)
    codes = bands.assign(score)
    np.testing.assert_array_equal(bands.assign(score + 1e-9), codes)
    np.testing.assert_array_equal(bands.assign(score - 1e-9), codes)
    # the same bands as numpy's deciles with the convention value >= decile
    deciles = np.quantile(score, np.linspace(0, 1, 11)[1:-1])
    uniq = np.unique(deciles)
    expected = np.searchsorted(uniq, score, side="right")
    np.testing.assert_array_equal(codes, expected)
    np.testing.assert_allclose(
        np.array(bands.goods) + bands.bads, np.bincount(codes, minlength=bands.n_bins)
    )


def test_artifact_round_trip_bit_identical(fitted, simucredit, tmp_path):
    X, _ = simucredit
    path = tmp_path / "card.json"
    fitted.to_json(path)
    loaded = load(path)
    assert np.array_equal(loaded.predict_score(X), fitted.predict_score(X))
    assert np.array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    pd.testing.assert_frame_equal(loaded.points_table(), fitted.points_table())
    pd.testing.assert_frame_equal(
        loaded.binning_table("Balance"), fitted.binning_table("Balance")
    )
    assert repr(loaded.summary()) == repr(fitted.summary())
    payload = json.loads(path.read_text())["payload"]
    assert payload["feature_dtypes"]["Mortgage"] == "numeric"
    assert sum(payload["bins"][0]["goods"]) > 0  # reference counts for monitoring


def test_artifact_tampering_is_rejected(fitted, tmp_path):
    text = fitted.to_json()
    doc = json.loads(text)
    doc["payload"]["intercept_margin"] = 3.0
    with pytest.raises(ValueError, match="checksum mismatch"):
        load(json.dumps(doc))


def test_pipeline_with_set_output():
    X, y = load_german_credit(), None
    y = (X.pop("creditability") == "bad").astype(int)
    pipe = Pipeline([("card", Scorecard())])
    pipe.fit(X.drop(columns=["foreign_worker"]), y)
    assert pipe.predict_proba(X.drop(columns=["foreign_worker"])).shape == (1000, 2)


def test_bad_input(simucredit, fitted):
    X, y = simucredit
    with pytest.raises(
        ValueError, match=r"missing model feature\(s\) \['Utilization'\]"
    ):
        fitted.predict_score(X.drop(columns=["Utilization"]))
    bad = X.head(3).astype({"Inquiry": object})
    bad.loc[bad.index[1], "Inquiry"] = "many"
    with pytest.raises(TypeError, match="Feature 'Inquiry' is numeric.*such as 'many'"):
        fitted.predict_score(bad)
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        Scorecard().fit(X.head(30), np.arange(30) % 3)
    with pytest.warns(DataConditionWarning, match=r"Ignoring 1 column\(s\)"):
        fitted.predict_score(X.head(2).assign(Race=0))


def test_unseen_category_gets_neutral_points_with_a_warning(german_data, german_card):
    X, y = german_data
    card = german_card
    row = X.head(1).copy()
    row["purpose"] = "time machine"
    with pytest.warns(DataConditionWarning, match="'purpose'.*unseen"):
        reasons = card.reason_codes(row, n=20)
    assert "purpose" not in set(reasons.iloc[0].dropna())


def test_accuracy_close_to_optbinning_scorecard(simucredit):
    optbinning = pytest.importorskip("optbinning")
    from sklearn.linear_model import LogisticRegression

    X, y = simucredit
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=42
    )
    # selection on for both (issue 21); n_permutations=0 keeps the test light:
    # the selector then uses the conditional IV interval, as its reasons say
    from scorecard import StumpBinner

    card = Scorecard(binner=StumpBinner(n_permutations=0), selection={})
    ours = roc_auc_score(y_te, card.fit(X_tr, y_tr).decision_function(X_te))
    process = optbinning.BinningProcess(
        variable_names=list(X.columns), selection_criteria={"iv": {"min": 0.02}}
    )
    peer = optbinning.Scorecard(
        binning_process=process, estimator=LogisticRegression(max_iter=1000)
    )
    with warnings.catch_warnings():  # the peer's own pandas deprecations
        warnings.simplefilter("ignore")
        peer.fit(X_tr, y_tr)
        theirs = roc_auc_score(y_te, peer.predict_proba(X_te)[:, 1])
    assert ours >= theirs - 0.003, (ours, theirs)


# ------------------------------------------------------------ binary target


def test_string_target_without_bad_value_names_the_labels_and_the_parameter(
    simucredit,
):
    X, y = simucredit
    labels = np.where(y == 1, "bad", "good")
    with pytest.raises(
        ValueError, match=r"set bad_value to the label .*got labels \['bad', 'good'\]"
    ):
        Scorecard().fit(X, labels)


def test_string_target_with_bad_value_equals_the_0_1_fit(german_data, german_card):
    X, y = german_data
    labels = np.where(y == 1, "bad", "good")
    card01 = german_card  # Scorecard().fit(X, y)
    card = Scorecard(bad_value="bad").fit(X, labels)
    assert card.classes_.tolist() == ["good", "bad"]
    for name in card01.bins_:
        np.testing.assert_array_equal(card.bin_points(name), card01.bin_points(name))
    assert card.base_points() == card01.base_points()
    np.testing.assert_array_equal(card.predict_score(X), card01.predict_score(X))
    assert card.summary().auc.estimate == card01.summary().auc.estimate
    assert card.summary().auc.estimate > 0.7  # "bad" is the event, not "good"
    assert set(card.predict(X)) <= {"good", "bad"}
    loaded = load(card.to_json())
    assert loaded.bad_value == "bad"
    np.testing.assert_array_equal(loaded.predict_score(X), card.predict_score(X))


def test_score_bins_counts_are_the_count_kernel(fitted, simucredit):
    from scorecard import count_codes

    X, y = simucredit
    fb = fitted.score_bins_
    codes = fb.assign(fitted.predict_score(X))
    counts = count_codes(codes, y, n_bins=fb.n_bins, n_classes=2)[0]
    np.testing.assert_allclose(fb.goods, counts[:, 0], rtol=1e-12)
    np.testing.assert_allclose(fb.bads, counts[:, 1], rtol=1e-12)
    assert sum(fb.goods) + sum(fb.bads) == len(y)


def test_numpy_bad_value_is_stored_as_plain_json(german_data):
    X, y = german_data
    labels = np.where(y == 1, "bad", "good")
    card = Scorecard(bad_value=np.str_("bad")).fit(X, labels)
    loaded = load(card.to_json())
    assert loaded.bad_value == "bad" and type(loaded.bad_value) is str
    np.testing.assert_array_equal(loaded.predict_score(X), card.predict_score(X))


# ------------------------------------------- issue 21: signs, scoring, binner


def test_default_fit_on_simucredit_has_no_wrong_sign_feature(fitted):
    assert (fitted.coefficients_["coef"].drop("const") <= 0).all()
    assert all(fitted.points_fall_with_risk(f) for f in fitted.model_features_)
    decisions = fitted.feature_decisions_.set_index("feature")
    assert list(decisions.index) == list(fitted.bins_)
    assert set(decisions["status"]) <= {"selected", "constrained", "dropped"}
    # Balance is the bundled data's suppressor (+4.7 points in the riskiest bin)
    assert decisions.loc["Balance", "status"] == "dropped"
    assert decisions.loc["Balance", "step"] == "sign"
    assert "Balance" not in fitted.model_features_


def test_features_left_out_are_not_needed_at_scoring(fitted, simucredit, tmp_path):
    X, _ = simucredit
    head = X.head(300)
    short = head.drop(columns=["Balance"])
    np.testing.assert_array_equal(
        fitted.predict_score(short), fitted.predict_score(head)
    )
    np.testing.assert_array_equal(
        fitted.decision_function(short), fitted.decision_function(head)
    )
    pd.testing.assert_frame_equal(
        fitted.reason_codes(short, n=3), fitted.reason_codes(head, n=3)
    )
    path = tmp_path / "card.json"
    fitted.to_json(path)
    loaded = load(path)
    np.testing.assert_array_equal(
        loaded.predict_score(short), fitted.predict_score(head)
    )
    pd.testing.assert_frame_equal(loaded.feature_decisions_, fitted.feature_decisions_)
    assert loaded.model_features_ == fitted.model_features_
    assert any("not needed at scoring" in n for n in loaded.summary().notes)
    with pytest.raises(ValueError, match=r"missing model feature\(s\) \['Mortgage'\]"):
        fitted.predict_score(short.drop(columns=["Mortgage"]))


def test_refit_binner_false_uses_the_fitted_binner_as_is(simucredit):
    from scorecard import StumpBinner

    X, y = simucredit
    X, y = X.head(4000), y[:4000]
    binner = StumpBinner(n_rounds=10, n_permutations=0).fit(X, y)
    card = Scorecard(binner=binner, refit_binner=False).fit(X, y)
    assert card.binner_ is binner
    # fitted on other rows, the binner's counts are kept: no refit
    other = Scorecard(binner=binner, refit_binner=False).fit(X.tail(2000), y[-2000:])
    assert other.bins_["Mortgage"] is binner.bins_["Mortgage"]
    loaded = load(card.to_json())
    np.testing.assert_array_equal(loaded.predict_score(X), card.predict_score(X))
    with pytest.raises(ValueError, match="refit_binner=False .*fitted StumpBinner"):
        Scorecard(binner=StumpBinner(), refit_binner=False).fit(X, y)
    with pytest.raises(ValueError, match="refit_binner=False: X must have the columns"):
        Scorecard(binner=binner, refit_binner=False).fit(X.drop(columns=["Inquiry"]), y)


# --------------------------------------------------------------------------
# weights (issue 13, item 2): the kind of the weights, read as the binner does


def _sampling_weights(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.3, 3.0, n)


def test_sampling_weight_scale_changes_nothing(german_data):
    # before: 100 * w gave SEs 10x smaller and n = 100,000 for 1,000 rows
    X, y = german_data
    w = _sampling_weights(len(y), 0)
    cards = [
        Scorecard(weight_kind="sampling").fit(X, y, sample_weight=c * w)
        for c in (1.0, 37.5, 0.01)
    ]
    ref = cards[0].coefficients_
    for card in cards[1:]:
        pd.testing.assert_frame_equal(card.coefficients_, ref, rtol=1e-7)
        assert card.summary().n == len(y)
        assert card.summary().auc.se == pytest.approx(cards[0].summary().auc.se)


def test_equal_sampling_weights_reproduce_the_unweighted_card(german_data, german_card):
    X, y = german_data
    card = Scorecard(weight_kind="sampling").fit(
        X, y, sample_weight=np.full(len(y), 0.1)
    )
    pd.testing.assert_frame_equal(
        card.coefficients_, german_card.coefficients_, rtol=1e-9
    )
    assert card.summary().auc.estimate == pytest.approx(
        german_card.summary().auc.estimate
    )


def test_unequal_sampling_weights_give_the_sandwich_se(german_data):
    # oracle: statsmodels' GLM with var_weights and HC0 (the same sandwich,
    # without the with-replacement factor n / (n - 1)) on the card's WoE
    X, y = german_data
    w = _sampling_weights(len(y), 1)
    with warnings.catch_warnings():  # a feature keeps one bin: left out
        warnings.simplefilter("ignore", DataConditionWarning)
        card = Scorecard(weight_kind="sampling", sign_check="off").fit(
            X, y, sample_weight=w
        )
    codes = card.binner_.transform(X)
    names = list(card.bins_)
    model = [n for n in names if n in card.coefficients_.index]
    woe = np.column_stack(
        [
            card.bins_[n].woe(card.binner_.smoothing)[codes[:, names.index(n)]]
            for n in model
        ]
    )
    exog = sm.add_constant(woe)
    ref = sm.GLM(y, exog, family=sm.families.Binomial(), var_weights=w).fit(
        cov_type="HC0"
    )
    n = len(y)
    se = card.coefficients_.loc[["const", *model], "se"].to_numpy()
    np.testing.assert_allclose(
        se, np.sqrt(np.diag(ref.cov_params()) * n / (n - 1)), rtol=1e-6
    )
    np.testing.assert_allclose(
        card.coefficients_.loc[["const", *model], "coef"],
        ref.params,
        rtol=1e-6,
        atol=1e-8,
    )


def test_frequency_weights_are_replicated_rows(german_data):
    X, y = german_data
    reps = np.random.default_rng(2).integers(1, 4, len(y))
    weighted = Scorecard(weight_kind="frequency").fit(X, y, sample_weight=reps)
    replicated = Scorecard().fit(X.loc[X.index.repeat(reps)], np.repeat(y, reps))
    pd.testing.assert_frame_equal(
        weighted.coefficients_, replicated.coefficients_, rtol=1e-6
    )
    assert weighted.summary().n == reps.sum()


def test_scorecard_and_binner_must_say_one_weight_kind(german_data):
    X, y = german_data
    card = Scorecard(
        weight_kind="frequency", binner=StumpBinner(weight_kind="sampling")
    )
    with pytest.raises(ValueError, match="weight_kind='frequency' but the binner's"):
        card.fit(X, y, sample_weight=np.ones(len(y)))
