"""FairBoostedScorecard / FairBoostedRegressor: the penalised boosted points table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn.metrics import roc_auc_score

from fairness import (
    FairBoostedRegressor,
    FairBoostedScorecard,
    ccdcov,
    intersect_groups,
    lambda_path,
)
from fairness._dcov._common import resolve_unbiased
from fairness._dcov._inputs import _encode
from fairness._dcov._penalty import _Penalty
from fairness._models._boosted_objective import FairObjective
from scorecard import BoostedScorecard, load
from scorecard._models import _boosted_family

N = 1500


@pytest.fixture(scope="module")
def credit(simucredit, simucredit_protected):
    X, y = simucredit
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(X))[: 2 * N]
    tr, te = idx[:N], idx[N:]
    S = simucredit_protected.reset_index(drop=True)
    X = X.reset_index(drop=True)
    return X.iloc[tr], y[tr], S.iloc[tr], X.iloc[te], y[te], S.iloc[te]


def _motor(n, seed):
    rng = np.random.default_rng(seed)
    gender = rng.integers(0, 2, n)
    region = rng.integers(0, 10, n)
    age = rng.uniform(18, 80, n)
    power = rng.normal(size=n) + 0.8 * gender
    density = rng.normal(size=n) + 0.15 * region
    X = pd.DataFrame({"age": age, "power": power, "density": density})
    exposure = rng.uniform(0.1, 1.0, n)
    eta = -2.0 + 0.02 * (50 - age) + 0.3 * power + 0.2 * density
    y = rng.poisson(exposure * np.exp(eta))
    S = pd.DataFrame({"gender": gender, "region": region.astype(str)})
    return X, y, exposure, S


# --------------------------------------------------------------- the penalty


def test_penalty_reduces_ccdcov_at_a_small_auc_cost(credit):
    X, y, S, Xt, yt, St = credit
    plain = FairBoostedScorecard(n_jobs=1, n_rounds=25).fit(X, y)
    fair = FairBoostedScorecard(n_jobs=1, n_rounds=25, lambda_=30.0).fit(
        X, y, sensitive_features=S
    )
    p0, p1 = plain.predict_proba(Xt)[:, 1], fair.predict_proba(Xt)[:, 1]
    c0 = ccdcov(p0, St, test=None).estimate
    c1 = ccdcov(p1, St, test=None).estimate
    assert c1 < 0.5 * c0
    assert roc_auc_score(yt, p1) > roc_auc_score(yt, p0) - 0.05
    assert fair.penalty_value_ < plain.penalty_path_.size  # a finite number
    assert np.isnan(plain.penalty_value_)


def test_training_objective_decreases_over_rounds(credit):
    X, y, S, *_ = credit
    fair = FairBoostedScorecard(n_jobs=1, n_rounds=25, lambda_=30.0).fit(
        X, y, sensitive_features=S
    )
    path = fair.objective_path_
    assert path.shape == (26,)
    assert path[-1] < path[0]
    # Round 1 is the likelihood's (all predictions tie at the start, where the
    # penalty's gradient is 0); the first penalised step may overshoot (the
    # documented limit of a diagonal Hessian at the penalty's kinks); from
    # then on every round lowers the objective.
    assert np.all(np.diff(path[2:]) < 1e-4 * abs(path[0]))
    assert path[-1] < path[1]
    assert fair.objective_ == pytest.approx(path[-1])


def _objective_at(fair, X, y, S, lam):
    """The training objective recomputed at the fitted model's margins."""
    pen = _Penalty("ccdcov", _encode(S, len(y)), resolve_unbiased(True))
    n = len(y)
    check = FairObjective(
        "binomial", y.astype(float), np.ones(n), np.zeros(n), pen, lam, "probability"
    )
    check(fair.decision_function(X))
    return check.path[-1]


