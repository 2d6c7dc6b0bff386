"""JSON artifacts: schema-versioned, checksummed, validated on load; never pickle.

An artifact is one JSON document::

    {"format": "infoscore-artifact", "schema_version": 1, "kind": "Scorecard",
     "infoscore_version": "<version>", "created": "...", "sha256": "...",
     "payload": {...}}

``sha256`` is the hash of the canonical JSON of ``payload`` (sorted keys, no
spaces), so an edited or truncated file is rejected with a clear message. Floats
are written with Python's shortest round-trip repr, so a loaded model scores
bit-identically; non-finite floats are written as the strings ``"inf"``,
``"-inf"`` and ``"nan"``; a loaded artifact must hold finite numbers only
(:func:`decode_float` rejects the strings, the parser rejects ``NaN``,
``Infinity`` and overflowing literals such as ``1e999``).

Loading is defensive: a document larger than :data:`MAX_BYTES`, nested deeper
than :data:`MAX_DEPTH`, or with a key repeated in one object (the last one
would silently win) is rejected with a ``ValueError``, and any error of a
malformed payload (wrong types, overflow, recursion, memory) becomes one.

The checksum is *integrity*, not *authenticity*: anyone can edit a payload
and recompute an unkeyed SHA-256. For authenticity set a key in the
environment variable ``INFOSCORE_ARTIFACT_KEY`` (the key text) or
``INFOSCORE_ARTIFACT_KEY_FILE`` (a file holding the key): artifacts are then
written with ``hmac_sha256``, an HMAC-SHA256 of kind, schema version and
payload under that key, and every load requires it and verifies it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from .io import write_atomic
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
    "MAX_BYTES",
    "MAX_DEPTH",
    "KEY_ENV",
    "KEY_FILE_ENV",
]

SCHEMA_VERSION = 1
FORMAT = "infoscore-artifact"

#: Largest artifact document accepted by :func:`loads_artifact` (16 MiB).
MAX_BYTES = 16 * 2**20
#: Deepest nesting of JSON objects/arrays accepted by :func:`loads_artifact`.
MAX_DEPTH = 32
#: Environment variable holding the HMAC key text.
KEY_ENV = "INFOSCORE_ARTIFACT_KEY"
#: Environment variable naming a file that holds the HMAC key.
KEY_FILE_ENV = "INFOSCORE_ARTIFACT_KEY_FILE"

#: Errors of a malformed payload turned into ``ValueError`` by :func:`load`.
_PAYLOAD_ERRORS = (
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    ArithmeticError,
    RecursionError,
    MemoryError,
)

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


def decode_float(x: Any, *, field: str = "value", finite: bool = True) -> float:
    """Inverse of :func:`encode_float`; by default a finite float only.

    Parameters
    ----------
    x : object
        The field's JSON value.
    field : str, default="value"
        Field name used in the error message.
    finite : bool, default=True
        Reject ``"nan"``, ``"inf"``, ``"-inf"`` and numbers too large for a
        float (a model holding one would score NaN or infinity). With
        ``False`` the three strings decode to their floats.

    Raises
    ------
    ValueError
        For a non-number, a boolean, another string, or (with ``finite``) a
        non-finite value.
    """
    if isinstance(x, bool) or not isinstance(x, int | float | str):
        raise ValueError(f"Artifact field {field!r} must be a number; got {x!r:.60}.")
    if isinstance(x, str) and x not in ("inf", "-inf", "nan"):
        raise ValueError(
            f"Artifact field {field!r} must be a number; got string {x!r:.60}."
        )
    try:
        value = float(x)
    except OverflowError:
        value = math.inf
    if finite and not math.isfinite(value):
        raise ValueError(
            f"Artifact field {field!r} must be a finite number; got {x!r:.60}."
        )
    return value


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


def _key() -> bytes | None:
    """The HMAC key from the environment, or ``None`` when none is configured."""
    text = os.environ.get(KEY_ENV)
    file = os.environ.get(KEY_FILE_ENV)
    if text and file:
        raise ValueError(f"Set {KEY_ENV} or {KEY_FILE_ENV}, not both.")
    if file:
        try:
            key = Path(file).read_bytes().rstrip(b"\r\n")
        except OSError as exc:
            raise ValueError(
                f"{KEY_FILE_ENV} names {file!r}, which cannot be read: "
                f"{exc.strerror or exc}."
            ) from None
        if not key:
            raise ValueError(f"The key file {file!r} of {KEY_FILE_ENV} is empty.")
        return key
    return text.encode() if text else None


def _signature(key: bytes, kind: str, version: int, payload: Any) -> str:
    body = _canonical({"kind": kind, "payload": payload, "schema_version": version})
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def dumps_artifact(kind: str, payload: dict[str, Any]) -> str:
    """Serialise ``payload`` as an artifact of ``kind``.

    When a key is configured (``INFOSCORE_ARTIFACT_KEY`` or
    ``INFOSCORE_ARTIFACT_KEY_FILE``) the document also carries ``hmac_sha256``.

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
    }
    key = _key()
    if key is not None:
        document["hmac_sha256"] = _signature(key, kind, SCHEMA_VERSION, payload)
    document["payload"] = payload
    return json.dumps(document, indent=1, allow_nan=False)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(
                f"Artifact has the key {k!r:.60} twice in one object; a JSON key "
                "must be unique (the last one would silently win)."
            )
        out[k] = v
    return out


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"Artifact number {text:.40} is out of the float range.")
    return value


