"""HistoryStore: atomic runs, idempotence, safety of foreign files, concurrency."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitoring import (
    DriftReport,
    HistoryStore,
    StoreBusyError,
    StoreError,
    drift_from_counts,
)
from monitoring._store._schema import APPLICATION_ID, SCHEMA_VERSION

REF = np.array([[300, 400, 300, 0], [250, 250, 250, 250], [100, 300, 400, 200]], float)
FEATURES = ["age", "income", "score"]
KINDS = ["feature", "feature", "score"]


def make_report(seed: int, *, shift: float = 0.0, batch_id: str | None = None):
    rng = np.random.default_rng(seed)
    cur = np.zeros_like(REF)
    for i, row in enumerate(REF):
        p = row / row.sum()
        if i == 1 and shift:
            p = p * np.exp(shift * np.arange(4))
            p /= p.sum()
        cur[i] = rng.multinomial(1000, p)
    return drift_from_counts(
        REF, cur, features=FEATURES, kinds=KINDS, batch_id=batch_id, n_rows=1000
    )


def dump(path: Path) -> list[str]:
    """Every table, row for row (read through a fresh connection)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "monitor.db"
    with HistoryStore(f"sqlite:///{path}") as store:
        store.write(
            make_report(1), model_id="card", batch_id="2024-01", as_of="2024-01-31"
        )
        store.write(
            make_report(2), model_id="card", batch_id="2024-02", as_of="2024-02-29"
        )
    return path


# --------------------------------------------------------------------------
# opening


def test_new_store_records_schema_wal_and_application_id(tmp_path):
    path = tmp_path / "new.db"
    with HistoryStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    conn.close()


@pytest.mark.parametrize(
    "url_of",
    [
        lambda p: f"sqlite:///{p}",  # absolute path gives sqlite:////abs
        lambda p: str(p),
        lambda p: p,
    ],
)
def test_url_forms(tmp_path, url_of):
    path = tmp_path / "s.db"
    with HistoryStore(url_of(path)) as store:
        assert store.path == path


def test_relative_sqlite_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with HistoryStore("sqlite:///rel.db") as store:
        assert store.path == Path("rel.db")
    assert (tmp_path / "rel.db").exists()


@pytest.mark.parametrize(
    ("url", "error", "match"),
    [
        ("postgres://host/db", ValueError, "url must look like 'sqlite:///"),
        ("sqlite://relative.db", ValueError, "url must look like"),
        (":memory:", ValueError, "url must name a database file"),
        (42, TypeError, "url must be 'sqlite:///path.db' or a path"),
    ],
)
def test_bad_urls(url, error, match):
    with pytest.raises(error, match=match):
        HistoryStore(url)


