"""BoostedScorecard: the points table reproduces XGBoost's margin."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn.metrics import roc_auc_score

from scorecard import DataConditionWarning, load
from scorecard._models._boosted import BoostedScorecard
from scorecard._models._points import PointsScaling

# Fits shared by the tests that only read them (each fit costs seconds); the
# properties checked (points reproduce the margin, monotone points, reason
# codes, bin counts, the artifact) hold for any number of rounds.


@pytest.fixture(scope="module")
def simu_card(simucredit):
    X, y = simucredit
    return BoostedScorecard(n_rounds=30).fit(X, y)


@pytest.fixture(scope="module")
def german_card(german):
    X, y = german
    return BoostedScorecard(n_rounds=20).fit(X, y)


def test_points_reproduce_xgboost_margin_on_numeric_data(simucredit, simu_card):
    X, y = simucredit
    card = simu_card
    margin = card.booster_.predict(
        xgb.DMatrix(X.to_numpy(np.float32)), output_margin=True
    )
    np.testing.assert_allclose(card.decision_function(X), margin, atol=1e-6)
    score = card.predict_score(X)
    np.testing.assert_allclose(score, card.scaling_.score(margin), atol=1e-4)
    assert roc_auc_score(y, card.decision_function(X)) > 0.8


def test_points_reproduce_margin_with_missing_and_categorical_values(german):
    X, y = german
    X = X.copy()
    rng = np.random.default_rng(0)
    X.loc[rng.random(len(X)) < 0.15, "credit_amount"] = np.nan
    X.loc[rng.random(len(X)) < 0.10, "purpose"] = None
    card = BoostedScorecard(n_rounds=60).fit(X, y)
    margin = card.booster_.predict(xgb.DMatrix(card._matrix(X)), output_margin=True)
    np.testing.assert_allclose(card.decision_function(X), margin, atol=1e-6)
    assert card.monotone_constraints_["purpose"] == 1


def test_monotone_constraints_hold_in_the_points_table(simu_card):
    card = simu_card
    for name, sign in card.monotone_constraints_.items():
        fb = card.bins_[name]
        regular = card.bin_margins_[name][: fb.n_regular]
        if sign:
            assert np.all(sign * np.diff(regular) >= -1e-12), name
    # Utilization raises risk: its constraint is increasing.
    assert card.monotone_constraints_["Utilization"] == 1


def test_scaling_doubling_odds_adds_pdo():
    s = PointsScaling(pdo=20, base_score=600, base_odds=50)
    margins = np.linspace(-5, 3, 17)
    np.testing.assert_allclose(s.score(margins - math.log(2)) - s.score(margins), 20.0)
    assert float(s.score(-math.log(50))) == pytest.approx(600.0)
    np.testing.assert_allclose(s.margin(s.score(margins)), margins)


def test_rounding_gives_integer_bin_points(simucredit):
    X, y = simucredit
    card = BoostedScorecard(n_rounds=20, rounding=True).fit(X, y)
    table = card.points_table()
    assert np.all(table["points"] == np.round(table["points"]))
    score = card.predict_score(X.head(50))
    assert np.all(score == np.round(score))


def test_reason_codes_name_the_costliest_features(simucredit, simu_card):
    X, y = simucredit
    card = simu_card
    reasons = card.reason_codes(X.head(200), n=3)
    table = card.points_table().set_index(["feature", "bin"])
    codes = card.transform_bins(X.head(200))
    for i in range(20):
        lost = {}
        for name in codes.columns:
            pts = table.loc[name, "points"]
            seen = table.loc[name, "count"] > 0
            lost[name] = pts[seen].max() - pts.loc[codes[name].iloc[i]]
        ranked = sorted((v, k) for k, v in lost.items() if v > 0)[::-1]
        if not ranked:  # the applicant is in every feature's best bin
            assert reasons.iloc[i]["reason_1"] is None
            continue
        assert reasons.iloc[i]["reason_1"] == ranked[0][1]
        assert reasons.iloc[i]["points_lost_1"] == pytest.approx(ranked[0][0])
        if len(ranked) > 1:
            assert reasons.iloc[i]["reason_2"] == ranked[1][1]
    assert list(reasons.columns[:2]) == ["reason_1", "points_lost_1"]


def test_artifact_round_trip_is_bit_identical(german, german_card, tmp_path):
    X, y = german
    card = german_card
    path = tmp_path / "boosted.json"
    card.to_json(path)
    loaded = load(path)
    assert np.array_equal(loaded.predict_score(X), card.predict_score(X))
    assert np.array_equal(loaded.predict_proba(X), card.predict_proba(X))
    doc = json.loads(path.read_text())
    assert doc["kind"] == "BoostedScorecard"
    assert "goods" in doc["payload"]["bins"][0]


def test_bad_input_at_scoring_names_the_column(simucredit, simu_card):
    X, y = simucredit
    card = simu_card
    with pytest.raises(ValueError, match=r"missing model feature\(s\) \['Balance'\]"):
        card.predict_score(X.drop(columns=["Balance"]))
    bad = X.head(5).astype({"Balance": object})
    bad.loc[bad.index[0], "Balance"] = "abc"
    with pytest.raises(
        TypeError, match="Feature 'Balance' is numeric; got non-numeric"
    ):
        card.predict_score(bad)
    with pytest.warns(DataConditionWarning, match=r"Ignoring 1 column\(s\).*'extra'"):
        card.predict_score(X.head(5).assign(extra=1))


def test_unseen_category_warns(german, german_card):
    X, y = german
    card = german_card
    new = X.head(3).copy()
    new["purpose"] = "space travel"
    with pytest.warns(DataConditionWarning, match="'purpose': 3 row.*unseen"):
        card.predict_score(new)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.array([0, 1, 2] * 10), "Only binary classification is supported"),
        (np.array([0.0, np.nan] * 15), "Input y contains NaN"),
        (np.array([1] * 30), "the type of the target is .binary. with 1 class"),
    ],
)
def test_bad_target_raises(y, message):
    X = pd.DataFrame({"a": np.arange(30.0)})
    with pytest.raises(ValueError, match=message):
        BoostedScorecard(n_rounds=2).fit(X, y)


def test_infinite_feature_and_bad_monotone_raise():
    X = pd.DataFrame({"a": [1.0, np.inf, 2.0, 3.0]})
    with pytest.raises(ValueError, match="Feature 'a' has infinite values"):
        BoostedScorecard(n_rounds=2).fit(X, [0, 1, 0, 1])
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(ValueError, match=r"monotone names unknown features \['b'\]"):
        BoostedScorecard(n_rounds=2, monotone={"b": 1}).fit(X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="monotone values must be -1, 0 or 1"):
        BoostedScorecard(n_rounds=2, monotone={"a": 2}).fit(X, [0, 1, 0, 1])


def test_string_target_needs_bad_value_and_then_equals_the_0_1_fit(german, german_card):
    X, y = german
    labels = np.where(y == 1, "bad", "good")
    with pytest.raises(
        ValueError, match=r"set bad_value to the label .*got labels \['bad', 'good'\]"
    ):
        BoostedScorecard(n_rounds=5).fit(X, labels)
    card01 = german_card  # BoostedScorecard(n_rounds=20) on the 0/1 target
    card = BoostedScorecard(n_rounds=20, bad_value="bad").fit(X, labels)
    assert card.classes_.tolist() == ["good", "bad"]
    np.testing.assert_array_equal(card.predict_score(X), card01.predict_score(X))
    assert roc_auc_score(y, card.decision_function(X)) > 0.7


def test_bin_counts_are_the_count_kernel(german, german_card):
    from scorecard import count_codes

    X, y = german
    card = german_card
    codes = card.transform_bins(X)
    for name, fb in card.bins_.items():
        counts = count_codes(codes[name].to_numpy(), y, n_bins=fb.n_bins, n_classes=2)[
            0
        ]
        np.testing.assert_allclose(fb.goods, counts[:, 0], rtol=1e-12)
        np.testing.assert_allclose(fb.bads, counts[:, 1], rtol=1e-12)


# ------------------------------------------------- fit_objective (extension)


def test_fit_objective_default_is_fit_bit_for_bit(german, german_card):
    X, y = german
    a = german_card  # BoostedScorecard(n_rounds=20).fit(X, y)
    b = BoostedScorecard(n_rounds=20).fit_objective(X, y)
    assert np.array_equal(a.predict_score(X), b.predict_score(X))
    assert a.to_json() == b.to_json()
    assert "family" not in json.loads(a.to_json())["payload"]


def test_custom_objective_is_called_every_round_on_the_margin(simucredit):
    X, y = simucredit
    X, y = X.head(2000), y[:2000]
    seen = []

    def logistic(margin):
        seen.append(margin.copy())
        p = 1 / (1 + np.exp(-margin))
        return p - y, p * (1 - p)

    card = BoostedScorecard(n_rounds=15).fit_objective(X, y, objective=logistic)
    assert len(seen) == 15
    start = math.log(y.mean() / (1 - y.mean()))
    np.testing.assert_allclose(seen[0], start, rtol=1e-6)
    # the margin handed over is the current model's: the last call saw round 14
    margin = card.booster_.predict(
        xgb.DMatrix(X.to_numpy(np.float32)), output_margin=True
    )
    np.testing.assert_allclose(card.decision_function(X), margin, atol=1e-5)
    assert roc_auc_score(y, card.decision_function(X)) > 0.75


def test_poisson_family_with_offset_reads_back_the_log_rate(tmp_path):
    rng = np.random.default_rng(2)
    n = 2000
    X = pd.DataFrame({"a": rng.integers(0, 4, n).astype(float)})
    exposure = rng.uniform(0.3, 1.0, n)
    rates = np.array([0.05, 0.1, 0.2, 0.4])
    y = rng.poisson(exposure * rates[X.a.astype(int)])
    card = BoostedScorecard(n_rounds=80, learning_rate=0.5).fit_objective(
        X, y, family="poisson", offset=np.log(exposure)
    )
    assert card.family_ == "poisson"
    assert card.monotone_constraints_["a"] == 1
    grid = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0]})
    observed = [
        y[X.a == k].sum() / exposure[X.a.to_numpy() == k].sum() for k in range(4)
    ]
    np.testing.assert_allclose(np.exp(card.decision_function(grid)), observed, 0.03)
    margin = card.booster_.predict(
        xgb.DMatrix(grid.to_numpy(np.float32)), output_margin=True
    )
    np.testing.assert_allclose(card.decision_function(grid), margin, atol=1e-5)
    # the bins count rows with / without a claim
    fb = card.bins_["a"]
    assert sum(fb.bads) == pytest.approx(float((y > 0).sum()))
    path = tmp_path / "poisson.json"
    card.to_json(path)
    assert json.loads(path.read_text())["payload"]["family"] == "poisson"
    loaded = load(path)
    assert loaded.family_ == "poisson"
    assert np.array_equal(loaded.decision_function(grid), card.decision_function(grid))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"family": "gamma"}, ValueError, "family must be one of"),
        ({"objective": 3}, TypeError, "objective must be a callable or None"),
        ({"offset": [0.0, 1.0]}, ValueError, "offset must be 30 finite values"),
    ],
)
def test_fit_objective_bad_arguments(kwargs, error, message):
    X = pd.DataFrame({"a": np.arange(30.0)})
    y = np.tile([0, 1, 1], 10)
    with pytest.raises(error, match=message):
        BoostedScorecard(n_rounds=2).fit_objective(X, y, **kwargs)


def test_fit_objective_poisson_rejects_negative_counts():
    X = pd.DataFrame({"a": np.arange(30.0)})
    with pytest.raises(ValueError, match="family='poisson' must be counts >= 0"):
        BoostedScorecard(n_rounds=2).fit_objective(X, -np.ones(30), family="poisson")