def test_descent_safeguard_keeps_a_stalling_fit_below_the_null_model(
    credit, monkeypatch
):
    # lambda 316 stalled on SimuCredit (methodology section 20): without the
    # safeguard this fit ends far above the constant prediction's objective
    X, y, S, *_ = credit
    params = dict(n_jobs=1, n_rounds=30, lambda_=316.0)
    with monkeypatch.context() as m:
        m.setattr(FairObjective, "safeguard", False)
        old = FairBoostedScorecard(**params).fit(X, y, sensitive_features=S)
    assert old.objective_path_[-1] > old.objective_path_[0] + 0.1
    assert old.n_rounds_rejected_ == 0
    fair = FairBoostedScorecard(**params).fit(X, y, sensitive_features=S)
    path = fair.objective_path_
    assert path.shape == (fair.n_iter_ + 1,)
    assert np.all(np.diff(path) <= 0)
    assert path[-1] < path[0] - 0.05
    assert fair.n_rounds_rejected_ > 0
    assert fair.stopped_reason_ in ("n_rounds", "no_descent")
    # the recorded value is the objective at the fitted (read back) margins
    assert fair.objective_ == pytest.approx(
        _objective_at(fair, X, y, S, 316.0), rel=1e-9
    )
    margin = fair.booster_.predict(
        xgb.DMatrix(X.to_numpy(np.float32)), output_margin=True
    )
    np.testing.assert_allclose(fair.decision_function(X), margin, atol=1e-5)


def test_rejected_features_sit_out_so_strong_penalties_retry_less(credit, monkeypatch):
    # under a strong penalty the same feature's split of tied predictions
    # tops the gradient ranking round after round; resting it (2^k rounds
    # after k rejections in a row) saves the tries without raising J
    X, y, S, *_ = credit
    params = dict(n_jobs=1, n_rounds=60, lambda_=316.0)
    with monkeypatch.context() as m:
        m.setattr(_boosted_family, "MAX_BACKOFF", 1)  # back the next round
        eager = FairBoostedScorecard(**params).fit(X, y, sensitive_features=S)
    fair = FairBoostedScorecard(**params).fit(X, y, sensitive_features=S)
    assert np.all(np.diff(fair.objective_path_) <= 0)
    assert fair.n_rounds_rejected_ < eager.n_rounds_rejected_ / 2
    assert fair.objective_ <= eager.objective_ + 1e-3


def test_safeguard_leaves_unpenalised_fits_bit_identical(credit, monkeypatch):
    X, y, S, Xt, *_ = credit
    on = FairBoostedScorecard(n_jobs=1, n_rounds=20).fit(X, y, sensitive_features=S)
    with monkeypatch.context() as m:
        m.setattr(FairObjective, "safeguard", False)
        off = FairBoostedScorecard(n_jobs=1, n_rounds=20).fit(
            X, y, sensitive_features=S
        )
    assert on.booster_.save_raw("json") == off.booster_.save_raw("json")
    assert np.array_equal(on.decision_function(Xt), off.decision_function(Xt))
    assert (on.n_iter_, on.n_rounds_rejected_, on.stopped_reason_) == (
        20,
        0,
        "n_rounds",
    )


@pytest.mark.parametrize(
    ("column", "lam", "kept"), [("Amount Past Due", 1000.0, 25), ("Mortgage", 30.0, 0)]
)
def test_a_fit_stopped_by_the_safeguard_reads_back_exactly(
    credit, tmp_path, column, lam, kept
):
    # one feature: no other stump to try, so the safeguard stops the fit
    X, y, S, Xt, *_ = credit
    fair = FairBoostedScorecard(n_jobs=1, n_rounds=30, lambda_=lam).fit(
        X[[column]], y, sensitive_features=S
    )
    assert fair.stopped_reason_ == "no_descent"
    assert fair.n_iter_ == kept
    assert fair.booster_.num_boosted_rounds() == kept
    assert np.all(np.diff(fair.objective_path_) <= 0)
    assert fair.objective_ == pytest.approx(
        _objective_at(fair, X[[column]], y, S, lam), rel=1e-9
    )
    if kept == 0:  # the null model: a constant margin
        assert np.ptp(fair.decision_function(Xt[[column]])) == 0
    path = tmp_path / "stopped.json"
    fair.to_json(path)
    loaded = load(path)
    assert np.array_equal(
        loaded.predict_score(Xt[[column]]), fair.predict_score(Xt[[column]])
    )
    assert np.array_equal(
        loaded.decision_function(Xt[[column]]), fair.decision_function(Xt[[column]])
    )


