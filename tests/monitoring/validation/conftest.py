"""A calibrated SimuCredit scorecard and two yearly batches with outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard import PDCalibrator, Scorecard, StumpBinner


@pytest.fixture(scope="session")
def calibrated(simucredit):
    """``(calibrator, X, y)``: fitted on the first 8,000 rows (7 grades)."""
    X, y = simucredit
    card = Scorecard(binner=StumpBinner(n_rounds=10)).fit(X.iloc[:8000], y[:8000])
    cal = PDCalibrator(estimator=card, prefit=True, n_grades=7)
    cal.fit(X.iloc[:8000], y[:8000])
    return cal, X, y


@pytest.fixture(scope="session")
def batches(calibrated):
    """Two batches of held-out rows: 2023 as drawn, 2024 with extra defaults."""
    cal, X, y = calibrated
    rng = np.random.default_rng(16)
    pool = np.arange(8000, len(y))
    bads = pool[y[pool] == 1]
    rows_2023 = rng.choice(pool, 5000, replace=False)
    rows_2024 = np.r_[rng.choice(pool, 4300, replace=False), rng.choice(bads, 700)]
    return {"2023": rows_2023, "2024": rows_2024}
