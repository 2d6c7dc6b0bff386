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


# --------------------------------------------------------------------------
# issue 21: held-out data, gains tables, feature decisions, polish


def test_data_sets_side_by_side_with_gains_tables(card, german_data):
    X, y = german_data
    X_test, y_test = X.iloc[::2], y[::2]
    html = card.to_html(data={"train": (X, y), "test": (X_test, y_test)})
    assert "<th>metric</th><th>train</th><th>test</th>" in html
    assert "Gains table: train" in html and "Gains table: test" in html
    cells = _cells(html)
    auc = delong_auc(y_test, card.predict_score(X_test), higher="good")
    assert format_number(auc.estimate) in cells
    assert f"{len(y_test):,}" in cells  # rows as an integer
    # the test table uses the training bands
    train = card.gains_table(X, y)
    test = card.gains_table(X_test, y_test, bands=train.attrs["edges"])
    for value in test["bad_rate_ci_high"]:
        assert format_number(value) in cells
    assert "95% Jeffreys" in html


def test_report_polish_integers_points_and_no_private_names(card):
    html = card.to_html()
    assert re.search(r"<dd>1,000</dd>", html)  # training rows, not 1,000.0
    points = card.points_table()["points"]
    cells = _cells(html)
    for value in points:
        assert f"{round(float(value), 1) + 0.0:,.1f}" in cells
    assert "-0.0<" not in html
    assert not re.search(
        r"\b_[A-Z][A-Za-z]+", html.split("<style")[0] + html.split("</style>")[1]
    )
    rounded = Scorecard(rounding=True).fit(*_small())
    rounded_cells = _cells(rounded.to_html())
    for value in rounded.points_table()["points"]:
        assert f"{int(value):,}" in rounded_cells


def _small():
    from scorecard.datasets import load_german_credit

    data = load_german_credit()
    y = (data["creditability"] == "bad").astype(int).to_numpy()
    return data[["duration_in_month", "credit_amount", "age_in_years"]], y


def test_feature_decisions_are_rendered_when_the_model_has_them(german_data):
    import pandas as pd

    X, y = german_data
    card = Scorecard().fit(X, y)
    # the fitted model's own decisions (sign-constrained features dropped)
    html = card.to_html()
    assert ">Feature decisions</h2>" in html
    for row in card.feature_decisions_.itertuples():
        assert f"<td>{row.feature}</td>" in html
    card.feature_decisions_ = pd.DataFrame(
        {
            "feature": ["a", "b"],
            "status": ["selected", "dropped"],
            "step": ["model", "selection"],
            "reason": ["in the model", "correlation 0.97 with 'a'"],
        }
    )
    html = card.to_html()
    assert ">Feature decisions</h2>" in html
    assert "correlation 0.97 with &#39;a&#39;" in html
    assert '<tr class="flag"><td>b</td>' in html


def test_boosted_report_with_held_out_data_and_after_a_round_trip(german):
    from scorecard import load

    X, y = german
    X = X.select_dtypes("number")  # no category of the test rows unseen in training
    boosted = BoostedScorecard(n_rounds=10).fit(X.iloc[:700], y[:700])
    data = {"train": (X.iloc[:700], y[:700]), "test": (X.iloc[700:], y[700:])}
    for model in (boosted, load(boosted.to_json())):
        html = scorecard_report(model, data=data)
        assert "Gains table: test" in html and "<th>test</th>" in html
        assert_self_contained(html)
