"""Opening a store: schema, identity checks, URLs; foreign files untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from monitoring import (
    HistoryStore,
    StoreError,
)
from monitoring._store._schema import APPLICATION_ID, SCHEMA_VERSION

from ._shared import digest, dump, make_report

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
# read-only opening


def _to_rollback_journal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def test_read_only_store_reads_and_leaves_the_journal_mode(store_path):
    _to_rollback_journal(store_path)
    before = digest(store_path)
    with HistoryStore(store_path, read_only=True) as store:
        assert list(store.runs()["batch_id"]) == ["2024-01", "2024-02"]
        assert "<html" in store.to_html()
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert digest(store_path) == before


def test_read_only_store_refuses_writes_and_keeps_the_rows(store_path):
    rows = dump(store_path)
    with (
        HistoryStore(store_path, read_only=True) as store,
        pytest.raises(StoreError, match=r"opened read-only \(read_only=True\)"),
    ):
        store.write(make_report(3), model_id="card", batch_id="2024-03")
    assert dump(store_path) == rows


def test_read_only_store_needs_an_existing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        HistoryStore(tmp_path / "absent.db", read_only=True)
    with pytest.raises(TypeError, match="read_only must be True or False; got 'yes'"):
        HistoryStore(tmp_path / "absent.db", read_only="yes")
