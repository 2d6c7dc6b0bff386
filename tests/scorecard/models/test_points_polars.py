"""polars in, polars out: every estimator's fit / transform / predict / score.

Run on the installed scikit-learn (the floor is 1.7.0; the issue's failure was
on 1.9). polars is in the test extra.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import BoostedScorecard, Scorecard, StumpBinner, WoEEncoder

pl = pytest.importorskip("polars")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 600
    a, b = rng.normal(size=n), rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(a - b)))).astype(int)
    return pd.DataFrame({"a": a, "b": b}), y


@pytest.mark.parametrize(
    "make", [Scorecard, lambda: BoostedScorecard(n_rounds=10, random_state=0)]
)
def test_scorecards_fitted_on_polars_score_polars(data, make):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        on_polars = make().fit(pl.from_pandas(X), y)
        on_pandas = make().fit(X, y)
    assert list(on_polars.feature_names_in_) == ["a", "b"]
    for method in ("predict", "predict_proba", "predict_score", "decision_function"):
        np.testing.assert_array_equal(
            getattr(on_polars, method)(pl.from_pandas(X)),
            getattr(on_pandas, method)(X),
        )
    assert on_polars.score(pl.from_pandas(X), y) == on_pandas.score(X, y)
    # a pandas frame scores the same on the polars-fitted model
    np.testing.assert_array_equal(
        on_polars.predict_score(X), on_pandas.predict_score(X)
    )


@pytest.mark.parametrize("make", [WoEEncoder, StumpBinner])
def test_transformers_take_polars_and_give_polars(data, make):
    X, y = data
    est = make().fit(pl.from_pandas(X), y)
    expected = make().fit(X, y).transform(X)
    np.testing.assert_array_equal(est.transform(pl.from_pandas(X)), expected)
    out = est.set_output(transform="polars").transform(pl.from_pandas(X))
    assert isinstance(out, pl.DataFrame) and out.columns == ["a", "b"]
    np.testing.assert_array_equal(out.to_numpy(), expected)
