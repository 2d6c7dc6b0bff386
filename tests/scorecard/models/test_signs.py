"""Sign-consistent fits: bounded WoE coefficients, one-hot chains, the modes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score

from scorecard import DataConditionWarning, StumpBinner
from scorecard._models._scorecard import Scorecard


def suppressor_data(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """x2 tracks x1, so its marginal effect is risk-increasing; given x1 it
    lowers risk (a suppressor pair); x3 is an honest second driver."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = x1 + 0.6 * rng.normal(size=n)
    x3 = rng.normal(size=n)
    logit = -1.0 + 1.6 * x1 - 0.5 * x2 + 0.8 * x3
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"x1": x1, "x2": x2, "x3": x3}), y


BINNER = StumpBinner(n_rounds=20, n_permutations=0)


@pytest.fixture(scope="module")
def data():
    return suppressor_data(12000, 0)


@pytest.fixture(scope="module")
def cards(data):
    X, y = data
    return {
        mode: Scorecard(binner=BINNER, sign_check=mode).fit(X[:8000], y[:8000])
        for mode in ("off", "enforce", "drop")
    }


def test_the_unconstrained_fit_has_the_wrong_sign_and_enforce_removes_it(cards):
    off, enforce = cards["off"], cards["enforce"]
    assert off.coefficients_.loc["x2", "coef"] > 0  # the suppressor's wrong sign
    assert not off.points_fall_with_risk("x2")
    coef = enforce.coefficients_["coef"].drop("const")
    assert (coef <= 0).all()
    assert coef["x2"] == 0.0 and np.isnan(enforce.coefficients_.loc["x2", "se"])
    assert "bound" in enforce.coefficients_.attrs["notes"]["x2"]
    row = enforce.feature_decisions_.set_index("feature").loc["x2"]
    assert (row["status"], row["step"]) == ("dropped", "sign")
    assert "wrong sign" in row["reason"] and "holds it at 0" in row["reason"]
    assert enforce.model_features_ == ["x1", "x3"]
    assert all(enforce.points_fall_with_risk(f) for f in enforce.model_features_)


def test_enforced_fit_is_the_glm_on_the_free_features_and_satisfies_kkt(cards, data):
    X, y = data
    card = cards["enforce"]
    codes = card.binner_.transform(X[:8000])
    woe = {n: card.bins_[n].woe(0.5)[codes[:, j]] for j, n in enumerate(card.bins_)}
    free = np.column_stack([woe["x1"], woe["x3"]])
    ref = sm.Logit(y[:8000], sm.add_constant(free)).fit(disp=0)
    got = card.coefficients_.loc[["const", "x1", "x3"]]
    np.testing.assert_allclose(got["coef"], ref.params, rtol=1e-6)
    np.testing.assert_allclose(got["se"], ref.bse, rtol=1e-6)
    # KKT: at beta_x2 = 0 the likelihood would rise only by a positive beta
    p = ref.predict(sm.add_constant(free))
    score_x2 = float(woe["x2"] @ (y[:8000] - p))
    assert score_x2 > 0


def test_drop_mode_matches_enforce_here_and_says_it_refitted(cards):
    drop, enforce = cards["drop"], cards["enforce"]
    row = drop.feature_decisions_.set_index("feature").loc["x2"]
    assert (row["status"], row["step"]) == ("dropped", "sign")
    assert "dropped and refitted" in row["reason"]
    assert "x2" not in drop.coefficients_.index
    np.testing.assert_allclose(
        drop.coefficients_.loc[["const", "x1", "x3"], "coef"],
        enforce.coefficients_.loc[["const", "x1", "x3"], "coef"],
        rtol=1e-6,
    )


def test_enforced_test_auc_close_to_the_unconstrained(cards, data):
    X, y = data
    aucs = {
        m: roc_auc_score(y[8000:], c.decision_function(X[8000:]))
        for m, c in cards.items()
    }
    # the suppressor carries a little conditional information; the sign-
    # consistent card gives up at most this much held-out AUC here
    assert aucs["enforce"] >= aucs["off"] - 0.003, aucs
    summary = cards["enforce"].summary()
    assert any("unconstrained fit" in n for n in summary.notes)
    assert list(summary.feature_decisions.columns) == [
        "feature",
        "status",
        "step",
        "reason",
    ]


def test_warn_keeps_the_feature_warns_and_never_cites_it(data):
    X, y = data
    with pytest.warns(DataConditionWarning, match=r"points rise with risk.*'x2'"):
        card = Scorecard(binner=BINNER, sign_check="warn").fit(X[:4000], y[:4000])
    assert card.coefficients_.loc["x2", "coef"] > 0
    row = card.feature_decisions_.set_index("feature").loc["x2"]
    assert row["status"] == "selected" and "never cited" in row["reason"]
    reasons = card.reason_codes(X[:500], n=3)
    assert "x2" not in set(reasons[["reason_1", "reason_2", "reason_3"]].stack())


def test_onehot_enforce_gives_points_monotone_in_risk(data):
    X, y = data
    off = Scorecard(binner=BINNER, encoding="onehot", sign_check="off").fit(
        X[:8000], y[:8000]
    )
    card = Scorecard(binner=BINNER, encoding="onehot").fit(X[:8000], y[:8000])
    assert not all(off.points_fall_with_risk(f) for f in off.model_features_)
    for name in card.model_features_:
        assert card.points_fall_with_risk(name)
        woe = card.bins_[name].woe(0.5)
        seen = (np.asarray(card.bins_[name].goods) + card.bins_[name].bads) > 0
        order = np.argsort(-woe[seen])
        assert np.all(np.diff(card.bin_points(name)[seen][order]) <= 1e-9)
    table = card.coefficients_
    held = table["se"].isna()
    assert set(table.index[held]) <= set(table.attrs["notes"])
    assert held.sum() < len(table)  # the free bins keep a conditional Wald SE


def test_bad_sign_check_names_the_parameter(data):
    X, y = data
    with pytest.raises(ValueError, match="'sign_check' parameter"):
        Scorecard(sign_check="maybe").fit(X[:200], y[:200])
