"""Fitted scorecards and batches of SimuCredit for the monitor tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import BoostedScorecard, Scorecard
from scorecard.datasets import load_simucredit

from ._shared import FEATURES


@pytest.fixture(scope="module")
def data():
    frame = load_simucredit()
    rng = np.random.default_rng(11)
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)


@pytest.fixture(scope="module")
def card(data):
    train = data.iloc[:10000]
    return Scorecard().fit(train[FEATURES], (train["Status"] == 0).astype(int))


@pytest.fixture(scope="module")
def boosted(data):
    train = data.iloc[:10000]
    return BoostedScorecard(n_rounds=30, random_state=0).fit(
        train[FEATURES], (train["Status"] == 0).astype(int)
    )


@pytest.fixture(scope="module")
def batch(data):
    return data.iloc[10000:16000].reset_index(drop=True)


@pytest.fixture(scope="module")
def categorical_card():
    rng = np.random.default_rng(0)
    n = 4000
    X = pd.DataFrame(
        {"x": rng.normal(size=n), "region": rng.choice(list("NSEW"), size=n)}
    )
    logit = X["x"] + (X["region"] == "N") - 1
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return BoostedScorecard(n_rounds=20, random_state=0).fit(X, y), X
