"""The drift report object: JSON round trip and foreign documents."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from monitoring import (
    DriftReport,
    auc_drift,
    auc_from_counts,
    bad_rate_by_band,
    characteristic_analysis,
    delong_auc,
    drift_from_counts,
    iv_drift,
)

# --------------------------------------------------------------------------
# JSON


def test_json_round_trip_with_every_section():
    ref = np.array([[300, 200, 100], [100, 400, 500]], float)
    cur = np.array([[200, 200, 200], [120, 380, 500]], float)
    ref_y = np.stack([ref * 0.9, ref * 0.1], -1)
    cur_y = np.stack([cur * 0.85, cur * 0.15], -1)
    auc = auc_drift(
        auc_from_counts([50, 30, 20], [5, 10, 25]),
        delong_auc([0, 1, 1, 0], [1, 2, 3, 0]),
    )
    rep = drift_from_counts(
        ref,
        cur,
        features=["age", "score"],
        kinds=["feature", "score"],
        model_id="card",
        batch_id="2024-02",
        created_at="2024-02-29T00:00:00Z",
        n_rows=600,
        iv=iv_drift(ref_y, cur_y, features=["age", "score"]),
        auc=auc,
        bad_rate=bad_rate_by_band(ref_y[1], cur_y[1]),
        characteristics=characteristic_analysis(ref[:1], cur[:1], [[5.0, 10.0, 20.0]]),
    )
    text = rep.to_json()
    doc = json.loads(text)
    assert doc["status"] == rep.status and doc["features"][0]["feature"] == "age"
    back = DriftReport.from_json(text)
    pd.testing.assert_frame_equal(back.to_frame(), rep.to_frame())
    pd.testing.assert_frame_equal(back.iv.to_frame(), rep.iv.to_frame())
    pd.testing.assert_frame_equal(back.auc.to_frame(), rep.auc.to_frame())
    pd.testing.assert_frame_equal(back.bad_rate.to_frame(), rep.bad_rate.to_frame())
    pd.testing.assert_frame_equal(
        back.characteristics.summary(), rep.characteristics.summary()
    )
    assert (back.model_id, back.batch_id, back.n_rows) == ("card", "2024-02", 600)


def test_json_nan_becomes_null_and_foreign_documents_are_rejected():
    with np.errstate(all="ignore"):
        bad = bad_rate_by_band([[10, 5], [0, 0]], [[8, 4], [3, 1]])
    rep = drift_from_counts([[5, 5]], [[6, 4]], bad_rate=bad)
    assert "NaN" not in rep.to_json()
    with pytest.raises(ValueError, match="Not an infoscore drift report"):
        DriftReport.from_json('{"format": "other"}')
    doc = rep.to_dict()
    doc["version"] = 99
    with pytest.raises(ValueError, match="version 99 is not supported"):
        DriftReport.from_json(doc)