def _no_constant(text: str) -> Any:
    raise ValueError(f"Artifact has the non-finite number {text}; JSON has none.")


def _check_depth(document: Any) -> None:
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(
                f"Artifact is nested more than {MAX_DEPTH} levels deep; an "
                "infoscore artifact never is."
            )
        children = node.values() if isinstance(node, dict) else node
        stack += [(c, depth + 1) for c in children if isinstance(c, dict | list)]


def _parse(text: str | bytes) -> Any:
    if len(text) > MAX_BYTES:
        raise ValueError(
            f"Artifact is {len(text):,} bytes; the limit is {MAX_BYTES:,} "
            "(scorecard artifacts are kilobytes)."
        )
    try:
        document = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_float=_finite_float,
            parse_constant=_no_constant,
        )
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"Artifact is not valid JSON (truncated or corrupted?): {exc}"
        ) from None
    except RecursionError:
        raise ValueError(
            f"Artifact is nested more than {MAX_DEPTH} levels deep; an infoscore "
            "artifact never is."
        ) from None
    _check_depth(document)
    return document


def loads_artifact(text: str | bytes) -> tuple[str, dict[str, Any]]:
    """Parse and validate an artifact document; returns ``(kind, payload)``.

    Raises
    ------
    ValueError
        If the text is not JSON (e.g. truncated), too large, nested too deep,
        repeats a key, holds a non-finite number, is not an infoscore
        artifact, is from a newer schema, its checksum does not match (edited
        or corrupted), or -- with a key configured -- its HMAC signature is
        missing or wrong.
    """
    document = _parse(text)
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
    key = _key()
    if key is not None:
        if "hmac_sha256" not in document:
            raise ValueError(
                f"Artifact is not signed, but a key is configured ({KEY_ENV} or "
                f"{KEY_FILE_ENV}); refusing an unsigned artifact."
            )
        signature = require(document, "hmac_sha256", str)
        if not hmac.compare_digest(signature, _signature(key, kind, version, payload)):
            raise ValueError(
                "Artifact signature (hmac_sha256) does not match the configured "
                "key: the artifact was changed or signed with another key."
            )
    return kind, payload


def _read_text(source: str | os.PathLike[str]) -> str:
    if isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        return source
    path = Path(source)
    if not path.is_file():
        raise ValueError(f"Artifact file {str(path)!r} does not exist.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(
            f"Artifact file {str(path)!r} is {size:,} bytes; the limit is "
            f"{MAX_BYTES:,} (scorecard artifacts are kilobytes)."
        )
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
        For a missing, malformed, truncated, tampered, oversized, too deeply
        nested, non-finite, unsigned (with a key configured) or newer-schema
        file, or an unknown kind.
    """
    try:
        text = _read_text(source)
    except UnicodeDecodeError:
        raise ValueError(f"Artifact {str(source)!r:.200} is not UTF-8 text.") from None
    kind, payload = loads_artifact(text)
    if kind not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ValueError(f"Unknown artifact kind {kind!r}; known kinds: {known}.")
    try:
        return _REGISTRY[kind](payload)
    except _PAYLOAD_ERRORS as exc:
        raise ValueError(
            f"Malformed {kind} artifact: {type(exc).__name__}: {str(exc)[:200]}"
        ) from None


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
            write_atomic(path, text)
        return text
