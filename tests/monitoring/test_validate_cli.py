"""``infoscore validate``: exit codes, outputs, and a failed run writes nothing."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from monitoring import HistoryStore
from monitoring._validate_cli import demo_step
from scorecard import PDCalibrator, Scorecard, StumpBinner
from scorecard._kit.cli import DemoContext, main


@pytest.fixture(scope="module")
def files(simucredit, tmp_path_factory):
    X, y = simucredit
    X = X[["Utilization", "Delinquency", "Inquiry"]]
    folder = tmp_path_factory.mktemp("validate")
    card = Scorecard(binner=StumpBinner(n_rounds=5)).fit(X.iloc[:6000], y[:6000])
    cal = PDCalibrator(estimator=card, prefit=True, n_grades=4)
    cal.fit(X.iloc[:6000], y[:6000])
    cal.to_json(folder / "cal.json")
    card.to_json(folder / "card.json")
    batch = X.iloc[6000:10000].assign(default=y[6000:10000])
    batch["previous"] = cal.predict_grade(X.iloc[6000:10000])
    batch.to_csv(folder / "2023.csv", index=False)
    bad = batch.assign(default=np.where(batch["default"] == 1, "bad", "maybe"))
    bad.loc[bad.index[:3], "default"] = "other"
    bad.to_csv(folder / "broken.csv", index=False)
    worse = batch.copy()
    worse.loc[worse.index[:600], "default"] = 1
    worse.to_parquet(folder / "2024.parquet")
    return folder


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_validate_writes_store_report_and_grade_table(files, capsys):
    store = files / "store.db"
    code = main(
        [
            "validate",
            str(files / "cal.json"),
            str(files / "2023.csv"),
            "--target",
            "default",
            "--store",
            str(store),
            "--report",
            str(files / "v.html"),
            "--grades-out",
            str(files / "grades.csv"),
            "--initial-auc",
            "0.7",
            "--rho",
            "0.05",
            "--previous-grade",
            "previous",
            "--model-id",
            "pd",
        ]
    )
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0, captured.err
    assert "batch 2023" in out and "jeffreys_pvalue" in out
    grades = pd.read_csv(files / "grades.csv", dtype={"grade": str})
    assert grades["grade"].tolist() == ["1", "2", "3", "4"]
    assert "Validation report" in (files / "v.html").read_text(encoding="utf-8")
    with HistoryStore(store) as s:
        assert s.validation_runs()["batch_id"].tolist() == ["2023"]


def test_fail_on_red_exits_one(files, capsys):
    code = main(
        [
            "validate",
            str(files / "cal.json"),
            str(files / "2024.parquet"),
            "--target",
            "default",
            "--store",
            str(files / "store.db"),
            "--fail-on",
            "red",
            "--model-id",
            "pd",
            "--grades-out",
            str(files / "grades.parquet"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1, out
    assert "light RED" in out
    grades = pd.read_parquet(files / "grades.parquet")
    assert "red" in set(grades["light"]) and "jeffreys_pvalue" in grades


def test_bad_input_leaves_the_store_unchanged(files, capsys):
    store = files / "store.db"
    before = _digest(store)
    cases = [
        (["--target", "default"], "cal.json", "broken.csv", "labels"),
        ([], "cal.json", "2023.csv", "a back-test needs realised outcomes"),
        (["--target", "nope"], "cal.json", "2023.csv", "missing column"),
        (["--target", "default"], "card.json", "2023.csv", "needs a PDCalibrator"),
    ]
    for extra, card, batch, message in cases:
        code = main(
            [
                "validate",
                str(files / card),
                str(files / batch),
                "--store",
                str(store),
                "--report",
                str(files / "x.html"),
                *extra,
            ]
        )
        err = capsys.readouterr().err
        assert code == 2 and message in err, (extra, err)
        assert _digest(store) == before
        assert not (files / "x.html").exists()


def test_demo_step_writes_reports(tmp_path, simucredit_frame, simucredit):
    X, y = simucredit
    card = Scorecard(binner=StumpBinner(n_rounds=5)).fit(X.iloc[:5000], y[:5000])
    lines = []
    results = {"simucredit": simucredit_frame, "scorecard": card}
    context = DemoContext(out_dir=tmp_path, results=results)
    context.say = lines.append  # type: ignore[method-assign]
    demo_step(context)
    assert (tmp_path / "validation_2024.html").exists()
    assert (tmp_path / "validation_history.html").exists()
    with HistoryStore(tmp_path / "monitor.db") as store:
        assert store.validation_runs()["batch_id"].tolist() == ["2023", "2024"]
    assert any("light" in line for line in lines)


def test_rerunning_a_stored_batch_needs_replace(files, capsys):
    store = files / "rerun.db"
    args = [
        "validate",
        str(files / "cal.json"),
        str(files / "2023.csv"),
        "--target",
        "default",
        "--store",
        str(store),
        "--model-id",
        "pd",
    ]
    assert main(args) == 0
    before = _digest(store)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "already has a validation run" in err and "--replace" in err
    assert _digest(store) == before
    assert main([*args, "--replace"]) == 0
    with HistoryStore(store) as s:
        assert s.validation_runs()["batch_id"].tolist() == ["2023"]
