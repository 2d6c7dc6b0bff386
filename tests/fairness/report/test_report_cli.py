"""`infoscore fairness` with the small-group, reference and weight options.

(The command's other tests live in tests/fairness/test_cli.py.)
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from fairness import assess
from scorecard import DataConditionWarning, Scorecard
from scorecard._kit.cli import main
from scorecard.datasets import load_simucredit


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fairness_command")
    data = load_simucredit().sample(2500, random_state=5).reset_index(drop=True)
    data["w"] = np.random.default_rng(0).uniform(0.5, 2.0, len(data))
    data.to_csv(folder / "data.csv", index=False)
    X = data.drop(columns=["Status", "Race", "Gender", "w"])
    y = (data["Status"] == 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        card = Scorecard().fit(X, y)
    card.to_json(folder / "card.json")
    return folder, data, card


def _run(capsys, argv):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        code = main([str(a) for a in argv])
    return code, *capsys.readouterr()


def test_reference_rule_min_group_size_and_weights(files, capsys):
    folder, data, card = files
    out, js = folder / "r.html", folder / "r.json"
    code, stdout, err = _run(
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


def test_bad_weight_options_exit_2(files, tmp_path, capsys):
    folder, _, _ = files
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
    code, _, err = _run(capsys, [*base, "--weight", "nope"])
    assert code == 2 and "--weight column 'nope' not in the data" in err
    code, _, err = _run(capsys, [*base, "--weight-kind", "sampling"])
    assert code == 2 and "--weight-kind needs --weight" in err
    code, _, err = _run(capsys, [*base, "--min-group-size", "100000"])
    assert code == 2 and "fewer than min_group_size=100000 rows" in err
