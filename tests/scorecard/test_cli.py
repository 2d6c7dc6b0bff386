"""``infoscore fit`` and ``infoscore score`` on real files, and the HTML report."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scorecard import load
from scorecard._kit.cli import main
from scorecard.datasets import load_german_credit, load_simucredit
from tests._browser import assert_self_contained, chromium_session


@pytest.fixture(scope="module")
def german_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "german.csv"
    load_german_credit().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fitted(german_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("card")
    card, report = out / "card.json", out / "card.html"
    code = main(
        [
            "fit",
            str(german_csv),
            "--target",
            "creditability",
            "--bad-value",
            "bad",
            "--exclude",
            "foreign_worker",
            "personal_status_and_sex",
            "--out",
            str(card),
            "--report",
            str(report),
        ]
    )
    assert code == 0
    return card, report


def test_fit_writes_an_artifact_without_the_excluded_columns(fitted):
    card_path, _ = fitted
    card = load(card_path)
    assert "personal_status_and_sex" not in card.bins_
    assert "creditability" not in card.bins_
    assert json.loads(card_path.read_text())["kind"] == "Scorecard"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_score_matches_the_python_api(fitted, german_csv, tmp_path, suffix, capsys):
    card_path, _ = fitted
    data = load_german_credit()
    source = german_csv
    if suffix == ".parquet":
        source = tmp_path / "german.parquet"
        data.to_parquet(source, index=False)
    out = tmp_path / f"scores{suffix}"
    code = main(
        ["score", str(card_path), str(source), "--out", str(out), "--reasons", "2"]
    )
    assert code == 0
    assert "ignoring 3 column(s)" in capsys.readouterr().err
    scores = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    card = load(card_path)
    features = list(card.bins_)
    np.testing.assert_allclose(scores["score"], card.predict_score(data[features]))
    assert list(scores.columns) == [
        "score",
        "probability_bad",
        "reason_1",
        "points_lost_1",
        "reason_2",
        "points_lost_2",
    ]


def _run(args, capsys):
    code = main(args)
    return code, capsys.readouterr().err.strip()


def test_bad_input_exits_2_with_one_line(fitted, german_csv, tmp_path, capsys):
    card_path, _ = fitted
    data = load_german_credit()
    no_col = tmp_path / "no_col.csv"
    data.drop(columns=["purpose"]).to_csv(no_col, index=False)
    text_col = tmp_path / "text.csv"
    bad = data.astype({"duration_in_month": object})
    bad.loc[5, "duration_in_month"] = "twelve"
    bad.to_csv(text_col, index=False)
    newer = tmp_path / "newer.json"
    doc = json.loads(card_path.read_text())
    doc["schema_version"] = 99
    newer.write_text(json.dumps(doc))
    out = str(tmp_path / "s.csv")
    cases = [
        (["score", str(card_path), str(no_col), "--out", out], "purpose"),
        (["score", str(card_path), str(text_col), "--out", out], "'duration_in_month'"),
        (["score", str(newer), str(german_csv), "--out", out], "newer than"),
        (
            ["score", str(card_path), str(german_csv), "--out", "s.txt"],
            ".csv, .parquet",
        ),
        (
            ["fit", str(german_csv), "--target", "creditability", "--out", out],
            "must be 0/1",
        ),
        (
            ["fit", str(german_csv), "--target", "nope", "--out", out],
            "--target column 'nope'",
        ),
        (
            [
                "fit",
                str(german_csv),
                "--target",
                "creditability",
                "--bad-value",
                "x",
                "--out",
                out,
            ],
            "does not occur",
        ),
    ]
    for args, message in cases:
        code, err = _run(args, capsys)
        assert code == 2, args
        errors = [line for line in err.splitlines() if ": error: " in line]
        assert len(errors) == 1, err  # one line says what is wrong
        assert message in errors[0], (args, err)


def test_scorecard_report_in_headless_chromium(fitted, tmp_path):
    _, report = fitted
    html = report.read_text()
    assert_self_contained(html)
    with chromium_session() as browser:
        page = browser.open(report, screenshot=tmp_path / "scorecard.png")
    for heading in (
        "Model summary",
        "Information table",
        "Coefficients",
        "Points table",
        "Binning tables",
        "Methodology",
    ):
        assert heading in page.headings
    assert page.svg_count >= 5  # ROC, KS, IV and WoE plots
    assert page.console_errors == []
    assert page.requests == []
    assert page.screenshot is not None and page.screenshot.stat().st_size > 10_000


def test_table1_reproduction_at_ten_rounds():
    from examples.reproduce_table1 import reproduce

    table = reproduce(rounds=(10,))
    assert (table["diff_vs_paper"].abs() <= 0.02).all(), table
    assert (table["gap"] <= 0.010).all(), table
    assert len(load_simucredit()) == 20_000


def test_fit_string_target_without_bad_value_exits_2_naming_labels(
    german_csv, tmp_path, capsys
):
    code, err = _run(
        [
            "fit",
            str(german_csv),
            "--target",
            "creditability",
            "--out",
            str(tmp_path / "c.json"),
        ],
        capsys,
    )
    assert code == 2
    assert (
        "infoscore fit: error: --target column 'creditability' must be 0/1 "
        "(1 = bad, the event) or boolean, or set --bad-value to the label that "
        "means bad; got labels ['bad', 'good']."
    ) in err
    assert not (tmp_path / "c.json").exists()
