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
    card = load(card_path)
    # the sign-constrained fit leaves three German credit features out of the
    # model: scoring does not need them (they are ignored with the others)
    left_out = [f for f in card.bins_ if f not in card.model_features_]
    assert len(left_out) == 3
    assert f"ignoring {3 + len(left_out)} column(s)" in capsys.readouterr().err
    scores = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    features = list(card.bins_)
    np.testing.assert_allclose(scores["score"], card.predict_score(data[features]))
    without = tmp_path / f"without{suffix}"
    short = data.drop(columns=left_out)
    if suffix == ".csv":
        short.to_csv(without, index=False)
    else:
        short.to_parquet(without, index=False)
    out2 = tmp_path / f"scores2{suffix}"
    assert main(["score", str(card_path), str(without), "--out", str(out2)]) == 0
    again = pd.read_csv(out2) if suffix == ".csv" else pd.read_parquet(out2)
    np.testing.assert_allclose(again["score"], scores["score"])
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
    card_out = str(tmp_path / "c.json")
    cases = [
        (["score", str(card_path), str(no_col), "--out", out], "purpose"),
        (["score", str(card_path), str(text_col), "--out", out], "'duration_in_month'"),
        (["score", str(newer), str(german_csv), "--out", out], "newer than"),
        (
            ["score", str(card_path), str(german_csv), "--out", "s.txt"],
            ".csv, .parquet",
        ),
        (
            ["fit", str(german_csv), "--target", "creditability", "--out", card_out],
            "must be 0/1",
        ),
        (
            ["fit", str(german_csv), "--target", "nope", "--out", card_out],
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
                card_out,
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


# --------------------------------------------------------------------------
# issue 15: hostile paths and inputs of fit and score


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small CSV (a feature whose name and categories hold "$" pairs) and its card."""
    folder = tmp_path_factory.mktemp("small")
    rng = np.random.default_rng(3)
    n = 600
    x = rng.normal(size=n)
    data = pd.DataFrame(
        {
            "in$_come_$": x,
            "grade": rng.choice(["$a_$", "$b_$", "c"], size=n),
            "y": (rng.random(n) < 1 / (1 + np.exp(-2 * x))).astype(int),
        }
    )
    path = folder / "train.csv"
    data.to_csv(path, index=False)
    card = folder / "card.json"
    assert main(["fit", str(path), "--target", "y", "--out", str(card)]) == 0
    return folder, path, card, folder / "card.html"


def _bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_dollar_pairs_in_data_are_text_not_math(small, tmp_path):
    _, data, _, _ = small
    card, report = tmp_path / "card.json", tmp_path / "card.html"
    args = ["fit", str(data), "--target", "y", "--out", str(card)]
    assert main([*args, "--report", str(report)]) == 0  # was: exit 2 after the card
    html = report.read_text()
    assert "in$_come_$" in html and "$a_$" in html
    assert load(card).predict_score(pd.DataFrame({"in$_come_$": [0.0], "grade": ["c"]}))


def test_outputs_that_name_an_input_are_refused_and_nothing_changes(
    small, tmp_path, capsys
):
    folder, data, card, _ = small
    (tmp_path / "link.json").symlink_to(card)
    before = _bytes(folder)
    fit = ["fit", str(data), "--target", "y", "--out", str(tmp_path / "c.json")]
    score = ["score", str(card), str(data), "--out"]
    cases = [
        ([*fit, "--report", str(data)], "--report"),
        ([*fit, "--report", str(tmp_path / "c.json")], "--report"),
        ([*fit, "--report", str(tmp_path / "r.txt")], ".html"),
        ([*fit[:-1], str(data)], "--out must end in .json"),
        ([*score, str(data)], "would overwrite the input data"),
        ([*score, str(tmp_path / "link.json")], ".csv"),
        ([*score, str(tmp_path)], "is a folder"),
    ]
    for args, message in cases:
        code, err = _run(args, capsys)
        assert code == 2 and message in err, (args, err)
    assert _bytes(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json"]


def _score(card, data, out, capsys, *extra):
    return _run(["score", str(card), str(data), "--out", str(out), *extra], capsys)


def test_score_refuses_shifted_rows_and_duplicate_headers(small, tmp_path, capsys):
    _, _, card, _ = small
    shifted = tmp_path / "shifted.csv"
    shifted.write_text("in$_come_$,grade,id\n0.5,c,1\n1,193.60,c,2\n")
    code, err = _score(card, shifted, tmp_path / "s.csv", capsys)
    assert code == 2 and "line 3: 4 fields, but the header has 3" in err
    twice = tmp_path / "twice.csv"
    twice.write_text("in$_come_$,grade,in$_come_$\n0.5,c,9\n")
    code, err = _score(card, twice, tmp_path / "s.csv", capsys)
    assert code == 2 and "more than once" in err
    assert not (tmp_path / "s.csv").exists()


def test_score_output_is_atomic_neutralised_and_reasons_capped(small, tmp_path, capsys):
    import os

    _, _, card, _ = small
    data = tmp_path / "d.csv"
    pd.DataFrame(
        {"in$_come_$": [0.1, -1.0], "grade": ["c", "$a_$"], "id": ["=1+2", "7"]}
    ).to_csv(data, index=False)
    out = tmp_path / "s.csv"
    stale = tmp_path / f".s.csv.{os.getpid()}.tmp"
    stale.write_text("left by a killed job")
    code, err = _score(card, data, out, capsys, "--keep", "id", "--reasons", "2")
    assert code == 0, err
    scored = pd.read_csv(out)
    assert scored["id"].astype(str).tolist() == ["'=1+2", "7"]
    assert {p.name for p in tmp_path.iterdir()} == {"d.csv", "s.csv", stale.name}
    code, err = _score(card, data, tmp_path / "t.csv", capsys, "--reasons", "100000")
    assert code == 2 and "--reasons must be between 0 and the number" in err


def _edited(card, tmp_path, fn):
    import hashlib

    doc = json.loads(card.read_text())
    fn(doc["payload"])
    canonical = json.dumps(doc["payload"], sort_keys=True, separators=(",", ":"))
    doc["sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    return path


def test_score_refuses_non_finite_models_and_datetime_columns(small, tmp_path, capsys):
    _, data, card, _ = small
    nan_card = _edited(card, tmp_path, lambda p: p.update(intercept_margin="nan"))
    code, err = _score(nan_card, data, tmp_path / "s.csv", capsys)
    assert code == 2 and "'intercept_margin' must be a finite number" in err
    frame = pd.read_csv(data)
    frame["in$_come_$"] = pd.to_datetime("2024-01-01") + pd.to_timedelta(
        np.arange(len(frame)), unit="D"
    )
    dated = tmp_path / "dated.parquet"
    frame.to_parquet(dated)
    code, err = _score(card, dated, tmp_path / "s.csv", capsys)
    assert code == 2 and "date/time dtype" in err
    assert not (tmp_path / "s.csv").exists()