def test_missing_file_or_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        HistoryStore(tmp_path / "absent.db", create=False)
    with pytest.raises(FileNotFoundError, match="Folder .* does not exist"):
        HistoryStore(tmp_path / "no" / "such" / "folder.db")
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize(
    "content",
    [b"model_id,batch_id\ncard,2024-01\n" * 20, b"SQLite format 3\x00" + b"\x00" * 20],
)
def test_not_a_database_is_a_clear_error_and_the_file_is_unchanged(tmp_path, content):
    path = tmp_path / "monitor.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="is not a SQLite database"):
        HistoryStore(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.db"]


def test_damaged_database_with_a_valid_header_is_a_clear_error(tmp_path, store_path):
    data = bytearray(store_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page
    bad = tmp_path / "damaged.db"
    bad.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="not a readable SQLite database|damaged"):
        HistoryStore(bad)
    assert bad.read_bytes() == bytes(data)


def test_foreign_sqlite_database_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('x')")
    conn.commit()
    conn.close()
    before, before_dump = digest(path), dump(path)
    with pytest.raises(StoreError, match="not an infoscore history store.*customers"):
        HistoryStore(path)
    assert digest(path) == before and dump(path) == before_dump


def test_newer_schema_is_refused_and_unchanged(store_path):
    conn = sqlite3.connect(store_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = dump(store_path)
    with pytest.raises(StoreError, match="schema version 2, newer than this infoscore"):
        HistoryStore(store_path)
    assert dump(store_path) == before


def test_timeout_is_validated(tmp_path):
    with pytest.raises(ValueError, match="timeout must be a number >= 0"):
        HistoryStore(tmp_path / "x.db", timeout=-1)


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
# windows recomputed from stored counts


def test_window_counts_sum_and_recompute_psi(store_path):
    with HistoryStore(store_path) as store:
        store.write(
            make_report(3), model_id="card", batch_id="2024-03", as_of="2024-03-31"
        )
        window = store.window_counts("card", batch_ids=["2024-01", "2024-02"])
        by_time = store.window_counts("card", since="2024-02-01", until="2024-03-31")
        everything = store.window_counts("card")
    currents = [make_report(s) for s in (1, 2, 3)]
    summed = sum(
        np.vstack(
            [
                np.pad(f.current_counts, (0, 4 - f.current_counts.size))
                for f in r.features
            ]
        )
        for r in currents[:2]
    )
    np.testing.assert_allclose(window.current, summed)
    np.testing.assert_allclose(window.reference, REF)
    assert window.batch_ids == ("2024-01", "2024-02")
    assert by_time.batch_ids == ("2024-02", "2024-03")
    assert everything.n_runs == 3
    rep = window.drift()
    direct = drift_from_counts(REF, summed, features=FEATURES, kinds=KINDS)
    pd.testing.assert_frame_equal(rep.to_frame(), direct.to_frame())
    assert rep.batch_id == "window:2024-01..2024-02" and rep.model_id == "card"
    assert window.bin_labels[0] == ("0", "1", "2")


def test_window_errors(store_path):
    with HistoryStore(store_path) as store:
        with pytest.raises(ValueError, match=r"for batch_ids \['2030-01'\]"):
            store.window_counts("card", batch_ids=["2024-01", "2030-01"])
        with pytest.raises(
            ValueError, match="No stored run of model 'card' in the window"
        ):
            store.window_counts("card", since="2030-01-01")
        with pytest.raises(ValueError, match="either batch_ids or since/until"):
            store.window_counts("card", batch_ids=["2024-01"], since="2024-01-01")
        other_ref = REF.copy()
        other_ref[0, 0] += 1
        store.write(
            drift_from_counts(other_ref, REF, features=FEATURES, kinds=KINDS),
            model_id="card",
            batch_id="refit",
            as_of="2024-05-01",
        )
        with pytest.raises(ValueError, match="different reference counts"):
            store.window_counts("card")
        store.write(
            drift_from_counts(REF[:2], REF[:2], features=FEATURES[:2]),
            model_id="card",
            batch_id="fewer",
            as_of="2024-06-01",
        )
        with pytest.raises(ValueError, match="different features or bins"):
            store.window_counts("card", batch_ids=["2024-01", "fewer"])


# --------------------------------------------------------------------------
# two processes at once


def _writer(path: str, worker: int, start, results) -> None:
    try:
        with HistoryStore(path, timeout=30.0) as store:
            start.wait(timeout=60)
            for k in range(12):
                store.write(
                    make_report(100 * worker + k, shift=0.2 * k),
                    model_id="card",
                    batch_id=f"w{worker}-{k}",
                )
                # both processes also rewrite one shared batch
                store.write(make_report(k), model_id="card", batch_id="shared")
        results.put((worker, "ok", ""))
    except StoreBusyError as exc:
        results.put((worker, "busy", str(exc)))
    except BaseException as exc:  # reported to the parent test
        results.put((worker, "error", repr(exc)))


@pytest.mark.parametrize("fresh", [True, False])
def test_two_processes_writing_at_once(tmp_path, fresh):
    path = tmp_path / "monitor.db"
    if not fresh:
        with HistoryStore(path) as store:
            store.write(make_report(1), model_id="card", batch_id="seed")
    ctx = mp.get_context("spawn")
    start = ctx.Event()
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(str(path), w, start, results)) for w in (1, 2)
    ]
    for p in procs:
        p.start()
    start.set()
    outcome = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    statuses = {w: s for w, s, _ in outcome}
    assert all(s in ("ok", "busy") for s in statuses.values()), outcome
    assert "ok" in statuses.values(), outcome
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
