"""One spine: each call site's IV or WoE equals the spine's on the same counts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import (
    CountTable,
    DataConditionWarning,
    StumpBinner,
    information_value,
    psi,
    woe,
)
from scorecard._binning._bins import FeatureBins
from scorecard._binning._merge import merge_counts, merge_objective
from scorecard._binning._tables import binning_table, information_table
from scorecard._demo import discrete_information_table

RTOL = 1e-12
COUNTS = np.array([[300.0, 20.0], [200.0, 30.0], [100.0, 50.0], [80.0, 60.0]])
#: A table whose second bin has no bads (smoothed by every call site).
ZERO_CELL = np.array([[300.0, 20.0], [200.0, 0.0], [100.0, 50.0]])


@pytest.mark.parametrize("cuts", [(1, 2, 3), (1, 3), (2,)])
def test_merge_objective_is_information_value(cuts):
    merged = merge_counts(COUNTS, cuts)
    got = merge_objective(COUNTS, cuts)
    expected = information_value(merged[:, 0], merged[:, 1]).estimate
    np.testing.assert_allclose(got, expected, rtol=RTOL)
    # ... and PSI of the same two distributions (the Jeffreys divergence).
    np.testing.assert_allclose(got, psi(merged[:, 0], merged[:, 1]).estimate, rtol=RTOL)


def test_merge_objective_smooths_as_the_spine():
    # With the totals of the smoothed table the DP's objective is the IV.
    smoothed = np.where(
        (ZERO_CELL == 0).any(axis=1)[:, None], ZERO_CELL + 0.5, ZERO_CELL
    )
    totals = tuple(smoothed.sum(axis=0))
    got = merge_objective(ZERO_CELL, (1, 2), totals=totals, smoothing=0.5)
    with pytest.warns(DataConditionWarning, match="Zero cell"):
        expected = information_value(ZERO_CELL[:, 0], ZERO_CELL[:, 1]).estimate
    np.testing.assert_allclose(got, expected, rtol=RTOL)


def _bins(counts: np.ndarray) -> FeatureBins:
    k = counts.shape[0]
    return FeatureBins(
        name="x",
        kind="numeric",
        thresholds=tuple(float(t) for t in range(1, k)),
        goods=(*counts[:, 0], 0.0),
        bads=(*counts[:, 1], 0.0),
    )


@pytest.mark.parametrize("counts", [COUNTS, ZERO_CELL], ids=["plain", "zero-cell"])
def test_binning_tables_are_the_spine(counts):
    fb = _bins(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        iv = information_value(counts[:, 0], counts[:, 1])
        w = woe(counts[:, 0], counts[:, 1])
        table = binning_table(fb, 0.5)
        info = information_table({"x": fb}, 0.5)
    regular = table.iloc[: counts.shape[0]]
    np.testing.assert_allclose(regular["woe"], w.estimate, rtol=RTOL)
    np.testing.assert_allclose(fb.woe(0.5)[: counts.shape[0]], w.estimate, rtol=RTOL)
    np.testing.assert_allclose(regular["se"], w.se, rtol=RTOL)
    np.testing.assert_allclose(regular["iv"], iv.contributions[0], rtol=RTOL)
    np.testing.assert_allclose(table["iv"].iloc[-1], iv.estimate, rtol=RTOL)
    np.testing.assert_allclose(info.loc["x", "iv"], iv.estimate, rtol=RTOL)
    np.testing.assert_allclose(info.loc["x", "se"], iv.se, rtol=RTOL)


def test_binner_information_table_is_the_spine(simucredit):
    X, y = simucredit
    binner = StumpBinner(n_rounds=10).fit(X[["Utilization", "Delinquency"]], y)
    info = binner.information_table()
    for name, fb in binner.bins_.items():
        g, b = np.asarray(fb.goods), np.asarray(fb.bads)
        np.testing.assert_allclose(
            info.loc[name, "iv"], information_value(g, b).estimate, rtol=RTOL
        )


def test_dask_counts_are_the_kernel(simucredit):
    pytest.importorskip("dask.dataframe")
    import dask.dataframe as dd

    from scorecard._binning._dask import count_table

    X, y = simucredit
    frame = X[["Utilization"]].assign(y=y).reset_index(drop=True)
    binner = StumpBinner(n_rounds=10).fit(frame[["Utilization"]], frame["y"])
    ddf = dd.from_pandas(frame, npartitions=3)
    table = count_table(binner.bins_, ddf[["Utilization"]], ddf["y"])
    fb = binner.bins_["Utilization"]
    codes = fb.assign(frame["Utilization"].to_numpy())
    kernel = CountTable.from_codes(
        codes[:, None], frame["y"].to_numpy(), n_bins=fb.n_bins
    )
    np.testing.assert_allclose(table.counts, kernel.counts, rtol=RTOL)
    got = information_value(table.column(0), table.column(1)).estimate
    expected = information_value(np.asarray(fb.goods), np.asarray(fb.bads)).estimate
    np.testing.assert_allclose(got, expected, rtol=RTOL)


def test_demo_discrete_information_table_is_the_spine():
    data = pd.DataFrame({"a": [0, 0, 1, 1, 2, 2, 2, 0] * 25})
    y = np.array([0, 1, 0, 1, 1, 1, 0, 0] * 25)
    table = discrete_information_table(data, ["a"], y)
    g = np.array([np.sum((data["a"] == v) & (y == 0)) for v in (0, 1, 2)])
    b = np.array([np.sum((data["a"] == v) & (y == 1)) for v in (0, 1, 2)])
    np.testing.assert_allclose(
        table.loc["a", "IV"], information_value(g, b).estimate, rtol=RTOL
    )
    np.testing.assert_allclose(
        table.loc["a", "se"], information_value(g, b).se, rtol=RTOL
    )
