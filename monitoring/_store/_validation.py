"""Validation runs in the history store: three tables, one transaction per run.

The tables are created with ``CREATE TABLE IF NOT EXISTS`` inside the first
validation write's own ``BEGIN IMMEDIATE`` transaction, so a store written
before validation existed gains them atomically, and a failed write leaves
no table and no row behind. A run is keyed by ``(model_id, batch_id)`` as a
drift run is: writing it again replaces it and increases its ``revision``.

Tables: ``validation_runs`` (one row per run with the report's JSON, from
which ``HistoryStore.read_validation`` recomputes every figure), ``validation_grades``
(the regulator's grade table) and ``validation_tests`` (every test's
statistic, p-value and light, for the history page).
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from .._report import write_page
from .._report._validation_page import validation_history_html
from .._validation import ValidationReport
from ._schema import StoreBase, now_text, utc_text

__all__ = ["VALIDATION_SCHEMA", "ValidationStoreMixin"]

VALIDATION_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS validation_runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        model_id TEXT NOT NULL,
        batch_id TEXT NOT NULL,
        as_of TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revision INTEGER NOT NULL,
        n INTEGER NOT NULL,
        defaults INTEGER NOT NULL,
        light TEXT NOT NULL CHECK (light IN ('green', 'yellow', 'red')),
        alpha REAL NOT NULL,
        report_json TEXT NOT NULL,
        UNIQUE (model_id, batch_id)
    )""",
    "CREATE INDEX IF NOT EXISTS validation_runs_by_time "
    "ON validation_runs (model_id, as_of)",
    """CREATE TABLE IF NOT EXISTS validation_grades (
        run_id INTEGER NOT NULL REFERENCES validation_runs (run_id)
            ON DELETE CASCADE,
        position INTEGER NOT NULL,
        grade TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n > 0),
        defaults INTEGER NOT NULL CHECK (defaults >= 0),
        observed_dr REAL NOT NULL,
        pd REAL NOT NULL CHECK (pd > 0 AND pd < 1),
        jeffreys_pvalue REAL NOT NULL,
        binomial_pvalue REAL NOT NULL,
        normal_pvalue REAL NOT NULL,
        vasicek_pvalue REAL,
        light TEXT NOT NULL CHECK (light IN ('green', 'yellow', 'red')),
        PRIMARY KEY (run_id, grade)
    )""",
    """CREATE TABLE IF NOT EXISTS validation_tests (
        run_id INTEGER NOT NULL REFERENCES validation_runs (run_id)
            ON DELETE CASCADE,
        position INTEGER NOT NULL,
        test TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('grade', 'portfolio')),
        grade TEXT,
        statistic REAL,
        pvalue REAL,
        light TEXT NOT NULL CHECK (light IN ('green', 'yellow', 'red')),
        PRIMARY KEY (run_id, position)
    )""",
)

_TABLES = ("validation_runs", "validation_grades", "validation_tests")


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _key(value: str | None, name: str) -> str:
    if value is None or not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"{name} must be a non-empty string (pass it or set it on the "
            f"report); got {value!r}."
        )
    return value


def _has_validation(store: Any) -> bool:
    rows = store._require().execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?)",
        _TABLES,
    )
    return len(rows.fetchall()) == len(_TABLES)


def _frame(store: Any, sql: str, params: tuple = ()) -> pd.DataFrame:
    cur = store._require().execute(sql, params)
    return pd.DataFrame(cur.fetchall(), columns=[c[0] for c in cur.description])


def _missing(store: Any, model_id: str, batch_id: str) -> str:
    return (
        f"No validation run of model {model_id!r} and batch {batch_id!r} in "
        f"{str(store.path)!r}."
    )


def _delete(conn: sqlite3.Connection, run_id: int) -> None:
    for table in ("validation_tests", "validation_grades", "validation_runs"):
        conn.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))


def _insert(conn: sqlite3.Connection, run: tuple, report: ValidationReport) -> int:
    cur = conn.execute(
        "INSERT INTO validation_runs (model_id, batch_id, as_of, created_at, "
        "revision, n, defaults, light, alpha, report_json) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        run,
    )
    run_id = int(cur.lastrowid)  # type: ignore[arg-type]
    conn.executemany(
        "INSERT INTO validation_grades VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                i,
                r.grade,
                int(r.n),
                int(r.defaults),
                float(r.observed_dr),
                float(r.pd),
                float(r.jeffreys_pvalue),
                float(r.binomial_pvalue),
                float(r.normal_pvalue),
                _num(r.vasicek_pvalue),
                r.light,
            )
            for i, r in enumerate(report.grade_table().itertuples(index=False))
        ],
    )
    conn.executemany(
        "INSERT INTO validation_tests VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                i,
                r.test,
                r.scope,
                r.grade,
                _num(r.statistic),
                _num(r.pvalue),
                r.light,
            )
            for i, r in enumerate(report.to_frame().itertuples(index=False))
        ],
    )
    return run_id


_RUN_COLUMNS = [
    "run_id",
    "model_id",
    "batch_id",
    "as_of",
    "created_at",
    "revision",
    "n",
    "defaults",
    "light",
    "alpha",
]


