"""The store's file: schema, identity checks, connection and transactions."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import pandas as pd

__all__ = [
    "APPLICATION_ID",
    "RUN_COLUMNS",
    "SCHEMA_VERSION",
    "StoreBase",
    "StoreBusyError",
    "StoreError",
    "now_text",
    "utc_text",
]

SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` of an infoscore history store ("ISHS").
APPLICATION_ID = 0x49534853
_SQLITE_MAGIC = b"SQLite format 3\x00"

_SCHEMA = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        model_id TEXT NOT NULL,
        batch_id TEXT NOT NULL,
        as_of TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revision INTEGER NOT NULL,
        n_rows INTEGER,
        status TEXT NOT NULL CHECK (status IN ('stable', 'watch', 'drift')),
        psi_low REAL NOT NULL,
        psi_high REAL NOT NULL,
        alpha REAL NOT NULL,
        reference TEXT NOT NULL CHECK (reference IN ('sample', 'fixed')),
        smoothing REAL NOT NULL,
        report_json TEXT NOT NULL,
        UNIQUE (model_id, batch_id)
    )""",
    "CREATE INDEX runs_by_time ON runs (model_id, as_of)",
    """CREATE TABLE features (
        run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        feature TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('feature', 'score')),
        psi REAL NOT NULL,
        bias_corrected REAL,
        se REAL,
        ci_low REAL,
        ci_high REAL,
        statistic REAL,
        df INTEGER,
        pvalue REAL,
        status TEXT NOT NULL CHECK (status IN ('stable', 'watch', 'drift')),
        n_reference REAL NOT NULL,
        n_current REAL NOT NULL,
        PRIMARY KEY (run_id, feature)
    )""",
    """CREATE TABLE bins (
        run_id INTEGER NOT NULL,
        feature TEXT NOT NULL,
        bin INTEGER NOT NULL,
        label TEXT NOT NULL,
        reference REAL NOT NULL CHECK (reference >= 0),
        current REAL NOT NULL CHECK (current >= 0),
        PRIMARY KEY (run_id, feature, bin),
        FOREIGN KEY (run_id, feature) REFERENCES features (run_id, feature)
            ON DELETE CASCADE
    )""",
)

RUN_COLUMNS = (
    "run_id",
    "model_id",
    "batch_id",
    "as_of",
    "created_at",
    "revision",
    "n_rows",
    "status",
    "psi_low",
    "psi_high",
    "alpha",
    "reference",
)


class StoreError(ValueError):
    """The file is not an infoscore history store this version can use.

    Raised for a file that is not a SQLite database, a SQLite database of
    another application, a store with a newer schema, or a damaged store. The
    file is left untouched.
    """


class StoreBusyError(RuntimeError):
    """Another job held the store's write lock for longer than ``timeout``.

    Nothing of the run was written; retry later or raise ``timeout``.
    """


def _is_busy(exc: sqlite3.Error) -> bool:
    """SQLite's "database is locked" / "busy" answers."""
    return "locked" in str(exc) or "busy" in str(exc)


