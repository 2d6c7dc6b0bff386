"""Fixtures shared by the whole test tree (session-scoped, built once).

* ``simucredit_frame``: the bundled SimuCredit data, rows as shipped.
* ``simucredit``: ``(X, y)`` with ``y = 1`` for bad (``Status == 0``); the
  protected ``Race`` and ``Gender`` are not in ``X``.
* ``simucredit_protected``: ``Race`` and ``Gender`` of the same rows.
* ``german``: ``(X, y)`` of UCI German credit, ``y = 1`` for bad.
* ``browser``: one headless Chromium for a test module (see
  ``tests/_browser.py``; skips unless installed, fails in CI).
"""

from __future__ import annotations

import os

# The tests fit tiny data sets, where OpenMP's thread start-up and barrier
# waits in XGBoost and BLAS cost more than the work (tests/test_common.py:
# 202 s on both cores, 77 s on one, run one after the other on a shared 2-core
# machine). Set before any test imports xgboost; a value the caller exported
# wins, and an explicit n_jobs still reaches XGBoost's nthread.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scorecard.datasets import load_german_credit, load_simucredit

PROTECTED = ["Race", "Gender"]


@pytest.fixture(scope="session")
def simucredit_frame() -> pd.DataFrame:
    return load_simucredit()


@pytest.fixture(scope="session")
def simucredit(simucredit_frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    y = (simucredit_frame["Status"] == 0).astype(int).to_numpy()
    return simucredit_frame.drop(columns=["Status", *PROTECTED]), y


@pytest.fixture(scope="session")
def simucredit_protected(simucredit_frame: pd.DataFrame) -> pd.DataFrame:
    return simucredit_frame[PROTECTED]


@pytest.fixture(scope="session")
def german() -> tuple[pd.DataFrame, np.ndarray]:
    data = load_german_credit()
    y = (data["creditability"] == "bad").astype(int).to_numpy()
    return data.drop(columns=["creditability"]), y


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests._browser import chromium_session

    with chromium_session() as session:
        yield session
