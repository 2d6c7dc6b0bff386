"""The history page: content and the plot line limit."""

from __future__ import annotations

import pytest

from monitoring import HistoryStore, drift_from_counts
from monitoring._report import MAX_LINES
from tests._browser import assert_self_contained


def test_history_report_content(monitored):
    _, path = monitored
    with HistoryStore(path, create=False) as store:
        html = store.to_html(model_id="card-v1")
        with pytest.raises(ValueError, match="Model 'other' has no runs"):
            store.to_html(model_id="other")
    assert_self_contained(html)
    for heading in ("Overview", "Model card-v1"):
        assert f">{heading}</h2>" in html
    assert "PSI per feature over time" in html and "All 3 batches pooled" in html
    assert html.count("<svg") >= 2


def test_history_plot_keeps_at_most_max_lines(tmp_path):
    n = MAX_LINES + 4
    names = [f"f{i}" for i in range(n)]
    with HistoryStore(tmp_path / "m.db") as store:
        for month, shift in (("2024-01", 0), ("2024-02", 5)):
            cur = [[50 + shift * i, 30, 20] for i in range(n)]
            rep = drift_from_counts([[50, 30, 20]] * n, cur, features=names)
            store.write(rep, model_id="m", batch_id=month, as_of=month)
        html = store.to_html()
    assert f"The {MAX_LINES} features with the largest PSI are drawn" in html
    with HistoryStore(tmp_path / "empty.db") as store:
        with pytest.raises(ValueError, match="has no runs yet"):
            store.to_html()
