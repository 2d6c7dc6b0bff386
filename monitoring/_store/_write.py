"""Writing runs: one ``BEGIN IMMEDIATE`` transaction per run."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._drift import DriftReport
from ._open import quick_check
from ._schema import StoreBase, now_text, utc_text

__all__ = ["StoreWriter"]


class StoreWriter(StoreBase):
    """Writing and deleting runs of :class:`HistoryStore`."""

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
        StoreError
            If ``PRAGMA quick_check`` finds the file damaged (nothing written).
        """
        if not isinstance(report, DriftReport):
            raise TypeError(
                f"report must be a DriftReport; got {type(report).__name__}."
            )
        mid = self._key(model_id, report.model_id, "model_id")
        bid = self._key(batch_id, report.batch_id, "batch_id")
        created = now_text()
        if as_of is None:
            as_of = report.created_at if report.created_at is not None else created
        when = utc_text(as_of, "as_of")
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
        quick_check(conn, self.path)  # never write into a damaged file
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
        quick_check(conn, self.path)  # never write into a damaged file
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
