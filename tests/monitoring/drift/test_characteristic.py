"""Characteristic analysis: shift of mean points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from monitoring import (
    characteristic_analysis,
)


def test_characteristic_shift_equals_difference_of_row_means():
    ref = np.array([[50, 30, 20]])
    cur = np.array([[30, 30, 40]])
    points = np.array([[10.0, 25.0, 40.0]])
    res = characteristic_analysis(ref, cur, points, features=["age"])
    rows_ref = np.repeat(points[0], ref[0])
    rows_cur = np.repeat(points[0], cur[0])
    assert res.estimate[0] == pytest.approx(rows_cur.mean() - rows_ref.mean())
    se = math.sqrt(rows_cur.var() / rows_cur.size + rows_ref.var() / rows_ref.size)
    assert res.se[0] == pytest.approx(se)
    fixed = characteristic_analysis(ref, cur, points, reference="fixed")
    assert fixed.se[0] == pytest.approx(math.sqrt(rows_cur.var() / rows_cur.size))
    summary = res.summary()
    assert summary.loc["age", "points_reference"] == pytest.approx(rows_ref.mean())
    assert res.to_frame()["shift"].sum() == pytest.approx(res.estimate[0])
    with pytest.raises(ValueError, match="points must be finite"):
        characteristic_analysis(ref, cur, [[10.0, np.nan, 40.0]])
