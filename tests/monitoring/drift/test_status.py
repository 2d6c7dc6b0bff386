"""The status rule: drift and watch need a significant test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring import (
    drift_status,
)

#: The message of an alpha outside (0, 1).
ALPHA = r"alpha \(one minus the coverage\) must be a number in \(0, 1\)"


# --------------------------------------------------------------------------
# status rule


def test_drift_status_hand_cases_and_boundaries():
    status = drift_status(
        [0.30, 0.30, 0.12, 0.40, 0.05, 0.30, 0.30],
        [0.25, 0.20, 0.05, 0.30, 0.01, 0.26, 0.26],
        [1e-9, 1e-6, 0.01, 0.20, 1e-12, 0.05, 0.0499],
    )
    # ci_low == high band counts as drift; pvalue == alpha is not significant;
    # a significant but tiny PSI is stable.
    assert status.tolist() == [
        "drift",
        "watch",
        "watch",
        "stable",
        "stable",
        "stable",
        "drift",
    ]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"psi_bands": (0.3, 0.1)}, "0 <= low <= high"),
        ({"psi_bands": (0.1,)}, "two numbers"),
        ({"psi_bands": (-0.1, 0.2)}, "0 <= low <= high"),
        ({"psi_bands": (0.1, float("nan"))}, "finite"),
        ({"alpha": 0.0}, ALPHA),
        ({"alpha": 1.5}, ALPHA),
    ],
)
def test_drift_status_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        drift_status([0.1], [0.0], [0.5], **kwargs)


@settings(max_examples=60, deadline=None)
@given(
    est=st.lists(st.floats(0, 2), min_size=1, max_size=20),
    data=st.data(),
)
def test_flags_always_need_a_significant_test(est, data):
    n = len(est)
    low = data.draw(st.lists(st.floats(0, 2), min_size=n, max_size=n))
    p = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    status = drift_status(est, low, p, alpha=0.05)
    flagged = status != "stable"
    assert np.all(np.asarray(p)[flagged] < 0.05)
    assert np.all(np.asarray(low)[status == "drift"] >= 0.25)
