"""FairnessReport: sections, JSON, frontier plot, and the page in headless Chromium."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from fairness import FairnessReport, assess, proxy_table
from fairness._report._frontier import frontier_section
from scorecard import DataConditionWarning
from scorecard._kit.report import Plot
from scorecard.datasets import load_simucredit
from tests._browser import assert_self_contained


@pytest.fixture(scope="module")
def simucredit():
    """SimuCredit with bad = Status 0 and a quick logistic-regression score."""
    data = load_simucredit()
    y = (data["Status"] == 0).to_numpy().astype(int)
    X = data.drop(columns=["Status", "Race", "Gender"])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    model.fit(X, y)
    log_odds_good = -model.decision_function(X)
    score = 600 + 20 / math.log(2) * log_odds_good  # points: 20 to double odds
    return data, X, y, score


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    n = 3000
    race = rng.choice(["a", "b"], size=n, p=[0.7, 0.3])
    y = rng.binomial(1, 0.3, n)
    score = 600 + 40 * rng.normal(size=n) - 40 * y - 25 * (race == "b")
    X = pd.DataFrame(
        {"proxy": rng.normal(size=n) + (race == "b"), "noise": rng.normal(size=n)}
    )
    res = assess(y, score, sensitive_features=pd.Series(race, name="race"))
    return res, proxy_table(X, pd.Series(race, name="race"), y=y)


def _frontier() -> pd.DataFrame:
    # a stand-in frontier table with the columns ParetoFrontier.frontier_ uses
    return pd.DataFrame(
        {
            "eps": [0.01, 0.05, 0.1, 0.2, 0.001],
            "status": ["optimal", "optimal", "feasible", "optimal", "infeasible"],
            "n_features": [2, 3, 4, 5, 0],
            "auc": [0.70, 0.75, 0.78, 0.80, np.nan],
            "auc_se": [0.006, 0.006, 0.005, 0.005, np.nan],
            "demographic_iv": [0.01, 0.04, 0.09, 0.18, np.nan],
            "demographic_iv_se": [0.004, 0.008, 0.01, 0.02, np.nan],
            "air": [0.97, 0.9, 0.82, 0.7, np.nan],
            "air_low": [0.93, 0.86, 0.78, 0.66, np.nan],
            "air_high": [1.01, 0.94, 0.86, 0.74, np.nan],
        }
    )


def _ids(html: str) -> list[str]:
    import re

    return re.findall(r'<section id="([^"]+)">', html)


def test_sections_without_optional_parts(small):
    res, _ = small
    html = FairnessReport(res).to_html()
    assert _ids(html) == [
        "summary",
        "groups",
        "metrics",
        "constraint",
        "distributions",
        "operating-point",
        "methodology",
    ]
    assert_self_contained(html)
    assert "race=b" in html and "four-fifths" in html.lower()
    assert html.count("<svg") == 4  # AIR, AUC, IV constraint, score shares


def test_sections_with_proxy_and_frontier(small, tmp_path):
    res, proxies = small
    report = FairnessReport(
        res,
        proxy=proxies,
        frontier=_frontier(),
        operating_point=0.05,
        title="T",
        subtitle="S",
    )
    path = tmp_path / "r.html"
    html = report.to_html(path)
    assert path.read_text(encoding="utf-8") == html
    ids = _ids(html)
    assert ids.index("proxies") < ids.index("frontier") < ids.index("operating-point")
    assert "1 budget value(s) had no solution" in html
    assert "Chosen frontier point: budget = 0.05." in html
    assert_self_contained(html)


def test_frontier_plot_error_bars_and_operating_point(small):
    res, _ = small
    report = FairnessReport(res, frontier=_frontier(), operating_point=0.1)
    section = frontier_section(report.frontier, 0.1, res.alpha)
    fig = next(b.figure for b in section.blocks if isinstance(b, Plot))
    ax = fig.axes[0]
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_xdata(), [0.97, 0.9, 0.82, 0.7])
    np.testing.assert_allclose(line.get_ydata(), [0.70, 0.75, 0.78, 0.80])
    # AUC bars from auc_se (+- 1.96 SE), AIR bars from air_low/air_high
    caps = [c for c in ax.collections if c.__class__.__name__ == "LineCollection"]
    segments = [np.asarray(s) for c in caps for s in c.get_segments()]
    vertical = [s for s in segments if np.isclose(s[0, 0], s[1, 0])]
    horizontal = [s for s in segments if np.isclose(s[0, 1], s[1, 1])]
    np.testing.assert_allclose(
        sorted(abs(s[1, 1] - s[0, 1]) for s in vertical),
        sorted(2 * 1.959964 * np.array([0.006, 0.006, 0.005, 0.005])),
        rtol=1e-5,
    )
    assert sorted(round(abs(s[1, 0] - s[0, 0]), 6) for s in horizontal) == [
        0.08,
        0.08,
        0.08,
        0.08,
    ]
    stars = [
        c
        for c in ax.collections
        if isinstance(c, PathCollection) and len(c.get_offsets()) == 1
    ]
    offsets = [tuple(np.round(c.get_offsets()[0], 6)) for c in stars]
    assert (0.82, 0.78) in offsets  # the operating point (also "not proven optimal")


def test_frontier_object_with_frontier_attribute(small):
    res, _ = small
    report = FairnessReport(res, frontier=SimpleNamespace(frontier_=_frontier()))
    assert isinstance(report.frontier, pd.DataFrame)
    assert "frontier" in _ids(report.to_html())


def test_json_round_trip(small):
    res, proxies = small
    doc = json.loads(FairnessReport(res, proxy=proxies, frontier=_frontier()).to_json())
    assert doc["schema"] == "infoscore.fairness_report/1"
    assert doc["settings"]["reference_group"] == res.reference_group
    assert doc["settings"]["cutoff"] == res.cutoff
    groups = {g["group"]: g for g in doc["groups"]}
    for name, row in res.groups.iterrows():
        assert groups[name]["air"] == pytest.approx(row["air"])
        assert groups[name]["n"] == row["n"]
    air = res.metric("AIR")
    (m,) = [m for m in doc["metrics"] if m["metric"] == "AIR"]
    assert [m["ci_low"], m["ci_high"]] == pytest.approx(list(air.ci()))
    assert doc["frontier"][4]["auc"] is None  # NaN -> null
    assert doc["proxies"][0]["feature"] == "proxy"
    assert doc["four_fifths_violations"] == res.four_fifths_violations


def test_bad_arguments(small):
    res, proxies = small
    with pytest.raises(TypeError, match="assessment must be a FairnessAssessment"):
        FairnessReport(res.groups)
    with pytest.raises(TypeError, match="proxy must be a ProxyTable"):
        FairnessReport(res, proxy=proxies.to_frame())
    with pytest.raises(TypeError, match="frontier must be a DataFrame or a fitted"):
        FairnessReport(res, frontier=[1, 2])
    with pytest.raises(ValueError, match=r"frontier lacks the columns \['air'\]"):
        FairnessReport(res, frontier=_frontier().drop(columns="air"))
    with pytest.raises(ValueError, match="operating_point must be one of the"):
        FairnessReport(res, frontier=_frontier(), operating_point=0.3)
    with pytest.raises(ValueError, match="operating_point needs a frontier"):
        FairnessReport(res, operating_point=0.05)


def test_simucredit_report_in_headless_chromium(simucredit, browser, tmp_path):
    data, X, y, score = simucredit
    race = data["Race"]
    res = assess(y, score, sensitive_features=race, approval_rate=0.5)
    with pytest.warns(DataConditionWarning) as record:
        proxies = proxy_table(X, race, y=y)  # rare counts of Inquiry/Open Trade
    assert all(str(w.message).startswith("Zero cell in 'Inquiry'") for w in record)
    report = FairnessReport(
        res,
        proxy=proxies,
        frontier=_frontier(),
        operating_point=0.05,
        title="SimuCredit fairness report",
    )
    path = tmp_path / "fairness.html"
    report.to_html(path)
    page = browser.open(path, screenshot=tmp_path / "fairness.png")
    assert page.title == "SimuCredit fairness report"
    for heading in (
        "Summary",
        "Groups",
        "Metrics with confidence intervals",
        "Probabilistic constraint on the demographic IV",
        "Score distributions",
        "Proxy features",
        "Accuracy-fairness frontier",
        "Operating point",
        "Methodology",
    ):
        assert heading in page.headings
    assert page.section_ids[0] == "summary"
    assert "Race=0" in page.text and "Mortgage" in page.text
    assert "Adverse impact ratio" in page.text
    # the rendered text names the one reference of the flag, column and plot
    ref = res.reference_group
    assert f"against the reference group {ref} (the largest group)" in page.text
    assert (
        f"adverse impact ratio vs {ref}" in page.text or f"against {ref}" in page.text
    )
    assert page.svg_count == 6
    assert page.console_errors == []
    assert page.requests == []
    png = page.screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.size[1] > 3000  # the whole report, not one viewport


def test_real_frontier_report_in_headless_chromium(browser, tmp_path):
    """A report with a real (small) ParetoFrontier, opened in Chromium."""
    from fairness import ParetoFrontier
    from fairness._cli import choose_operating_point

    data = load_simucredit().sample(6000, random_state=2).reset_index(drop=True)
    y = (data["Status"] == 0).to_numpy().astype(int)
    X = data.drop(columns=["Status", "Race", "Gender"])
    race = data["Race"].to_numpy()
    train, valid = np.arange(4000), np.arange(4000, 6000)
    front = ParetoFrontier(eps=6, random_state=0)
    front.fit(
        X.iloc[train],
        y[train],
        sensitive_features=race[train],
        X_valid=X.iloc[valid],
        y_valid=y[valid],
        sensitive_features_valid=race[valid],
    )
    point = choose_operating_point(front.frontier_)
    score = front.predict_score(X.iloc[valid], eps=point)
    res = assess(
        y[valid],
        score,
        sensitive_features=pd.Series(race[valid], name="group"),
        reference_group=f"group={front.reference_group_}",
    )
    row = front.frontier_[np.isclose(front.frontier_["eps"], point)].iloc[0]
    assert res.metric("AIR").estimate == pytest.approx(row["air"])  # same code
    report = FairnessReport(
        res, frontier=front, operating_point=point, title="Frontier report"
    )
    path = tmp_path / "frontier.html"
    report.to_html(path)
    assert_self_contained(path.read_text())
    page = browser.open(path, screenshot=tmp_path / "frontier.png")
    assert page.title == "Frontier report"
    for heading in ("Accuracy-fairness frontier", "Operating point", "Methodology"):
        assert heading in page.headings
    assert "frontier" in page.section_ids
    assert f"Chosen frontier point: budget = {point:g}." in page.text
    assert "Mortgage" in page.text  # the features column of the frontier table
    assert page.console_errors == []
    assert page.requests == []
    assert page.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
