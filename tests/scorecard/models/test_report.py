"""The scorecard report: one ``to_html`` shape, honouring ``alpha``."""

from __future__ import annotations

import re

import matplotlib
import numpy as np
import pytest

from scorecard import BoostedScorecard, Scorecard, delong_auc, scorecard_report
from scorecard._kit.report import format_number
from scorecard._models._report import confidence_label
from tests._browser import assert_self_contained


@pytest.fixture(scope="module")
def german_data(german):
    # Eight features keep each rendered report (one binning plot a feature)
    # near a second; the report's structure does not depend on their number.
    X, y = german
    return X.drop(columns=["foreign_worker"]).iloc[:, :8], y


@pytest.fixture(scope="module")
def card(german_data):
    X, y = german_data
    return Scorecard().fit(X, y)


def _cells(html: str) -> set[str]:
    return set(re.findall(r"<td[^>]*>([^<]*)</td>", html))


@pytest.mark.parametrize(
    ("alpha", "text"), [(0.05, "95%"), (0.1, "90%"), (0.01, "99%"), (0.001, "99.9%")]
)
def test_confidence_label(alpha, text):
    assert confidence_label(alpha) == text


def test_to_html_returns_the_page_and_writes_it(card, german_data, tmp_path):
    X, y = german_data
    path = tmp_path / "card.html"
    with matplotlib.rc_context({"svg.hashsalt": "fixed"}):
        html = card.to_html(path, data={"train": (X, y)}, title="My card")
        again = scorecard_report(card, data={"train": (X, y)}, title="My card")
    assert path.read_text(encoding="utf-8") == html
    assert again == html  # the public function delegates to the method
    assert "<title>My card</title>" in html
    assert_self_contained(html)
    for heading in ("Model summary", "Information table", "Coefficients"):
        assert f">{heading}</h2>" in html


def test_alpha_sets_every_interval_caption_and_label(card, german_data):
    X, y = german_data
    html = card.to_html(data={"test": (X, y)}, alpha=0.1)
    assert "90%" in html and "95%" not in html
    auc = delong_auc(y, card.predict_score(X), higher="good")
    cells = _cells(html)
    for value in auc.ci(0.1):
        assert format_number(value) in cells
    assert format_number(auc.ci(0.05)[0]) not in cells
    info = card.information_table(alpha=0.1)
    for value in info["ci_high"]:
        assert format_number(value) in cells
    coef = card.coefficients_
    low = coef["coef"].iloc[0] - 1.6448536269514722 * coef["se"].iloc[0]
    assert format_number(low) in cells
    assert "Intervals are 90% Wald intervals (alpha = 0.1)." in html


def test_default_alpha_keeps_the_95_percent_page(card):
    html = card.to_html()
    assert "95%" in html and "90%" not in html
    assert "IV (95% Wald CI)" in html


def test_string_labels_in_data_use_the_training_labels(german_data):
    X, y = german_data
    labels = np.where(y == 1, "bad", "good")
    card = Scorecard(bad_value="bad").fit(X, labels)
    html = card.to_html(data={"train": (X, labels)})
    auc = delong_auc(y, card.predict_score(X), higher="good")
    assert format_number(auc.estimate) in _cells(html)


def test_boosted_scorecard_has_the_same_report_shape(german, tmp_path):
    X, y = german
    boosted = BoostedScorecard(n_rounds=10).fit(X, y)
    path = tmp_path / "boosted.html"
    html = boosted.to_html(path, data={"train": (X, y)}, alpha=0.2)
    assert path.read_text(encoding="utf-8") == html
    assert "<title>Boosted scorecard report</title>" in html
    assert "Monotone constraints" in html and "Points table" in html
    assert "80%" in html and "95%" not in html
    assert_self_contained(html)


def test_bad_report_input(card):
    with pytest.raises(ValueError, match=r"alpha \(one minus the coverage\)"):
        card.to_html(alpha=1.5)
    with pytest.raises(TypeError, match="card must be a Scorecard.*got dict"):
        scorecard_report({})
    with pytest.raises(ValueError, match="does not occur"):
        card.to_html(data={"x": (None, ["a", "b"])})
