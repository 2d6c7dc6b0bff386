"""Column preparation: rare categories always pooled, date/time columns rejected."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from monitoring import DriftMonitor
from scorecard import Scorecard, StumpBinner


def _noise_data(n=1500, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    ids = [f"c{i}" for i in range(n)]  # every category a singleton: pure noise
    return pd.DataFrame({"x": x, "noise": ids}), y


def test_all_rare_categories_are_pooled_into_one_group_with_no_information():
    X, y = _noise_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        binner = StumpBinner(categorical_features=["noise"]).fit(X, y)
    fb = binner.bins_["noise"]
    assert fb.n_regular == 1  # one "Other" group, not 14 bins ordered by noise
    assert len(fb.other) == len(X)
    table = binner.information_table()
    assert table.loc["noise", "iv"] == 0.0
    assert table.loc["noise", "pvalue"] == 1.0
    assert table.loc["x", "iv"] > 0.3  # the real feature keeps its information


def test_a_noise_feature_of_singletons_does_not_enter_the_scorecard():
    X, y = _noise_data(seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard().fit(X, y)  # object column: categorical by default
    margins = np.asarray(card.bin_margins_["noise"]) if "noise" in card.bins_ else [0]
    assert np.allclose(margins, margins[0])  # one group: no spread in points


@pytest.mark.parametrize("min_size", [0.05, 0.2])
def test_rare_categories_are_pooled_with_some_common_ones(min_size):
    rng = np.random.default_rng(2)
    cats = rng.choice(["a", "b", "r1", "r2", "r3"], p=[0.45, 0.45, 0.04, 0.03, 0.03],
                      size=4000)  # fmt: skip
    y = (rng.random(4000) < np.where(cats == "a", 0.2, 0.4)).astype(int)
    binner = StumpBinner(categorical_features=[0], min_category_size=min_size)
    binner.fit(pd.DataFrame({"c": cats}), y)
    assert set(binner.bins_["c"].other) == {"r1", "r2", "r3"}


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(pd.to_datetime(["2024-01-01", None]).as_unit("ms")),
        pd.Series(pd.to_datetime(["2024-01-01", None]).as_unit("ns")),
        pd.Series(pd.to_datetime(["2024-01-01"]).tz_localize("UTC")),
        pd.Series(pd.to_timedelta([1, 2], unit="D")),
        pd.Series(pd.period_range("2024-01", periods=2, freq="M")),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
    ],
)
def test_datetime_like_columns_are_rejected(values):
    from scorecard._binning._columns import check_not_datetime

    with pytest.raises(TypeError, match="Feature 'when' has the date/time dtype"):
        check_not_datetime(values, "when")


def test_datetimes_are_rejected_in_fit_score_and_monitor():
    rng = np.random.default_rng(4)
    n = 400
    when = pd.Series(
        pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    )
    y = rng.integers(0, 2, n)
    frame = pd.DataFrame({"when": when.dt.as_unit("ms"), "x": rng.normal(size=n)})
    for est in (StumpBinner(), Scorecard()):
        with pytest.raises(TypeError, match="'when' has the date/time dtype"):
            est.fit(frame, y)
    numeric = pd.DataFrame({"when": rng.normal(size=n), "x": rng.normal(size=n)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard().fit(numeric, y)
    with pytest.raises(TypeError, match="'when' has the date/time dtype"):
        card.predict_score(frame)  # a timestamp arriving in a numeric column
    monitor = DriftMonitor(card)
    with pytest.raises(TypeError, match="'when' has the date/time dtype"):
        monitor.count(frame)
