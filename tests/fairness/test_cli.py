"""`infoscore fairness` and `infoscore frontier` on real files; the demo step."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from fairness import assess
from fairness._cli import choose_operating_point, demo_step
from scorecard import BoostedScorecard, DataConditionWarning, Scorecard
from scorecard._kit.cli import DemoContext, main
from scorecard.datasets import load_simucredit


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A SimuCredit sample as CSV and a scorecard artifact fitted on it."""
    folder = tmp_path_factory.mktemp("fairness_cli")
    data = load_simucredit().sample(4000, random_state=3).reset_index(drop=True)
    data.to_csv(folder / "data.csv", index=False)
    X = data.drop(columns=["Status", "Race", "Gender"])
    y = (data["Status"] == 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        card = Scorecard().fit(X, y)
    card.to_json(folder / "card.json")
    boosted = BoostedScorecard(n_rounds=30).fit(X, y)
    boosted.to_json(folder / "boosted.json")
    return folder, data, {"card.json": card, "boosted.json": boosted}


def run(capsys, argv):
    with warnings.catch_warnings():
        # data conditions (smoothed zero cells, single-bin features) are
        # printed by the CLI; they are not what these tests check
        warnings.simplefilter("ignore", DataConditionWarning)
        code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- fairness


@pytest.mark.parametrize("artifact", ["card.json", "boosted.json"])
def test_fairness_report_numbers_match_assess(files, capsys, artifact):
    folder, data, cards = files
    card = cards[artifact]
    out = folder / "report.html"
    code, stdout, err = run(
        capsys,
        [
            "fairness",
            folder / artifact,
            folder / "data.csv",
            "--target",
            "Status",
            "--bad-value",
            "0",
            "--protected",
            "Race",
            "--out",
            out,
            "--json",
            folder / "report.json",
        ],
    )
    assert code == 0, err
    html = out.read_text()
    for section in ("summary", "groups", "proxies", "methodology"):
        assert f'<section id="{section}">' in html
    doc = json.loads((folder / "report.json").read_text())
    # oracle: the approval rates by hand (top half of the points approved)
    score = card.predict_score(data[list(card.feature_names_in_)])
    y = (data["Status"] == 0).to_numpy().astype(int)
    k = len(score) // 2
    cut = np.sort(score)[::-1][k - 1]
    approved = (score > cut) + (score == cut) * (k - (score > cut).sum()) / (
        score == cut
    ).sum()
    race = data["Race"].to_numpy()
    rates = {g: approved[race == g].mean() for g in (0, 1)}
    groups = {row["group"]: row for row in doc["groups"]}
    assert groups["Race=0"]["approval_rate"] == pytest.approx(rates[0])
    assert groups["Race=0"]["air"] == pytest.approx(rates[0] / rates[1])  # ref: larger
    assert doc["settings"]["reference_group"] == "Race=1"
    direct = assess(y, score, sensitive_features=data["Race"])
    assert groups["Race=0"]["air_ci_low"] == pytest.approx(
        direct.groups.loc["Race=0", "air_ci_low"]
    )
    # the proxy table uses the model's own bins: Mortgage is the top proxy
    assert doc["proxies"][0]["feature"] == "Mortgage"
    assert "Race=0" in stdout and f"written: {out}" in stdout


def test_fairness_intersectional_and_cutoff(files, capsys):
    folder, data, _ = files
    out = folder / "inter.html"
    code, stdout, err = run(
        capsys,
        [
            "fairness",
            folder / "card.json",
            folder / "data.csv",
            "--target",
            "Status",
            "--bad-value",
            "0",
            "--protected",
            "Race",
            "Gender",
            "--cutoff",
            "500",
            "--out",
            out,
        ],
    )
    assert code == 0, err
    assert "4 groups" in stdout and "Race=0, Gender=1" in stdout
    assert "cutoff 500" in stdout


def _bad(files, tmp_path, name, **change):
    """A copy of the data with one column changed, as CSV."""
    folder, data, _ = files
    frame = data.copy()
    for col, values in change.items():
        frame[col] = values
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("extra", "data_change", "message"),
    [
        (
            ["--protected", "Sex"],
            {},
            r"--protected column\(s\) \['Sex'\] not in the data",
        ),
        (
            ["--protected", "Race"],
            {"Race": 1},
            "--protected column 'Race' has a single value",
        ),
        (
            ["--protected", "Race", "--bad-value", "7"],
            {},
            "--bad-value '7' does not occur in column 'Status'",
        ),
        (
            ["--protected", "Race"],
            {"Status": "x"},
            "--target column 'Status' must be 0/1",
        ),
        (
            ["--protected", "Race", "--approval-rate", "1.5"],
            {},
            r"--approval-rate must be in \(0, 1\); got 1.5",
        ),
    ],
)
def test_fairness_bad_input_exit_2(
    files, tmp_path, capsys, extra, data_change, message
):
    folder, _, _ = files
    data = _bad(files, tmp_path, "bad.csv", **data_change)
    out = tmp_path / "r.html"
    argv = ["fairness", folder / "card.json", data, "--target", "Status", *extra]
    code, stdout, err = run(capsys, [*argv, "--out", out])
    assert code == 2
    assert err.startswith("infoscore fairness: error: ")
    assert len(err.strip().splitlines()) == 1
    import re

    assert re.search(message, err), err
    assert not out.exists()


