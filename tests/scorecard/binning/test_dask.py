"""Selection-adjusted figures of Dask-fitted binners (issue 13).

A Dask fit sums the exact per-value (or per-pre-bin) count tables; without
weights the permutation test draws its permuted bad counts from those tables
(multivariate hypergeometric given the cell sizes), the same law as
permuting the rows' labels, so the figures equal the in-memory fit's for the
same ``random_state``. On the real 2-process LocalCluster of the Dask tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

# This module starts its own LocalCluster (about half a minute of the default
# run), so it runs in the slow set; the default run keeps the count law's
# checks without a cluster (tests/scorecard/binning/test_inference.py).
pytestmark = pytest.mark.slow

from scorecard import StumpBinner, load  # noqa: E402
from scorecard._binning import _dask as binning_dask  # noqa: E402
from tests.scorecard.kit.test_dask import (  # noqa: E402, F401
    SPECIALS,
    client,
    make_data,
    to_dask,
)

ADJUSTED = ["iv_adjusted", "ci_low", "ci_high", "pvalue"]


@pytest.fixture(scope="module")
def train() -> pd.DataFrame:
    return make_data(2_000, seed=7)


@pytest.mark.usefixtures("client")
def test_dask_selection_figures_equal_in_memory(train):
    params = dict(n_rounds=10, special_values=SPECIALS, n_permutations=9)
    cols = ["bureau", "util", "region"]  # a special value, many values, categories
    mem = StumpBinner(**params, random_state=3).fit(train[cols], train["y"])
    ddf = to_dask(train, 4)
    got = StumpBinner(**params, random_state=3).fit(ddf[cols], ddf["y"])
    a, b = mem.information_table(), got.information_table()
    pd.testing.assert_frame_equal(b, a)
    assert b[ADJUSTED].notna().all().all()
    # and through an artifact
    back = load(got.to_json()).information_table()
    pd.testing.assert_frame_equal(back[ADJUSTED], a[ADJUSTED])


@pytest.mark.usefixtures("client")
def test_dask_weighted_fit_says_why(train):
    ddf = to_dask(train, 3)
    got = StumpBinner(n_rounds=5, n_permutations=9, weight_kind="sampling").fit(
        ddf[["util", "region"]], ddf["y"], sample_weight=ddf["w"]
    )
    info = got.information_table()
    assert info[ADJUSTED].isna().all().all()
    note = info.attrs["inference"]["pvalue"]
    assert "distributed" in note and "sample_weight" in note
    assert info["pvalue_conditional"].notna().all()


@pytest.mark.usefixtures("client")
def test_dask_sketched_feature_is_tested_on_its_sketched_prebins(train, monkeypatch):
    # Force the sketch: the cells are the sketched pre-bins (label-free
    # edges), counted exactly; the figures are conditional on those edges.
    monkeypatch.setattr(binning_dask, "EXACT_DISTINCT", 8)
    monkeypatch.setattr(binning_dask, "SKETCH_POINTS", 8)
    ddf = to_dask(train, 3)
    got = StumpBinner(n_rounds=10, max_bin=32, n_permutations=19, random_state=0)
    got.fit(ddf[["income"]], ddf["y"])
    (search,), _, data, _ = got._search_state_
    assert data is None and search.codes is None
    assert search.rows.sum() == len(train)
    fb = got.bins_["income"]
    np.testing.assert_array_equal(
        [search.rows.sum(), search.bads.sum()], [fb.counts().sum(), sum(fb.bads)]
    )
    info = got.information_table()
    # income carries signal in make_data: the strong feature beats every
    # permutation, p = 1 / (B + 1)
    assert info.loc["income", "pvalue"] == pytest.approx(1 / 20)
