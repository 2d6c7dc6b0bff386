"""Reports and file dumps shared by the store tests."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from monitoring import (
    drift_from_counts,
)

REF = np.array([[300, 400, 300, 0], [250, 250, 250, 250], [100, 300, 400, 200]], float)
FEATURES = ["age", "income", "score"]
KINDS = ["feature", "feature", "score"]


def make_report(seed: int, *, shift: float = 0.0, batch_id: str | None = None):
    rng = np.random.default_rng(seed)
    cur = np.zeros_like(REF)
    for i, row in enumerate(REF):
        p = row / row.sum()
        if i == 1 and shift:
            p = p * np.exp(shift * np.arange(4))
            p /= p.sum()
        cur[i] = rng.multinomial(1000, p)
    return drift_from_counts(
        REF, cur, features=FEATURES, kinds=KINDS, batch_id=batch_id, n_rows=1000
    )


def dump(path: Path) -> list[str]:
    """Every table, row for row (read through a fresh connection)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
