"""Drift and history HTML reports: content, escaping, and a real browser."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from monitoring import DriftMonitor, HistoryStore, drift_from_counts
from monitoring._report import MAX_LINES, drift_report_html
from scorecard import BoostedScorecard, DataConditionWarning
from scorecard.datasets import load_simucredit
from tests._browser import assert_self_contained

FEATURES = ["Mortgage", "Balance", "Amount Past Due", "Delinquency", "Inquiry",
            "Open Trade", "Utilization"]  # fmt: skip
DRIFT_SECTIONS = ["Summary", "Population stability", "Score distribution",
                  "Characteristic analysis", "Performance", "Bins",
                  "Method and data conditions"]  # fmt: skip


@pytest.fixture(scope="module")
def monitored(tmp_path_factory):
    data = load_simucredit()
    rng = np.random.default_rng(3)
    data = data.iloc[rng.permutation(len(data))].reset_index(drop=True)
    card = BoostedScorecard(n_rounds=30, random_state=0).fit(
        data.iloc[:8000][FEATURES], (data.iloc[:8000]["Status"] == 0).astype(int)
    )
    monitor = DriftMonitor(card, model_id="card-v1")
    store_path = tmp_path_factory.mktemp("history") / "monitor.db"
    reports = []
    with HistoryStore(store_path) as store, warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        for k, month in enumerate(["2024-01", "2024-02", "2024-03"]):
            batch = data.iloc[8000 + 4000 * k : 12000 + 4000 * k].copy()
            if k == 2:
                batch["Utilization"] = (batch["Utilization"] + 0.15).clip(0, 1)
            rep = monitor.check(batch, batch_id=month, y=batch["Status"], bad_value=0)
            store.write(rep, as_of=month)
            reports.append(rep)
    return reports, store_path


def test_drift_report_has_every_section_and_flags_the_shift(monitored):
    reports, _ = monitored
    html = reports[-1].to_html()
    assert_self_contained(html)
    for heading in DRIFT_SECTIONS:
        assert f">{heading}</h2>" in html, heading
    assert "Drift: Utilization" in html
    assert '<tr class="flag">' in html
    assert html.count("<svg") >= 4


def test_unlabelled_report_has_no_performance_section_and_escapes_names():
    rep = drift_from_counts(
        [[50, 30, 20], [10, 10, 80]],
        [[45, 35, 20], [10, 15, 75]],
        features=["<b>age</b>", "score"],
        kinds=["feature", "score"],
        batch_id="<i>b</i>",
    )
    html = drift_report_html(rep, title="T & T")
    assert "Performance" not in html and "Characteristic analysis" not in html
    assert "<b>age</b>" not in html and "&lt;b&gt;age&lt;/b&gt;" in html
    assert "<i>b</i>" not in html and "T &amp; T" in html
    with pytest.raises(TypeError, match="report must be a DriftReport"):
        drift_report_html(rep.to_frame())


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


def test_reports_in_headless_chromium(monitored, browser, tmp_path):
    reports, path = monitored
    drift_file = tmp_path / "drift.html"
    assert reports[-1].to_html(drift_file) == drift_file.read_text(encoding="utf-8")
    page = browser.open(drift_file, screenshot=tmp_path / "drift.png")
    assert page.console_errors == [] and page.requests == []
    assert page.title == "Drift report"
    for heading in DRIFT_SECTIONS:
        assert heading in page.headings, heading
    assert page.svg_count >= 4
    assert "Utilization" in page.text and "DeLong" in page.text
    assert page.screenshot.stat().st_size > 20_000
    assert page.size[0] <= 1280  # no horizontal overflow of the page
    with HistoryStore(path, create=False) as store:
        hist_file = tmp_path / "history.html"
        assert store.to_html(hist_file) == hist_file.read_text(encoding="utf-8")
    page = browser.open(hist_file, screenshot=tmp_path / "history.png")
    assert page.console_errors == [] and page.requests == []
    assert page.title == "Drift history"
    assert {"Overview", "Model card-v1"} <= set(page.headings)
    assert page.svg_count >= 2
    assert "2024-03" in page.text
    assert page.screenshot.stat().st_size > 20_000
