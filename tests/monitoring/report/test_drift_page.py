"""The drift page: content, escaping, and both pages in a real browser."""

from __future__ import annotations

import pytest

from monitoring import HistoryStore, drift_from_counts
from monitoring._report import drift_report_html
from tests._browser import assert_self_contained

DRIFT_SECTIONS = ["Summary", "Population stability", "Score distribution",
                  "Characteristic analysis", "Performance", "Bins",
                  "Method and data conditions"]  # fmt: skip


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


def test_drift_page_intervals_are_at_the_reports_alpha(tmp_path):
    rep = drift_from_counts([[50, 30, 20]], [[45, 35, 20]], features=["age"], alpha=0.1)
    path = tmp_path / "drift.html"
    html = rep.to_html(path)
    assert "PSI with 90% CI" in html and "95% CI" not in html
    assert path.read_text(encoding="utf-8") == html