def test_final_objective_is_the_objective_at_the_fitted_margins():
    # the last path entry comes from XGBoost's prediction cache after the last
    # round: it must equal the objective recomputed at decision_function
    X, y, e, S = _motor(800, 7)
    w = np.random.default_rng(8).uniform(0.5, 2.0, 800)
    fair = FairBoostedRegressor(n_jobs=1, n_rounds=15, lambda_=20.0).fit(
        X, y, exposure=e, sensitive_features=S, sample_weight=w
    )
    pen = _Penalty("ccdcov", _encode(S, 800), resolve_unbiased(True))
    offset = np.log(e)
    margin = fair.decision_function(X) + offset
    yf = y.astype(float)
    check = FairObjective("poisson", yf, w, offset, pen, 20.0, "probability")
    check(margin)
    assert fair.objective_path_.shape == (16,)
    assert fair.objective_ == pytest.approx(check.path[-1], rel=1e-6)
    assert fair.penalty_value_ == pytest.approx(check.penalty_path[-1], rel=1e-4)


def test_tied_predictions_skip_the_penalty_call():
    # the null model ties every prediction: D = 0 with subgradient 0, so the
    # call is skipped; the gradient is the likelihood's exactly
    rng = np.random.default_rng(5)
    n = 50
    s = rng.integers(0, 2, n)
    y = rng.integers(0, 2, n).astype(float)
    pen = _Penalty("ccdcov", _encode(s, n), resolve_unbiased(True))
    obj = FairObjective("binomial", y, np.ones(n), np.zeros(n), pen, 5.0, "probability")
    grad, hess = obj(np.full(n, -0.4))
    mu = 1 / (1 + np.exp(0.4))
    np.testing.assert_allclose(grad, mu - y, rtol=1e-12)
    np.testing.assert_allclose(hess, mu * (1 - mu), rtol=1e-12)
    assert obj.penalty_calls == 0 and obj.penalty_path == [0.0]
    assert obj.path[0] == pytest.approx(np.mean(np.logaddexp(0, -0.4) + 0.4 * y))
    obj(np.linspace(-1, 1, n))
    assert obj.penalty_calls == 1 and obj.penalty_path[-1] != 0.0


def test_binomial_value_is_exact_at_extreme_margins():
    y = np.array([0.0, 1.0, 0.0, 1.0])
    margin = np.array([50.0, -50.0, 0.3, 800.0])
    obj = FairObjective("binomial", y, np.ones(4), np.zeros(4), None, 0.0, "logit")
    obj(margin)
    expected = np.mean(np.logaddexp(0, margin) - y * margin)
    assert obj.path[0] == pytest.approx(expected, rel=1e-12)
    assert np.isfinite(obj.path[0])


@pytest.mark.parametrize("scale", ["probability", "logit"])
@pytest.mark.parametrize("family", ["binomial", "poisson", "gaussian"])
def test_objective_gradient_matches_a_numerical_derivative(family, scale):
    rng = np.random.default_rng(3)
    n = 60
    s = rng.integers(0, 3, n)
    margin = rng.normal(size=n) * 0.5 - (1.0 if family == "poisson" else 0.0)
    y = {
        "binomial": rng.integers(0, 2, n).astype(float),
        "poisson": rng.poisson(0.5, n).astype(float),
        "gaussian": rng.normal(size=n),
    }[family]
    w = rng.uniform(0.5, 2.0, n)
    offset = rng.uniform(-0.5, 0.0, n) if family == "poisson" else np.zeros(n)
    pen = _Penalty("ccdcov", _encode(s, n), resolve_unbiased(True))
    obj = FairObjective(family, y, w, offset, pen, 2.0, scale)
    grad, hess = obj(margin + offset)
    h = 1e-6
    for k in (0, 7, 33):
        up, down = margin.copy(), margin.copy()
        up[k] += h
        down[k] -= h
        obj(up + offset)
        obj(down + offset)
        numeric = (obj.path[-2] - obj.path[-1]) / (2 * h) * w.sum()
        assert grad[k] == pytest.approx(numeric, rel=1e-4, abs=1e-7)
    assert np.all(hess > 0)


