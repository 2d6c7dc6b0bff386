"""The master scale: built grades, given boundaries, and their errors."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard import MasterScale, PDCalibrator, Scorecard, StumpBinner
from scorecard._calibration._scale import check_boundaries

FEATURES = ["Utilization", "Age", "Income"]


@pytest.fixture(scope="module")
def fitted(simucredit):
    X, y = simucredit
    card = Scorecard(binner=StumpBinner(n_rounds=10)).fit(X, y)
    return card, X, y


@pytest.mark.parametrize("n_grades", [4, 8])
def test_built_scale_is_monotone_with_minimum_size(fitted, n_grades):
    card, X, y = fitted
    cal = PDCalibrator(
        estimator=card, prefit=True, n_grades=n_grades, min_grade_size=0.05
    ).fit(X, y)
    scale = cal.master_scale_
    frame = scale.to_frame()
    assert 2 <= len(frame) <= n_grades
    assert frame["pd_low"].iloc[0] == 0.0 and frame["pd_high"].iloc[-1] == 1.0
    assert np.all(np.diff(scale.boundaries) > 0)
    assert np.all(np.diff(frame["observed_dr"]) >= 0)  # monotone default rates
    assert np.all(np.diff(frame["pd"]) > 0)
    assert frame["n"].min() >= 0.05 * len(y) - 1e-9
    assert frame["n"].sum() == len(y)
    # every row's grade interval holds its PD
    pds = cal.predict_pd(X)
    codes = scale.assign(pds)
    assert np.all(scale.boundaries[codes] <= pds)
    assert np.all(pds < scale.boundaries[codes + 1])


def test_given_boundaries_and_midpoint_pd(fitted):
    card, X, y = fitted
    edges = [0, 0.2, 0.4, 0.6, 1]
    cal = PDCalibrator(
        estimator=card, prefit=True, boundaries=edges, grade_pd="midpoint"
    ).fit(X, y)
    scale = cal.master_scale_
    np.testing.assert_array_equal(scale.boundaries, edges)
    score = card.predict_score(X)
    grades = cal.predict_grade(X)
    for k, g in enumerate(scale.grades):
        s = score[grades == g]
        mid = 0.5 * (s.min() + s.max())
        a, b = cal.coef_
        assert scale.pd[k] == pytest.approx(1 / (1 + np.exp(-(a + b * mid))), rel=1e-12)
    assert scale.grade_pd == "midpoint"


@pytest.mark.parametrize(
    ("edges", "message"),
    [
        ([0, 0.3, 0.2, 1], r"strictly increasing; boundaries\[2\] = 0.2"),
        ([0, 0.1, 1.5], r"boundaries\[2\] = 1.5 is not a probability"),
        ([0.01, 0.1, 1], r"must cover the PD range \[0, 1\]"),
        ([0, 0.1, 0.9], r"must cover the PD range \[0, 1\]"),
        ([0, 1], "at least three PD edges"),
    ],
)
def test_bad_boundaries_raise(edges, message):
    with pytest.raises(ValueError, match=message):
        check_boundaries(edges)


def test_grade_without_observations_is_named(fitted):
    card, X, y = fitted
    with pytest.raises(ValueError, match=r"grade\(s\) \[.2.\] with PD range"):
        PDCalibrator(
            estimator=card, prefit=True, boundaries=[0, 0.3, 0.3 + 1e-12, 1]
        ).fit(X, y)


def test_payload_round_trip_and_validation():
    scale = MasterScale(
        np.array([0, 0.1, 1.0]),
        ("1", "2"),
        np.array([0.05, 0.3]),
        np.array([10.0, 5.0]),
        np.array([1.0, 2.0]),
        "mean",
    )
    back = MasterScale.from_payload(scale.to_payload())
    assert back.to_frame().equals(scale.to_frame())
    bad = scale.to_payload() | {"pd": [0.05]}
    with pytest.raises(ValueError, match="Artifact field 'pd' must hold 2 values"):
        MasterScale.from_payload(bad)