class ValidationStoreMixin(StoreBase):
    """Validation runs as methods of :class:`~monitoring.HistoryStore`.

    ``HistoryStore`` gains them by inheriting this mixin.
    """

    def write_validation(
        self,
        report: ValidationReport,
        *,
        model_id: str | None = None,
        batch_id: str | None = None,
        as_of: Any = None,
    ) -> int:
        """Store one validation run atomically, replacing the same batch's run.

        Parameters
        ----------
        report : ValidationReport
            The run.
        model_id, batch_id : str, default=None
            Key of the run; default to the report's.
        as_of : date, datetime or ISO string, default=None
            Time the batch describes; default the report's ``created_at``, else
            now. Naive times are UTC.

        Returns
        -------
        int
            The new validation ``run_id``.

        Raises
        ------
        TypeError
            If ``report`` is not a ValidationReport.
        ValueError
            If the model or batch id is missing.
        StoreBusyError
            If another job held the write lock longer than the store's timeout.
        """
        if not isinstance(report, ValidationReport):
            raise TypeError(
                f"report must be a ValidationReport; got {type(report).__name__}."
            )
        mid = _key(report.model_id if model_id is None else model_id, "model_id")
        bid = _key(report.batch_id if batch_id is None else batch_id, "batch_id")
        created = now_text()
        when = utc_text(
            as_of if as_of is not None else (report.created_at or created), "as_of"
        )
        text = report.to_json()
        conn = self._require()
        self._begin_immediate()
        try:
            for statement in VALIDATION_SCHEMA:
                conn.execute(statement)
            old = conn.execute(
                "SELECT run_id, revision FROM validation_runs WHERE model_id = ? AND "
                "batch_id = ?",
                (mid, bid),
            ).fetchone()
            revision = 0
            if old is not None:
                revision = old[1] + 1
                _delete(conn, old[0])
            run = (
                mid,
                bid,
                when,
                created,
                revision,
                report.n,
                int(report.grades.defaults.sum()),
                report.light,
                report.alpha,
                text,
            )
            run_id = _insert(conn, run, report)
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return run_id

    def validation_runs(self, model_id: str | None = None) -> pd.DataFrame:
        """One row per validation run (all models when None), in time order."""
        if not _has_validation(self):
            return pd.DataFrame(columns=_RUN_COLUMNS)
        where, params = ("WHERE model_id = ?", (model_id,)) if model_id else ("", ())
        return _frame(
            self,
            f"SELECT {', '.join(_RUN_COLUMNS)} FROM validation_runs {where} "
            "ORDER BY model_id, as_of, batch_id",
            params,
        )

    def validation_history(self, model_id: str) -> pd.DataFrame:
        """Every stored test of a model's runs: statistic, p-value, light over time."""
        if not _has_validation(self):
            return pd.DataFrame(
                columns=[
                    "batch_id",
                    "as_of",
                    "test",
                    "scope",
                    "grade",
                    "statistic",
                    "pvalue",
                    "light",
                ]
            )
        return _frame(
            self,
            "SELECT r.batch_id, r.as_of, t.test, t.scope, t.grade, t.statistic, "
            "t.pvalue, t.light FROM validation_tests t JOIN validation_runs r "
            "USING (run_id) WHERE r.model_id = ? ORDER BY r.as_of, r.batch_id, "
            "t.position",
            (model_id,),
        )

    def validation_grades(self, model_id: str, batch_id: str) -> pd.DataFrame:
        """The stored grade table of one run (the regulator's layout)."""
        frame = pd.DataFrame()
        if _has_validation(self):
            frame = _frame(
                self,
                "SELECT g.grade, g.n, g.defaults, g.observed_dr, g.pd, "
                "g.jeffreys_pvalue, g.binomial_pvalue, g.normal_pvalue, "
                "g.vasicek_pvalue, g.light FROM validation_grades g JOIN "
                "validation_runs r USING (run_id) WHERE r.model_id = ? AND "
                "r.batch_id = ? ORDER BY g.position",
                (model_id, batch_id),
            )
        if frame.empty:
            raise ValueError(_missing(self, model_id, batch_id))
        return frame

    def read_validation(self, model_id: str, batch_id: str) -> ValidationReport:
        """The stored run, every figure recomputed from its stored counts."""
        row = None
        if _has_validation(self):
            row = (
                self._require()
                .execute(
                    "SELECT report_json FROM validation_runs WHERE model_id = ? AND "
                    "batch_id = ?",
                    (model_id, batch_id),
                )
                .fetchone()
            )
        if row is None:
            raise ValueError(_missing(self, model_id, batch_id))
        return ValidationReport.from_json(row[0])

    def validation_to_html(
        self, path: str | Path | None = None, *, model_id: str | None = None
    ) -> str:
        """HTML page of one model's validation history (p-values and lights).

        Raises
        ------
        ValueError
            If the store has no validation run (of ``model_id``).
        """
        runs = self.validation_runs(model_id)
        if runs.empty:
            raise ValueError(
                f"The store {str(self.path)!r} has no validation runs"
                + (f" of model {model_id!r}." if model_id else ".")
            )
        model = model_id if model_id is not None else str(runs["model_id"].iloc[-1])
        runs = runs[runs["model_id"] == model]
        html = validation_history_html(
            runs.drop(columns=["run_id"]).reset_index(drop=True),
            self.validation_history(model),
            title=f"Validation history: {model}",
        )
        return write_page(html, path)
