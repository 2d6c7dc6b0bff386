"""The history store: writing, reading and the history page in one class."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .._report import ModelHistory, history_report_html, write_page
from .._report._validation_page import validation_history_sections
from ._read import StoreReader
from ._validation import ValidationStoreMixin
from ._write import StoreWriter

__all__ = ["HistoryStore"]


class HistoryStore(StoreReader, StoreWriter, ValidationStoreMixin):
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
    read_only : bool, default=False
        Open with SQLite's read-only mode: the reading methods work, a write
        raises :class:`StoreError`, and the file is not touched at all (not
        even switched to WAL mode, which opening for writing does).

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

    def to_html(
        self,
        path: str | Path | None = None,
        *,
        model_id: str | None = None,
        title: str | None = None,
    ) -> str:
        """Self-contained HTML page of the history: drift and validation runs.

        Drift: PSI per feature over time; the pooled window of each model is
        checked at the PSI bands and ``alpha`` of its latest run. Validation
        (for models with validation runs): each test's p-value and traffic
        light over the runs.

        Parameters
        ----------
        path : str or path-like, default=None
            When given, the page is also written there (UTF-8).
        model_id : str, default=None
            One model; all models in the store when ``None``.
        title : str, default=None
            Page title (default: "Drift history").

        Returns
        -------
        str
            The HTML document.

        Raises
        ------
        ValueError
            If the store has no runs (of ``model_id``).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from monitoring import drift_from_counts
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "monitor.db"
        >>> months = (("2024-01", [48, 32, 20]), ("2024-02", [30, 40, 30]))
        >>> with HistoryStore(path) as store:
        ...     for month, cur in months:
        ...         rep = drift_from_counts([[50, 30, 20]], [cur], features=["age"])
        ...         _ = store.write(rep, model_id="card", batch_id=month, as_of=month)
        ...     html = store.to_html()
        >>> "PSI per feature over time" in html
        True
        """
        models = self.models()
        validated = sorted(set(self.validation_runs()["model_id"]))
        if model_id is not None:
            if model_id not in models and model_id not in validated:
                raise ValueError(
                    f"Model {model_id!r} has no runs in {str(self.path)!r}; models "
                    f"are {sorted({*models, *validated})}."
                )
            models = [m for m in models if m == model_id]
            validated = [m for m in validated if m == model_id]
        if not models and not validated:
            raise ValueError(f"The store {str(self.path)!r} has no runs yet.")
        extra = [s for m in validated for s in self._validation_sections(m)]
        if not models:
            html = history_report_html(
                pd.DataFrame(), [], subtitle=str(self.path), title=title, extra=extra
            )
            return write_page(html, path)
        overview = (
            self.runs()
            .groupby("model_id", sort=True)
            .agg(
                runs=("batch_id", "size"),
                first=("as_of", "min"),
                last=("as_of", "max"),
                drift_runs=("status", lambda s: int((s == "drift").sum())),
            )
        )
        pages = [self._model_history(m) for m in models]
        html = history_report_html(
            pd.DataFrame(overview.loc[models]),
            pages,
            subtitle=str(self.path),
            title=title,
            extra=extra,
        )
        return write_page(html, path)

    def _validation_sections(self, model_id: str) -> list[Any]:
        """The validation history sections of one model, for the page."""
        runs = self.validation_runs(model_id)
        return validation_history_sections(
            runs.drop(columns=["run_id"]).reset_index(drop=True),
            self.validation_history(model_id),
            model_id=model_id,
        )

    def _model_history(self, model_id: str) -> ModelHistory:
        """Runs, history and the pooled window of one model, for the page."""
        runs = self.runs(model_id)
        bands = (float(runs["psi_low"].iloc[-1]), float(runs["psi_high"].iloc[-1]))
        try:
            window = self.window_counts(model_id).drift(
                psi_bands=bands, alpha=float(runs["alpha"].iloc[-1])
            )
        except ValueError as exc:
            return ModelHistory(
                model_id, runs, self.history(model_id), window_note=str(exc)
            )
        return ModelHistory(
            model_id, runs, self.history(model_id), window=window.to_frame()
        )
