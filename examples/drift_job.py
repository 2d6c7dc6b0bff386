"""A drift monitoring job with a history store
===========================================

What a monthly batch job does: score each new batch with the production
scorecard, compare every feature and the score with the training counts
(PSI with its standard error, a bias-corrected PSI and a test), give each a
stable / watch / drift status, and append the run to a SQLite history store.
Three monthly batches of 5,000 rows are drawn from SimuCredit; in the third,
``Utilization`` is shifted by +0.15.

Run: ``python examples/drift_job.py``.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from monitoring import DriftMonitor, HistoryStore
from scorecard import DataConditionWarning, Scorecard
from scorecard.datasets import load_simucredit

warnings.simplefilter("ignore", DataConditionWarning)
data = load_simucredit()
y = (data["Status"] == 0).astype(int)
X = data.drop(columns=["Status", "Race", "Gender"])
card = Scorecard().fit(X.iloc[:10000], y.iloc[:10000])
pool = data.iloc[10000:].reset_index(drop=True)

# %%
# Three monthly runs into a store in a temporary directory. A run is one
# transaction: a failed run leaves the store as it was, and writing the same
# batch id again is idempotent.
monitor = DriftMonitor(card)
rng = np.random.default_rng(7)
months = [("2024-01", None), ("2024-02", None), ("2024-03", 0.15)]
with tempfile.TemporaryDirectory() as tmp:
    store_path = Path(tmp) / "monitor.db"
    reports = []
    with HistoryStore(store_path) as store:
        for batch_id, shift in months:
            batch = pool.iloc[rng.integers(0, len(pool), size=5000)]
            batch = batch.reset_index(drop=True)
            if shift is not None:
                batch["Utilization"] = (batch["Utilization"] + shift).clip(0, 1)
            report = monitor.check(
                batch, batch_id=batch_id, y=batch["Status"], bad_value=0
            )
            store.write(report, as_of=f"{batch_id}-28")
            reports.append(report)
        print(store.history(model_id=monitor.model_id).head(12).to_string())

# %%
# Status and PSI per feature and month: only the shifted feature drifts.
status = pd.DataFrame({r.batch_id: r.to_frame()["status"] for r in reports})
psi = pd.DataFrame({r.batch_id: r.to_frame()["psi"].round(4) for r in reports})
print(pd.concat({"status": status, "PSI": psi}, axis=1).to_string())

# %%
# The last month's per-feature table with standard errors and intervals.
print(reports[-1].to_frame().round(4).to_string())
