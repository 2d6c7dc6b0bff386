"""The vectorised search equals the real fit path on unpermuted labels."""

import numpy as np
import pandas as pd
import pytest

from scorecard import StumpBinner
from scorecard._binning._columns import _prepare, _RawColumn
from scorecard._binning._merge import optimal_merge
from scorecard._binning._merge_many import optimal_merge_many
from scorecard._binning._search import (
    _fit_one_with_search,
    bin_counts,
    search_many,
    stump_cuts_many,
)
from scorecard._binning._stumps import size_floor_cuts, size_floor_cuts_many, stump_cuts


def _frame(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    X = pd.DataFrame(
        {
            "strong": x,
            "weak": rng.normal(size=n),
            "ints": rng.poisson(2, size=n).astype(float),
            "miss": np.where(rng.random(n) < 0.7, np.nan, rng.normal(size=n)),
            "cat": rng.choice(
                list("abcdefghij"), size=n, p=np.r_[[0.3, 0.2], [0.0625] * 8]
            ),
            "special": np.where(rng.random(n) < 0.05, -999.0, rng.normal(size=n)),
        }
    )
    eta = -2 + 1.2 * x + 0.2 * X["weak"] + 0.3 * (X["cat"] == "b")
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return X, y


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stumps_equal_xgboost(seed):
    X, y = _frame(3000, seed)
    binner = StumpBinner()
    params = binner._fit_params(specials={}, weighted=False)
    for name in ["strong", "weak", "ints"]:
        col = _RawColumn(name, "numeric", X[name]).convert()
        prep, _, _ = _prepare(
            col,
            y,
            np.ones(y.size),
            specials=(),
            max_bin=256,
            min_category_size=0.005,
            weighted=False,
        )
        t = prep.prebin_counts
        real = stump_cuts(t, n_rounds=50, learning_rate=0.3, seed=params["seed"])
        mine = stump_cuts_many(
            t[None, :, 0], t[None, :, 1], n_rounds=50, learning_rate=0.3
        )
        np.testing.assert_array_equal(mine[0], real)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", [0, 3])
def test_search_equals_fit(seed, weighted):
    X, y = _frame(4000, seed)
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 2.0, size=y.size) if weighted else np.ones(y.size)
    binner = StumpBinner(special_values={"special": [-999]})
    params = binner._fit_params(specials={"special": (-999.0,)}, weighted=weighted)
    kinds = {"cat": "categorical"}
    for name in X.columns:
        raw = _RawColumn(name, kinds.get(name, "numeric"), X[name])
        fb, _, search = _fit_one_with_search(raw, y, w, params)
        assign = search_many(search, search.bads[None, :], params)
        goods, bads = (
            bin_counts(assign, search.goods)[0],
            bin_counts(assign, search.bads)[0],
        )
        fg, fbad = np.asarray(fb.goods), np.asarray(fb.bads)
        # same bins: the non-empty (goods, bads) pairs agree, in order
        ours = [(g, b) for g, b in zip(goods, bads, strict=True) if g + b > 0]
        real = [(g, b) for g, b in zip(fg, fbad, strict=True) if g + b > 0]
        np.testing.assert_allclose(ours, real, rtol=1e-12, atol=1e-9, err_msg=name)


def test_merge_many_equals_optimal_merge():
    rng = np.random.default_rng(5)
    for trend in ["auto", None, "ascending", "peak", "valley"]:
        tables, totals = [], []
        for _ in range(25):
            k = int(rng.integers(2, 15))
            g = rng.integers(0, 50, size=k).astype(float) + (np.arange(k) == 0)
            b = rng.integers(0, 6, size=k).astype(float) + (np.arange(k) == 1)
            tables.append(np.column_stack([g, b]))
            totals.append((g.sum() + 3.0, b.sum() + 1.0))
        many = optimal_merge_many(
            tables,
            totals,
            min_bin_size=0.05,
            max_n_bins=None,
            monotonic_trend=trend,
            smoothing=0.5,
        )
        one = [
            optimal_merge(t, min_bin_size=0.05, monotonic_trend=trend, totals=tot).cuts
            for t, tot in zip(tables, totals, strict=True)
        ]
        assert many == one, trend


def test_size_floor_cuts_many_equals_one_by_one():
    rng = np.random.default_rng(2)
    tables = [
        np.column_stack(
            [rng.integers(0, 40, size=k), rng.integers(0, 9, size=k)]
        ).astype(float)
        for k in rng.integers(1, 30, size=20)
    ]
    floors = [max(1.0, 0.05 * t.sum()) for t in tables]
    many = size_floor_cuts_many(tables, floors)
    for t, f, cuts in zip(tables, floors, many, strict=True):
        np.testing.assert_array_equal(cuts, size_floor_cuts(t, floor=f))
    # the documented example
    np.testing.assert_array_equal(
        size_floor_cuts([[9, 1], [9, 1], [5, 5], [5, 5]], floor=10), [2]
    )
