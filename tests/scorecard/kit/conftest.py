"""Data and models shared by the Dask and Spark engine tests (module-scoped).

``train`` and ``batch`` come from :func:`tests.scorecard.kit._credit_data.make_data`;
a module sets ``TRAIN_ROWS`` / ``BATCH_ROWS`` to change their sizes (the
Spark module keeps them small: every Spark job pays Python-worker overhead).
``binner`` and ``card`` are fitted on ``train``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard import Scorecard, StumpBinner

from ._credit_data import FEATURES, SPECIALS, make_data


@pytest.fixture(scope="module")
def train(request) -> pd.DataFrame:
    return make_data(getattr(request.module, "TRAIN_ROWS", 9_000), seed=1)


@pytest.fixture(scope="module")
def batch(request) -> pd.DataFrame:
    rows = getattr(request.module, "BATCH_ROWS", 5_000)
    return make_data(rows, seed=2, shift=0.25)


@pytest.fixture(scope="module")
def binner(train) -> StumpBinner:
    return StumpBinner(n_rounds=20, special_values=SPECIALS).fit(
        train[FEATURES], train["y"]
    )


@pytest.fixture(scope="module")
def card(train) -> Scorecard:
    binner = StumpBinner(n_rounds=20, special_values=SPECIALS)
    return Scorecard(binner=binner).fit(train[FEATURES], train["y"])