def test_hessian_is_the_likelihood_plus_a_positive_bound():
    rng = np.random.default_rng(4)
    n = 80
    s = rng.integers(0, 2, n)
    y = rng.integers(0, 2, n).astype(float)
    margin = rng.normal(size=n)
    w = np.ones(n)
    pen = _Penalty("ccdcov", _encode(s, n), resolve_unbiased(True))
    _, h_lik = FairObjective("binomial", y, w, np.zeros(n), None, 0.0, "logit")(margin)
    _, h_logit = FairObjective("binomial", y, w, np.zeros(n), pen, 5.0, "logit")(margin)
    _, h_prob = FairObjective("binomial", y, w, np.zeros(n), pen, 5.0, "probability")(
        margin
    )
    mu = 1 / (1 + np.exp(-margin))
    np.testing.assert_allclose(h_lik, mu * (1 - mu), rtol=1e-12)
    # the penalty is piecewise linear: on the margin scale it adds nothing
    np.testing.assert_allclose(h_logit, h_lik, rtol=1e-12)
    assert np.all(h_prob >= h_lik) and np.any(h_prob > h_lik)


# ------------------------------------------------------- the points table


def test_points_table_is_the_booster_margin_and_monotone(credit):
    X, y, S, *_ = credit
    fair = FairBoostedScorecard(n_jobs=1, n_rounds=30, lambda_=10.0).fit(
        X, y, sensitive_features=S
    )
    margin = fair.booster_.predict(
        xgb.DMatrix(X.to_numpy(np.float32)), output_margin=True
    )
    np.testing.assert_allclose(fair.decision_function(X), margin, atol=1e-5)
    np.testing.assert_allclose(
        fair.predict_score(X), fair.scaling_.score(margin), atol=1e-3
    )
    for name, sign in fair.monotone_constraints_.items():
        fb = fair.bins_[name]
        regular = fair.bin_margins_[name][: fb.n_regular]
        if sign:
            assert np.all(sign * np.diff(regular) >= -1e-12), name
    trees = json.loads(fair.booster_.save_raw("json"))["learner"]
    for tree in trees["gradient_booster"]["model"]["trees"]:
        assert len(tree["left_children"]) <= 3  # depth 1: a stump


def test_scoring_needs_no_sensitive_features_and_round_trips(credit, tmp_path):
    X, y, S, Xt, *_ = credit
    fair = FairBoostedScorecard(n_jobs=1, n_rounds=20, lambda_=10.0).fit(
        X, y, sensitive_features=S
    )
    assert list(fair.feature_names_in_) == list(X.columns)
    reasons = fair.reason_codes(Xt.head(50), n=2)
    assert list(reasons.columns) == [
        "reason_1",
        "points_lost_1",
        "reason_2",
        "points_lost_2",
    ]
    path = tmp_path / "fair.json"
    fair.to_json(path)
    loaded = load(path)
    assert type(loaded) is FairBoostedScorecard
    assert loaded.get_params() == fair.get_params()
    assert np.array_equal(loaded.predict_score(Xt), fair.predict_score(Xt))
    assert json.loads(path.read_text())["kind"] == "FairBoostedScorecard"


def test_unpenalised_fit_is_close_to_the_boosted_scorecard(credit):
    X, y, _, Xt, yt, _ = credit
    plain = BoostedScorecard(n_rounds=20).fit(X, y)
    ours = FairBoostedScorecard(n_jobs=1, n_rounds=20).fit(X, y)
    assert roc_auc_score(yt, ours.decision_function(Xt)) == pytest.approx(
        roc_auc_score(yt, plain.decision_function(Xt)), abs=0.01
    )
    assert ours.monotone_constraints_ == plain.monotone_constraints_


def test_integer_weights_equal_replicated_rows():
    rng = np.random.default_rng(5)
    n = 400
    X = pd.DataFrame({"a": rng.integers(0, 6, n).astype(float)})
    y = (rng.random(n) < 0.2 + 0.1 * X.a.to_numpy() / 5).astype(int)
    w = rng.integers(1, 4, n)
    rep = np.repeat(np.arange(n), w)
    a = FairBoostedScorecard(n_jobs=1, n_rounds=15).fit(
        X, y, sample_weight=w.astype(float)
    )
    b = FairBoostedScorecard(n_jobs=1, n_rounds=15).fit(X.iloc[rep], y[rep])
    np.testing.assert_allclose(a.decision_function(X), b.decision_function(X), 1e-5)


# --------------------------------------------------------------- families


