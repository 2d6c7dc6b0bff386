"""ParetoFrontier: the one target rule, renamed validation keyword, to_html."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from fairness import ParetoFrontier
from scorecard import DataConditionWarning


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    n = 1200
    group = rng.integers(0, 2, n)
    X = pd.DataFrame({"fair": rng.normal(size=n), "proxy": rng.normal(size=n) + group})
    y = (rng.random(n) < 1 / (1 + np.exp(1 - X.fair - X.proxy))).astype(int)
    return X, y, group


def _fit(front, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        return front.fit(*args, **kwargs)


def test_string_target_needs_bad_value(small):
    X, y, group = small
    labels = np.where(y == 1, "bad", "good")
    with pytest.raises(ValueError, match=r"got labels \['bad', 'good'\]"):
        ParetoFrontier(eps=2).fit(X, labels, sensitive_features=group)
    named = _fit(
        ParetoFrontier(eps=2, random_state=0, bad_value="bad"),
        X,
        labels,
        sensitive_features=group,
    )
    plain = _fit(ParetoFrontier(eps=2, random_state=0), X, y, sensitive_features=group)
    cols = ["eps", "status", "features", "auc", "air", "demographic_iv"]
    pd.testing.assert_frame_equal(named.frontier_[cols], plain.frontier_[cols])


def test_sensitive_valid_is_renamed(small, tmp_path):
    X, y, group = small
    train, valid = slice(0, 800), slice(800, None)
    with pytest.warns(
        FutureWarning,
        match="'sensitive_valid' was renamed to 'sensitive_features_valid'",
    ):
        old = _fit(
            ParetoFrontier(eps=2, random_state=0, alpha=0.1),
            X[train],
            y[train],
            sensitive_features=group[train],
            X_valid=X[valid],
            y_valid=y[valid],
            sensitive_valid=group[valid],
        )
    new = _fit(
        ParetoFrontier(eps=2, random_state=0, alpha=0.1),
        X[train],
        y[train],
        sensitive_features=group[train],
        X_valid=X[valid],
        y_valid=y[valid],
        sensitive_features_valid=group[valid],
    )
    timing = ["solve_time"]
    pd.testing.assert_frame_equal(
        old.frontier_.drop(columns=timing), new.frontier_.drop(columns=timing)
    )
    path = tmp_path / "frontier.html"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        html = new.to_html(path)
    assert html.startswith("<!DOCTYPE html>") and "Accuracy-fairness frontier" in html
    assert "90% CI" in html
    assert path.read_text(encoding="utf-8") == html
    with pytest.raises(TypeError, match="to_html options must be"):
        new.to_html(colour="red")
