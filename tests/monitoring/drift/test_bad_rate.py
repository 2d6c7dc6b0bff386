"""Bad rate by score band."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import proportions_ztest

from monitoring import (
    bad_rate_by_band,
)

# --------------------------------------------------------------------------
# bad rate by band and characteristic analysis


def test_bad_rate_by_band_matches_statsmodels_two_proportion_test():
    ref = np.array([[900, 100], [800, 200], [500, 300]])
    cur = np.array([[420, 80], [390, 110], [260, 140]])
    res = bad_rate_by_band(ref, cur, bands=["A", "B", "C"])
    frame = res.to_frame()
    for i, band in enumerate("ABC"):
        z, p = proportions_ztest(
            [cur[i, 1], ref[i, 1]], [cur[i].sum(), ref[i].sum()], value=0
        )
        assert frame.loc[band, "statistic"] == pytest.approx(z)
        assert frame.loc[band, "pvalue"] == pytest.approx(p)
    assert frame.loc["A", "bad_rate_current"] == pytest.approx(0.16)
    assert frame.loc["A", "difference"] == pytest.approx(0.06)
    low, high = frame.loc["A", ["bad_rate_current_low", "bad_rate_current_high"]]
    assert low < 0.16 < high


def test_bad_rate_empty_band_gives_nan_not_an_error():
    with np.errstate(all="ignore"):
        res = bad_rate_by_band([[10, 5], [0, 0]], [[8, 4], [3, 1]])
    assert math.isnan(res.estimate[1]) and math.isnan(res.pvalue[1])
