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

Before a job writes, :func:`precheck_store` checks the file read-only (a
failed job changes no byte) and every write first runs ``PRAGMA
quick_check``.

Modules, from the bottom up: ``_schema`` (file, schema, connection),
``_open`` (the read-only pre-check and the integrity check),
``_write`` and ``_read`` (one mixin each) and ``_history``
(:class:`HistoryStore`, with the history page).
"""

from ._history import HistoryStore
from ._open import StoreState, precheck_store
from ._read import WindowCounts
from ._schema import StoreBusyError, StoreError

__all__ = [
    "HistoryStore",
    "StoreBusyError",
    "StoreError",
    "StoreState",
    "WindowCounts",
    "precheck_store",
]
