"""``infoscore monitor`` / ``infoscore history``: exit codes, safety, chunks."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitoring import HistoryStore
from scorecard import BoostedScorecard
from scorecard._kit.cli import main
from scorecard.datasets import load_simucredit

FEATURES = ["Mortgage", "Balance", "Amount Past Due", "Delinquency", "Inquiry",
            "Open Trade", "Utilization"]  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    data = load_simucredit()
    rng = np.random.default_rng(5)
    data = data.iloc[rng.permutation(len(data))].reset_index(drop=True)
    train = data.iloc[:8000]
    card = BoostedScorecard(n_rounds=30, random_state=0).fit(
        train[FEATURES], (train["Status"] == 0).astype(int)
    )
    card.to_json(folder / "card.json")
    batch = data.iloc[8000:12000].reset_index(drop=True)
    batch.to_csv(folder / "batch.csv", index=False)
    shifted = batch.assign(Utilization=(batch["Utilization"] + 0.15).clip(0, 1))
    shifted.to_parquet(folder / "shifted.parquet", row_group_size=1000)
    return folder, batch


def _store_with_one_run(folder: Path, tmp_path: Path) -> Path:
    store = tmp_path / "monitor.db"
    code = main(
        [
            "monitor",
            str(folder / "card.json"),
            str(folder / "batch.csv"),
            "--batch-id",
            "2024-01",
            "--store",
            str(store),
        ]
    )
    assert code == 0
    return store


def _snapshot(path: Path, tmp_path: Path) -> tuple[bytes, list[str]]:
    """File bytes and a full SQL dump (taken from a copy, so nothing is touched)."""
    data = path.read_bytes()
    copy = tmp_path / f"copy-{len(list(tmp_path.iterdir()))}.db"
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    try:
        dump = list(conn.iterdump())
    finally:
        conn.close()
    return data, dump


def test_monitor_stores_a_run_and_writes_the_report(files, tmp_path, capsys):
    folder, batch = files
    store, report = tmp_path / "m.db", tmp_path / "r.html"
    args = ["monitor", str(folder / "card.json"), str(folder / "batch.csv"),
            "--batch-id", "2024-01", "--store", str(store), "--target", "Status",
            "--bad-value", "0", "--report", str(report), "--as-of", "2024-01-31",
            "--chunk-rows", "700"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr()
    assert "status STABLE" in out.out and "reading batch" not in out.err
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".*.tmp"))
    with HistoryStore(store, create=False) as s:
        runs = s.runs()
        rep = s.report(runs["model_id"].iloc[0], "2024-01")
    assert len(runs) == 1 and runs["n_rows"].iloc[0] == len(batch)
    assert str(runs["as_of"].iloc[0].date()) == "2024-01-31"
    assert rep.auc is not None and rep.iv is not None
    # a re-run of the same batch id is refused; with --replace it replaces it
    before = store.read_bytes()
    assert main(args) == 2
    assert "already in" in capsys.readouterr().err
    assert store.read_bytes() == before
    assert main([*args, "--replace"]) == 0
    assert "replaced the stored run" in capsys.readouterr().err
    with HistoryStore(store, create=False) as s:
        runs = s.runs()
    assert len(runs) == 1 and runs["revision"].iloc[0] == 1


def test_fail_on_drift_sets_exit_code_1(files, tmp_path, capsys):
    folder, _ = files
    store = tmp_path / "m.db"
    base = ["monitor", str(folder / "card.json"), str(folder / "shifted.parquet"),
            "--store", str(store), "--model-id", "card-v1"]  # fmt: skip
    assert main([*base, "--batch-id", "a"]) == 0
    assert main([*base, "--batch-id", "b", "--fail-on", "drift"]) == 1
    out = capsys.readouterr().out
    assert "status DRIFT" in out and "Utilization" in out
    with HistoryStore(store, create=False) as s:
        assert s.runs()["batch_id"].tolist() == ["a", "b"]
        assert s.models() == ["card-v1"]


def test_progress_bar_only_on_a_terminal(files, tmp_path, capsys, monkeypatch):
    folder, _ = files
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    args = ["monitor", str(folder / "card.json"), str(folder / "shifted.parquet"),
            "--batch-id", "x", "--store", str(tmp_path / "m.db"),
            "--chunk-rows", "500"]  # fmt: skip
    assert main(args) == 0
    assert "reading batch" in capsys.readouterr().err


def _bad_inputs(folder: Path, tmp_path: Path, batch: pd.DataFrame) -> dict:
    cases = {}
    p = tmp_path / "missing_col.csv"
    batch.drop(columns=["Utilization"]).to_csv(p, index=False)
    cases["missing column"] = (p, None, r"missing column\(s\) \['Utilization'\]")
    p = tmp_path / "string.csv"
    wrong = batch.astype({"Balance": object})
    wrong.loc[3500, "Balance"] = "unknown"  # in the last chunk: no partial run
    wrong.to_csv(p, index=False)
    cases["string in numeric"] = (p, None, "Feature 'Balance' is numeric; got the")
    p = tmp_path / "empty.csv"
    batch.iloc[:0].to_csv(p, index=False)
    cases["empty batch"] = (p, None, r"The batch is empty \(0 rows\)")
    p = tmp_path / "all_nan.parquet"
    batch.assign(Inquiry=np.nan).to_parquet(p)
    cases["all-NaN column"] = (p, None, "Feature 'Inquiry' is missing .* in all")
    card = tmp_path / "corrupt.json"
    text = (folder / "card.json").read_text()
    card.write_text(text.replace('"pdo": 20', '"pdo": 25'))
    cases["corrupted artifact"] = (folder / "batch.csv", card, "(?i)checksum")
    cases["missing target"] = (folder / "batch.csv", None, "missing column.*Target")
    p = tmp_path / "labels.csv"
    batch.assign(Status=batch["Status"] + 7).to_csv(p, index=False)
    cases["bad labels"] = (p, None, "outside the model's classes")
    return cases


@pytest.mark.parametrize(
    "case",
    [
        "missing column",
        "string in numeric",
        "empty batch",
        "all-NaN column",
        "corrupted artifact",
        "missing target",
        "bad labels",
    ],  # fmt: skip
)
def test_bad_input_exits_2_and_leaves_the_store_exactly_as_it_was(
    files, tmp_path, capsys, case
):
    folder, batch = files
    store = _store_with_one_run(folder, tmp_path)
    before = _snapshot(store, tmp_path)
    batch_file, card, match = _bad_inputs(folder, tmp_path, batch)[case]
    report = tmp_path / "out.html"
    args = ["monitor", str(card or folder / "card.json"), str(batch_file),
            "--batch-id", "2024-02", "--store", str(store), "--report", str(report),
            "--chunk-rows", "1000"]  # fmt: skip
    if case in ("missing target", "bad labels"):
        args += ["--target", "Target" if case == "missing target" else "Status"]
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("infoscore monitor: error: ")
    assert pd.Series(err).str.contains(match).all(), err
    assert _snapshot(store, tmp_path) == before
    assert not report.exists() and not list(tmp_path.glob(".*.tmp"))


def test_a_file_that_is_not_a_store_is_left_untouched(files, tmp_path, capsys):
    folder, _ = files
    store = tmp_path / "notes.db"
    store.write_bytes(b"these are my notes, not a database\n" * 10)
    before = store.read_bytes()
    args = ["monitor", str(folder / "card.json"), str(folder / "batch.csv"),
            "--batch-id", "b", "--store", str(store)]  # fmt: skip
    assert main(args) == 2
    assert "is not a SQLite database" in capsys.readouterr().err
    assert store.read_bytes() == before
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.commit()
    conn.close()
    before = _snapshot(foreign, tmp_path)
    assert main([*args[:-1], str(foreign)]) == 2
    assert "not an infoscore history store" in capsys.readouterr().err
    assert _snapshot(foreign, tmp_path) == before


def test_a_failed_first_run_creates_no_store(files, tmp_path, capsys):
    folder, batch = files
    store = tmp_path / "new.db"
    bad = tmp_path / "bad.csv"
    batch.drop(columns=["Balance"]).to_csv(bad, index=False)
    args = ["monitor", str(folder / "card.json"), str(bad), "--batch-id", "b",
            "--store", str(store)]  # fmt: skip
    assert main(args) == 2
    assert not store.exists()
    nowhere = str(tmp_path / "no" / "such" / "m.db")
    args = ["monitor", str(folder / "card.json"), str(folder / "batch.csv"),
            "--batch-id", "b", "--store", nowhere]  # fmt: skip
    assert main(args) == 2
    assert "does not exist" in capsys.readouterr().err


def test_new_categories_are_counted_and_noted_not_rejected(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 3000
    X = pd.DataFrame(
        {"x": rng.normal(size=n), "region": rng.choice(list("NSEW"), size=n)}
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-X["x"]))).astype(int)
    BoostedScorecard(n_rounds=10, random_state=0).fit(X, y).to_json(
        tmp_path / "card.json"
    )
    X.loc[:199, "region"] = "Q"
    X.to_csv(tmp_path / "batch.csv", index=False)
    args = ["monitor", str(tmp_path / "card.json"), str(tmp_path / "batch.csv"),
            "--batch-id", "b", "--store", str(tmp_path / "m.db"), "--fail-on",
            "watch"]  # fmt: skip
    assert main(args) == 1  # 200 of 3000 rows in a bin the reference never had
    captured = capsys.readouterr()
    assert "200 row(s) with categories unseen" in captured.err
    assert "region" in captured.out


def test_history_report_and_its_errors(files, tmp_path, capsys):
    folder, _ = files
    store = tmp_path / "m.db"
    for month, name in (("2024-01", "batch.csv"), ("2024-02", "shifted.parquet")):
        assert main(["monitor", str(folder / "card.json"), str(folder / name),
                     "--batch-id", month, "--store", str(store), "--model-id", "v1",
                     "--as-of", month]) == 0  # fmt: skip
    out = tmp_path / "history.html"
    # a store another tool keeps in rollback-journal mode stays byte-identical
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = store.read_bytes()
    assert main(["history", str(store), "--report", str(out)]) == 0
    assert store.read_bytes() == before
    html = out.read_text()
    assert "PSI per feature over time" in html and "Utilization" in html
    assert main(["history", str(store), "--model", "v1", "--report", str(out)]) == 0
    capsys.readouterr()
    assert main(["history", str(store), "--model", "v9", "--report", str(out)]) == 2
    assert "Model 'v9' has no runs" in capsys.readouterr().err
    assert main(["history", str(tmp_path / "none.db"), "--report", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_console_script_exit_codes(files, tmp_path):
    folder, _ = files
    exe = shutil.which("infoscore")
    if exe is None:  # pragma: no cover - the package is installed in CI
        pytest.skip("the infoscore console script is not installed")
    base = [exe, "monitor", str(folder / "card.json"), str(folder / "shifted.parquet"),
            "--batch-id", "b", "--store", str(tmp_path / "m.db")]  # fmt: skip
    done = subprocess.run([*base, "--fail-on", "drift"], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "reading batch" not in done.stderr  # stderr is not a terminal
    # a new batch id, so the missing file (not the stored run) is the error
    done = subprocess.run(
        [*base[:3], str(tmp_path / "nope.csv"), "--batch-id", "c", *base[6:]],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_demo_step_writes_store_reports_and_flags_the_shifted_month(tmp_path, capsys):
    from monitoring._cli import demo_step
    from scorecard._kit.cli import DemoContext

    context = DemoContext(out_dir=tmp_path)
    demo_step(context)
    out = capsys.readouterr().out
    assert "status and PSI per feature and month" in out
    with HistoryStore(context.results["monitor_store"], create=False) as store:
        runs = store.runs()
        hist = store.history(runs["model_id"].iloc[0])
    assert runs["batch_id"].tolist() == ["2024-01", "2024-02", "2024-03"]
    status = hist.pivot(index="feature", columns="batch_id", values="status")
    assert status.loc["Utilization", "2024-03"] == "drift"
    assert (status[["2024-01", "2024-02"]] != "drift").all().all()
    assert (tmp_path / "monitor_history.html").stat().st_size > 10_000
    assert (tmp_path / "monitor_2024-03.html").stat().st_size > 10_000


# --------------------------------------------------------------------------
# issue 15: hostile paths, options and stores


def _monitor(folder, store, *extra, batch="batch.csv", batch_id="2024-01"):
    return main(
        ["monitor", str(folder / "card.json"), str(folder / batch),
         "--batch-id", batch_id, "--store", str(store), *extra]
    )  # fmt: skip


def test_outputs_naming_the_store_card_or_batch_are_refused(files, tmp_path, capsys):
    folder, _ = files
    store = _store_with_one_run(folder, tmp_path)
    capsys.readouterr()
    before = _snapshot(store, tmp_path)
    card_before = (folder / "card.json").read_bytes()
    (tmp_path / "store-link.html").symlink_to(store)
    cases = [
        ("--report", str(store), "must end in .html"),
        ("--report", str(tmp_path / "store-link.html"), "would overwrite the input"),
        ("--report", str(folder / "card.json"), "must end in .html"),
        ("--report", str(tmp_path), "must end in .html"),
    ]
    for option, value, message in cases:
        assert _monitor(folder, store, option, value, batch_id="b2") == 2
        assert message in capsys.readouterr().err
    folder_html = tmp_path / "dir.html"
    folder_html.mkdir()
    assert _monitor(folder, store, "--report", str(folder_html), batch_id="b2") == 2
    assert "is a folder" in capsys.readouterr().err
    for report in (store, tmp_path / "store-link.html"):
        assert main(["history", str(store), "--report", str(report)]) == 2
    assert _snapshot(store, tmp_path) == before
    assert (folder / "card.json").read_bytes() == card_before


def test_a_bad_value_that_never_occurs_or_inf_stores_nothing(files, tmp_path, capsys):
    folder, batch = files
    store = tmp_path / "m.db"
    (tmp_path / "card.json").write_bytes((folder / "card.json").read_bytes())
    batch.assign(Status=1).to_csv(tmp_path / "goods.csv", index=False)
    for name, value in (("goods.csv", "0"), ("batch.csv", "7")):
        if name == "batch.csv":
            batch.to_csv(tmp_path / name, index=False)
        code = _monitor(tmp_path, store, "--target", "Status", "--bad-value", value,
                        batch=name)  # fmt: skip
        assert code == 2
        err = capsys.readouterr().err
        assert f"bad_value '{value}' does not occur" in err.replace("-", "_")
    assert not store.exists()
    batch.assign(Balance=np.where(np.arange(len(batch)) == 3, np.inf, batch["Balance"])
                 ).to_csv(tmp_path / "inf.csv", index=False)  # fmt: skip
    code = _monitor(tmp_path, store, batch="inf.csv")
    assert code == 2 and "'Balance' has infinite values" in capsys.readouterr().err
    assert not store.exists()


def test_a_failed_run_keeps_a_rollback_journal_store_byte_identical(
    files, tmp_path, capsys
):
    folder, batch = files
    store = _store_with_one_run(folder, tmp_path)
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = store.read_bytes()
    batch.drop(columns=["Balance"]).to_csv(tmp_path / "short.csv", index=False)
    (tmp_path / "card.json").write_bytes((folder / "card.json").read_bytes())
    assert _monitor(tmp_path, store, batch="short.csv", batch_id="b2") == 2
    assert store.read_bytes() == before
    assert not (tmp_path / "monitor.db-wal").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    assert _monitor(tmp_path, empty, batch="short.csv") == 2
    assert empty.stat().st_size == 0  # no schema written by a failed run


def test_dollar_batch_ids_do_not_break_the_history(files, tmp_path, capsys):
    folder, _ = files
    store = tmp_path / "m.db"
    for bid in ("$_per_$", "2024-02"):
        assert _monitor(folder, store, "--report", str(tmp_path / "r.html"),
                        batch_id=bid) == 0  # fmt: skip
    report = tmp_path / "h.html"
    assert main(["history", str(store), "--report", str(report)]) == 0
    assert "$_per_$" in report.read_text()


class _ClosedPipe:
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self):
        import io

        raise io.UnsupportedOperation("no fileno")


def test_a_broken_pipe_after_a_stored_run_exits_0_silently(
    files, tmp_path, capsys, monkeypatch
):
    folder, _ = files
    store = tmp_path / "m.db"
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    code = _monitor(folder, store)
    monkeypatch.undo()
    assert code == 0 and capsys.readouterr().err == ""
    with HistoryStore(store, create=False) as s:
        assert len(s.runs()) == 1


def test_dask_logs_are_quiet_unless_verbose():
    import logging

    from monitoring._dask import _quiet_dask

    root = logging.getLogger()
    old = root.level
    dask_logger = logging.getLogger("distributed")
    before = dask_logger.level  # distributed may have set it on import
    try:
        root.setLevel(logging.WARNING)
        with _quiet_dask():
            assert dask_logger.level == logging.ERROR
        assert dask_logger.level == before  # restored
        root.setLevel(logging.INFO)  # --verbose
        with _quiet_dask():
            assert dask_logger.level == before
    finally:
        root.setLevel(old)


def test_sqlite_errors_exit_2_with_one_line(files, tmp_path, capsys):
    folder, _ = files
    store = _store_with_one_run(folder, tmp_path)
    capsys.readouterr()
    conn = sqlite3.connect(store)
    conn.execute("CREATE VIEW v AS SELECT 1")
    conn.close()
    assert _monitor(folder, store, batch_id="b2") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds view 'v'" in err[0]


def test_a_failed_history_changes_no_byte_of_the_store(files, tmp_path, capsys):
    folder, _ = files
    store = _store_with_one_run(folder, tmp_path)
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = store.read_bytes()
    report = str(tmp_path / "h.html")
    assert main(["history", str(store), "--model", "nope", "--report", report]) == 2
    assert "Model 'nope' has no runs" in capsys.readouterr().err
    empty = tmp_path / "empty.db"
    empty.touch()
    assert main(["history", str(empty), "--report", report]) == 2
    assert "has no runs yet" in capsys.readouterr().err
    assert store.read_bytes() == before and empty.stat().st_size == 0
    assert not (tmp_path / "h.html").exists()