def test_poisson_with_exposure_recovers_the_group_rates():
    rng = np.random.default_rng(6)
    n = 2000
    g = rng.integers(0, 2, n)
    exposure = rng.uniform(0.2, 1.0, n)
    y = rng.poisson(exposure * np.where(g == 1, 0.3, 0.1))
    X = pd.DataFrame({"g": g.astype(float)})
    model = FairBoostedRegressor(n_jobs=1, n_rounds=60, learning_rate=0.5).fit(
        X, y, exposure=exposure
    )
    rate = model.predict(pd.DataFrame({"g": [0.0, 1.0]}))
    observed = [y[g == k].sum() / exposure[g == k].sum() for k in (0, 1)]
    np.testing.assert_allclose(rate, observed, rtol=0.02)
    np.testing.assert_allclose(
        model.predict(X, exposure=exposure), model.predict(X) * exposure
    )


def test_gaussian_recovers_the_group_means():
    rng = np.random.default_rng(7)
    g = rng.integers(0, 3, 1500)
    y = np.array([1.0, 2.0, 4.0])[g] + rng.normal(size=1500)
    X = pd.DataFrame({"g": g.astype(float)})
    model = FairBoostedRegressor(
        family="gaussian", n_rounds=60, learning_rate=0.5, monotone=None
    ).fit(X, y)
    means = [y[g == k].mean() for k in range(3)]
    np.testing.assert_allclose(
        model.predict(pd.DataFrame({"g": [0.0, 1.0, 2.0]})), means, atol=0.02
    )


def test_poisson_penalty_reduces_ccdcov_of_the_rate(tmp_path):
    X, y, e, S = _motor(2000, 8)
    plain = FairBoostedRegressor(n_jobs=1, n_rounds=30).fit(X, y, exposure=e)
    fair = FairBoostedRegressor(n_jobs=1, n_rounds=30, lambda_=100.0).fit(
        X, y, exposure=e, sensitive_features=S
    )
    c0 = ccdcov(plain.predict(X), S, test=None).estimate
    c1 = ccdcov(fair.predict(X), S, test=None).estimate
    assert c1 < 0.5 * c0
    assert fair.objective_path_[-1] < fair.objective_path_[1]
    path = tmp_path / "freq.json"
    fair.to_json(path)
    loaded = load(path)
    assert type(loaded) is FairBoostedRegressor and loaded.family_ == "poisson"
    np.testing.assert_array_equal(loaded.predict(X), fair.predict(X))


# ------------------------------------------------------------ lambda path


def test_lambda_path_serves_the_boosted_classifier(credit):
    X, y, S, Xt, yt, St = credit
    path = lambda_path(
        FairBoostedScorecard(n_jobs=1, n_rounds=15),
        X,
        y,
        Xt,
        yt,
        sensitive_features=S,
        sensitive_features_valid=St,
        lambdas=[0.0, 10.0, 100.0],
    )
    t = path.table
    assert list(t["n_iter"]) == [15, 15, 15]
    assert t["ccdcov"].iloc[-1] < t["ccdcov"].iloc[0]
    assert t["dcor"].iloc[-1] < t["dcor"].iloc[0]
    groups = intersect_groups(St)
    assert t["auc"].iloc[0] == pytest.approx(
        roc_auc_score(yt, path.models[0].predict_proba(Xt)[:, 1]), rel=1e-12
    )
    assert len(groups) == len(yt)


def test_lambda_path_serves_the_poisson_regressor():
    X, y, e, S = _motor(1600, 9)
    tr, va = slice(0, 800), slice(800, None)
    path = lambda_path(
        FairBoostedRegressor(n_jobs=1, n_rounds=20),
        X.iloc[tr],
        y[tr],
        X.iloc[va],
        y[va],
        sensitive_features=S.iloc[tr],
        sensitive_features_valid=S.iloc[va],
        exposure=e[tr],
        exposure_valid=e[va],
        lambdas=[0.0, 100.0],
    )
    t = path.table
    assert "deviance" in t and "auc" not in t
    mu = path.models[0].predict(X.iloc[va], exposure=e[va])
    yv = y[va]
    with np.errstate(divide="ignore", invalid="ignore"):
        ylog = np.where(yv > 0, yv * np.log(yv / mu), 0.0)
    assert t["deviance"].iloc[0] == pytest.approx(np.mean(2 * (ylog - yv + mu)))
    assert t["ccdcov"].iloc[1] < t["ccdcov"].iloc[0]


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lambda_": -1.0}, "The 'lambda_' parameter"),
        ({"penalty": "gini"}, "The 'penalty' parameter"),
        ({"scale": "odds"}, "The 'scale' parameter"),
    ],
)
def test_bad_parameters_name_themselves(params, message):
    X = pd.DataFrame({"a": np.arange(20.0)})
    y = np.tile([0, 1], 10)
    with pytest.raises(ValueError, match=message):
        FairBoostedScorecard(n_jobs=1, n_rounds=2, **params).fit(X, y)


