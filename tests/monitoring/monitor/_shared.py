"""Constants and helpers shared by the monitor tests."""

from __future__ import annotations

import numpy as np

FEATURES = ["Mortgage", "Balance", "Amount Past Due", "Delinquency", "Inquiry",
            "Open Trade", "Utilization"]  # fmt: skip


def bincount(codes, n):
    return np.bincount(codes, minlength=n).astype(float)
