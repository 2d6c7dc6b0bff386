"""Checks of a store before a job writes: read-only, so a failed job changes no byte.

:func:`precheck_store` opens an existing store with SQLite's ``mode=ro`` (no
journal-mode change, no schema, no WAL file of ours), checks that it is an
infoscore store this version can use, that it holds no triggers or views
(infoscore creates none; a hostile one could fire on our inserts), that
``PRAGMA quick_check`` finds no damaged page, and that the job could write it
(file and folder writable, not a read-only file system). :func:`quick_check`
is the integrity check :class:`~monitoring.HistoryStore` runs before each
write. Every ``sqlite3`` error becomes a one-line :class:`StoreError`.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ._schema import _SQLITE_MAGIC, APPLICATION_ID, SCHEMA_VERSION, StoreError

__all__ = ["StoreState", "precheck_store", "quick_check"]

_TABLES = {"meta", "runs", "features", "bins"}


@dataclass(frozen=True)
class StoreState:
    """What the read-only pre-check found.

    Attributes
    ----------
    exists : bool
        The file exists and holds a store (``False`` for a new or 0-byte file).
    revision : int or None
        Revision of the stored run with the asked-for key, ``None`` if none.
    models : tuple of str
        Model ids with stored runs.
    """

    exists: bool
    revision: int | None
    models: tuple[str, ...] = ()


def _writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"History store {str(path)!r} is not writable (permissions or a "
            "read-only file system); nothing was written."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"Folder {str(folder)!r} of the history store is not writable "
            "(SQLite needs it for its journal); nothing was written."
        )


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Raise :class:`StoreError` if ``PRAGMA quick_check`` reports damage."""
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.Error as exc:
        raise StoreError(
            f"History store {str(path)!r} is damaged ({exc}); nothing was written."
        ) from None
    if [tuple(r) for r in rows] != [("ok",)]:
        first = str(rows[0][0]).splitlines()[0] if rows else "no answer"
        raise StoreError(
            f"History store {str(path)!r} is damaged (quick_check: {first}); "
            "nothing was written. Restore it from a backup."
        )


def _inspect(
    conn: sqlite3.Connection, path: Path, key: tuple[str, str] | None
) -> StoreState:
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    objects = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    if app == 0 and not objects:
        return StoreState(exists=False, revision=None)
    if app != APPLICATION_ID:
        raise StoreError(
            f"{str(path)!r} is a SQLite database but not an infoscore history "
            f"store (application_id={app}); the file was not modified."
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"History store {str(path)!r} has schema version {version}, newer "
            f"than this infoscore supports ({SCHEMA_VERSION}); upgrade infoscore."
        )
    foreign = sorted(f"{t} {n!r}" for t, n in objects if t in ("trigger", "view"))
    if foreign:
        raise StoreError(
            f"History store {str(path)!r} holds {', '.join(foreign[:5])}, which "
            "infoscore never creates; refusing to write to it."
        )
    missing = _TABLES - {n for t, n in objects if t == "table"}
    if version < 1 or missing:
        raise StoreError(
            f"History store {str(path)!r} is damaged or has an unknown schema "
            f"(version {version}, missing tables {sorted(missing)})."
        )
    quick_check(conn, path)
    models = tuple(
        str(r[0]) for r in conn.execute("SELECT DISTINCT model_id FROM runs ORDER BY 1")
    )
    row = None
    if key is not None:
        row = conn.execute(
            "SELECT revision FROM runs WHERE model_id = ? AND batch_id = ?", key
        ).fetchone()
    revision = None if row is None else int(row[0])
    return StoreState(exists=True, revision=revision, models=models)


def precheck_store(
    path: str | os.PathLike[str],
    *,
    key: tuple[str, str] | None = None,
    writable: bool = True,
) -> StoreState:
    """Check, without writing anything, that a job can write a run into ``path``.

    Parameters
    ----------
    path : str or path-like
        The store file (it may not exist yet; its folder must).
    key : (model_id, batch_id), default=None
        Look up whether a run with this key is stored.
    writable : bool, default=True
        Also check that the job could write the file (``False`` for jobs
        that only read it, such as ``infoscore history``).

    Returns
    -------
    StoreState

    Raises
    ------
    StoreError
        If the file is not a usable, undamaged infoscore store, or the job
        could not write it.
    FileNotFoundError
        If the folder does not exist.
    """
    p = Path(path)
    if not p.exists():
        if not p.parent.is_dir():
            raise FileNotFoundError(
                f"Folder {str(p.parent)!r} of the history store does not exist."
            )
        if writable:
            _writable(p)
        return StoreState(exists=False, revision=None)
    if not p.is_file():
        raise StoreError(f"Store path {str(p)!r} is not a file.")
    if not os.access(p, os.R_OK):
        raise StoreError(f"History store {str(p)!r} cannot be read (permissions).")
    if writable:
        _writable(p)
    size = p.stat().st_size
    if size == 0:
        return StoreState(exists=False, revision=None)
    with p.open("rb") as fh:
        head = fh.read(len(_SQLITE_MAGIC))
    if head != _SQLITE_MAGIC or size < 100:
        raise StoreError(
            f"{str(p)!r} is not a SQLite database (it does not start with the "
            "SQLite header); the file was not modified."
        )
    uri = f"file:{quote(str(p.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open {str(p)!r} read-only: {exc}.") from None
    try:
        state = _inspect(conn, p, key)
    except sqlite3.Error as exc:
        raise StoreError(
            f"History store {str(p)!r} cannot be read ({type(exc).__name__}: "
            f"{exc}); the file was not modified."
        ) from None
    finally:
        conn.close()
    return state