def test_fairness_not_a_scorecard_and_bad_out(files, tmp_path, capsys):
    folder, _, _ = files
    base = ["fairness", folder / "card.json", folder / "data.csv", "--target"]
    base += ["Status", "--bad-value", "0", "--protected", "Race", "--out"]
    code, _, err = run(capsys, [*base, tmp_path / "report.txt"])
    assert code == 2 and "--out must be an .html file" in err
    code, _, err = run(capsys, [*base, tmp_path / "no" / "such" / "r.html"])
    assert code == 2 and "of --out does not exist" in err
    bogus = tmp_path / "card.json"
    bogus.write_text("{}")
    argv = ["fairness", bogus, folder / "data.csv", "--target", "Status"]
    code, _, err = run(capsys, [*argv, "--protected", "Race", "--out", "r.html"])
    assert code == 2 and err.startswith("infoscore fairness: error: ")


def _weighted_csv(files, folder):
    data = files[1].assign(w=np.random.default_rng(0).uniform(0.5, 2.0, len(files[1])))
    data.to_csv(folder / "weighted.csv", index=False)
    return data


def test_fairness_reference_rule_min_group_size_and_weights(files, tmp_path, capsys):
    folder, card = files[0], files[2]["card.json"]
    data = _weighted_csv(files, tmp_path)
    out, js = tmp_path / "r.html", tmp_path / "r.json"
    code, stdout, err = run(
        capsys,
        [
            "fairness",
            folder / "card.json",
            tmp_path / "weighted.csv",
            "--target",
            "Status",
            "--bad-value",
            "0",
            "--protected",
            "Race",
            "Gender",
            "--reference-rule",
            "most_favoured",
            "--min-group-size",
            "50",
            "--weight",
            "w",
            "--weight-kind",
            "sampling",
            "--out",
            out,
            "--json",
            js,
        ],
    )
    assert code == 0, err
    doc = json.loads(js.read_text())
    settings = doc["settings"]
    assert settings["reference_rule"] == "most_favoured"
    assert settings["min_group_size"] == 50 and settings["weight_kind"] == "sampling"
    y = (data["Status"] == 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        res = assess(
            y,
            card.predict_score(data[list(card.feature_names_in_)]),
            sensitive_features=data[["Race", "Gender"]],
            reference_rule="most_favoured",
            min_group_size=50,
            sample_weight=data["w"].to_numpy(),
            weight_kind="sampling",
        )
    assert settings["reference_group"] == res.reference_group
    got = {g["group"]: g["air"] for g in doc["groups"]}
    for name, air in res.groups["air"].items():
        assert got[name] == pytest.approx(air, rel=1e-9)
    # the reference is the most favoured group: no AIR above 1 among the
    # groups large enough to be chosen
    big = res.groups[~res.groups["small_group"]]
    assert (big["air"] <= 1 + 1e-12).all()
    html = out.read_text(encoding="utf-8")
    assert f"reference group {res.reference_group} (the most favoured group" in html


def test_fairness_bad_weight_options_exit_2(files, tmp_path, capsys):
    folder = files[0]
    base = [
        "fairness",
        folder / "card.json",
        folder / "data.csv",
        "--target",
        "Status",
        "--bad-value",
        "0",
        "--protected",
        "Race",
        "--out",
        tmp_path / "x.html",
    ]
    code, _, err = run(capsys, [*base, "--weight", "nope"])
    assert code == 2 and "--weight column 'nope' not in the data" in err
    code, _, err = run(capsys, [*base, "--weight-kind", "sampling"])
    assert code == 2 and "--weight-kind needs --weight" in err
    code, _, err = run(capsys, [*base, "--min-group-size", "100000"])
    assert code == 2 and "fewer than min_group_size=100000 rows" in err


# ---------------------------------------------------------------- frontier


def test_frontier_command(files, capsys):
    folder, _, _ = files
    out = folder / "frontier.html"
    code, stdout, err = run(
        capsys,
        [
            "frontier",
            folder / "data.csv",
            "--target",
            "Status",
            "--bad-value",
            "0",
            "--protected",
            "Race",
            "Gender",
            "--n-eps",
            "4",  # every check is per row; 4 budgets cost less than 6
            "--exclude",
            "Open Trade",
            "--out",
            out,
            "--json",
            folder / "frontier.json",
        ],
    )
    assert code == 0, err
    doc = json.loads((folder / "frontier.json").read_text())
    table = pd.DataFrame(doc["frontier"])
    assert len(table) == 4
    assert set(table["status"]) <= {"optimal", "relaxed"}
    # feature sets in words, cutoffs in points, dominated points marked
    assert table["features"].str.contains(r"\(\d+ bins").all()
    assert table["cutoff_points"].between(300, 900).all()
    assert "dominated" in table
    assert not table["features"].str.contains("Open Trade|Race|Gender").any()
    # the operating point follows the rule: best AUC with AIR in [0.8, 1.25]
    assert doc["operating_point"] == pytest.approx(choose_operating_point(table))
    # the assessment of the operating point is intersectional
    assert len(doc["groups"]) == 4
    html = out.read_text()
    assert '<section id="frontier">' in html and "operating point" in stdout


def test_frontier_bad_input(files, tmp_path, capsys):
    folder, data, _ = files
    base = ["frontier", folder / "data.csv", "--target", "Status", "--bad-value", "0"]
    out = ["--out", tmp_path / "f.html"]
    code, _, err = run(
        capsys, [*base, "--protected", "Race", "--min-group-size", "5000", *out]
    )
    assert code == 2
    assert "fewer than two groups have at least min_group_size=5000" in err
    code, _, err = run(capsys, [*base, "--protected", "Nope", *out])
    assert code == 2 and "['Nope'] not in the data" in err
    code, _, err = run(capsys, [*base, "--protected", "Race", "--exclude", "Zz", *out])
    assert code == 2 and "--exclude names columns not in the data: ['Zz']" in err
    constant = _bad(files, tmp_path, "c.csv", Gender=0)
    argv = ["frontier", constant, "--target", "Status", "--bad-value", "0"]
    code, _, err = run(capsys, [*argv, "--protected", "Race", "Gender", *out])
    assert code == 2 and "--protected column 'Gender' has a single value" in err
    code, _, err = run(capsys, [*base, "--protected", "Race", "--eps", "0", *out])
    assert code == 2 and "is below the smallest feasible value" in err
    assert not (tmp_path / "f.html").exists()


def test_frontier_degenerate_features_and_any_attribute(files, tmp_path, capsys):
    folder, data, _ = files
    rng = np.random.default_rng(0)
    n = len(data)
    path = _bad(
        files,
        tmp_path,
        "odd.csv",
        Flat=1.0,
        # 95% zeros is not constant
        Intro=np.where(rng.random(n) < 0.95, 0.0, rng.integers(1, 60, n)),
        Income=data["Race"] + rng.normal(size=n),  # a continuous attribute
    )
    out = tmp_path / "odd.html"
    base = ["frontier", path, "--target", "Status", "--bad-value", "0"]
    code, stdout, err = run(
        capsys, [*base, "--protected", "Income", "--n-eps", "3", "--out", out]
    )
    assert code == 0, err
    assert "note: feature 'Flat' skipped before the optimisation" in stdout
    # 95% zeros is reported as such, never as constant
    assert (
        "feature 'Flat' skipped before the optimisation: a single bin: the " in stdout
    )
    intro = [line for line in stdout.splitlines() if "'Intro'" in line]
    assert all("constant on" not in line for line in intro)
    assert out.exists() and "written:" in stdout
    # three protected columns: intersections capped at --max-groups
    code, stdout, err = run(
        capsys,
        [
            *base,
            "--protected",
            "Race",
            "Gender",
            "Mortgage",
            "--max-groups",
            "5",
            "--n-eps",
            "2",
            "--out",
            out,
        ],
    )
    assert code == 0, err
    assert "groups pooled into 'other'" in stdout


def test_choose_operating_point():
    table = pd.DataFrame(
        {
            "eps": [0.0, 0.1, 0.5, 1.0, 2.0],
            "auc": [np.nan, 0.70, 0.75, 0.80, 0.82],
            "air": [np.nan, 0.98, 1.30, 0.85, 0.60],
        }
    )
    assert choose_operating_point(table) == 1.0  # 1.30 is outside [0.8, 1.25]
    assert choose_operating_point(table, min_air=0.99) == 0.1  # closest to 1
    with pytest.raises(ValueError, match=r"min_air must be in \(0, 1\]; got 0"):
        choose_operating_point(table, min_air=0)
    with pytest.raises(ValueError, match="no solved row"):
        choose_operating_point(table.iloc[:1])


# -------------------------------------------------------------------- demo


def _check_demo_step(tmp_path, n_rows):
    data = load_simucredit().sample(n_rows, random_state=0)
    y = (data["Status"] == 0).to_numpy().astype(int)
    protected = data[["Race", "Gender"]]
    X = data.drop(columns=["Status", "Race", "Gender"])
    X_tr, X_te, y_tr, y_te, s_tr, s_te = train_test_split(
        X, y, protected, test_size=0.3, stratify=y, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        card = Scorecard().fit(X_tr, y_tr)
    lines: list[str] = []
    context = DemoContext(out_dir=Path(tmp_path))
    context.say = lines.append  # type: ignore[method-assign]
    context.results.update(
        scorecard=card,
        split={
            "X_train": X_tr,
            "X_test": X_te,
            "y_train": y_tr,
            "y_test": y_te,
            "s_train": s_tr,
            "s_test": s_te,
        },
    )
    demo_step(context)
    html = (tmp_path / "fairness_report.html").read_text()
    for section in ("summary", "groups", "proxies", "frontier", "operating-point"):
        assert f'<section id="{section}">' in html
    assert (tmp_path / "fairness_frontier.html").exists()
    text = "\n".join(lines)
    assert "Race x Gender" in text and "operating point AUC" in text
    # the printed AIR is that of assess on the test split
    res = assess(y_te, card.predict_score(X_te), sensitive_features=s_te[["Race"]])
    assert f"{res.groups.loc['Race=0', 'air']:.4f}" in text
    return text


def test_demo_step_writes_the_report(tmp_path, monkeypatch):
    # The demo's 15 frontier budgets are most of its cost and not what this
    # checks (the report and the printed numbers): 3 budgets on 4,000 rows
    # here; the slow set runs the step as the demo does (below, and
    # `infoscore demo` in tests/scorecard/kit/test_cli.py).
    import fairness._cli as fairness_cli

    asked = []
    full = fairness_cli.fit_frontier

    def three_budgets(*args, **kwargs):
        asked.append(kwargs["eps"])
        return full(*args, **{**kwargs, "eps": 3})

    monkeypatch.setattr(fairness_cli, "fit_frontier", three_budgets)
    text = _check_demo_step(tmp_path, 4000)
    assert asked == [15]
    assert "frontier (3 eps)" in text


@pytest.mark.slow
def test_demo_step_writes_the_report_as_the_demo_runs_it(tmp_path):
    _check_demo_step(tmp_path, 6000)


def test_demo_step_without_a_scorecard(tmp_path):
    lines: list[str] = []
    context = DemoContext(out_dir=Path(tmp_path))
    context.say = lines.append  # type: ignore[method-assign]
    demo_step(context)
    assert lines == ["\nFairness: skipped (the scorecard step did not run)."]
