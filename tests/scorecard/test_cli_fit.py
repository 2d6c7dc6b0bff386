"""``infoscore fit`` with a config file, a test file and the model options;
tidy warnings for every sub-command (issue 21)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import load
from scorecard._kit import cli as shell
from scorecard._kit.cli import main, tidy_warnings
from tests._browser import assert_self_contained, chromium_session


def _frame(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    grade = rng.integers(1, 5, size=n)  # numbers that are categories
    code = np.where(rng.random(n) < 0.1, -999.0, rng.normal(size=n))
    logit = 1.5 * x - 0.4 * grade + 0.8 * (code == -999) + 0.5
    return pd.DataFrame(
        {
            "x": x,
            "grade": grade,
            "code": code,
            "id": np.arange(n),
            "y": (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int),
        }
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fit")
    train, test = folder / "train.csv", folder / "test.csv"
    _frame(0, 1500).to_csv(train, index=False)
    _frame(1, 700).to_csv(test, index=False)
    return folder, train, test


def _run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


CONFIG = """
[data]
train = "train.csv"
test = "test.csv"
target = "y"
exclude = ["id"]
categorical = ["grade"]

[binner]
min_bin_size = 0.04
max_n_bins = 6
special_values = {code = [-999]}

[model]
kind = "woe"
pdo = 40
base_score = 500
base_odds = 20
"""


@pytest.fixture(scope="module")
def fitted(files, tmp_path_factory):
    folder, _, _ = files
    (folder / "run.toml").write_text(CONFIG)
    out = tmp_path_factory.mktemp("out")
    card, report = out / "card.json", out / "card.html"
    code = main(
        [
            "fit",
            "--config",
            str(folder / "run.toml"),
            "--pdo",
            "20",  # a flag overrides the file
            "--out",
            str(card),
            "--report",
            str(report),
        ]
    )
    assert code == 0
    return card, report, out / "card.config.json"


def test_config_file_settings_reach_the_model_and_flags_override(fitted):
    card_path, _, _ = fitted
    card = load(card_path)
    assert card.pdo == 20 and card.base_score == 500 and card.base_odds == 20
    binner = card.binner_
    assert binner.max_n_bins == 6 and binner.min_bin_size == 0.04
    assert binner.special_values == {"code": [-999]}
    assert card.bins_["grade"].kind == "categorical"  # numbers binned as categories
    assert "id" not in card.bins_ and "y" not in card.bins_
    assert any("-999" in str(label) for label in card.bins_["code"].labels())


def test_effective_config_reruns_to_the_same_scores(fitted, files, tmp_path, capsys):
    card_path, _, config_path = fitted
    written = json.loads(config_path.read_text())
    assert set(written) == {"infoscore", "data", "binner", "model"}
    assert written["model"]["kind"] == "woe" and written["model"]["pdo"] == 20
    assert written["binner"]["n_rounds"] == 50  # defaults are pinned too
    again = tmp_path / "again.json"
    code, out, err = _run(["fit", "--config", config_path, "--out", again], capsys)
    assert code == 0, err
    data = _frame(1, 700)[["x", "grade", "code"]]
    np.testing.assert_array_equal(
        load(again).predict_score(data), load(card_path).predict_score(data)
    )
    assert "test: AUC" in out


def test_report_has_train_and_test_side_by_side_and_gains_tables(fitted):
    _, report, _ = fitted
    html = report.read_text()
    assert_self_contained(html)
    assert "<th>train</th><th>test</th>" in html
    assert "Gains table: train" in html and "Gains table: test" in html
    assert "16,000.0" not in html and "1,500.0" not in html  # rows as integers


def test_report_in_headless_chromium_fits_the_page(fitted, tmp_path):
    _, report, _ = fitted
    with chromium_session() as browser:
        page = browser.open(report, screenshot=tmp_path / "fit.png")
    for heading in ("Model summary", "Gains tables", "Gains table: test"):
        assert heading in page.headings
    assert "bad_rate_ci_low" in page.text and "cum_bads_share" in page.text
    assert page.size[0] <= 1280  # wide tables scroll inside their section
    assert page.console_errors == [] and page.requests == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[binner]\nmax_bins = 5\n", "unknown key 'max_bins' in section \\[binner\\]"),
        (
            "[model]\npdo = 20\nbase = 1\n",
            "unknown key 'base' in section \\[model\\]; allowed keys: base_o",
        ),
        ("[modle]\npdo = 20\n", "unknown section \\[modle\\] in --config"),
        ("[data]\ntarget = 'y'\nweights = 'w'\n", "unknown key 'weights' in section"),
        ("[model]\nencoding = 'woe'\n", "key 'encoding' of section \\[model\\]"),
        ("[model]\nkind = 'tree'\n", "kind must be 'woe', 'onehot' or 'boosted'"),
        ("[model]\nkind = 'boosted'\n[binner]\nmax_n_bins = 3\n", "has no binner"),
        ("[binner]\nmin_bin_size = 2.0\n", "\\[binner\\] The 'min_bin_size' parameter"),
        ("[binner\n", "does not parse"),
        ("binner = 3\n", "\\[binner\\] must be a section"),
    ],
)
def test_bad_config_exits_2_naming_the_key(files, tmp_path, capsys, config, message):
    import re

    _, train, _ = files
    path = tmp_path / "bad.toml"
    path.write_text(config)
    args = [
        "fit",
        train,
        "--target",
        "y",
        "--config",
        path,
        "--out",
        tmp_path / "c.json",
    ]
    code, _, err = _run(args, capsys)
    assert code == 2, err
    assert re.search(message, err), err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "c.json").exists()


def test_json_config_and_set_flag(files, tmp_path, capsys):
    _, train, _ = files
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"data": {"target": "y", "exclude": ["id"]}}))
    out = tmp_path / "c.json"
    args = ["fit", train, "--config", path, "--set", "binner.max_n_bins=3"]
    code, _, err = _run([*args, "--kind", "onehot", "--out", out], capsys)
    assert code == 0, err
    card = load(out)
    assert card.encoding == "onehot" and card.binner_.max_n_bins == 3
    code, _, err = _run([*args[:-1], "modle.x=1", "--out", out], capsys)
    assert code == 2 and "--set takes SECTION.KEY=VALUE" in err
    selected = tmp_path / "s.json"
    base = ["fit", train, "--target", "y", "--exclude", "id", "--out", selected]
    code, _, err = _run(
        [*base, "--selection", "max_features=2", "--set", "model.sign_check=drop"],
        capsys,
    )
    assert code == 0, err
    card = load(selected)
    assert card.sign_check == "drop"
    decisions = card.feature_decisions_.set_index("feature")
    assert (decisions["status"] == "selected").sum() == 2
    dropped = decisions[decisions["status"] == "dropped"]
    assert len(dropped) == 1 and dropped["step"].iloc[0] == "selection"
    code, _, err = _run([*base, "--selection", "bogus=1"], capsys)
    assert code == 2 and "bogus" in err
    code, _, err = _run([*base, "--set", "model.sign_check=sometimes"], capsys)
    assert code == 2 and "sign_check" in err


def test_bad_test_file_exits_2_naming_it(files, tmp_path, capsys):
    _, train, _ = files
    no_target = tmp_path / "no_target.csv"
    _frame(2, 50).drop(columns=["y"]).to_csv(no_target, index=False)
    no_feature = tmp_path / "no_feature.csv"
    _frame(2, 50).drop(columns=["code"]).to_csv(no_feature, index=False)
    base = ["fit", train, "--target", "y", "--out", tmp_path / "c.json", "--test"]
    for test, message in [
        (no_target, "--test file .* has no target column 'y'"),
        (no_feature, "--test file .* is missing feature column\\(s\\) \\['code'\\]"),
        (tmp_path / "absent.csv", "absent.csv"),
    ]:
        import re

        code, _, err = _run([*base, test], capsys)
        assert code == 2 and re.search(message, err), err
    assert not (tmp_path / "c.json").exists()


def test_special_and_categorical_flags(files, tmp_path, capsys):
    _, train, _ = files
    out = tmp_path / "c.json"
    args = ["fit", train, "--target", "y", "--exclude", "id", "--out", out]
    code, _, err = _run(
        [*args, "--special", "code=-999", "--categorical", "grade"], capsys
    )
    assert code == 0, err
    card = load(out)
    assert card.binner_.special_values == {"code": [-999]}
    assert card.bins_["grade"].kind == "categorical"
    for extra, message in [
        (["--special", "nope=1"], "--special names column 'nope'"),
        (["--special", "code=a"], "column 'code' is numeric"),
        (["--special", "code"], "--special takes COL=V1,V2"),
        (["--categorical", "nope"], "--categorical names columns not in"),
        (["--kind", "boosted", "--special", "code=-999"], "--special needs kind"),
    ]:
        code, _, err = _run([*args, *extra], capsys)
        assert code == 2 and message in err, (extra, err)


def test_boosted_kind_fits_and_reports(files, tmp_path, capsys):
    _, train, test = files
    out, report = tmp_path / "b.json", tmp_path / "b.html"
    code, stdout, err = _run(
        [
            "fit",
            train,
            "--target",
            "y",
            "--exclude",
            "id",
            "--kind",
            "boosted",
            "--set",
            "model.n_rounds=20",
            "--test",
            test,
            "--out",
            out,
            "--report",
            report,
        ],
        capsys,
    )
    assert code == 0, err
    assert json.loads(out.read_text())["kind"] == "BoostedScorecard"
    assert "fitted BoostedScorecard (boosted)" in stdout
    html = report.read_text()
    assert "Gains table: test" in html and "Monotone constraints" in html


# --------------------------------------------------------------------------
# tidy warnings, for every sub-command (the shell)


def test_tidy_warnings_one_line_each_without_paths():
    import io

    stream = io.StringIO()
    with tidy_warnings(stream=stream):
        for _ in range(5):
            warnings.warn("bin 3 of 'x' is empty", UserWarning, stacklevel=1)
        warnings.warn("two\nlines", RuntimeWarning, stacklevel=1)
    assert stream.getvalue() == "note: bin 3 of 'x' is empty\nnote: two lines\n"
    verbose = io.StringIO()
    with tidy_warnings(verbose=True, stream=verbose):
        warnings.warn("bin 3 of 'x' is empty", UserWarning, stacklevel=1)
    assert (
        "test_cli_fit.py" in verbose.getvalue() and "UserWarning" in verbose.getvalue()
    )


class _Plugin:
    """A stand-in entry point: a sub-command that warns (as any plugin may)."""

    name = "noisy"

    @staticmethod
    def load():
        def register(subparsers):
            parser = subparsers.add_parser("noisy")

            def run(args):
                for _ in range(3):
                    warnings.warn("a data condition", UserWarning, stacklevel=1)
                return 0

            parser.set_defaults(func=run)

        return register


@pytest.mark.parametrize("where", ["before", "after"])
def test_every_sub_command_gets_tidy_notes_and_verbose(monkeypatch, capsys, where):
    real = shell._plugins
    monkeypatch.setattr(
        shell,
        "_plugins",
        lambda group: (
            real(group) + ([_Plugin] if group == "infoscore.commands" else [])
        ),
    )
    assert main(["noisy"]) == 0
    err = capsys.readouterr().err
    assert err == "note: a data condition\n"
    args = ["-v", "noisy"] if where == "before" else ["noisy", "--verbose"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "test_cli_fit.py" in err and "UserWarning: a data condition" in err


def test_fit_warnings_are_notes(tmp_path, capsys):
    data = _frame(3, 400)
    data["flat"] = 1.0  # a constant column: the model leaves it out, with a warning
    path = tmp_path / "d.csv"
    data.to_csv(path, index=False)
    code, _, err = _run(
        ["fit", path, "--target", "y", "--exclude", "id", "--out", tmp_path / "c.json"],
        capsys,
    )
    assert code == 0
    notes = err.strip().splitlines()
    assert notes and all(line.startswith("note: ") for line in notes), err
    assert len(notes) == len(set(notes))
    assert ".py:" not in err and "Warning:" not in err
