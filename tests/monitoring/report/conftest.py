"""Three monthly checks of SimuCredit batches in a history store."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from monitoring import DriftMonitor, HistoryStore
from scorecard import BoostedScorecard, DataConditionWarning
from scorecard.datasets import load_simucredit

FEATURES = ["Mortgage", "Balance", "Amount Past Due", "Delinquency", "Inquiry",
            "Open Trade", "Utilization"]  # fmt: skip


@pytest.fixture(scope="module")
def monitored(tmp_path_factory):
    data = load_simucredit()
    rng = np.random.default_rng(3)
    data = data.iloc[rng.permutation(len(data))].reset_index(drop=True)
    card = BoostedScorecard(n_rounds=30, random_state=0).fit(
        data.iloc[:8000][FEATURES], (data.iloc[:8000]["Status"] == 0).astype(int)
    )
    monitor = DriftMonitor(card, model_id="card-v1")
    store_path = tmp_path_factory.mktemp("history") / "monitor.db"
    reports = []
    with HistoryStore(store_path) as store, warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        for k, month in enumerate(["2024-01", "2024-02", "2024-03"]):
            batch = data.iloc[8000 + 4000 * k : 12000 + 4000 * k].copy()
            if k == 2:
                batch["Utilization"] = (batch["Utilization"] + 0.15).clip(0, 1)
            rep = monitor.check(batch, batch_id=month, y=batch["Status"], bad_value=0)
            store.write(rep, as_of=month)
            reports.append(rep)
    return reports, store_path