def utc_text(value: Any, name: str) -> str:
    """Normalise a time to sortable ISO text in UTC (naive times are UTC)."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be a date, datetime or ISO-8601 string; got {value!r}."
        ) from exc
    if ts is pd.NaT:
        raise ValueError(f"{name} must be a valid time; got {value!r}.")
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_text() -> str:
    return utc_text(dt.datetime.now(dt.UTC), "now")


def _parse_url(url: str | os.PathLike[str]) -> Path:
    if isinstance(url, os.PathLike):
        return Path(url)
    if not isinstance(url, str):
        raise TypeError(
            f"url must be 'sqlite:///path.db' or a path; got {type(url).__name__}."
        )
    if "://" in url:
        scheme, _, rest = url.partition("://")
        if scheme != "sqlite" or not rest.startswith("/") or rest == "/":
            raise ValueError(
                "url must look like 'sqlite:///relative.db', 'sqlite:////abs/path.db' "
                f"or be a plain path; got {url!r}."
            )
        return Path(rest[1:])
    if not url or url == ":memory:":
        raise ValueError(f"url must name a database file; got {url!r}.")
    return Path(url)


class StoreBase:
    """Opening, identity checks and connection helpers of :class:`HistoryStore`."""

    path: Path
    timeout: float
    schema_version: int

    def __init__(
        self,
        url: str | os.PathLike[str],
        *,
        create: bool = True,
        timeout: float = 30.0,
        read_only: bool = False,
    ) -> None:
        if not isinstance(timeout, int | float) or not timeout >= 0:
            raise ValueError(f"timeout must be a number >= 0; got {timeout!r}.")
        if not isinstance(read_only, bool):
            raise TypeError(f"read_only must be True or False; got {read_only!r}.")
        self.path = _parse_url(url)
        self.timeout = float(timeout)
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = None
        self._check_file(create and not read_only)
        self._conn = self._connect()
        try:
            self.schema_version = self._open_schema()
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # ------------------------------------------------------------------
    # opening

    def _check_file(self, create: bool) -> None:
        path = self.path
        if path.exists():
            if not path.is_file():
                raise StoreError(f"Store path {str(path)!r} is not a file.")
            size = path.stat().st_size
            if size:
                with path.open("rb") as fh:
                    head = fh.read(len(_SQLITE_MAGIC))
                if head != _SQLITE_MAGIC or size < 100:
                    raise StoreError(
                        f"{str(path)!r} is not a SQLite database (it does not start "
                        "with the SQLite header); the file was not modified."
                    )
            return
        if not create:
            raise FileNotFoundError(f"History store {str(path)!r} does not exist.")
        if not path.parent.is_dir():
            raise FileNotFoundError(
                f"Folder {str(path.parent)!r} of the history store does not exist."
            )

    def _connect(self) -> sqlite3.Connection:
        target: Any = self.path
        if self.read_only:
            # SQLite's read-only mode: no write, no journal-mode change.
            target = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        try:
            conn = sqlite3.connect(
                target, timeout=self.timeout, isolation_level=None, uri=self.read_only
            )
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open {str(self.path)!r}: {exc}.") from exc
        return conn

    def _inspect(self, *, snapshot: bool = True) -> tuple[int, int, list[str]]:
        """Identity and objects of the file, read from one snapshot.

        Outside a transaction (``snapshot=True``) the three reads run in one
        read transaction: a job creating the schema at the same moment is
        seen either before or after its commit, never half way (its tables
        without its ``application_id``).
        """
        conn = self._require()
        try:
            if snapshot:
                conn.execute("BEGIN")
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                )
            ]
            if snapshot:
                conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if snapshot:
                self._rollback()
            if _is_busy(exc):
                raise self._busy() from exc
            raise StoreError(
                f"{str(self.path)!r} is not a readable SQLite database ({exc}); "
                "the file was not modified."
            ) from exc
        return app, version, names

    def _open_schema(self) -> int:
        app, version, names = self._inspect()
        if app == 0 and not names:
            if self.read_only:
                raise StoreError(
                    f"History store {str(self.path)!r} is empty and was opened "
                    "read-only (read_only=True): there is nothing to read."
                )
            return self._initialise()
        self._check_identity(app, version, names)
        if not self.read_only:
            self._ensure_wal()
        self._require().execute("PRAGMA foreign_keys = ON")
        return version

    def _check_identity(self, app: int, version: int, names: list[str]) -> None:
        if app != APPLICATION_ID:
            shown = ", ".join(sorted(names)[:8]) or "none"
            raise StoreError(
                f"{str(self.path)!r} is a SQLite database but not an infoscore "
                f"history store (application_id={app}, objects: {shown}); the file "
                "was not modified."
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"History store {str(self.path)!r} has schema version {version}, "
                f"newer than this infoscore supports ({SCHEMA_VERSION}); upgrade "
                "infoscore. The file was not modified."
            )
        missing = {"meta", "runs", "features", "bins"} - set(names)
        if version < 1 or missing:
            raise StoreError(
                f"History store {str(self.path)!r} is damaged or has an unknown "
                f"schema (version {version}, missing tables {sorted(missing)}); the "
                "file was not modified."
            )

    def _ensure_wal(self) -> None:
        """Switch to WAL, waiting up to ``timeout`` for other connections.

        SQLite answers a journal-mode change that meets another connection's
        lock with "database is locked" at once, without its busy handler, so
        the switch is retried here until ``timeout``, then
        :class:`StoreBusyError`.
        """
        conn = self._require()
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise self._busy() from exc
                time.sleep(0.02)

    def _initialise(self) -> int:
        conn = self._require()
        self._ensure_wal()
        conn.execute("PRAGMA foreign_keys = ON")
        self._begin_immediate()
        try:
            # Another job may have created the schema while we waited.
            app, version, names = self._inspect(snapshot=False)
            if app == 0 and not names:
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema_version", str(SCHEMA_VERSION)),
                        ("created_at", now_text()),
                        ("created_by", "infoscore"),
                    ],
                )
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                version = SCHEMA_VERSION
            else:
                self._check_identity(app, version, names)
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return version

    # ------------------------------------------------------------------
    # connection helpers

    def _require(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError(f"History store {str(self.path)!r} is closed.")
        return self._conn

    def _begin_immediate(self) -> None:
        if self.read_only:
            raise StoreError(
                f"History store {str(self.path)!r} was opened read-only "
                "(read_only=True); nothing was written."
            )
        try:
            self._require().execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise self._busy() from exc
            raise

    def _busy(self) -> StoreBusyError:
        return StoreBusyError(
            f"History store {str(self.path)!r} is busy: another job held "
            f"the write lock for more than {self.timeout:g} s. Nothing was "
            "written."
        )

    def _rollback(self) -> None:
        conn = self._conn
        if conn is not None and conn.in_transaction:
            conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else f"schema {self.schema_version}"
        return f"HistoryStore({str(self.path)!r}, {state})"
