"""IV drift: hand IVs, count tables, null rejection rate."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from monitoring import (
    iv_drift,
)
from scorecard import CountTable


def hand_iv(goods, bads):
    p = np.asarray(goods, float) / np.sum(goods)
    q = np.asarray(bads, float) / np.sum(bads)
    return float(((p - q) * np.log(p / q)).sum())


# --------------------------------------------------------------------------
# IV drift


def test_iv_drift_matches_hand_iv_and_delta_difference():
    ref = np.array([[400, 20], [300, 40], [100, 60]], float)
    cur = np.array([[390, 30], [310, 40], [100, 50]], float)
    res = iv_drift(ref, cur, features=["age"])
    frame = res.to_frame()
    assert frame.loc["age", "iv_reference"] == pytest.approx(
        hand_iv(ref[:, 0], ref[:, 1])
    )
    assert frame.loc["age", "iv_current"] == pytest.approx(
        hand_iv(cur[:, 0], cur[:, 1])
    )
    se = math.hypot(frame.loc["age", "se_reference"], frame.loc["age", "se_current"])
    assert frame.loc["age", "se"] == pytest.approx(se)
    z = frame.loc["age", "difference"] / se
    assert frame.loc["age", "pvalue"] == pytest.approx(2 * stats.norm.sf(abs(z)))
    low, high = res.ci()[0]
    assert high - low == pytest.approx(2 * 1.959964 * se, rel=1e-5)


def test_iv_drift_accepts_count_tables():
    codes = np.array([0, 1, 2, 0, 1, 2, 0, 1])
    y = np.array([0, 0, 0, 1, 1, 1, 0, 0])
    table = CountTable.from_codes(codes, y, n_bins=3, features=["f"])
    res = iv_drift(table, table)
    assert res.features == ("f",)
    assert res.estimate[0] == pytest.approx(0.0)


def test_iv_drift_null_rejection_rate_is_nominal():
    rng = np.random.default_rng(5)
    goods_p = np.array([0.35, 0.30, 0.20, 0.15])
    bads_p = np.array([0.10, 0.20, 0.30, 0.40])  # IV about 0.62
    reps = 2000

    def draw():
        return np.stack(
            [rng.multinomial(8000, goods_p, reps), rng.multinomial(1500, bads_p, reps)],
            axis=-1,
        )

    res = iv_drift(draw(), draw())
    mc_se = math.sqrt(0.05 * 0.95 / reps)
    assert abs((res.pvalue < 0.05).mean() - 0.05) <= 3 * mc_se


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([[1, 2], [3, 4]], [[1, 2, 3]]), "shape"),
        (([[1, 2, 3]], [[1, 2, 3]]), r"columns \(goods, bads\)"),
    ],
)
def test_iv_drift_rejects_bad_shapes(args, match):
    with pytest.raises(ValueError, match=match):
        iv_drift(*args)
