"""The read-only pre-check and the integrity check before every write."""

from __future__ import annotations

import os
import sqlite3

import pytest

from monitoring import HistoryStore
from monitoring._store import StoreError, precheck_store

from ._shared import make_report


def _rollback_journal_store(path):
    with HistoryStore(path) as store:
        store.write(make_report(1), model_id="card", batch_id="b1", as_of="2024-01-31")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return path


def test_precheck_changes_no_byte_and_keeps_the_journal_mode(tmp_path):
    path = _rollback_journal_store(tmp_path / "m.db")
    before = path.read_bytes()
    state = precheck_store(path, key=("card", "b1"))
    assert state.exists and state.revision == 0
    assert precheck_store(path, key=("card", "b2")).revision is None
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.db"]  # no -wal/-shm


def test_precheck_of_an_empty_file_writes_no_schema(tmp_path):
    path = tmp_path / "m.db"
    path.touch()
    assert not precheck_store(path).exists
    assert path.stat().st_size == 0


def test_damaged_pages_are_found_before_writing(tmp_path):
    path = tmp_path / "m.db"
    with HistoryStore(path) as store:
        for i in range(40):  # several pages of runs
            store.write(make_report(i), model_id="card", batch_id=f"b{i}", as_of="2024")
    size = path.stat().st_size
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, min(size, 6 * page), 7):  # scribble over pages
        data[offset] = (data[offset] + 91) % 256
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|cannot be read"):
        precheck_store(path)
    with pytest.raises((StoreError, sqlite3.DatabaseError)):
        with HistoryStore(path) as store:
            store.write(make_report(99), model_id="card", batch_id="new", as_of="2024")
    assert bytes(data) == path.read_bytes()


def test_triggers_and_views_are_refused(tmp_path):
    path = tmp_path / "m.db"
    with HistoryStore(path) as store:
        store.write(make_report(1), model_id="card", batch_id="b1", as_of="2024")
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    conn.close()
    with pytest.raises(StoreError, match="holds trigger 'boom', which infoscore"):
        precheck_store(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any file")
def test_an_unwritable_store_is_named(tmp_path):
    path = tmp_path / "m.db"
    with HistoryStore(path) as store:
        store.write(make_report(1), model_id="card", batch_id="b1", as_of="2024")
    path.chmod(0o444)
    with pytest.raises(StoreError, match="is not writable"):
        precheck_store(path)


def test_other_files_are_refused(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an infoscore history store"):
        precheck_store(other)
    text = tmp_path / "notes.db"
    text.write_text("hello" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        precheck_store(text)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        precheck_store(tmp_path / "no" / "m.db")
