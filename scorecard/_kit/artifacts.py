"""JSON artifacts: schema-versioned, checksummed, validated on load; never pickle.

An artifact is one JSON document::

    {"format": "infoscore-artifact", "schema_version": 1, "kind": "Scorecard",
     "infoscore_version": "<version>", "created": "...", "sha256": "...",
     "payload": {...}}

``sha256`` is the hash of the canonical JSON of ``payload`` (sorted keys, no
spaces), so an edited or truncated file is rejected with a clear message. Floats
are written with Python's shortest round-trip repr, so a loaded model scores
bit-identically; non-finite floats are written as the strings ``"inf"``,
``"-inf"`` and ``"nan"`` where a schema allows them.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from .version import __version__

__all__ = [
    "SCHEMA_VERSION",
    "ArtifactMixin",
    "dumps_artifact",
    "loads_artifact",
    "load",
    "register_artifact",
    "encode_float",
    "decode_float",
    "require",
]

SCHEMA_VERSION = 1
FORMAT = "infoscore-artifact"

_REGISTRY: dict[str, Callable[[dict[str, Any]], Any]] = {}

T = TypeVar("T")


def register_artifact(kind: str) -> Callable[[type[T]], type[T]]:
    """Class decorator registering ``cls._from_payload`` for artifacts of ``kind``."""

    def decorator(cls: type[T]) -> type[T]:
        _REGISTRY[kind] = cls._from_payload  # type: ignore[attr-defined]
        return cls

    return decorator


def encode_float(x: float) -> float | str:
    """JSON-safe float: finite floats as numbers, others as strings."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def decode_float(x: Any, *, field: str = "value") -> float:
    """Inverse of :func:`encode_float`, rejecting anything else."""
    if isinstance(x, bool) or not isinstance(x, int | float | str):
        raise ValueError(f"Artifact field {field!r} must be a number; got {x!r:.60}.")
    if isinstance(x, str):
        if x not in ("inf", "-inf", "nan"):
            raise ValueError(
                f"Artifact field {field!r} must be a number; got string {x!r:.60}."
            )
    return float(x)


def require(
    payload: Mapping[str, Any], field: str, kind: type | tuple[type, ...]
) -> Any:
    """Return ``payload[field]`` after checking it exists and has the right type."""
    if not isinstance(payload, Mapping):
        raise ValueError(
            f"Artifact section must be an object; got {type(payload).__name__}."
        )
    if field not in payload:
        raise ValueError(f"Artifact is missing the field {field!r}.")
    value = payload[field]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ValueError(f"Artifact field {field!r} must be a number; got {value!r}.")
    if not isinstance(value, kind):
        names = (
            kind.__name__
            if isinstance(kind, type)
            else "/".join(k.__name__ for k in kind)
        )
        raise ValueError(
            f"Artifact field {field!r} must be {names}; got {type(value).__name__}."
        )
    return value


def _canonical(payload: Any) -> bytes:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def dumps_artifact(kind: str, payload: dict[str, Any]) -> str:
    """Serialise ``payload`` as an artifact of ``kind``.

    Parameters
    ----------
    kind : str
        Registered artifact kind (class name).
    payload : dict
        JSON-serialisable content (no NaN/inf floats: use :func:`encode_float`).

    Returns
    -------
    str
        The JSON document.
    """
    try:
        digest = hashlib.sha256(_canonical(payload)).hexdigest()
    except ValueError as exc:
        raise ValueError(f"{kind} payload is not JSON-safe: {exc}") from exc
    document = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "kind": kind,
        "infoscore_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": digest,
        "payload": payload,
    }
    return json.dumps(document, indent=1, allow_nan=False)


def loads_artifact(text: str | bytes) -> tuple[str, dict[str, Any]]:
    """Parse and validate an artifact document; returns ``(kind, payload)``.

    Raises
    ------
    ValueError
        If the text is not JSON (e.g. truncated), not an infoscore artifact,
        from a newer schema, or its checksum does not match (edited or corrupted).
    """
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"Artifact is not valid JSON (truncated or corrupted?): {exc}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(
            f"Not an infoscore artifact: field 'format' must be {FORMAT!r}."
        )
    version = require(document, "schema_version", int)
    if version > SCHEMA_VERSION:
        raise ValueError(
            f"Artifact schema_version {version} is newer than this infoscore "
            f"supports ({SCHEMA_VERSION}); upgrade infoscore to load it."
        )
    if version < 1:
        raise ValueError(f"Artifact schema_version must be >= 1; got {version}.")
    kind = require(document, "kind", str)
    payload = require(document, "payload", dict)
    digest = require(document, "sha256", str)
    if hashlib.sha256(_canonical(payload)).hexdigest() != digest:
        raise ValueError(
            "Artifact checksum mismatch: the payload was edited or corrupted "
            "after it was written."
        )
    return kind, payload


def _read_text(source: str | os.PathLike[str]) -> str:
    if isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        return source
    path = Path(source)
    if not path.is_file():
        raise ValueError(f"Artifact file {str(path)!r} does not exist.")
    return path.read_text(encoding="utf-8", errors="strict")


def load(source: str | os.PathLike[str]) -> Any:
    """Load a fitted object from a JSON artifact (a path or the JSON text).

    Parameters
    ----------
    source : str or path-like
        Path of the artifact file, or the JSON document itself.

    Returns
    -------
    object
        The fitted estimator (e.g. a ``Scorecard`` or ``StumpBinner``).

    Raises
    ------
    ValueError
        For a missing, malformed, truncated, tampered or newer-schema file, or
        an unknown kind.
    """
    try:
        text = _read_text(source)
    except UnicodeDecodeError:
        raise ValueError(f"Artifact {str(source)!r} is not UTF-8 text.") from None
    kind, payload = loads_artifact(text)
    if kind not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ValueError(f"Unknown artifact kind {kind!r}; known kinds: {known}.")
    try:
        return _REGISTRY[kind](payload)
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"Malformed {kind} artifact: {exc!r}") from None


class ArtifactMixin:
    """Adds :meth:`to_json` to a class that implements ``_to_payload``."""

    def _to_payload(self) -> dict[str, Any]:  # pragma: no cover - interface
        raise NotImplementedError

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """Serialise the fitted object as a JSON artifact.

        Parameters
        ----------
        path : str or path-like, default=None
            When given, also write the document there (atomically: a temporary
            file is renamed into place).

        Returns
        -------
        str
            The JSON document.
        """
        text = dumps_artifact(type(self).__name__, self._to_payload())
        if path is not None:
            target = Path(path)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)
        return text
