"""PDCalibrator: Platt and isotonic maps against peers, central tendency, JSON."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.isotonic import IsotonicRegression

import scorecard
from scorecard import BoostedScorecard, PDCalibrator, Scorecard, StumpBinner

FEATURES = ["duration_in_month", "credit_amount", "age_in_years", "purpose"]


@pytest.fixture(scope="module")
def card_and_data(german):
    X, y = german
    X = X[FEATURES]
    card = Scorecard(binner=StumpBinner(n_rounds=10)).fit(X, y)
    return card, X, y


def test_platt_equals_statsmodels_logit_on_the_points(card_and_data):
    card, X, y = card_and_data
    cal = PDCalibrator(estimator=card, prefit=True).fit(X, y)
    score = card.predict_score(X)
    fit = sm.Logit(y, sm.add_constant(score)).fit(disp=0, tol=1e-12)
    np.testing.assert_allclose(cal.coef_, fit.params, rtol=1e-6)
    np.testing.assert_allclose(cal.predict_pd(X), fit.predict(), rtol=1e-6)
    assert cal.estimator_ is card  # prefit: used as is


def test_isotonic_equals_sklearn_isotonic(card_and_data):
    card, X, y = card_and_data
    cal = PDCalibrator(estimator=card, prefit=True, method="isotonic").fit(X, y)
    score = card.predict_score(X)
    iso = IsotonicRegression(increasing=False, out_of_bounds="clip").fit(score, y)
    np.testing.assert_allclose(cal.predict_pd(X), iso.predict(score), rtol=1e-12)


@pytest.mark.parametrize("method", ["platt", "isotonic"])
def test_central_tendency_shifts_the_mean_pd(card_and_data, method):
    card, X, y = card_and_data
    cal = PDCalibrator(
        estimator=card, prefit=True, method=method, central_tendency=0.1
    ).fit(X, y)
    assert cal.predict_pd(X).mean() == pytest.approx(0.1, rel=1e-9)
    base = PDCalibrator(estimator=card, prefit=True, method=method).fit(X, y)
    # one constant on the logit scale: the ranking is unchanged
    order = np.argsort(base.predict_pd(X), kind="stable")
    assert np.all(np.diff(cal.predict_pd(X)[order]) >= -1e-15)
    assert cal.shift_ < 0  # 30% bad down to 10%


def test_grades_and_proba(card_and_data):
    card, X, y = card_and_data
    cal = PDCalibrator(estimator=card, prefit=True, n_grades=5).fit(X, y)
    grades = cal.predict_grade(X)
    scale = cal.master_scale_.to_frame()
    assert set(grades) <= set(scale["grade"])
    np.testing.assert_array_equal(
        cal.score_to_pd(card.predict_score(X)), cal.predict_pd(X)
    )
    with pytest.raises(ValueError, match="y_score must be a 1-D array of finite"):
        cal.score_to_pd([np.nan])
    proba = cal.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(cal.predict(X)) <= {0, 1}
    # a grade's PD is the mean calibrated PD of its rows
    pds = cal.predict_pd(X)
    for g, pd_g in zip(scale["grade"], scale["pd"], strict=True):
        assert pd_g == pytest.approx(pds[grades == g].mean(), rel=1e-12)


@pytest.mark.parametrize(
    "estimator",
    [Scorecard(binner=StumpBinner(n_rounds=5)), BoostedScorecard(n_rounds=5)],
    ids=["Scorecard", "BoostedScorecard"],
)
@pytest.mark.parametrize("method", ["platt", "isotonic"])
def test_json_round_trip_scores_identically(german, estimator, method, tmp_path):
    X, y = german
    X = X[FEATURES]
    cal = PDCalibrator(
        estimator=estimator, method=method, central_tendency=0.2, n_grades=4
    ).fit(X, y)
    path = tmp_path / "cal.json"
    cal.to_json(path)
    back = scorecard.load(path)
    assert isinstance(back, PDCalibrator)
    np.testing.assert_array_equal(back.predict_pd(X), cal.predict_pd(X))
    np.testing.assert_array_equal(back.predict_grade(X), cal.predict_grade(X))
    assert back.master_scale_.to_frame().equals(cal.master_scale_.to_frame())
    assert type(back.estimator_) is type(estimator)


def test_default_estimator_is_a_scorecard_and_bad_value(german):
    X, y = german
    labels = np.where(y == 1, "bad", "good")
    cal = PDCalibrator(n_grades=3, bad_value="bad").fit(X[FEATURES[:3]], labels)
    assert isinstance(cal.estimator_, Scorecard)
    assert cal.classes_.tolist() == ["good", "bad"]
    with pytest.raises(ValueError, match="set bad_value to the label that means bad"):
        PDCalibrator(n_grades=3).fit(X[FEATURES[:3]], labels)


def test_prefit_needs_an_estimator(german):
    X, y = german
    with pytest.raises(ValueError, match="prefit=True needs a fitted estimator"):
        PDCalibrator(prefit=True).fit(X, y)
    with pytest.raises(ValueError, match="method"):
        PDCalibrator(method="beta").fit(X, y)
