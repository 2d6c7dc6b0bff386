"""A store with two runs."""

from __future__ import annotations

import pytest

from monitoring import (
    HistoryStore,
)

from ._shared import make_report


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "monitor.db"
    with HistoryStore(f"sqlite:///{path}") as store:
        store.write(
            make_report(1), model_id="card", batch_id="2024-01", as_of="2024-01-31"
        )
        store.write(
            make_report(2), model_id="card", batch_id="2024-02", as_of="2024-02-29"
        )
    return path
