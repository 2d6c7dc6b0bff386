"""The validation report: JSON, HTML content, alpha, and a real browser."""

from __future__ import annotations

import numpy as np
import pytest

from monitoring import (
    HistoryStore,
    ValidationMonitor,
    ValidationReport,
)
from tests._browser import assert_self_contained

SECTIONS = [
    "Summary",
    "Calibration by grade",
    "Discriminatory power",
    "Stability",
    "All tests",
]


@pytest.fixture(scope="module")
def reports(calibrated, batches, tmp_path_factory):
    cal, X, y = calibrated
    monitor = ValidationMonitor(cal, initial_auc=0.8, model_id="pd-v1")
    out, path = [], tmp_path_factory.mktemp("val") / "store.db"
    with HistoryStore(path) as store:
        for year, rows in batches.items():
            previous = cal.predict_grade(X.iloc[np.roll(rows, 3)])
            rep = monitor.check(
                X.iloc[rows], y=y[rows], batch_id=year, previous_grade=previous
            )
            store.write_validation(rep, as_of=f"{year}-12-31")
            out.append(rep)
    return out, path


@pytest.fixture(scope="module")
def page_file(reports, tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "validation.html"
    html = reports[0][-1].to_html(path)
    return path, html


def test_html_has_every_section_and_honours_alpha(reports, page_file):
    rep = reports[0][-1]
    path, html = page_file
    assert path.read_text(encoding="utf-8") == html
    assert_self_contained(html)
    for heading in SECTIONS:
        assert f">{heading}</h2>" in html, heading
    assert "95% Jeffreys CI" in html and "Migration matrix" in html
    assert "Red: grade(s)" in html
    wide = rep.to_html(alpha=0.1)
    assert "90% Jeffreys CI" in wide and "95% Jeffreys CI" not in wide
    with pytest.raises(ValueError, match="alpha"):
        rep.to_html(alpha=1.5)


def test_json_round_trip_and_bad_documents(reports):
    rep = reports[0][0]
    back = ValidationReport.from_json(rep.to_json())
    assert back.grade_table().equals(rep.grade_table())
    with pytest.raises(ValueError, match="Not an infoscore validation report"):
        ValidationReport.from_json('{"format": "other"}')


def test_reports_in_headless_chromium(reports, page_file, browser, tmp_path):
    path, _ = page_file
    page = browser.open(path, screenshot=tmp_path / "validation.png")
    assert page.console_errors == [] and page.requests == []
    assert page.title == "Validation report"
    for heading in SECTIONS:
        assert heading in page.headings, heading
    assert page.svg_count >= 2
    assert "Jeffreys" in page.text and "Herfindahl" in page.text
    assert page.screenshot.stat().st_size > 20_000
    assert page.size[0] <= 1280
    with HistoryStore(reports[1], create=False) as store:
        hist = tmp_path / "history.html"
        store.validation_to_html(hist, model_id="pd-v1")
    page = browser.open(hist, screenshot=tmp_path / "history.png")
    assert page.console_errors == [] and page.requests == []
    expected = {
        "Validation runs",
        "Portfolio tests over time",
        "Traffic lights per grade",
    }
    assert expected <= set(page.headings)
    assert "2024" in page.text and page.svg_count >= 1


def test_history_page_of_the_store_shows_the_validation_runs(reports):
    """``HistoryStore.to_html`` (``infoscore history``) carries the validation tests."""
    _, path = reports
    with HistoryStore(path) as store:
        html = store.to_html()
        tests = store.validation_history("pd-v1")
    assert "Validation runs (pd-v1)" in html
    assert "Traffic lights per grade (pd-v1)" in html
    assert "Jeffreys p-value per grade and batch" in html
    # every stored batch of the Jeffreys test appears as a column of the page
    for batch in tests.loc[tests["test"] == "jeffreys", "batch_id"].unique():
        assert f"<th>{batch}</th>" in html
