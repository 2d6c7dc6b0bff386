"""Windows recomputed from stored counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitoring import (
    HistoryStore,
    drift_from_counts,
)

from ._shared import FEATURES, KINDS, REF, make_report

# --------------------------------------------------------------------------
# windows recomputed from stored counts


def test_window_counts_sum_and_recompute_psi(store_path):
    with HistoryStore(store_path) as store:
        store.write(
            make_report(3), model_id="card", batch_id="2024-03", as_of="2024-03-31"
        )
        window = store.window_counts("card", batch_ids=["2024-01", "2024-02"])
        by_time = store.window_counts("card", since="2024-02-01", until="2024-03-31")
        everything = store.window_counts("card")
    currents = [make_report(s) for s in (1, 2, 3)]
    summed = sum(
        np.vstack(
            [
                np.pad(f.current_counts, (0, 4 - f.current_counts.size))
                for f in r.features
            ]
        )
        for r in currents[:2]
    )
    np.testing.assert_allclose(window.current, summed)
    np.testing.assert_allclose(window.reference, REF)
    assert window.batch_ids == ("2024-01", "2024-02")
    assert by_time.batch_ids == ("2024-02", "2024-03")
    assert everything.n_runs == 3
    rep = window.drift()
    direct = drift_from_counts(REF, summed, features=FEATURES, kinds=KINDS)
    pd.testing.assert_frame_equal(rep.to_frame(), direct.to_frame())
    assert rep.batch_id == "window:2024-01..2024-02" and rep.model_id == "card"
    assert window.bin_labels[0] == ("0", "1", "2")


def test_window_errors(store_path):
    with HistoryStore(store_path) as store:
        with pytest.raises(ValueError, match=r"for batch_ids \['2030-01'\]"):
            store.window_counts("card", batch_ids=["2024-01", "2030-01"])
        with pytest.raises(
            ValueError, match="No stored run of model 'card' in the window"
        ):
            store.window_counts("card", since="2030-01-01")
        with pytest.raises(ValueError, match="either batch_ids or since/until"):
            store.window_counts("card", batch_ids=["2024-01"], since="2024-01-01")
        other_ref = REF.copy()
        other_ref[0, 0] += 1
        store.write(
            drift_from_counts(other_ref, REF, features=FEATURES, kinds=KINDS),
            model_id="card",
            batch_id="refit",
            as_of="2024-05-01",
        )
        with pytest.raises(ValueError, match="different reference counts"):
            store.window_counts("card")
        store.write(
            drift_from_counts(REF[:2], REF[:2], features=FEATURES[:2]),
            model_id="card",
            batch_id="fewer",
            as_of="2024-06-01",
        )
        with pytest.raises(ValueError, match="different features or bins"):
            store.window_counts("card", batch_ids=["2024-01", "fewer"])