def test_bad_sensitive_features_are_named():
    X = pd.DataFrame({"a": np.arange(20.0)})
    y = np.tile([0, 1], 10)
    model = FairBoostedScorecard(n_jobs=1, n_rounds=2, lambda_=1.0)
    with pytest.raises(ValueError, match="needs sensitive_features in fit"):
        model.fit(X, y)
    with pytest.raises(ValueError, match="sensitive_features"):
        model.fit(X, y, sensitive_features=np.tile([0, 1], 5))
    with pytest.raises(ValueError, match="sensitive_features.*one value|single"):
        model.fit(X, y, sensitive_features=np.zeros(20))


def test_bad_poisson_targets_and_exposures_are_named():
    X = pd.DataFrame({"a": np.arange(20.0)})
    y = np.tile([0, 1, 2, 0], 5)
    model = FairBoostedRegressor(n_jobs=1, n_rounds=2)
    with pytest.raises(ValueError, match="family='poisson' must be counts >= 0"):
        model.fit(X, -y)
    with pytest.raises(ValueError, match="exposure must be positive"):
        model.fit(X, y, exposure=np.r_[np.ones(19), 0.0])
    with pytest.raises(ValueError, match="exposure has 3 values for 20 rows"):
        model.fit(X, y, exposure=np.ones(3))
    with pytest.raises(ValueError, match="exposure is the offset of family='poi"):
        FairBoostedRegressor(family="gaussian", n_rounds=2).fit(
            X, y, exposure=np.ones(20)
        )


# ------------------------------------------------------ on the frontier


def test_fair_boosted_points_on_the_frontier_plot_and_report():
    from fairness import ParetoFrontier

    rng = np.random.default_rng(0)
    n = 2000
    group = rng.integers(0, 2, n)
    X = pd.DataFrame({"fair": rng.normal(size=n), "proxy": rng.normal(size=n) + group})
    y = (rng.random(n) < 1 / (1 + np.exp(1 - X.fair - X.proxy))).astype(int)
    front = ParetoFrontier(eps=2, random_state=0).fit(X, y, sensitive_features=group)
    fair = FairBoostedScorecard(n_jobs=1, n_rounds=20, lambda_=10.0).fit(
        X, y, sensitive_features=group
    )
    points = front.model_points([("fair boosted", fair), ("given", 0.7, 0.9)])
    assert list(points["label"]) == ["fair boosted", "given"]
    Xv = front._valid_data[0]
    yv = front._valid_data[1]
    expected = roc_auc_score(yv, fair.decision_function(Xv))
    assert points["auc"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert points["auc_ci_low"].iloc[0] < expected < points["auc_ci_high"].iloc[0]
    assert 0 < points["air"].iloc[0] <= 1.5
    assert points["air"].iloc[1] == 0.9 and np.isnan(points["air_low"].iloc[1])
    html = front.to_html(models=[("fair boosted", fair)])
    assert "Other models on the same held-out rows" in html
    assert "fair boosted" in html
    import matplotlib

    matplotlib.use("Agg")
    ax = front.plot(models=[("fair boosted", fair), ("given", 0.7, 0.9)])
    labels = ax.get_legend_handles_labels()[1]
    assert "fair boosted" in labels and "given" in labels
    with pytest.raises(ValueError, match=r"models must hold \(label, fitted_model\)"):
        front.model_points([("only a label",)])
    with pytest.raises(ValueError, match="models are drawn on the axes x='air'"):
        front.plot(x="demographic_iv", models=[("given", 0.7, 0.9)])
