"""SQLite history of drift runs, recomputable from stored bin counts.

One database file holds the runs of any number of models. Each run is one
:class:`~monitoring.DriftReport` written in a single ``BEGIN IMMEDIATE``
transaction: either the whole run (run row, one row per feature, one row per
bin with reference and current counts, the report's JSON) is committed, or
nothing is. A run is keyed by ``(model_id, batch_id)``; writing the same key
again replaces the earlier run in the same transaction (its ``revision``
increases). The file is in WAL mode so readers never block the writer, and
concurrent writers queue on SQLite's lock for up to ``timeout`` seconds before
failing with :class:`StoreBusyError` without writing anything.

The schema version is recorded in ``PRAGMA user_version`` (and in the ``meta``
table) and the file is marked with an ``application_id``; a file that is not a
SQLite database, a SQLite database of another application or a store with a
newer schema raises :class:`StoreError` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._drift import DriftReport, Reference, drift_from_counts

__all__ = ["HistoryStore", "StoreBusyError", "StoreError", "WindowCounts"]

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

_RUN_COLUMNS = (
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


def _utc_text(value: Any, name: str) -> str:
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


def _now() -> str:
    return _utc_text(dt.datetime.now(dt.UTC), "now")


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


@dataclass(frozen=True, eq=False, repr=False)
class WindowCounts:
    """Summed bin counts of a window of stored runs of one model.

    Attributes
    ----------
    model_id : str
        The model.
    batch_ids : tuple of str
        Batches in the window, in time order.
    features : tuple of str
        Row names (features and score).
    kinds : tuple of str
        ``"feature"`` or ``"score"`` per row.
    bin_labels : tuple of tuple of str
        Bin labels per row.
    reference : ndarray of shape (n_features, n_bins)
        Reference counts (the same in every run of the window).
    current : ndarray of shape (n_features, n_bins)
        Current counts summed over the window's runs.
    """

    model_id: str
    batch_ids: tuple[str, ...]
    features: tuple[str, ...]
    kinds: tuple[str, ...]
    bin_labels: tuple[tuple[str, ...], ...]
    reference: NDArray[np.float64]
    current: NDArray[np.float64]

    @property
    def n_runs(self) -> int:
        """Number of runs summed."""
        return len(self.batch_ids)

    def drift(
        self,
        *,
        psi_bands: Sequence[float] = (0.10, 0.25),
        alpha: float = 0.05,
        reference: Reference = "sample",
        smoothing: float = 0.5,
    ) -> DriftReport:
        """Recompute the drift check on the summed counts.

        Parameters
        ----------
        psi_bands, alpha, reference, smoothing
            As in :func:`monitoring.drift_from_counts`.

        Returns
        -------
        DriftReport
            With ``model_id`` set and ``batch_id`` ``"window:first..last"``.
        """
        return drift_from_counts(
            self.reference,
            self.current,
            features=self.features,
            kinds=self.kinds,  # type: ignore[arg-type]
            bin_labels=self.bin_labels,
            psi_bands=psi_bands,
            alpha=alpha,
            reference=reference,
            smoothing=smoothing,
            model_id=self.model_id,
            batch_id=f"window:{self.batch_ids[0]}..{self.batch_ids[-1]}",
            created_at=_now(),
        )

    def __repr__(self) -> str:
        return (
            f"WindowCounts(model_id={self.model_id!r}, n_runs={self.n_runs}, "
            f"batches={self.batch_ids[0]!r}..{self.batch_ids[-1]!r}, "
            f"n_features={len(self.features)})"
        )


class HistoryStore:
    """History of drift runs in a SQLite file (WAL mode, one transaction per run).

    Parameters
    ----------
    url : str or path-like
        ``"sqlite:///relative/path.db"``, ``"sqlite:////absolute/path.db"`` or
        a plain file path.
    create : bool, default=True
        Create the file (and the schema) when it does not exist; with
        ``False`` a missing file raises ``FileNotFoundError``.
    timeout : float, default=30.0
        Seconds to wait for another job's write lock before
        :class:`StoreBusyError`.

    Attributes
    ----------
    path : Path
        The database file.
    schema_version : int
        Schema version of the file.

    Raises
    ------
    StoreError
        If the file is not a SQLite database, belongs to another application,
        has a newer schema or is damaged; the file is not modified.
    FileNotFoundError
        If the file (with ``create=False``) or its folder does not exist.

    Notes
    -----
    Tables: ``meta`` (schema version), ``runs`` (one row per run with the
    report's JSON), ``features`` (PSI, SE, CI, test, status per feature) and
    ``bins`` (reference and current counts per bin), so any window of runs can
    be recomputed without the raw data (:meth:`window_counts`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from monitoring import drift_from_counts
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> rep = drift_from_counts([[50, 30, 20]], [[45, 35, 20]], features=["age"])
    >>> with HistoryStore(folder / "monitor.db") as store:
    ...     run_id = store.write(rep, model_id="card-v1", batch_id="2024-01",
    ...                          as_of="2024-01-31")
    ...     store.history("card-v1")[["batch_id", "feature", "status"]]
      batch_id feature  status
    0  2024-01     age  stable
    """

    def __init__(
        self,
        url: str | os.PathLike[str],
        *,
        create: bool = True,
        timeout: float = 30.0,
    ) -> None:
        if not isinstance(timeout, int | float) or not timeout >= 0:
            raise ValueError(f"timeout must be a number >= 0; got {timeout!r}.")
        self.path = _parse_url(url)
        self.timeout = float(timeout)
        self._conn: sqlite3.Connection | None = None
        self._check_file(create)
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
        try:
            conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open {str(self.path)!r}: {exc}.") from exc
        return conn

    def _inspect(self) -> tuple[int, int, list[str]]:
        conn = self._require()
        try:
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                )
            ]
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{str(self.path)!r} is not a readable SQLite database ({exc}); "
                "the file was not modified."
            ) from exc
        return app, version, names

    def _open_schema(self) -> int:
        app, version, names = self._inspect()
        if app == 0 and not names:
            return self._initialise()
        self._check_identity(app, version, names)
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
        conn = self._require()
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")

    def _initialise(self) -> int:
        conn = self._require()
        self._ensure_wal()
        conn.execute("PRAGMA foreign_keys = ON")
        self._begin_immediate()
        try:
            # Another job may have created the schema while we waited.
            app, version, names = self._inspect()
            if app == 0 and not names:
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema_version", str(SCHEMA_VERSION)),
                        ("created_at", _now()),
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
        try:
            self._require().execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(
                    f"History store {str(self.path)!r} is busy: another job held "
                    f"the write lock for more than {self.timeout:g} s. Nothing was "
                    "written."
                ) from exc
            raise

    def _rollback(self) -> None:
        conn = self._conn
        if conn is not None and conn.in_transaction:
            conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> HistoryStore:
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

    # ------------------------------------------------------------------
    # writing

    def write(
        self,
        report: DriftReport,
        *,
        model_id: str | None = None,
        batch_id: str | None = None,
        as_of: Any = None,
    ) -> int:
        """Store one run atomically, replacing an earlier run of the same batch.

        Parameters
        ----------
        report : DriftReport
            The check to store.
        model_id, batch_id : str, default=None
            Key of the run; default to the report's ``model_id`` and
            ``batch_id`` (one of the two must be set).
        as_of : date, datetime or ISO string, default=None
            Time the batch describes (used by :meth:`history` ordering and
            :meth:`window_counts`); defaults to the report's ``created_at``,
            else now. Naive times are UTC.

        Returns
        -------
        int
            The new ``run_id``.

        Raises
        ------
        TypeError
            If ``report`` is not a :class:`DriftReport`.
        ValueError
            If the model or batch id is missing or empty.
        StoreBusyError
            If another job held the write lock longer than ``timeout``.
        """
        if not isinstance(report, DriftReport):
            raise TypeError(
                f"report must be a DriftReport; got {type(report).__name__}."
            )
        mid = self._key(model_id, report.model_id, "model_id")
        bid = self._key(batch_id, report.batch_id, "batch_id")
        created = _now()
        if as_of is None:
            as_of = report.created_at if report.created_at is not None else created
        when = _utc_text(as_of, "as_of")
        run = (
            mid,
            bid,
            when,
            created,
            report.n_rows,
            report.status,
            report.psi_bands[0],
            report.psi_bands[1],
            report.alpha,
            report.reference,
            report.smoothing,
            report.to_json(),
        )
        features, bins = _rows_of(report)
        conn = self._require()
        self._begin_immediate()
        try:
            old = conn.execute(
                "SELECT run_id, revision FROM runs WHERE model_id = ? AND batch_id = ?",
                (mid, bid),
            ).fetchone()
            revision = 0
            if old is not None:
                revision = old[1] + 1
                self._delete_run(old[0])
            cur = conn.execute(
                "INSERT INTO runs (model_id, batch_id, as_of, created_at, revision, "
                "n_rows, status, psi_low, psi_high, alpha, reference, smoothing, "
                "report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                run[:4] + (revision,) + run[4:],
            )
            run_id = int(cur.lastrowid)  # type: ignore[arg-type]
            self._insert_features(run_id, features)
            self._insert_bins(run_id, bins)
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return run_id

    @staticmethod
    def _key(given: str | None, default: str | None, name: str) -> str:
        value = default if given is None else given
        if value is None or not isinstance(value, str) or not value.strip():
            raise ValueError(
                f"{name} must be a non-empty string (pass it or set it on the "
                f"report); got {value!r}."
            )
        return value

    def _delete_run(self, run_id: int) -> None:
        conn = self._require()
        conn.execute("DELETE FROM bins WHERE run_id = ?", (run_id,))
        conn.execute("DELETE FROM features WHERE run_id = ?", (run_id,))
        conn.execute("DELETE FROM runs WHERE run_id = ?", (run_id,))

    def _insert_features(self, run_id: int, rows: list[tuple]) -> None:
        self._require().executemany(
            "INSERT INTO features (run_id, position, feature, kind, psi, "
            "bias_corrected, se, ci_low, ci_high, statistic, df, pvalue, status, "
            "n_reference, n_current) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, *r) for r in rows],
        )

    def _insert_bins(self, run_id: int, rows: list[tuple]) -> None:
        self._require().executemany(
            "INSERT INTO bins (run_id, feature, bin, label, reference, current) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(run_id, *r) for r in rows],
        )

    def delete(self, model_id: str, batch_id: str) -> bool:
        """Delete one run in one transaction; returns whether it existed."""
        conn = self._require()
        self._begin_immediate()
        try:
            old = conn.execute(
                "SELECT run_id FROM runs WHERE model_id = ? AND batch_id = ?",
                (model_id, batch_id),
            ).fetchone()
            if old is not None:
                self._delete_run(old[0])
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return old is not None

    # ------------------------------------------------------------------
    # reading

    def _frame(self, sql: str, params: Iterable[Any] = ()) -> pd.DataFrame:
        cur = self._require().execute(sql, tuple(params))
        columns = [c[0] for c in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=columns)

    def models(self) -> list[str]:
        """Model ids with at least one run, sorted."""
        rows = self._require().execute(
            "SELECT DISTINCT model_id FROM runs ORDER BY model_id"
        )
        return [r[0] for r in rows]

    def runs(self, model_id: str | None = None) -> pd.DataFrame:
        """One row per run (all models when ``model_id`` is None), in time order.

        Returns
        -------
        DataFrame
            Columns ``run_id, model_id, batch_id, as_of, created_at, revision,
            n_rows, status, psi_low, psi_high, alpha, reference, n_features,
            n_watch, n_drift, max_psi``; ``as_of`` and ``created_at`` are UTC
            timestamps.
        """
        where, params = (
            ("WHERE r.model_id = ?", (model_id,)) if model_id is not None else ("", ())
        )
        cols = ", ".join(f"r.{c}" for c in _RUN_COLUMNS)
        frame = self._frame(
            f"SELECT {cols}, COUNT(f.feature) AS n_features, "
            "COALESCE(SUM(f.status = 'watch'), 0) AS n_watch, "
            "COALESCE(SUM(f.status = 'drift'), 0) AS n_drift, "
            "MAX(f.psi) AS max_psi "
            f"FROM runs r LEFT JOIN features f ON f.run_id = r.run_id {where} "
            "GROUP BY r.run_id ORDER BY r.model_id, r.as_of, r.run_id",
            params,
        )
        return _with_times(frame)

    def history(
        self, model_id: str, *, features: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """One row per run and feature, in time order, for plots over time.

        Parameters
        ----------
        model_id : str
            The model.
        features : sequence of str, default=None
            Keep only these features (and score rows named in it).

        Returns
        -------
        DataFrame
            Columns ``run_id, batch_id, as_of, feature, kind, psi,
            bias_corrected, se, ci_low, ci_high, statistic, df, pvalue, status,
            n_reference, n_current``.
        """
        frame = self._frame(
            "SELECT r.run_id, r.batch_id, r.as_of, f.feature, f.kind, f.psi, "
            "f.bias_corrected, f.se, f.ci_low, f.ci_high, f.statistic, f.df, "
            "f.pvalue, f.status, f.n_reference, f.n_current "
            "FROM runs r JOIN features f ON f.run_id = r.run_id "
            "WHERE r.model_id = ? ORDER BY r.as_of, r.run_id, f.position",
            (model_id,),
        )
        if features is not None:
            frame = frame[frame["feature"].isin(list(features))].reset_index(drop=True)
        return _with_times(frame)

    def report(self, model_id: str, batch_id: str) -> DriftReport:
        """The stored :class:`DriftReport` of one run (rebuilt from its counts).

        Raises
        ------
        KeyError
            If the run does not exist.
        """
        row = (
            self._require()
            .execute(
                "SELECT report_json FROM runs WHERE model_id = ? AND batch_id = ?",
                (model_id, batch_id),
            )
            .fetchone()
        )
        if row is None:
            raise KeyError(f"No run for model_id={model_id!r}, batch_id={batch_id!r}.")
        return DriftReport.from_json(row[0])

    def window_counts(
        self,
        model_id: str,
        *,
        batch_ids: Sequence[str] | None = None,
        since: Any = None,
        until: Any = None,
    ) -> WindowCounts:
        """Sum the stored current counts of a window of runs.

        Parameters
        ----------
        model_id : str
            The model.
        batch_ids : sequence of str, default=None
            The runs to sum; cannot be combined with ``since``/``until``.
        since, until : date, datetime or ISO string, default=None
            Inclusive bounds on the runs' ``as_of`` (naive times are UTC).
            With neither ``batch_ids`` nor bounds, every run is summed.

        Returns
        -------
        WindowCounts
            Call :meth:`WindowCounts.drift` for PSI with SEs on the window.

        Raises
        ------
        ValueError
            If no run matches, a requested batch is missing, or runs of the
            window differ in features, bins or reference counts.
        """
        if batch_ids is not None and (since is not None or until is not None):
            raise ValueError("Pass either batch_ids or since/until, not both.")
        conn = self._require()
        conn.execute("BEGIN")  # one snapshot for the reads below
        try:
            runs = self._window_runs(model_id, batch_ids, since, until)
            bins = self._frame(
                "SELECT b.run_id, f.position, b.feature, f.kind, b.bin, b.label, "
                "b.reference, b.current FROM bins b JOIN features f "
                "ON f.run_id = b.run_id AND f.feature = b.feature "
                f"WHERE b.run_id IN ({', '.join('?' * len(runs))}) "
                "ORDER BY b.run_id, f.position, b.bin",
                [r[0] for r in runs],
            )
        finally:
            conn.execute("COMMIT")
        return _sum_window(model_id, runs, bins)

    def _window_runs(
        self,
        model_id: str,
        batch_ids: Sequence[str] | None,
        since: Any,
        until: Any,
    ) -> list[tuple[int, str]]:
        sql = "SELECT run_id, batch_id FROM runs WHERE model_id = ?"
        params: list[Any] = [model_id]
        if batch_ids is not None:
            wanted = [str(b) for b in batch_ids]
            if not wanted:
                raise ValueError("batch_ids must name at least one batch; got [].")
            sql += f" AND batch_id IN ({', '.join('?' * len(wanted))})"
            params += wanted
        if since is not None:
            sql += " AND as_of >= ?"
            params.append(_utc_text(since, "since"))
        if until is not None:
            sql += " AND as_of <= ?"
            params.append(_utc_text(until, "until"))
        runs = [
            (int(r[0]), str(r[1]))
            for r in self._require().execute(sql + " ORDER BY as_of, run_id", params)
        ]
        if batch_ids is not None:
            missing = sorted(set(wanted) - {b for _, b in runs})
            if missing:
                raise ValueError(
                    f"No stored run of model {model_id!r} for batch_ids {missing}."
                )
        if not runs:
            raise ValueError(
                f"No stored run of model {model_id!r} in the window "
                f"(since={since!r}, until={until!r})."
            )
        return runs


def _with_times(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("as_of", "created_at"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    return frame


def _rows_of(report: DriftReport) -> tuple[list[tuple], list[tuple]]:
    """Feature and bin rows of a report (NaN stored as NULL)."""

    def num(x: float) -> float | None:
        return float(x) if np.isfinite(x) else None

    features, bins = [], []
    for pos, f in enumerate(report.features):
        low, high = f.ci()
        features.append(
            (
                pos,
                f.feature,
                f.kind,
                num(f.estimate),
                num(f.bias_corrected),
                num(f.se),
                num(low),
                num(high),
                num(f.statistic),
                int(f.df),
                num(f.pvalue),
                f.status,
                float(f.n_reference),
                float(f.n_current),
            )
        )
        for j, label in enumerate(f.bins):
            bins.append(
                (
                    f.feature,
                    j,
                    label,
                    float(f.reference_counts[j]),
                    float(f.current_counts[j]),
                )
            )
    return features, bins


def _sum_window(
    model_id: str, runs: list[tuple[int, str]], bins: pd.DataFrame
) -> WindowCounts:
    """Check that the runs share one binning and reference, and sum currents."""
    run_ids = bins["run_id"].to_numpy()
    ordered = sorted(runs)  # bins are sorted by run_id
    cuts = np.searchsorted(run_ids, [r for r, _ in ordered], side="left")
    ends = np.append(cuts[1:], run_ids.size)
    layout_cols = ("position", "feature", "kind", "bin", "label")
    first: dict[str, NDArray[Any]] | None = None
    first_batch = ""
    current: NDArray[np.float64] | None = None
    columns = {c: bins[c].to_numpy() for c in bins.columns}
    for (_, batch_id), lo, hi in zip(ordered, cuts, ends, strict=True):
        part = {c: col[lo:hi] for c, col in columns.items()}
        if first is None:
            first, first_batch = part, batch_id
            current = part["current"].astype(np.float64)
            continue
        if any(
            part[c].shape != first[c].shape or not np.array_equal(part[c], first[c])
            for c in layout_cols
        ):
            raise ValueError(
                f"Runs {first_batch!r} and {batch_id!r} of model {model_id!r} have "
                "different features or bins; a window needs one binning."
            )
        if not np.array_equal(part["reference"], first["reference"]):
            raise ValueError(
                f"Runs {first_batch!r} and {batch_id!r} of model {model_id!r} have "
                "different reference counts; a window needs one reference."
            )
        current = current + part["current"]  # type: ignore[operator]
    assert first is not None and current is not None
    position = first["position"].astype(np.int64)
    column = first["bin"].astype(np.int64)
    n_features = int(position.max()) + 1
    width = int(column.max()) + 1
    reference = np.zeros((n_features, width))
    summed = np.zeros((n_features, width))
    reference[position, column] = first["reference"]
    summed[position, column] = current
    starts = np.flatnonzero(np.r_[True, position[1:] != position[:-1]])
    stops = np.append(starts[1:], position.size)
    return WindowCounts(
        model_id=model_id,
        batch_ids=tuple(b for _, b in runs),
        features=tuple(str(first["feature"][i]) for i in starts),
        kinds=tuple(str(first["kind"][i]) for i in starts),
        bin_labels=tuple(
            tuple(str(x) for x in first["label"][a:b])
            for a, b in zip(starts, stops, strict=True)
        ),
        reference=reference,
        current=summed,
    )
