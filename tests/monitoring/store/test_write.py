"""Writing runs atomically (and reading them back); two processes at once."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3

import numpy as np
import pandas as pd
import pytest

from monitoring import (
    DriftReport,
    HistoryStore,
    StoreBusyError,
)

from ._shared import FEATURES, digest, dump, make_report

# --------------------------------------------------------------------------
# writing and reading


def test_runs_and_history_frames(store_path):
    with HistoryStore(store_path) as store:
        runs = store.runs("card")
        hist = store.history("card")
        assert store.models() == ["card"]
    assert runs["batch_id"].tolist() == ["2024-01", "2024-02"]
    assert runs["n_features"].tolist() == [3, 3]
    assert runs["revision"].tolist() == [0, 0]
    assert isinstance(runs["as_of"].dtype, pd.DatetimeTZDtype)
    assert str(runs["as_of"].dt.tz) == "UTC"
    assert runs["as_of"].iloc[0] == pd.Timestamp("2024-01-31", tz="UTC")
    assert len(hist) == 6
    assert hist["feature"].tolist() == FEATURES * 2
    rep = make_report(1)
    first = hist[hist["batch_id"] == "2024-01"].set_index("feature")
    expected = rep.to_frame()
    for col in ("psi", "se", "ci_low", "ci_high", "pvalue", "bias_corrected"):
        np.testing.assert_allclose(first[col], expected[col], rtol=1e-12)
    assert first["status"].tolist() == expected["status"].tolist()
    assert set(hist.columns) >= {"psi", "se", "ci_low", "ci_high", "status", "as_of"}


def test_stored_report_round_trips(store_path):
    with HistoryStore(store_path) as store:
        back = store.report("card", "2024-02")
        with pytest.raises(KeyError, match="No run for model_id='card'"):
            store.report("card", "2030-01")
    assert isinstance(back, DriftReport)
    pd.testing.assert_frame_equal(back.to_frame(), make_report(2).to_frame())


def test_rerun_replaces_atomically_and_bumps_revision(store_path):
    with HistoryStore(store_path) as store:
        run_id = store.write(
            make_report(9, shift=1.0), model_id="card", batch_id="2024-02"
        )
        runs = store.runs("card")
        hist = store.history("card")
    assert len(runs) == 2
    row = runs.set_index("batch_id").loc["2024-02"]
    assert row["revision"] == 1 and row["run_id"] == run_id
    assert len(hist) == 6  # the old run's features are gone
    new = hist[hist["batch_id"] == "2024-02"].set_index("feature")
    assert new.loc["income", "psi"] == pytest.approx(
        make_report(9, shift=1.0)["income"].estimate
    )
    conn = sqlite3.connect(store_path)
    n_bins = conn.execute("SELECT COUNT(*) FROM bins").fetchone()[0]
    conn.close()
    assert n_bins == 2 * (3 + 4 + 4)


def test_write_needs_ids_and_a_report(store_path):
    with HistoryStore(store_path) as store:
        with pytest.raises(ValueError, match="model_id must be a non-empty string"):
            store.write(make_report(1), batch_id="b")
        with pytest.raises(ValueError, match="batch_id must be a non-empty string"):
            store.write(make_report(1), model_id="card", batch_id="  ")
        with pytest.raises(TypeError, match="report must be a DriftReport"):
            store.write({"psi": 0.1}, model_id="card", batch_id="b")
        with pytest.raises(ValueError, match="as_of must be a date"):
            store.write(make_report(1), model_id="card", batch_id="b", as_of="soon")
        # ids can come from the report
        store.write(make_report(3, batch_id="2024-03"), model_id="card")
        assert "2024-03" in store.runs("card")["batch_id"].tolist()


class Boom(RuntimeError):
    pass


def test_failed_write_leaves_the_store_exactly_as_before(store_path, monkeypatch):
    before_dump = dump(store_path)
    before_bytes = digest(store_path)
    original = HistoryStore._insert_bins

    def half_then_fail(self, run_id, rows):
        original(self, run_id, rows[: len(rows) // 2])  # rows really hit the file
        raise Boom("disk on fire")

    monkeypatch.setattr(HistoryStore, "_insert_bins", half_then_fail)
    with HistoryStore(store_path) as store:
        # a replacement of an existing run and a new run both fail cleanly
        with pytest.raises(Boom, match="disk on fire"):
            store.write(make_report(5, shift=1.0), model_id="card", batch_id="2024-02")
        with pytest.raises(Boom, match="disk on fire"):
            store.write(make_report(6), model_id="card", batch_id="2024-03")
        assert len(store.runs("card")) == 2  # same connection sees no partial run
    assert dump(store_path) == before_dump
    assert digest(store_path) == before_bytes
    with HistoryStore(store_path) as store:  # and the store still works
        monkeypatch.setattr(HistoryStore, "_insert_bins", original)
        store.write(make_report(6), model_id="card", batch_id="2024-03")
        assert len(store.runs("card")) == 3


def test_busy_store_fails_cleanly_without_writing(store_path):
    before = dump(store_path)
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another job holds the write lock
    try:
        with HistoryStore(store_path, timeout=0.2) as store:
            with pytest.raises(StoreBusyError, match="busy.*Nothing was written"):
                store.write(make_report(7), model_id="card", batch_id="2024-04")
            assert len(store.runs("card")) == 2  # readers are not blocked (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dump(store_path) == before


def test_delete(store_path):
    with HistoryStore(store_path) as store:
        assert store.delete("card", "2024-01") is True
        assert store.delete("card", "2024-01") is False
        assert store.runs("card")["batch_id"].tolist() == ["2024-02"]
    conn = sqlite3.connect(store_path)
    assert conn.execute("SELECT COUNT(*) FROM bins").fetchone()[0] == 11
    conn.close()


def test_closed_store_says_so(tmp_path):
    store = HistoryStore(tmp_path / "c.db")
    store.close()
    store.close()
    assert "closed" in repr(store)
    with pytest.raises(ValueError, match="is closed"):
        store.runs()


# --------------------------------------------------------------------------
# two processes at once


def _writer(paths: list[str], worker: int, barrier, results) -> None:
    for path in paths:
        barrier.wait(timeout=60)  # both processes start each store together
        try:
            with HistoryStore(path, timeout=30.0) as store:
                for k in range(12):
                    store.write(
                        make_report(100 * worker + k, shift=0.2 * k),
                        model_id="card",
                        batch_id=f"w{worker}-{k}",
                    )
                    # both processes also rewrite one shared batch
                    store.write(make_report(k), model_id="card", batch_id="shared")
            results.put((path, worker, "ok", ""))
        except StoreBusyError as exc:
            results.put((path, worker, "busy", str(exc)))
        except BaseException as exc:  # reported to the parent test
            results.put((path, worker, "error", repr(exc)))


def test_two_processes_writing_at_once(tmp_path):
    # One pair of processes (each costs a fresh interpreter and the imports)
    # writes a new store, then one that already has a run.
    stores = {"fresh": tmp_path / "fresh.db", "seeded": tmp_path / "seeded.db"}
    with HistoryStore(stores["seeded"]) as store:
        store.write(make_report(1), model_id="card", batch_id="seed")
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    paths = [str(stores["fresh"]), str(stores["seeded"])]
    procs = [
        ctx.Process(target=_writer, args=(paths, w, barrier, results)) for w in (1, 2)
    ]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=120) for _ in range(2 * len(procs))]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    for kind, path in stores.items():
        statuses = {w: s for where, w, s, _ in outcome if where == str(path)}
        _check_concurrent_store(path, statuses, fresh=kind == "fresh", note=outcome)


def _check_concurrent_store(path, statuses, *, fresh, note):
    assert len(statuses) == 2, note
    assert all(s in ("ok", "busy") for s in statuses.values()), note
    assert "ok" in statuses.values(), note
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        per_run = conn.execute(
            "SELECT r.batch_id, COUNT(DISTINCT f.feature), COUNT(b.bin) "
            "FROM runs r JOIN features f ON f.run_id = r.run_id "
            "JOIN bins b ON b.run_id = f.run_id AND b.feature = f.feature "
            "GROUP BY r.run_id"
        ).fetchall()
        n_runs = conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        shared = conn.execute(
            "SELECT COUNT(*), MAX(revision) FROM runs WHERE batch_id = 'shared'"
        ).fetchone()
    finally:
        conn.close()
    # every run is complete: 3 features and 3 + 4 + 4 bins, never a partial run
    assert len(per_run) == n_runs
    assert all(nf == 3 and nb == 11 for _, nf, nb in per_run)
    ok = [w for w, s in statuses.items() if s == "ok"]
    assert n_runs == (0 if fresh else 1) + 12 * len(ok) + 1
    assert shared[0] == 1 and shared[1] == 12 * len(ok) - 1
