"""The Dask engine: the same statistics on partitioned data
========================================================

Every statistic of infoscore is computed from mergeable count tables, so a
distributed engine only counts: each partition is counted where it lives and
the tables are summed. This example bins SimuCredit held as a Dask DataFrame
on a local cluster and checks that bins and information values equal the
in-memory fit, then runs a drift check on the partitioned data.

Run: ``python examples/dask_engine.py`` (needs ``pip install "infoscore[dask]"``).
"""

from __future__ import annotations

import warnings

import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

from monitoring import DriftMonitor
from scorecard import DataConditionWarning, Scorecard, StumpBinner
from scorecard.datasets import load_simucredit

warnings.simplefilter("ignore", DataConditionWarning)
data = load_simucredit()
y = (data["Status"] == 0).astype(int)
X = data.drop(columns=["Status", "Race", "Gender"])

# %%
# A local cluster of two single-threaded workers in this process; on a real
# cluster pass its scheduler address to ``Client``.
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False)
client = Client(cluster)
frame = dd.from_pandas(X.assign(bad=y), npartitions=8)

# %%
# Binning on the partitions. Features with at most 16,384 distinct values are
# counted exactly per value and get the in-memory bins; above that, the
# pre-bin cuts come from a mergeable quantile sketch (all counts stay exact),
# so the bins, and the IV, can differ slightly from the in-memory fit.
distributed_binner = StumpBinner(random_state=0).fit(
    frame.drop(columns="bad"), frame["bad"]
)
memory_binner = StumpBinner(random_state=0).fit(X, y)
comparison = pd.DataFrame(
    {
        "distinct values": X.nunique(),
        "IV in memory": memory_binner.information_table()["iv"],
        "IV on Dask": distributed_binner.information_table()["iv"],
    }
)
comparison["relative difference"] = (
    comparison["IV on Dask"] / comparison["IV in memory"] - 1
)
print(comparison.round(6).to_string())
exact = comparison["distinct values"] <= 16_384
print(
    "exactly counted features equal to the in-memory fit:",
    np.allclose(
        comparison.loc[exact, "IV on Dask"], comparison.loc[exact, "IV in memory"]
    ),
)

# %%
# A drift check of a partitioned batch against the card's training counts.
card = Scorecard().fit(X.iloc[:10000], y.iloc[:10000])
batch = dd.from_pandas(X.iloc[10000:], npartitions=4)
report = DriftMonitor(card).check(batch, batch_id="2024-01")
print(report.to_frame()[["psi", "se", "status"]].round(4).to_string())

client.close()
cluster.close()
