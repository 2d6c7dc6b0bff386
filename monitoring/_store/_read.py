"""Reading runs back: tables over time, stored reports, windows of summed counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._drift import DriftReport, Reference, drift_from_counts
from ._schema import RUN_COLUMNS, StoreBase, now_text, utc_text

__all__ = ["StoreReader", "WindowCounts"]


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
            created_at=now_text(),
        )

    def __repr__(self) -> str:
        return (
            f"WindowCounts(model_id={self.model_id!r}, n_runs={self.n_runs}, "
            f"batches={self.batch_ids[0]!r}..{self.batch_ids[-1]!r}, "
            f"n_features={len(self.features)})"
        )


class StoreReader(StoreBase):
    """Reading runs of :class:`HistoryStore`."""

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
        cols = ", ".join(f"r.{c}" for c in RUN_COLUMNS)
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
            params.append(utc_text(since, "since"))
        if until is not None:
            sql += " AND as_of <= ?"
            params.append(utc_text(until, "until"))
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
